"""Which airline message a text is, and its reader."""

from __future__ import annotations

from collections.abc import Iterator

from ftfhub.ingest.edifact.syntax import EdifactError, looks_like_edifact
from ftfhub.ingest.errors import IngestError
from ftfhub.ingest.paxlst import read_paxlst_text
from ftfhub.ingest.pnrgov import read_pnrgov_text
from ftfhub.ingest.tables import ParsedRow


def is_edifact(text: str) -> bool:
    """A UN/EDIFACT interchange starts with its service string advice (UNA) or header (UNB)."""
    return looks_like_edifact(text) is not None


def read_edifact(
    text: str, file: str, kind: str, charset_note: str | None = None
) -> Iterator[ParsedRow]:
    """The travellers of a PAXLST or PNRGOV message as parsed rows (errors name the
    segment number as their line); `charset_note` says the bytes were not in the character
    set the interchange declares."""
    message = looks_like_edifact(text)
    if message not in ("PAXLST", "PNRGOV"):
        raise IngestError(file, "is a UN/EDIFACT interchange, but neither PAXLST nor PNRGOV")
    if kind != "travel":
        raise IngestError(file, f"is a {message} message: load it with --kind travel")
    try:
        if message == "PAXLST":
            reading = read_paxlst_text(text, file, kind)
        else:
            reading = read_pnrgov_text(text, file, kind)
    except EdifactError as exc:
        raise IngestError(file, str(exc)) from None
    if charset_note:
        reading.warnings.insert(0, charset_note)
    if not reading.records and not reading.errors:
        raise IngestError(file, f"is a {message} message with no traveller in it")
    return reading.parsed_rows()
