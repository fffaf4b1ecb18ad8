"""Choosing the adapter for a file from its content (and the kind the user gave).

An XLSX workbook is a captured form (the only spreadsheet format we take). A text file is
decoded first (reader.py), then its header decides: Arabic form labels (or the keys `kunya` /
`form_id`) mean a captured form, `passenger_name` a travel manifest, anything else the generic
person file. Adapters give their Records the kind the user asked for.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from ftfhub.ingest.captured_form import (
    is_captured_form_header,
    read_captured_csv,
    read_captured_xlsx,
)
from ftfhub.ingest.edifact.messages import is_edifact, read_edifact
from ftfhub.ingest.edifact.syntax import charset_mismatch
from ftfhub.ingest.errors import IngestError
from ftfhub.ingest.manifest import read_manifest
from ftfhub.ingest.person_file import read_person_file
from ftfhub.ingest.reader import check_file_size, decode_bytes
from ftfhub.ingest.tables import Notes, ParsedRow, finish_record, is_json_lines, sniff_delimiter

ZIP_MAGIC = b"PK\x03\x04"
XLSX_ENCODING = "xlsx"
"""What the report gives as the encoding of a workbook (its text is always Unicode)."""


def is_xlsx(raw: bytes, path: Path) -> bool:
    return raw.startswith(ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm")


# Columns only a travel manifest has: a file with two of them is a manifest, even one whose
# passenger_name column is missing (it is then told so, in its own terms).
MANIFEST_ONLY = frozenset(
    {
        "passenger_name",
        "flight",
        "departure_date",
        "document_type",
        "document_number",
        "issuing_country",
        "origin",
        "destination",
    }
)


def _header(text: str) -> list[str]:
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line, "")
    first = next(csv.reader(io.StringIO(first_line, newline=""), delimiter=delimiter), [])
    return [h.strip().lstrip("\ufeff") for h in first]


def choose_adapter(text: str, kind: str = "") -> str:
    """'person_file', 'captured_form' or 'manifest' for a decoded text file."""
    if is_json_lines(text):
        return "person_file"
    try:
        header = _header(text)
    except (csv.Error, IngestError):
        return "person_file"  # its own reader reports the CSV error with the line
    manifest_columns = MANIFEST_ONLY.intersection(header)
    if "passenger_name" in header or len(manifest_columns) >= 2:
        return "manifest"
    if kind == "travel" and manifest_columns and "name" not in header:
        return "manifest"
    if is_captured_form_header(header):
        return "captured_form"
    return "person_file"


def parse_file(
    raw: bytes, path: Path, kind: str, encoding: str | None = None, *, lenient: bool = False
) -> tuple[Iterator[ParsedRow], str]:
    """The parsed rows of a file and the encoding it was read in.

    `lenient=True` is for screening: an invalid optional value (a date that does not exist,
    an unknown country) is left out and reported in the row's warnings, and the person is
    still read on the rest; only a row without an id or a name is an error.
    """
    file = str(path)
    check_file_size(len(raw), file)
    if is_xlsx(raw, path):
        return read_captured_xlsx(raw, file, kind, lenient=lenient), XLSX_ENCODING
    text, used = decode_bytes(raw, file, encoding)
    if is_edifact(text):
        rows = read_edifact(text, file, kind, charset_mismatch(raw, text, used))
        return _validated(rows, file, lenient), used
    adapter = choose_adapter(text, kind)
    if adapter == "manifest":
        return read_manifest(text, file, kind, lenient=lenient), used
    if adapter == "captured_form":
        return read_captured_csv(text, file, kind, lenient=lenient), used
    return read_person_file(text, file, kind, lenient=lenient), used


def _validated(rows: Iterator[ParsedRow], file: str, lenient: bool) -> Iterator[ParsedRow]:
    """Rows of an adapter that builds its own records, through the one Record validation."""
    for row in rows:
        if row.record is None:
            yield row
            continue
        record, error, warnings = finish_record(row.record, Notes(lenient=lenient), file, row.line)
        yield ParsedRow(row.line, record=record, error=error, warnings=row.warnings + warnings)
