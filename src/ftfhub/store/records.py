"""The only mapping between stored rows and canonical Records (and their agencies)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, select
from sqlalchemy.orm import Session

from ftfhub.domain import RecordData
from ftfhub.store.models import Agency, Base, IngestBatch, Record

SOURCE_CHUNK = 500
"""Source ids per query (well under every database's limit on bound parameters)."""


def ensure_agency(session: Session, code: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        agency = Agency(code=code, name=code, contact=f"duty-officer@{code.lower()}.example")
        session.add(agency)
        session.flush()
    return agency


def contacts(session: Session) -> dict[str, str]:
    return {a.code: a.contact for a in session.execute(select(Agency)).scalars()}


def current_records(session: Session, agency: str | None = None) -> list[Record]:
    stmt = select(Record).where(Record.superseded.is_(False)).order_by(Record.id)
    if agency is not None:
        stmt = stmt.where(Record.agency_code == agency)
    return list(session.execute(stmt).scalars())


def current_of_sources(session: Session, agency: str, ids: Iterable[str]) -> dict[str, Record]:
    """The agency's current version of the records with these source ids, by source id:
    what a load needs to tell new, changed and unchanged rows apart, read by the index on
    (agency, source id) — not every current record of the agency, which grows with every
    flight an agency loads."""
    wanted = sorted(set(ids))
    found: dict[str, Record] = {}
    for start in range(0, len(wanted), SOURCE_CHUNK):
        stmt = select(Record).where(
            Record.agency_code == agency,
            Record.source_id.in_(wanted[start : start + SOURCE_CHUNK]),
            Record.superseded.is_(False),
        )
        found.update((row.source_id, row) for row in session.execute(stmt).scalars())
    return found


def records_by_id(session: Session, ids: Iterable[int]) -> dict[int, Record]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.execute(select(Record).where(Record.id.in_(wanted))).scalars()
    return {row.id: row for row in rows}


def record_data(row: Record) -> RecordData:
    return RecordData.from_json(row.data)


def reference(row: Record) -> str:
    """The owner's reference for a Record, safe to give partners: it names no person and
    does not count the owner's holdings, yet the owner finds the Record by it."""
    return f"{row.agency_code}:{row.content_hash[:12]}"


def hash_begins(digest: str) -> ColumnElement[bool]:
    """Records whose content hash begins with `digest` (a reference's hex digits): a range
    on the index of (agency, content hash). `LIKE 'digest%'` read every Record of the agency
    instead, so the time to answer grew with its holdings, and a partner timing a made-up
    reference of each agency learnt roughly how many Records each held."""
    low = digest.lower()
    return and_(Record.content_hash >= low, Record.content_hash < low + "g")  # past f


def new_row(
    batch: IngestBatch,
    record: RecordData,
    digest: str,
    version: int,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> Record:
    """A stored row of `record`; `data` is its `to_json()` when the caller made it already
    (for its content hash)."""
    return Record(
        agency_code=batch.agency_code,
        source_id=record.record_id,
        version=version,
        superseded=False,
        kind=record.kind,
        primary_name=record.primary_name[:500],
        birth_date=record.birth_dates[0].iso() if record.birth_dates else "",
        nationalities="|".join(record.nationalities),
        handling_code=record.handling_code,
        source_grade=record.source_grade,
        information_grade=record.information_grade,
        legal_basis=record.legal_basis,
        review_by=record.review_by,
        content_hash=digest,
        data=data if data is not None else record.to_json(),
        batch_id=batch.id,
        created_at=at,
    )


def delete_records(session: Session, ids: list[int]) -> None:
    """Delete Records and every row that refers to one (hits, resolution tables, …), found
    through the schema's foreign keys so a table added later is covered too."""
    import ftfhub.store.identities  # noqa: F401  (its tables refer to Records too)

    records = Record.__table__
    for table in reversed(Base.metadata.sorted_tables):
        for fk in table.foreign_keys:
            if fk.column.table is records and table is not records:
                session.execute(delete(table).where(fk.parent.in_(ids)))
    session.execute(delete(Record).where(Record.id.in_(ids)))
