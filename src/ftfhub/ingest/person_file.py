"""The generic person file of DESIGN.md (CSV with a header, or JSON Lines with the same keys)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import TypeVar

from ftfhub.domain import HANDLING_CODES, Name, RecordData
from ftfhub.ingest.errors import FieldError, IngestError, RowError
from ftfhub.ingest.fields import (
    parse_documents,
    parse_gender,
    parse_grade,
    parse_iso_date,
    parse_nationalities,
    parse_partial_date,
    split_multi,
)
from ftfhub.ingest.tables import (
    Builder,
    Notes,
    ParsedRow,
    is_json_lines,
    iter_csv,
    iter_json_lines,
    json_row,
    parsed_rows,
)
from ftfhub.names.script import detect_script
from ftfhub.rendering.spreadsheet import restore

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
KNOWN = frozenset(COLUMNS + METADATA)
T = TypeVar("T")
EXTRA_PREFIX = "x_"
"""A column named `x_…` is kept as an extra field of the record, by the file's own choice."""
MULTILINE = ("address",)


def closest_column(column: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known column a misspelt one most likely meant (`birthdate` → `birth_date`)."""
    key = column.strip().lower().replace(" ", "_").replace("-", "_")
    choices = sorted(known)
    if key in choices:
        return key
    folded = {c.replace("_", ""): c for c in choices}
    if key.replace("_", "") in folded:
        return folded[key.replace("_", "")]
    found = difflib.get_close_matches(key, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


def unknown_column_message(column: str, known: Iterable[str]) -> str:
    guess = closest_column(column, known)
    hint = f"did you mean '{guess}'?" if guess else f"known columns: {', '.join(COLUMNS)}"
    return (
        f"column '{column}' is not a column of this format ({hint}; "
        f"prefix a column with '{EXTRA_PREFIX}' to keep it as an extra field)"
    )


def unknown_columns(columns: Iterable[str]) -> list[str]:
    return [c for c in columns if c and c not in KNOWN and not c.startswith(EXTRA_PREFIX)]


def _name(text: str, kind: str) -> Name:
    text = text.strip()
    return Name(full=text, type=kind, script=detect_script(text))


def record_from_row(
    row: dict[str, str], line: int, kind: str = "watchlist", notes: Notes | None = None
) -> RecordData:
    """Build a Record from one row; raises FieldError naming the bad field. With lenient
    `notes`, an invalid optional value is left out and noted instead."""
    notes = notes or Notes()
    row = {column: restore(value) for column, value in row.items()}
    for column in REQUIRED:
        if not (row.get(column) or "").strip():
            raise FieldError(column, "is required and empty")
    unknown = unknown_columns(row)
    if unknown:
        raise FieldError(unknown[0], unknown_column_message(unknown[0], KNOWN))
    names = [_name(row["name"], "primary")]
    names += [_name(alias, "alias") for alias in split_multi(row.get("aliases"))]
    text = {column: (row.get(column) or "") for column in KNOWN}
    birth = notes.optional(lambda: parse_partial_date(text["birth_date"]), None)
    handling = notes.optional(lambda: _handling(text["handling_code"]), "H0")
    address = text["address"].strip()
    return RecordData(
        record_id=row["record_id"].strip(),
        kind=kind,
        names=tuple(names),
        birth_dates=(birth,) if birth else (),
        nationalities=_each(notes, text["nationality"], parse_nationalities),
        gender=notes.optional(lambda: parse_gender(text["gender"]), None),
        documents=_each(notes, text["documents"], parse_documents),
        places=(address,) if address else (),
        handling_code=handling,
        source_grade=notes.optional(
            lambda: parse_grade(text["source_grade"], "source_grade", "B"), "B"
        ),
        information_grade=notes.optional(
            lambda: parse_grade(text["information_grade"], "information_grade", "2"), "2"
        ),
        legal_basis=text["legal_basis"].strip(),
        review_by=notes.optional(lambda: parse_iso_date(text["review_by"], "review_by"), None),
        extra=tuple(
            (column[len(EXTRA_PREFIX) :], value.strip())
            for column, value in row.items()
            if column.startswith(EXTRA_PREFIX) and value.strip()
        ),
    )


def _each(notes: Notes, cell: str, parse: Callable[[str], tuple[T, ...]]) -> tuple[T, ...]:
    """A `|`-separated cell parsed part by part, so that in lenient reading one bad part
    (`BE|QQ`) costs only itself."""
    found: list[T] = []
    nothing: tuple[T, ...] = ()
    for part in split_multi(cell):
        values = notes.optional(partial(parse, part), nothing)
        found += [value for value in values if value not in found]
    return tuple(found)


def _handling(value: str) -> str:
    handling = value.strip().upper() or "H0"
    if handling not in HANDLING_CODES:
        raise FieldError("handling_code", f"'{handling}' is not one of {', '.join(HANDLING_CODES)}")
    return handling


def read_person(
    person: Mapping[str, object], source: str, kind: str = "watchlist", *, lenient: bool = True
) -> ParsedRow:
    """One person given as a JSON object with the person file's keys (an API query): the
    same reading and validation as a file's row. Lenient by default, since a query is a
    person to screen: invalid optional values come back as warnings."""
    try:
        row = json_row(person)
    except ValueError as exc:
        return ParsedRow(1, error=RowError(source, 1, "*", str(exc)))
    build: Builder = lambda row, line, notes: record_from_row(row, line, kind, notes)  # noqa: E731
    return next(parsed_rows(iter([(1, row)]), source, build, lenient=lenient))


def read_person_file(
    text: str, file: str, kind: str, *, lenient: bool = False
) -> Iterator[ParsedRow]:
    """Parsed rows of a person file. A CSV header with a column this format does not know
    refuses the file (naming the closest known column); in JSON Lines, the row."""
    rows: Iterator[tuple[int, dict[str, str]]]
    if is_json_lines(text):
        rows = iter_json_lines(text, file)
    else:
        header, rows = iter_csv(text, file, multiline=MULTILINE)
        unknown = unknown_columns(header)
        if unknown:
            raise IngestError(
                file, unknown_column_message(unknown[0], KNOWN), line=1, field=unknown[0]
            )
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise IngestError(file, _missing_message(missing, header), line=1)
    return parsed_rows(
        rows,
        file,
        lambda row, line, notes: record_from_row(row, line, kind, notes),
        lenient=lenient,
    )


def _missing_message(missing: list[str], header: list[str]) -> str:
    message = f"has no column {', '.join(missing)}"
    if len(header) == 1 and header[0]:
        message += f" (its header is one column, '{header[0][:80]}': is it separated by commas?)"
    return message
