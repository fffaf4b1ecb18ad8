"""Parsers for the fields of the generic person file; each raises FieldError with the field."""

from __future__ import annotations

import re
from datetime import date

from ftfhub.domain import Document, PartialDate
from ftfhub.domain.validation import (
    INFORMATION_GRADES,
    SOURCE_GRADES,
    clean_line,
    country_alpha2,
    country_problem,
)
from ftfhub.ingest.errors import FieldError

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def split_multi(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def parse_partial_date(value: str, field: str = "birth_date") -> PartialDate | None:
    value = value.strip()
    if not value:
        return None
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise FieldError(field, f"'{value}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if month is not None and not 1 <= month <= 12:
        raise FieldError(field, f"'{value}' has month {month}")
    if month is not None and day is not None:
        try:
            date(year, month, day)
        except ValueError:
            raise FieldError(field, f"'{value}' is not a real date") from None
    return PartialDate(year=year, month=month, day=day, original=value)


def parse_nationalities(value: str, field: str = "nationality") -> tuple[str, ...]:
    codes: list[str] = []
    for part in split_multi(value):
        code = parse_country(part, field)
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def parse_country(value: str, field: str) -> str:
    """An ISO 3166 alpha-2 or alpha-3 code (in capitals) as alpha-2; FieldError otherwise."""
    code = clean_line(value)
    found = country_alpha2(code)
    if found is None:
        raise FieldError(field, country_problem(code) or f"'{code}' is not a country code")
    return found


def parse_grade(value: str, field: str, default: str) -> str:
    """A source grade A–F or an information grade 1–6, never truncated (`77` is no `7`)."""
    grade = clean_line(value).upper() or default
    allowed = SOURCE_GRADES if field == "source_grade" else INFORMATION_GRADES
    if grade not in allowed:
        raise FieldError(field, f"'{value.strip()}' is not one of {', '.join(allowed)}")
    return grade


def parse_gender(value: str, field: str = "gender") -> str | None:
    value = value.strip().lower()
    if not value:
        return None
    if value in ("m", "male"):
        return "m"
    if value in ("f", "female"):
        return "f"
    raise FieldError(field, f"'{value}' is not m or f")


def parse_documents(value: str, field: str = "documents") -> tuple[Document, ...]:
    docs = []
    for part in split_multi(value):
        pieces = part.split(":")
        if len(pieces) != 3 or not all(p.strip() for p in pieces):
            raise FieldError(field, f"'{part}' is not type:country:number")
        kind, country, number = (p.strip() for p in pieces)
        code = parse_country(country, field)
        docs.append(Document(kind.lower(), code, normalise_document_number(number)))
    return tuple(docs)


def normalise_document_number(number: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", number).upper()


def parse_iso_date(value: str, field: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FieldError(field, f"'{value}' is not a YYYY-MM-DD date") from None
