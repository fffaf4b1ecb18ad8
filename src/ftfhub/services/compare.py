"""Comparing two people as typed (or a file of pairs): a score and every term that made it.

No stored Record is read, so no caller, purpose or audit event is needed. Moved here from
`matching/explain.py`: parsing the typed fields is ingest's work, which matching must not
import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ftfhub.clock import utcnow
from ftfhub.domain import RecordData
from ftfhub.domain.errors import FieldError, IngestError
from ftfhub.domain.validation import clean_record, validate_record
from ftfhub.ingest.person_file import record_from_row
from ftfhub.ingest.reader import read_text
from ftfhub.ingest.tables import ERROR_KEY, iter_csv
from ftfhub.matching.compare import Comparison, compare_records


def compare_two(
    name_a: str,
    name_b: str,
    birth_date_a: str = "",
    birth_date_b: str = "",
    nationality_a: str = "",
    nationality_b: str = "",
) -> Comparison:
    a = _record("a", name_a, birth_date_a, nationality_a)
    b = _record("b", name_b, birth_date_b, nationality_b)
    return compare_records(a, b)


def _record(side: str, name: str, birth_date: str, nationality: str) -> RecordData:
    """A one-off record; a bad field raises FieldError naming the option (`birth_date_b`)."""
    row = {"record_id": side, "name": name, "birth_date": birth_date, "nationality": nationality}
    try:
        record = clean_record(record_from_row(row, 0))
        problems = validate_record(record, utcnow().date())
        if problems:
            raise FieldError(problems[0].field, problems[0].message)
        return record
    except FieldError as exc:
        suffix = "" if side == "a" else "_b"
        raise FieldError(exc.field + suffix, exc.message) from None


@dataclass(frozen=True)
class PairResult:
    name_a: str
    name_b: str
    comparison: Comparison


def compare_pairs_file(path: Path, encoding: str | None = None) -> Iterator[PairResult]:
    """Each pair of a CSV file compared; a bad row stops with its line and field named
    (read with ingest's limits: a huge cell or a broken quote is a message)."""
    text, _ = read_text(path, encoding)
    header, rows = iter_csv(text, str(path))
    for missing in ("name_a", "name_b"):
        if missing not in header:
            raise IngestError(str(path), f"has no column {missing}", line=1)
    for line, row in rows:
        if ERROR_KEY in row:
            raise IngestError(str(path), row[ERROR_KEY], line)
        if not row.get("name_a", "").strip() or not row.get("name_b", "").strip():
            raise IngestError(str(path), "needs both name_a and name_b", line)
        try:
            result = compare_two(
                row["name_a"],
                row["name_b"],
                row.get("birth_date_a") or "",
                row.get("birth_date_b") or "",
                row.get("nationality_a") or "",
                row.get("nationality_b") or "",
            )
        except FieldError as exc:
            raise IngestError(str(path), exc.message, line, exc.field) from None
        yield PairResult(row["name_a"], row["name_b"], result)
