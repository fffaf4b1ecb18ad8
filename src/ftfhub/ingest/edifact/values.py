"""Reading the values inside airline segments: dates, codes, names.

Airline dates come in several shapes: API messages write `YYMMDD` (birth, expiry) and
`YYMMDDHHMM` (format 201) or `CCYYMMDD(HHMM)` (102/203); PNR segments write `DDMMYY` and
`HHMM`; SSR DOCS free text writes `12JUL64`. Two-digit years take their century from the
flight: nobody is born after the flight, and a document expiring is within 50 years of it.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from ftfhub.dates import normalise_digits, parse_date, parse_mrz_date
from ftfhub.domain import PartialDate
from ftfhub.ingest.countries import NON_NATIONAL_CODES, to_alpha2
from ftfhub.ingest.errors import FieldError

MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
DDMMMYY = re.compile(r"^(\d{1,2})([A-Z]{3})(\d{2}|\d{4})$")
_DIGITS = re.compile(r"^\d+$")
GENDERS = {"M": "m", "F": "f", "MI": "m", "FI": "f"}
"""ATT and DOCS gender codes; `MI`/`FI` are a male or female infant (AIRIMP)."""
DOCUMENT_TYPES = {"P": "passport", "I": "id_card", "A": "id_card", "C": "id_card", "V": "visa"}
WHOLE_DOCUMENT_CODES = {"AC": "crew_certificate", "F": "facilitation", "M": "military_id"}
"""Codes read as a whole before their first letter: `AC` is a crew member certificate (ICAO
9303), not an ID card."""
TITLES = ("MSTR", "MISS", "MRS", "MR", "MS", "DR", "PROF", "REV", "SIR", "CHD", "INF")
_GLUED_TITLES = ("MSTR", "MISS", "MRS", "MR")


def century_year(yy: int, ref_year: int, *, future: bool) -> int:
    """A two-digit year in full: not after `ref_year` (births), or within 50 years after it
    (expiry dates)."""
    if future:
        year = 2000 + yy
        return year if year <= ref_year + 50 else 1900 + yy
    return 2000 + yy if 2000 + yy <= ref_year else 1900 + yy


def birth_date(text: str, field: str, ref_year: int) -> PartialDate | None:
    """A birth date `YYMMDD` (format 101, the guides' default) or `CCYYMMDD` (format 102, as
    many carriers send it), partial if month or day is 00."""
    digits = normalise_digits(text.strip())
    if len(digits) == 8 and digits.isdigit():
        return parse_date(digits, field=field)
    return parse_mrz_date(text, field=field, today_year=ref_year)


def yymmdd(text: str, field: str, ref_year: int, *, future: bool = True) -> date:
    """A full `YYMMDD` or `CCYYMMDD` date."""
    value = text.strip()
    try:
        if len(value) == 8 and _DIGITS.match(value):
            return date(int(value[:4]), int(value[4:6]), int(value[6:]))
        if len(value) == 6 and _DIGITS.match(value):
            year = century_year(int(value[:2]), ref_year, future=future)
            return date(year, int(value[2:4]), int(value[4:]))
    except ValueError:
        pass
    raise FieldError(field, f"'{value}' is not a date YYMMDD")


def ddmmyy(text: str, field: str) -> date:
    """A PNR date `DDMMYY` (PNR data is about flights this century)."""
    value = text.strip()
    if len(value) == 6 and _DIGITS.match(value):
        try:
            return date(2000 + int(value[4:]), int(value[2:4]), int(value[:2]))
        except ValueError:
            pass
    raise FieldError(field, f"'{value}' is not a date DDMMYY")


def ddmmmyy(text: str, field: str, ref_year: int, *, future: bool) -> date:
    """An AIRIMP date `12JUL64`."""
    value = text.strip().upper()
    match = DDMMMYY.match(value)
    if match and match.group(2) in MONTHS:
        day, month, year_text = match.groups()
        year = int(year_text)
        if len(year_text) == 2:
            year = century_year(year, ref_year, future=future)
        try:
            return date(year, MONTHS[month], int(day))
        except ValueError:
            pass
    raise FieldError(field, f"'{value}' is not a date like 12JUL64")


def airimp_birth_date(
    text: str, field: str, ref_year: int, flight_day: str = ""
) -> PartialDate | None:
    """A birth date `12JUL64`; a two-digit year that would put the birth after the flight
    (`15DEC26` on a flight of 2026-12-01) is of the century before."""
    value = text.strip().upper()
    if not value:
        return None
    day = ddmmmyy(value, field, ref_year, future=False)
    year = day.year
    if flight_day and len(value) == 7 and day.isoformat() > flight_day:
        year -= 100
    return PartialDate(year, day.month, day.day, original=value)


def with_time(day: date, hhmm: str) -> str:
    """`2010-12-12T09:15`, or the date alone when there is no usable time."""
    value = hhmm.strip()
    if len(value) == 4 and _DIGITS.match(value):
        hour, minute = int(value[:2]), int(value[2:])
        if hour < 24 and minute < 60:
            return datetime(day.year, day.month, day.day, hour, minute).isoformat(
                timespec="minutes"
            )
    return day.isoformat()


def edifact_datetime(value: str, fmt: str, field: str, ref_year: int) -> str:
    """A DTM value in its format (201 `YYMMDDHHMM`, 203 `CCYYMMDDHHMM`, 102 `CCYYMMDD`)."""
    text = value.strip()
    if fmt == "203" or (len(text) == 12 and fmt != "201"):
        return with_time(yymmdd(text[:8], field, ref_year), text[8:])
    if fmt == "201" or len(text) == 10:
        return with_time(yymmdd(text[:6], field, ref_year), text[6:])
    return yymmdd(text, field, ref_year).isoformat()


def country(code: str, field: str) -> str | None:
    """An ISO 3166 alpha-2 code from alpha-3 or alpha-2; None when empty or not a nation
    (`XXA` stateless, `UNO`, …)."""
    text = code.strip().upper()
    if not text or text in NON_NATIONAL_CODES:
        return None
    found = to_alpha2(text)
    if found is None:
        raise FieldError(field, f"'{code.strip()}' is not an ISO 3166 country code")
    return found


def strip_title(given: str) -> str:
    """Given names without the title airlines append (`JOHNMR`, `NINA MS`, `tomas mr`) or,
    more rarely, put first (`MR JOHN`); lower-case bookings are read as capitals are."""
    words = given.split()
    if len(words) > 1 and words[-1].upper() in TITLES:
        return " ".join(words[:-1])
    if len(words) > 1 and words[0].upper() in TITLES:
        return " ".join(words[1:])
    if words:
        last = words[-1]
        for title in _GLUED_TITLES:
            if last.upper().endswith(title) and len(last) - len(title) >= 2:
                words[-1] = last[: -len(title)]
                break
    return " ".join(words)


def document_type(code: str) -> str:
    """ICAO/IATA document code → our document type (`P` passport …), "unknown" if odd."""
    text = code.strip().upper()
    if text in WHOLE_DOCUMENT_CODES:
        return WHOLE_DOCUMENT_CODES[text]
    return DOCUMENT_TYPES.get(text[:1], "unknown") if text else "unknown"
