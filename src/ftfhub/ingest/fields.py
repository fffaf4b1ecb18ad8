"""Parsers for the fields of the generic person file; each raises FieldError with the field."""

from __future__ import annotations

import re
from datetime import date

from ftfhub.domain import Document, PartialDate
from ftfhub.ingest.errors import FieldError

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_ISO2 = re.compile(r"^[A-Z]{2}$")


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
    codes = []
    for part in split_multi(value):
        code = part.upper()
        if not _ISO2.match(code):
            raise FieldError(field, f"'{part}' is not an ISO 3166 alpha-2 code")
        codes.append(code)
    return tuple(codes)


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
        docs.append(Document(kind.lower(), country.upper(), normalise_document_number(number)))
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
