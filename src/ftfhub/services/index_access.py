"""The screening index as the services get it. Today it is built from the store on each call;
the persistent index replaces this one function."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ftfhub.domain import RecordData
from ftfhub.matching.screening import ScreeningIndex
from ftfhub.store.records import current_records


def screening_index(session: Session) -> ScreeningIndex:
    """Every current Record, keyed by its row id, under its owner (so an owner can be left
    out of its own screening)."""
    index = ScreeningIndex()
    for row in current_records(session):
        index.add(str(row.id), RecordData.from_json(row.data), row.agency_code)
    return index
