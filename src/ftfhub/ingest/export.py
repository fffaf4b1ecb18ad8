"""Records back as a generic person file (CSV): the writing half of `ftfhub records export`.

Knows nothing of storage: the services choose which Records a caller may export. A cell a
spreadsheet would run as a formula (`=HYPERLINK(…)`) is written with a leading `'`; the
person-file reader takes it off again, so an export re-imported is the same data."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TextIO

from ftfhub.domain import RecordData
from ftfhub.ingest.person_file import COLUMNS, METADATA
from ftfhub.rendering.spreadsheet import neutralise


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


def write_person_file(records: Iterable[RecordData], out: TextIO) -> int:
    writer = csv.DictWriter(out, fieldnames=[*COLUMNS, *METADATA], lineterminator="\n")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow({k: neutralise(v) for k, v in record_row(record).items()})
        count += 1
    return count
