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
from ftfhub.ingest.manifest import read_manifest
from ftfhub.ingest.person_file import read_person_file
from ftfhub.ingest.reader import decode_bytes
from ftfhub.ingest.tables import ParsedRow, is_json_lines

ZIP_MAGIC = b"PK\x03\x04"
XLSX_ENCODING = "xlsx"
"""What the report gives as the encoding of a workbook (its text is always Unicode)."""


def is_xlsx(raw: bytes, path: Path) -> bool:
    return raw.startswith(ZIP_MAGIC) or path.suffix.lower() in (".xlsx", ".xlsm")


def _header(text: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text, newline="")), [])
    return [h.strip().lstrip("\ufeff") for h in first]


def choose_adapter(text: str) -> str:
    """'person_file', 'captured_form' or 'manifest' for a decoded text file."""
    if is_json_lines(text):
        return "person_file"
    try:
        header = _header(text)
    except csv.Error:
        return "person_file"  # its own reader reports the CSV error with the line
    if "passenger_name" in header:
        return "manifest"
    if is_captured_form_header(header):
        return "captured_form"
    return "person_file"


def parse_file(
    raw: bytes, path: Path, kind: str, encoding: str | None = None
) -> tuple[Iterator[ParsedRow], str]:
    """The parsed rows of a file and the encoding it was read in."""
    file = str(path)
    if is_xlsx(raw, path):
        return read_captured_xlsx(raw, file, kind), XLSX_ENCODING
    text, used = decode_bytes(raw, file, encoding)
    if is_edifact(text):
        return read_edifact(text, file, kind), used
    adapter = choose_adapter(text)
    if adapter == "manifest":
        return read_manifest(text, file, kind), used
    if adapter == "captured_form":
        return read_captured_csv(text, file, kind), used
    return read_person_file(text, file, kind), used
