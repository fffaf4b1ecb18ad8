"""Comparing partial birth dates: agreement and conflict both count.

Sources give a year, a year and month, or a full date; clerks swap day and month; a Hijri
year converted to Gregorian can land a year off. Every pair of candidate dates is compared
and the most favourable level is kept.
"""

from __future__ import annotations

import unicodedata
from datetime import date

from ftfhub.dates import hijri_year_span
from ftfhub.domain import PartialDate


def _hijri_year(date: PartialDate) -> int | None:
    """The Hijri year of a year-only Hijri date (kept in `original`), else None."""
    if date.calendar != "hijri" or date.month is not None:
        return None
    digits = "".join(str(unicodedata.digit(c)) for c in date.original if c.isdigit())
    return int(digits) if digits and 1300 <= int(digits) <= 1500 else None


def _hijri_span_level(hijri: PartialDate, other: PartialDate) -> str | None:
    """A Hijri year spans two Gregorian years: the other date is inside it or not."""
    year = _hijri_year(hijri)
    if year is None or other.calendar == "hijri":
        return None
    first, last = hijri_year_span(year)
    if other.month is None:
        return "year" if first.year <= other.year <= last.year else "different"
    probe = date(other.year, other.month, other.day or 15)
    return "year" if first <= probe <= last else "different"


def date_level(a: PartialDate, b: PartialDate) -> str:
    span = _hijri_span_level(a, b) or _hijri_span_level(b, a)
    if span is not None:
        return span
    if a.year != b.year:
        hijri_year = (a.calendar == "hijri" and a.month is None) or (
            b.calendar == "hijri" and b.month is None
        )
        if abs(a.year - b.year) == 1:
            if hijri_year:
                return "hijri_year_window"
            # A year one off is a slip only when the rest agrees or is unknown.
            if a.month is None or b.month is None or (a.month, a.day) == (b.month, b.day):
                return "year_off_by_one"
            return "different"
        if (
            a.month is not None
            and a.day is not None
            and (a.month, a.day) == (b.month, b.day)
            and abs(a.year - b.year) in (10, 100)
        ):
            return "year_off_by_one"  # a one-digit typo in the year
        return "far_apart" if abs(a.year - b.year) >= 5 else "different"
    if a.month is None or b.month is None:
        return "year"
    if a.day is None or b.day is None:
        return "year_month" if a.month == b.month else "same_year_other_day"
    if a.month == b.month:
        return "exact" if a.day == b.day else "same_month_other_day"
    if (a.month, a.day) == (b.day, b.month):
        return "day_month_swapped"
    return "same_year_other_day"


_ORDER = (
    "exact",
    "year_month",
    "day_month_swapped",
    "year",
    "hijri_year_window",
    "same_month_other_day",
    "same_year_other_day",
    "year_off_by_one",
    "different",
    "far_apart",
)


def best_date_level(
    dates_a: tuple[PartialDate, ...], dates_b: tuple[PartialDate, ...]
) -> tuple[str, PartialDate, PartialDate] | None:
    """The most favourable level over all pairs, with the pair; None if a side has no date."""
    best: tuple[int, str, PartialDate, PartialDate] | None = None
    for a in dates_a:
        for b in dates_b:
            level = date_level(a, b)
            rank = _ORDER.index(level)
            if best is None or rank < best[0]:
                best = (rank, level, a, b)
    return None if best is None else (best[1], best[2], best[3])
