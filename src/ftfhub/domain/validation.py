"""One validation of the canonical Record, shared by every ingest adapter.

Adapters parse their format into a :class:`RecordData`; this module then cleans its text
(Unicode NFC, invisible and control characters removed) and checks what must hold whatever
the format was: ISO 3166 countries, plausible birth dates, grades, handling codes and the
length of every field (the database column sizes of `store/models.py` are the bounds, so a
record accepted here is never refused later by PostgreSQL). Nothing here knows a file format.

Pure: pycountry is a data table, not a service.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache
from typing import TypeVar

import pycountry

from ftfhub.domain.record import (
    HANDLING_CODES,
    NAME_TYPES,
    RECORD_KINDS,
    PartialDate,
    RecordData,
)

T = TypeVar("T")
SOURCE_GRADES = ("A", "B", "C", "D", "E", "F")
INFORMATION_GRADES = ("1", "2", "3", "4", "5", "6")
MIN_BIRTH_YEAR = 1900
MAX_ROW_ID = 2**63 - 1
"""The largest id a stored row can have (a 64-bit integer in SQLite and PostgreSQL): a
number past it, typed for a hit or a case, is bad input, not a driver's overflow."""
"""Nobody this hub screens was born before 1900: an earlier year is a typing error."""

# Country codes in use that ISO 3166 has not (yet) assigned: Kosovo's XK is used by the EU,
# the ICAO and most passports' issuing states.
EXTRA_ALPHA2 = {"XK": "XKX"}


@dataclass(frozen=True)
class Limits:
    """Bounds on what one record may hold; the column sizes of store/models.py and more."""

    record_id: int = 200
    name: int = 500
    names: int = 50
    text: int = 4_000
    places: int = 20
    nationalities: int = 10
    documents: int = 20
    document_number: int = 50
    document_type: int = 32
    relations: int = 50
    extra: int = 100
    extra_key: int = 100
    legal_basis: int = 200
    agency: int = 32


LIMITS = Limits()


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    """One thing wrong (or odd) with a field of a record."""

    field: str
    message: str
    severity: Severity = Severity.ERROR


# Zero-width characters, soft hyphen, word joiner, BOM, and every bidi control (embeddings,
# overrides, isolates, marks): they split or disguise text and never belong in a name or id.
INVISIBLE = frozenset(
    [
        *(0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF),
        *range(0x202A, 0x202F),
        *range(0x2061, 0x206A),
    ]
)
_INVISIBLE_TABLE = dict.fromkeys(INVISIBLE)
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
"""Unicode category Cc: the C0 controls, DEL and the C1 controls."""


