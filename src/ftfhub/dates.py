"""Lenient date parsing for the dates agencies and captured documents actually contain.

Shared by the ingest adapters and the matcher. Sources write `1985`, `1985-03-12`,
`12/03/1985`, `00/00/1985` (day and month unknown), Arabic-Indic or Persian digits, and Hijri
dates (`1405`, `1405 هـ`, `12/03/1405`). Every result is a :class:`PartialDate` in the
Gregorian calendar, as precise as the source was, with the source's calendar and text kept so
that an analyst can always see what was written.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from hijridate import Hijri

from ftfhub.clock import utcnow
from ftfhub.domain import PartialDate
from ftfhub.domain.errors import FieldError

HIJRI_BEFORE = 1600
"""A year below this is a Hijri year: 1600 AH is 2174 CE, and no Gregorian birth is that old."""
MIN_YEAR, MAX_YEAR = 1900, 2100
"""Gregorian years outside this range are typing errors in any field this hub reads."""

# Arabic-Indic (U+0660…) and Extended Arabic-Indic / Persian (U+06F0…) digits.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# Bidi marks that copy-paste from right-to-left documents leaves around digits.
_BIDI = dict.fromkeys([0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)])
_SHAPE = re.compile(r"^(\D*?)(\d(?:[\d\s/.\-]*\d)?)(\D*)$")
_SEPARATORS = re.compile(r"[\s/.\-]+")
_MARKER_NOISE = re.compile(r"[\s.\u0640()\[\],،]")

# Calendar markers, compared after removing spaces, dots, tatweel and brackets, lower-cased.
_HIJRI_MARKERS = frozenset({"ه", "ھ", "هجري", "هجريه", "هجرية", "هجريقمري", "ah", "h", "hijri"})
_GREGORIAN_MARKERS = frozenset({"م", "ميلادي", "ميلاديه", "ميلادية", "ad", "ce", "g"})
# Words meaning "about"; the date is kept as written (its precision says how loose it is).
_APPROXIMATE = frozenset({"حوالي", "حوالى", "تقريبا", "تقريباً", "ca", "circa", "about", "~"})


def normalise_digits(text: str) -> str:
    """ASCII digits for Arabic-Indic and Persian ones; bidi marks removed."""
    return text.translate(_DIGITS).translate(_BIDI)


def is_calendar_marker(word: str) -> bool:
    """Whether a word is a calendar marker (`هـ`, `AH`, `م`, `ميلادي`…)."""
    key = "".join(_MARKER_NOISE.sub(" ", word.lower()).split())
    return key in _HIJRI_MARKERS or key in _GREGORIAN_MARKERS


def _calendar_of(marker: str, field: str, original: str) -> str | None:
    """'hijri', 'gregorian' or None (no marker) for the text around the digits."""
    words = [w for w in _MARKER_NOISE.sub(" ", marker.lower()).split() if w]
    words = [w for w in words if w not in _APPROXIMATE]
    key = "".join(words)
    if not key:
        return None
    if key in _HIJRI_MARKERS:
        return "hijri"
    if key in _GREGORIAN_MARKERS:
        return "gregorian"
    raise FieldError(field, f"'{original}' is not a date")


def _split_parts(core: str, field: str, original: str) -> tuple[int, int, int]:
    """(year, month, day) with 0 for unknown; resolves day-first versus month-first."""
    parts = [p for p in _SEPARATORS.split(core) if p]
    lengths = [len(p) for p in parts]
    if lengths == [8]:  # YYYYMMDD
        parts = [parts[0][:4], parts[0][4:6], parts[0][6:]]
        lengths = [4, 2, 2]
    if lengths == [4]:
        return int(parts[0]), 0, 0
    if len(parts) == 2 and lengths[0] == 4 and lengths[1] <= 2:
        return int(parts[0]), int(parts[1]), 0
    if len(parts) == 2 and lengths[1] == 4 and lengths[0] <= 2:
        return int(parts[1]), int(parts[0]), 0
    if len(parts) == 3 and lengths[0] == 4 and max(lengths[1:]) <= 2:
        return int(parts[0]), int(parts[1]), int(parts[2])
    if len(parts) == 3 and lengths[2] == 4 and max(lengths[:2]) <= 2:
        first, second, year = int(parts[0]), int(parts[1]), int(parts[2])
        # Day-first is the European and Arabic convention; month-first only when day-first
        # cannot be a date (03/25/1985) and month-first can.
        if _plausible(second, first):
            return year, second, first
        if _plausible(first, second):
            return year, first, second
        raise FieldError(field, f"'{original}' has no month in its first two parts")
    raise FieldError(
        field, f"'{original}' is not a date (expected e.g. 1985, 1985-03-12, 12/03/1985)"
    )


def _plausible(month: int, day: int) -> bool:
    return month == 0 or (1 <= month <= 12 and 0 <= day <= 31)


def _hijri_month_length(year: int, month: int) -> int:
    return int(Hijri(year, month, 1).month_length())


def _to_gregorian(year: int, month: int, day: int) -> date:
    converted = Hijri(year, month, day).to_gregorian()
    return date(converted.year, converted.month, converted.day)


def _hijri_to_partial(year: int, month: int, day: int, field: str, original: str) -> PartialDate:
    """Convert a (partial) Hijri date; raises FieldError outside hijridate's range."""
    try:
        if month and day:
            exact = _to_gregorian(year, month, day)
            return PartialDate(exact.year, exact.month, exact.day, "hijri", original)
        if month:
            # The Gregorian month holding the middle of the Hijri month holds most of it.
            middle = _to_gregorian(year, month, 15)
            return PartialDate(middle.year, middle.month, None, "hijri", original)
        first = _to_gregorian(year, 1, 1)
        last = _to_gregorian(year, 12, _hijri_month_length(year, 12))
        return PartialDate(_year_holding_most(first, last), None, None, "hijri", original)
    except OverflowError:
        raise FieldError(
            field, f"'{original}': Hijri year {year} is outside the convertible range 1343–1500"
        ) from None
    except ValueError as exc:
        raise FieldError(field, f"'{original}' is not a real Hijri date ({exc})") from None


