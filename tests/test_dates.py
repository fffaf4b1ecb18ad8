"""Lenient date parsing: partial dates, day/month order, Arabic digits, Hijri, MRZ dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ftfhub.dates import (
    hijri_year_span,
    is_calendar_marker,
    normalise_digits,
    parse_date,
    parse_mrz_date,
)
from ftfhub.domain import PartialDate
from ftfhub.ingest.errors import FieldError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985", (1985, None, None)),
        ("1985-03", (1985, 3, None)),
        ("1985-03-12", (1985, 3, 12)),
        ("12/03/1985", (1985, 3, 12)),  # day first
        ("12.03.1985", (1985, 3, 12)),
        ("12-03-1985", (1985, 3, 12)),
        ("1985/03/12", (1985, 3, 12)),  # year first is always Y/M/D
        ("19850312", (1985, 3, 12)),
        ("03/1985", (1985, 3, None)),
        ("03/25/1985", (1985, 3, 25)),  # day first impossible, month first works
        ("00/00/1985", (1985, None, None)),  # unknown day and month
        ("00/03/1985", (1985, 3, None)),
        ("12/00/1985", (1985, None, None)),  # a day without a month says nothing
        ("  1985  ", (1985, None, None)),
        ("1985م", (1985, None, None)),
        ("1985 AD", (1985, None, None)),
        ("حوالي 1985", (1985, None, None)),
        ("١٢/٠٣/١٩٨٥", (1985, 3, 12)),  # Arabic-Indic digits
        ("۱۹۸۵-۰۳-۱۲", (1985, 3, 12)),  # Persian digits
        ("\u200f12/03/1985\u200f", (1985, 3, 12)),  # bidi marks from copy-paste
    ],
)
def test_gregorian_forms(text: str, expected: tuple[int, int | None, int | None]) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.year, parsed.month, parsed.day) == expected
    assert parsed.calendar == "gregorian"
    assert parsed.original == text.strip()


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_is_none(text: str) -> None:
    assert parse_date(text) is None
    assert parse_mrz_date(text) is None


def test_hijri_full_date_converted_with_original_kept() -> None:
    parsed = parse_date("1405-03-12 AH")
    assert parsed == PartialDate(1984, 12, 4, calendar="hijri", original="1405-03-12 AH")
    assert parsed.iso() == "1984-12-04"


@pytest.mark.parametrize(
    "text", ["12/03/1405", "1405/03/12", "١٤٠٥/٠٣/١٢ هـ", "12-03-1405 هجري", "AH 1405-03-12"]
)
def test_hijri_full_date_in_other_forms(text: str) -> None:
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.iso(), parsed.calendar, parsed.original) == ("1984-12-04", "hijri", text)


@pytest.mark.parametrize(
    "text", ["1405", "١٤٠٥", "۱۴۰۵", "1405 هـ", "1405هـ", "1405 ه", "A.H. 1405"]
)
def test_hijri_year_alone_is_the_gregorian_year_holding_most_of_it(text: str) -> None:
    # 1405 AH runs from 1984-09-26 to 1985-09-14: most of it is in 1985.
    parsed = parse_date(text)
    assert parsed == PartialDate(1985, None, None, calendar="hijri", original=text)


def test_hijri_year_month_is_the_month_holding_its_middle() -> None:
    parsed = parse_date("1405/03")  # Rabi' al-Awwal 1405: 1984-11-23 … 1984-12-22
    assert parsed is not None
    assert (parsed.year, parsed.month, parsed.day, parsed.calendar) == (1984, 12, None, "hijri")


@given(st.integers(min_value=1343, max_value=1500))
def test_hijri_year_maps_into_its_own_span(year: int) -> None:
    first, last = hijri_year_span(year)
    parsed = parse_date(str(year))
    assert parsed is not None and parsed.calendar == "hijri"
    assert first.year <= parsed.year <= last.year
    in_chosen = (min(last, date(parsed.year, 12, 31)) - max(first, date(parsed.year, 1, 1))).days
    assert in_chosen + 1 >= ((last - first).days + 1) / 2


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("yesterday", "is not a date"),
        ("13/13/1985", "no month"),
        ("31/02/1985", "not a real date"),
        ("1985-13", "month 13"),
        ("12/3/85", "is not a date"),  # two-digit year: century unknown
        ("1700", "not plausible"),
        ("1985 هـ", "marked Hijri"),
        ("1300", "outside the convertible range"),
        ("1405/02/30", "not a real Hijri date"),  # Safar 1405 has 29 days
        ("1405/13/01", "month 13"),
        ("1985 بلجيكي", "is not a date"),
        ("AH 1405 هـ", "is not a date"),
    ],
)
def test_nonsense_raises_field_error_naming_the_field(text: str, fragment: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_date(text, field="entry_date")
    assert caught.value.field == "entry_date"
    assert fragment in caught.value.message


def test_normalise_digits() -> None:
    assert normalise_digits("١٩٨٥ / ۰۳") == "1985 / 03"


@pytest.mark.parametrize("word", ["هـ", "ه", "AH", "A.H.", "هجري", "م", "ميلادي", "CE"])
def test_calendar_markers(word: str) -> None:
    assert is_calendar_marker(word)


@pytest.mark.parametrize("word", ["بلجيكي", "1985", "", "Belgian"])
def test_not_calendar_markers(word: str) -> None:
    assert not is_calendar_marker(word)


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("850312", 2025, (1985, 3, 12)),
        ("100312", 2025, (2010, 3, 12)),
        ("250101", 2025, (2025, 1, 1)),  # this year is not the future
        ("260101", 2025, (1926, 1, 1)),  # next year is: previous century
        ("85<<<<", 2025, (1985, None, None)),
        ("8503<<", 2025, (1985, 3, None)),
        ("850000", 2025, (1985, None, None)),
    ],
)
def test_mrz_dates_pivot_on_the_century(
    text: str, today: int, expected: tuple[int, int | None, int | None]
) -> None:
    parsed = parse_mrz_date(text, field="birth_date", today_year=today)
    assert parsed is not None
    assert (parsed.year, parsed.month, parsed.day) == expected
    assert parsed.original == text


@pytest.mark.parametrize("text", ["8503121", "85-03-12", "851312", "850230", "AB0312"])
def test_bad_mrz_dates(text: str) -> None:
    with pytest.raises(FieldError) as caught:
        parse_mrz_date(text, field="dob", today_year=2025)
    assert caught.value.field == "dob"
