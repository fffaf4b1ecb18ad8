"""`ftfhub records export`: an agency's current Records back as a generic person file."""

from __future__ import annotations

import csv
from typing import TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.domain import RecordData
from ftfhub.ingest.person_file import COLUMNS, METADATA
from ftfhub.store.models import Record


def record_row(record: RecordData) -> dict[str, str]:
    aliases = [n.full for n in record.names if n.full != record.primary_name]
    return {
        "record_id": record.record_id,
        "name": record.primary_name,
        "aliases": "|".join(aliases),
        "birth_date": record.birth_dates[0].iso() if record.birth_dates else "",
        "nationality": "|".join(record.nationalities),
        "gender": record.gender or "",
        "documents": "|".join(d.text() for d in record.documents),
        "address": record.places[0] if record.places else "",
        "handling_code": record.handling_code,
        "source_grade": record.source_grade,
        "information_grade": record.information_grade,
        "legal_basis": record.legal_basis,
        "review_by": record.review_by.isoformat() if record.review_by else "",
    }


def export_records(session: Session, agency: str, out: TextIO, kind: str | None = None) -> int:
    stmt = select(Record).where(Record.agency_code == agency, Record.superseded.is_(False))
    if kind:
        stmt = stmt.where(Record.kind == kind)
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *METADATA], lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in session.execute(stmt.order_by(Record.id)).scalars():
        writer.writerow(record_row(RecordData.from_json(row.data)))
        count += 1
    return count