def _year_holding_most(first: date, last: date) -> int:
    """The Gregorian year holding most of the days from `first` to `last` inclusive."""
    if first.year == last.year:
        return first.year
    days_in_first = (date(first.year + 1, 1, 1) - first).days
    days_in_last = (last - date(last.year, 1, 1)).days + 1
    return first.year if days_in_first > days_in_last else last.year


def _gregorian_to_partial(
    year: int, month: int, day: int, field: str, original: str
) -> PartialDate:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError(field, f"'{original}': year {year} is not plausible")
    if not month:
        return PartialDate(year, None, None, "gregorian", original)
    if not 1 <= month <= 12:
        raise FieldError(field, f"'{original}' has month {month}")
    if not day:
        return PartialDate(year, month, None, "gregorian", original)
    try:
        date(year, month, day)
    except ValueError:
        raise FieldError(field, f"'{original}' is not a real date") from None
    return PartialDate(year, month, day, "gregorian", original)


def parse_date(text: str, *, field: str = "birth_date") -> PartialDate | None:
    """Parse a date as sources write it; None for an empty cell.

    Accepted: `1985`, `1985-03`, `03/1985`, `1985-03-12`, `1985/03/12`, `19850312`,
    `12/03/1985` and `12.03.1985` (day first; month first only when day first is impossible,
    as in `03/25/1985`), `00/00/1985` and `00/03/1985` (zero = unknown, so the result is less
    precise), Arabic-Indic and Persian digits, and a Gregorian marker (`م`, `AD`, `CE`) or
    the word "about" (`حوالي`, `circa`) around the digits.

    Hijri: a year below 1600, or a marker (`هـ`, `AH`, `هجري`), means a Hijri date, converted
    with `hijridate` (1343–1500 AH). A full Hijri date converts exactly. A Hijri year alone
    becomes the Gregorian year in which most of that Hijri year falls (1405 AH, from
    26 Sep 1984 to 14 Sep 1985, becomes 1985); a Hijri year and month become the Gregorian
    month holding the middle of that Hijri month. The result keeps `calendar="hijri"` and the
    text as written in `original`. Raises FieldError naming `field` for anything else.
    """
    original = text.strip()
    cleaned = unicodedata.normalize("NFKC", normalise_digits(original)).strip()
    if not cleaned:
        return None
    shape = _SHAPE.match(cleaned)
    if shape is None:
        raise FieldError(field, f"'{original}' is not a date")
    prefix, core, suffix = shape.groups()
    if prefix.strip() and suffix.strip():
        raise FieldError(field, f"'{original}' is not a date")
    calendar = _calendar_of(prefix + suffix, field, original)
    year, month, day = _split_parts(core, field, original)
    if not month:
        day = 0  # a day without its month says nothing
    if calendar is None:
        calendar = "hijri" if year < HIJRI_BEFORE else "gregorian"
    if calendar == "hijri":
        if year >= HIJRI_BEFORE:
            raise FieldError(field, f"'{original}' is marked Hijri but year {year} is not")
        if month and not 1 <= month <= 12:
            raise FieldError(field, f"'{original}' has month {month}")
        if day and not 1 <= day <= 30:
            raise FieldError(field, f"'{original}' has day {day}")
        return _hijri_to_partial(year, month, day, field, original)
    return _gregorian_to_partial(year, month, day, field, original)


_MRZ_DATE = re.compile(r"^(\d{2})(\d{2}|<<)(\d{2}|<<)$")


def parse_mrz_date(
    yymmdd: str, *, field: str = "birth_date", today_year: int | None = None
) -> PartialDate | None:
    """Parse an MRZ birth date `YYMMDD`; None for an empty cell.

    The century is chosen so that the birth year is not after `today_year` (default: this
    year): in 2025, `850312` is 1985 and `100312` is 2010. Unknown month or day (`<<` or
    `00`, as ICAO 9303 allows) gives a less precise date.
    """
    original = yymmdd.strip()
    text = normalise_digits(original).replace(" ", "")
    if not text:
        return None
    match = _MRZ_DATE.match(text)
    if match is None:
        raise FieldError(field, f"'{original}' is not an MRZ date YYMMDD")
    yy, mm, dd = (0 if part == "<<" else int(part) for part in match.groups())
    current = today_year if today_year is not None else utcnow().year
    year = 2000 + yy if 2000 + yy <= current else 1900 + yy
    if not mm:
        dd = 0
    return _gregorian_to_partial(year, mm, dd, field, original)


def hijri_year_span(year: int) -> tuple[date, date]:
    """First and last Gregorian day of a Hijri year (for a matcher comparing year ranges)."""
    first = _to_gregorian(year, 1, 1)
    return first, _to_gregorian(year, 12, _hijri_month_length(year, 12))
