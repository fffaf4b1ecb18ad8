"""Rows of tabular files (CSV, JSON Lines) with the line number each came from.

Reading is defensive, because agencies' exports go wrong in ordinary ways. The delimiter
(`,`, `;` or tab) is read from the header line. A quote that opens a field and is not closed
on its line would otherwise swallow every following row into one field: a row may run over
several lines only inside a column the format allows to (a free-text address), for a few
lines, and never over a line that looks like a row of its own; anything else is reported at
the line where the quote opened and reading resumes on the next line, so every other row is
still read and none vanishes. Cells, rows and JSON values are bounded in size and depth.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from ftfhub.clock import utcnow
from ftfhub.domain import RecordData
from ftfhub.domain.validation import Severity, clean_record, validate_record
from ftfhub.ingest.errors import FieldError, IngestError, RowError
from ftfhub.ingest.lenient import drop_invalid

MAX_CELL_CHARS = 10_000
"""The longest cell read at all; the Record's own limits (domain/validation.py) are lower."""
MAX_ROW_CHARS = 50_000
MAX_FIELD_LINES = 10
"""A multi-line cell (an address typed with line breaks) may span this many lines."""
MAX_JSON_DEPTH = 3
"""A JSON Lines row is an object of text or lists of text: deeper nesting is refused."""
MAX_COLUMNS = 200
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
ERROR_KEY = "__error__"

T = TypeVar("T")


@dataclass(frozen=True)
class ParsedRow:
    """What an adapter made of one row: a record, or the reason it could not; and in
    lenient reading the values it left out, each with its field."""

    line: int
    record: RecordData | None = None
    error: RowError | None = None
    warnings: tuple[RowError, ...] = ()


@dataclass
class Notes:
    """What a row builder learnt besides the record: values a lenient reading ignored."""

    lenient: bool = False
    warnings: list[FieldError] = field(default_factory=list)

    def optional(self, parse: Callable[[], T], default: T) -> T:
        """`parse()`, or in lenient reading `default` with the error kept as a warning."""
        try:
            return parse()
        except FieldError as exc:
            if not self.lenient:
                raise
            self.warnings.append(FieldError(exc.field, f"{exc.message}; ignored"))
            return default

    def warn(self, field_name: str, message: str) -> None:
        self.warnings.append(FieldError(field_name, message))


Builder = Callable[[dict[str, str], int, Notes], RecordData]


def is_json_lines(text: str) -> bool:
    return text.lstrip().startswith("{")


def _split_lines(text: str) -> list[str]:
    """Physical lines with their endings (`\\n`, `\\r\\n`, or a lone `\\r` in old files);
    never the other separators `str.splitlines` knows, which can sit inside a name."""
    separator = "\n" if "\n" in text or "\r" not in text else "\r"
    pieces = text.split(separator)
    lines = [piece + separator for piece in pieces[:-1]]
    if pieces[-1]:
        lines.append(pieces[-1])
    return lines


def sniff_delimiter(header_line: str, file: str) -> str:
    """The delimiter of a header line: the one of `,`, `;`, tab it holds most of."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(counts.values())
    if best == 0:
        return ","
    winners = [d for d, n in counts.items() if n == best]
    if len(winners) > 1:
        named = " and ".join(DELIMITERS[d] for d in winners)
        raise IngestError(
            file, f"the header has as many {named} characters: the delimiter is unclear", line=1
        )
    return winners[0]


class _Feed:
    """Lines handed to `csv.reader` one at a time, so the caller knows (and can reset)
    which physical line a row started on."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _spanning_problem(
    values: list[str],
    header: list[str],
    continuation: list[str],
    delimiter: str,
    multiline: set[str],
) -> str | None:
    """Why a row that ran over several lines is broken quoting (None if it is a real
    multi-line cell)."""
    columns = [header[i] if i < len(header) else "?" for i, v in enumerate(values) if "\n" in v]
    if not set(columns) <= multiline:
        return f"column {', '.join(columns)} may not run over several lines"
    if len(continuation) + 1 > MAX_FIELD_LINES:
        return f"the field runs over {len(continuation) + 1} lines"
    if any(line.count(delimiter) >= max(len(header) - 1, 1) for line in continuation):
        return "the field swallows a line that looks like a row of its own"
    return None


