"""The generic person file of DESIGN.md (CSV with a header, or JSON Lines with the same keys)."""

from __future__ import annotations

from collections.abc import Iterator

from ftfhub.domain import HANDLING_CODES, Name, RecordData
from ftfhub.ingest.errors import FieldError, IngestError
from ftfhub.ingest.fields import (
    parse_documents,
    parse_gender,
    parse_iso_date,
    parse_nationalities,
    parse_partial_date,
    split_multi,
)
from ftfhub.ingest.tables import (
    ParsedRow,
    is_json_lines,
    iter_csv,
    iter_json_lines,
    parsed_rows,
)
from ftfhub.names.script import detect_script

REQUIRED = ("record_id", "name")
COLUMNS = (
    "record_id",
    "name",
    "aliases",
    "birth_date",
    "nationality",
    "gender",
    "documents",
    "address",
)
METADATA = ("handling_code", "source_grade", "information_grade", "legal_basis", "review_by")


def _name(text: str, kind: str) -> Name:
    return Name(full=text.strip(), type=kind, script=detect_script(text))


def record_from_row(row: dict[str, str], line: int, kind: str = "watchlist") -> RecordData:
    """Build a Record from one row; raises FieldError naming the bad field."""
    for column in REQUIRED:
        if not (row.get(column) or "").strip():
            raise FieldError(column, "is required and empty")
    names = [_name(row["name"], "primary")]
    names += [_name(alias, "alias") for alias in split_multi(row.get("aliases"))]
    birth = parse_partial_date(row.get("birth_date") or "")
    handling = (row.get("handling_code") or "H0").strip().upper()
    if handling not in HANDLING_CODES:
        raise FieldError("handling_code", f"'{handling}' is not one of {', '.join(HANDLING_CODES)}")
    address = (row.get("address") or "").strip()
    return RecordData(
        record_id=row["record_id"].strip(),
        kind=kind,
        names=tuple(names),
        birth_dates=(birth,) if birth else (),
        nationalities=parse_nationalities(row.get("nationality") or ""),
        gender=parse_gender(row.get("gender") or ""),
        documents=parse_documents(row.get("documents") or ""),
        places=(address,) if address else (),
        handling_code=handling,
        source_grade=(row.get("source_grade") or "B").strip().upper()[:1] or "B",
        information_grade=(row.get("information_grade") or "2").strip()[:1] or "2",
        legal_basis=(row.get("legal_basis") or "").strip(),
        review_by=parse_iso_date(row.get("review_by") or "", "review_by"),
    )


def read_person_file(text: str, file: str, kind: str) -> Iterator[ParsedRow]:
    rows: Iterator[tuple[int, dict[str, str]]]
    if is_json_lines(text):
        rows = iter_json_lines(text, file)
    else:
        header, rows = iter_csv(text, file)
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise IngestError(file, f"has no column {', '.join(missing)}", line=1)
    return parsed_rows(rows, file, lambda row, line: record_from_row(row, line, kind))
