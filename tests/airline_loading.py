"""Reading an airline fixture as `ftfhub ingest --kind travel` reads it: the Records, the rows
that could not be read, the warnings and the encoding found (shared by the airline tests)."""

from __future__ import annotations

from pathlib import Path

from ftfhub.domain import RecordData
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.errors import RowError

AIRLINE = Path(__file__).parent / "fixtures" / "airline"


def load_airline(name: str) -> tuple[list[RecordData], list[RowError], list[str], str]:
    path = AIRLINE / name
    rows, encoding = parse_file(path.read_bytes(), path, "travel")
    records: list[RecordData] = []
    errors: list[RowError] = []
    warnings: list[str] = []
    for row in rows:
        if row.record is not None:
            records.append(row.record)
        if row.error is not None:
            errors.append(row.error)
        warnings += [w.message for w in row.warnings]
    return records, errors, warnings, encoding