def check_size(values: list[str], columns: Sequence[str] = ()) -> str | None:
    """Why a row's cells are too big to read (None if they are not); the over-long cell is
    named by its column (`columns`, in the order of `values`), else by its position."""
    longest = max(range(len(values)), key=lambda i: len(values[i]), default=None)
    if longest is not None and len(values[longest]) > MAX_CELL_CHARS:
        named = columns[longest] if longest < len(columns) and columns[longest] else ""
        column = f"column {named}" if named else f"column {longest + 1}"
        return (
            f"{column}: the cell is {len(values[longest]):,} characters long; "
            f"the limit is {MAX_CELL_CHARS:,}"
        )
    total = sum(len(v) for v in values)
    if total > MAX_ROW_CHARS:
        return f"the row is {total:,} characters long; the limit is {MAX_ROW_CHARS:,}"
    return None


def _short_row(values: list[str], header: list[str], last_line: str) -> str | None:
    """Why a row with fewer values than the header is not read (None if it is).

    Fewer values on the file's last line with no line end is a file cut short in transfer:
    storing it would write a new version of a full record with only its first values."""
    if last_line.endswith(("\n", "\r")):
        return f"{len(values)} values for {len(header)} columns"
    return (
        f"file cut short: the last line has no line end and {len(values)} values "
        f"for {len(header)} columns"
    )


def _read_header(reader: Iterator[list[str]], file: str) -> list[str]:
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise IngestError(file, "is empty (no header row)") from None
    except csv.Error as exc:
        raise IngestError(file, f"is not valid CSV: {exc}", line=1) from None
    if any("\n" in h for h in header):
        raise IngestError(file, "a quote in the header is not closed on its line", line=1)
    if len(header) > MAX_COLUMNS or any(len(h) > 200 for h in header):
        raise IngestError(
            file,
            f"is not a table: its header has over {MAX_COLUMNS} columns or a very long one",
            line=1,
        )
    named = [h for h in header if h]
    duplicated = sorted({h for h in named if named.count(h) > 1})
    if duplicated:
        raise IngestError(
            file, f"column {duplicated[0]} appears twice", line=1, field=duplicated[0]
        )
    return header