def clean_line(text: str) -> str:
    """One-line text (names, ids, codes): NFC, invisible characters removed, control
    characters and runs of white space made one space, trimmed."""
    if not (text.isascii() and text.isprintable()):  # the common case needs none of this
        text = text.translate(_INVISIBLE_TABLE)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        text = _CONTROLS.sub(" ", text)
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Free text (addresses, remarks): like :func:`clean_line` but line breaks are kept."""
    if "\n" not in text and "\r" not in text:
        return clean_line(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(clean_line(line) for line in lines).strip()


@lru_cache(maxsize=4096)
def country_alpha2(code: str) -> str | None:
    """The ISO 3166 alpha-2 code for an alpha-2 or alpha-3 code in capitals; None if none."""
    if not (code.isascii() and code.isalpha() and code.isupper()):
        return None
    if len(code) == 2:
        if code in EXTRA_ALPHA2 or pycountry.countries.get(alpha_2=code) is not None:
            return code
        return None
    if len(code) == 3:
        for alpha2, alpha3 in EXTRA_ALPHA2.items():
            if code == alpha3:
                return alpha2
        found = pycountry.countries.get(alpha_3=code)
        return str(found.alpha_2) if found is not None else None
    return None


def country_problem(text: str) -> str | None:
    """Why a written country code is not one (None when it is), with a hint."""
    if country_alpha2(text) is not None:
        return None
    if country_alpha2(text.upper()) is not None:
        return f"'{text}' is not an ISO 3166 code (codes are capitals: {text.upper()})"
    return f"'{text}' is not an ISO 3166 alpha-2 or alpha-3 country code"


def birth_date_problem(birth: PartialDate, today: date) -> str | None:
    """Why a birth date is not plausible (None when it is)."""
    shown = birth.original or birth.iso()
    if birth.year < MIN_BIRTH_YEAR:
        return f"'{shown}' is before {MIN_BIRTH_YEAR}"
    earliest = (birth.year, birth.month or 1, birth.day or 1)
    if earliest > (today.year, today.month, today.day):
        return f"'{shown}' is in the future"
    return None


def _length(field: str, value: str, limit: int) -> Issue | None:
    if len(value) > limit:
        return Issue(field, f"is {len(value):,} characters long; the limit is {limit:,}")
    return None


def _count(field: str, values: tuple[object, ...], limit: int) -> Issue | None:
    if len(values) > limit:
        return Issue(field, f"has {len(values)} entries; the limit is {limit}")
    return None


def _name_issues(record: RecordData, limits: Limits) -> list[Issue | None]:
    issues: list[Issue | None] = [_count("names", record.names, limits.names)]
    if not any(n.full for n in record.names):
        issues.append(Issue("name", "is required and empty"))
    for name in record.names:
        issues.append(_length("name", name.full, limits.name))
        if name.type not in NAME_TYPES:
            issues.append(Issue("name", f"type '{name.type}' is not one of {NAME_TYPES}"))
    issues.append(_count("relations", record.relations, limits.relations))
    issues += [_length("relations", r.name, limits.name) for r in record.relations]
    return issues


def _code_issues(record: RecordData, today: date, limits: Limits) -> list[Issue | None]:
    issues: list[Issue | None] = [
        _count("nationality", record.nationalities, limits.nationalities),
        _count("documents", record.documents, limits.documents),
    ]
    issues += [
        Issue("nationality", problem)
        for problem in map(country_problem, record.nationalities)
        if problem
    ]
    for doc in record.documents:
        if doc.country and (problem := country_problem(doc.country)):
            issues.append(Issue("documents", problem))
        issues.append(_length("documents", doc.number, limits.document_number))
        issues.append(_length("documents", doc.type, limits.document_type))
    for birth in record.birth_dates:
        if problem := birth_date_problem(birth, today):
            issues.append(Issue("birth_date", problem))
    if record.handling_code not in HANDLING_CODES:
        allowed = ", ".join(HANDLING_CODES)
        issues.append(Issue("handling_code", f"'{record.handling_code}' is not one of {allowed}"))
    if record.source_grade not in SOURCE_GRADES:
        issues.append(Issue("source_grade", f"'{record.source_grade}' is not a grade A–F"))
    if record.information_grade not in INFORMATION_GRADES:
        message = f"'{record.information_grade}' is not a grade 1–6"
        issues.append(Issue("information_grade", message))
    if record.gender not in (None, "m", "f"):
        issues.append(Issue("gender", f"'{record.gender}' is not m or f"))
    if record.kind not in RECORD_KINDS:
        issues.append(Issue("kind", f"'{record.kind}' is not one of {', '.join(RECORD_KINDS)}"))
    return issues


def _text_issues(record: RecordData, limits: Limits) -> list[Issue | None]:
    issues: list[Issue | None] = [
        Issue("record_id", "is required and empty") if not record.record_id else None,
        _length("record_id", record.record_id, limits.record_id),
        _length("remarks", record.remarks, limits.text),
        _length("legal_basis", record.legal_basis, limits.legal_basis),
        _count("places", record.places, limits.places),
        _count("extra", record.extra, limits.extra),
    ]
    issues += [_length("address", place, limits.text) for place in record.places]
    for key, value in record.extra:
        issues += [_length(key, key, limits.extra_key), _length(key, value, limits.text)]
    if record.travel is not None:
        issues += _nested_issues("travel", record.travel, limits)
    return issues


def _nested_issues(field: str, value: object, limits: Limits) -> list[Issue | None]:
    """Bounds on every text and list inside a nested part (travel, its legs, payments)."""
    if isinstance(value, str):
        return [_length(field, value, limits.text)]
    if isinstance(value, tuple):
        found = [_count(field, value, limits.names)]
        for item in value:
            found += _nested_issues(field, item, limits)
        return found
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = []
        for part in dataclasses.fields(value):
            found += _nested_issues(part.name, getattr(value, part.name), limits)
        return found
    return []


def validate_record(record: RecordData, today: date, limits: Limits = LIMITS) -> list[Issue]:
    """Every problem of a (cleaned) record; empty when it may be stored."""
    found = [
        *_text_issues(record, limits),
        *_name_issues(record, limits),
        *_code_issues(record, today, limits),
    ]
    return [issue for issue in found if issue is not None]


def _cleaned(part: T, **fields: str) -> T:
    """`part` with the given text fields cleaned; the same object when nothing changes."""
    cleaned = {k: clean_line(v) for k, v in fields.items()}
    changed = {k: v for k, v in cleaned.items() if v != fields[k]}
    return dataclasses.replace(part, **changed) if changed else part  # type: ignore[type-var]


def clean_record(record: RecordData) -> RecordData:
    """The record with every text field cleaned (see :func:`clean_line`); names emptied by
    cleaning are dropped."""
    names = tuple(_cleaned(n, full=n.full) for n in record.names)
    fields: dict[str, object] = {
        "record_id": clean_line(record.record_id),
        "names": tuple(n for n in names if n.full),
        "documents": tuple(
            _cleaned(d, type=d.type, country=d.country, number=d.number) for d in record.documents
        ),
        "places": tuple(p for p in (clean_text(p) for p in record.places) if p),
        "remarks": clean_text(record.remarks),
        "relations": tuple(_cleaned(r, name=r.name) for r in record.relations),
        "legal_basis": clean_line(record.legal_basis),
        "extra": tuple((clean_line(k), clean_text(v)) for k, v in record.extra),
    }
    changed = {k: v for k, v in fields.items() if v != getattr(record, k)}
    return dataclasses.replace(record, **changed) if changed else record  # type: ignore[arg-type]


def agency_code_problem(code: str, limits: Limits = LIMITS) -> str | None:
    """Why an agency code cannot be one (None when it can): `BE-FP`, `TR-EGM`, `HUB`."""
    if not code.strip():
        return "an agency code cannot be empty"
    if len(code) > limits.agency:
        return f"an agency code is at most {limits.agency} characters"
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9_-]*", code):
        return f"'{code}' is not an agency code (capital letters, digits, '-' and '_')"
    return None
