"""Lenient reading for screening: a traveller is screened on what is valid.

A Passenger Information Unit must screen a traveller whose birth date was typed
`1974-01-32`: the invalid value is reported and left out, and the name still screens. Only
the values needed to say who the query is (its id and names) cannot be left out.
"""

from __future__ import annotations

import dataclasses

from ftfhub.clock import utcnow
from ftfhub.domain import RecordData
from ftfhub.domain.validation import (
    LIMITS,
    Issue,
    birth_date_problem,
    country_problem,
)

REQUIRED_FIELDS = frozenset({"record_id", "name", "names", "kind"})


def drop_invalid(
    record: RecordData, errors: list[Issue]
) -> tuple[RecordData, list[Issue], list[Issue]]:
    """(record without its invalid optional values, remaining errors, ignored issues)."""
    remaining = [e for e in errors if e.field in REQUIRED_FIELDS]
    ignored = [e for e in errors if e.field not in REQUIRED_FIELDS]
    if remaining:
        return record, remaining, ignored
    today = utcnow().date()
    fields = {e.field for e in ignored}
    changes: dict[str, object] = {}
    if "birth_date" in fields:
        changes["birth_dates"] = tuple(
            b for b in record.birth_dates if birth_date_problem(b, today) is None
        )
    if "nationality" in fields:
        good = tuple(c for c in record.nationalities if country_problem(c) is None)
        changes["nationalities"] = good[: LIMITS.nationalities]
    if "documents" in fields:
        good_docs = tuple(
            d
            for d in record.documents
            if (not d.country or country_problem(d.country) is None)
            and len(d.number) <= LIMITS.document_number
            and len(d.type) <= LIMITS.document_type
        )
        changes["documents"] = good_docs[: LIMITS.documents]
    defaults = {
        "gender": None,
        "handling_code": "H0",
        "source_grade": "B",
        "information_grade": "2",
        "remarks": "",
        "legal_basis": "",
    }
    changes.update({f: v for f, v in defaults.items() if f in fields})
    if "address" in fields or "places" in fields:
        changes["places"] = tuple(p for p in record.places if len(p) <= LIMITS.text)
    if "relations" in fields:
        changes["relations"] = ()
    known = (
        REQUIRED_FIELDS
        | set(defaults)
        | {
            "birth_date",
            "nationality",
            "documents",
            "address",
            "places",
            "relations",
        }
    )
    if fields - known:
        changes["extra"] = ()
        if record.travel is not None and fields & {
            f.name for f in dataclasses.fields(record.travel)
        }:
            changes["travel"] = None
    return dataclasses.replace(record, **changes), [], ignored  # type: ignore[arg-type]