def iter_csv(
    text: str, file: str, multiline: Callable[[str], bool] | Iterable[str] = ()
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs; line numbers are the file's, header is line 1.

    `multiline` names (or tells) the columns whose cells may hold line breaks. A broken
    row is a row `{"__error__": message}` at the line where it starts.
    """
    lines = _split_lines(text)
    delimiter = sniff_delimiter(lines[0] if lines else "", file)
    feed = _Feed(lines)
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    header = _read_header(reader, file)
    allowed = {h for h in header if multiline(h)} if callable(multiline) else set(multiline)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        while feed.pos < len(lines):
            start = feed.pos
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                reason = str(exc)
                if feed.pos - start > 1:
                    reason = f"a quote opened on this line is never closed ({exc})"
                yield start + 1, {ERROR_KEY: f"is not valid CSV: {reason}"}
                feed.pos = start + 1
                continue
            if not any(v.strip() for v in values):
                continue
            if feed.pos - start > 1:
                continuation = lines[start + 1 : feed.pos]
                spanning = _spanning_problem(values, header, continuation, delimiter, allowed)
                if spanning is not None:
                    message = (
                        f"a quote opened on this line is not closed on it ({spanning}); "
                        "the row is left out and reading goes on at the next line"
                    )
                    yield start + 1, {ERROR_KEY: message}
                    feed.pos = start + 1
                    continue
            problem = check_size(values, header)
            if problem is None and len(values) > len(header):
                problem = f"{len(values)} values for {len(header)} columns"
            if problem is None and len(values) < len(header):
                problem = _short_row(values, header, lines[feed.pos - 1])
            if problem is not None:
                yield start + 1, {ERROR_KEY: problem}
                continue
            yield start + 1, {h: v for h, v in zip(header, values, strict=False) if h}

    return header, rows()


def json_depth_exceeds(line: str, limit: int) -> bool:
    """Whether a JSON text nests arrays/objects deeper than `limit` (checked before parsing,
    since Python's parser recurses and fails on very deep values)."""
    if line.count("[") + line.count("{") <= limit:
        return False
    depth = 0
    in_string = escaped = False
    for char in line:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _json_value(key: str, value: object) -> str:
    """A JSON value as cell text; raises ValueError for what a cell cannot hold."""
    if value is None:
        return ""
    if isinstance(value, list):
        if any(isinstance(v, (list, dict)) for v in value):
            raise ValueError(f"'{key}' must be text or a list of text")
        return "|".join("" if v is None else str(v) for v in value)
    if isinstance(value, dict):
        raise ValueError(f"'{key}' must be text or a list of text, not an object")
    return str(value)


def iter_json_lines(text: str, file: str) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        if len(line) > MAX_ROW_CHARS:
            message = f"the line is {len(line):,} characters long; the limit is {MAX_ROW_CHARS:,}"
            yield number, {ERROR_KEY: message}
            continue
        if json_depth_exceeds(line, MAX_JSON_DEPTH):
            yield number, {ERROR_KEY: f"JSON nested deeper than {MAX_JSON_DEPTH} levels"}
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "too deep"
            yield number, {ERROR_KEY: f"not valid JSON ({reason})"}
            continue
        if not isinstance(obj, dict):
            yield number, {ERROR_KEY: "a line must be a JSON object"}
            continue
        try:
            yield number, json_row(obj)
        except ValueError as exc:
            yield number, {ERROR_KEY: str(exc)}


def json_row(obj: Mapping[str, object]) -> dict[str, str]:
    """A JSON object as a row of cells (lists joined with `|`); ValueError naming the key
    for a value a cell cannot hold, or for cells over the size limits."""
    row = {str(key): _json_value(str(key), value) for key, value in obj.items()}
    problem = check_size(list(row.values()), list(row))
    if problem:
        raise ValueError(problem)
    return row


def finish_record(
    record: RecordData, notes: Notes, file: str, line: int
) -> tuple[RecordData | None, RowError | None, tuple[RowError, ...]]:
    """Clean and validate a built record: (record, error, warnings). In lenient reading an
    invalid optional value is left out with a warning; a required one is still an error."""
    record = clean_record(record)
    issues = validate_record(record, utcnow().date())
    warnings = [RowError(file, line, w.field, w.message) for w in notes.warnings]
    warnings += [
        RowError(file, line, i.field, i.message) for i in issues if i.severity is Severity.WARNING
    ]
    errors = [i for i in issues if i.severity is Severity.ERROR]
    if errors and notes.lenient:
        record, errors, ignored = drop_invalid(record, errors)
        warnings += [RowError(file, line, i.field, f"{i.message}; ignored") for i in ignored]
    if errors:
        first = errors[0]
        return None, RowError(file, line, first.field, first.message), tuple(warnings)
    return record, None, tuple(warnings)


def parsed_rows(
    rows: Iterator[tuple[int, dict[str, str]]],
    file: str,
    build: Builder,
    id_field: str = "record_id",
    lenient: bool = False,
) -> Iterator[ParsedRow]:
    """Each row built into a validated Record, or the error naming its line and field; an
    id seen before in the same file is an error too (never a silent overwrite)."""
    seen: set[str] = set()
    for line, row in rows:
        if ERROR_KEY in row:
            yield ParsedRow(line, error=RowError(file, line, "*", row[ERROR_KEY]))
            continue
        notes = Notes(lenient=lenient)
        try:
            built = build(row, line, notes)
        except FieldError as exc:
            yield ParsedRow(line, error=RowError(file, line, exc.field, exc.message))
            continue
        record, error, warnings = finish_record(built, notes, file, line)
        if record is None:
            yield ParsedRow(line, error=error, warnings=warnings)
            continue
        if record.record_id in seen:
            message = f"'{record.record_id}' appears twice"
            yield ParsedRow(line, error=RowError(file, line, id_field, message), warnings=warnings)
            continue
        seen.add(record.record_id)
        yield ParsedRow(line, record=record, warnings=warnings)
