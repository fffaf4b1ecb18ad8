"""Rows of tabular files (CSV, JSON Lines) with the line number each came from."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ftfhub.domain import RecordData
from ftfhub.ingest.errors import FieldError, IngestError, RowError


@dataclass(frozen=True)
class ParsedRow:
    """What an adapter made of one row: a record, or the reason it could not."""

    line: int
    record: RecordData | None = None
    error: RowError | None = None


def is_json_lines(text: str) -> bool:
    return text.lstrip().startswith("{")


def iter_csv(text: str, file: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (line number, row) pairs; line numbers are the file's, header is line 1."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader)]
    except StopIteration:
        raise IngestError(file, "is empty (no header row)") from None
    except csv.Error as exc:
        raise IngestError(file, f"is not valid CSV: {exc}", line=1) from None

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        line = reader.line_num
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise IngestError(file, f"is not valid CSV: {exc}", line=reader.line_num) from None
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) > len(header):
                yield start, {"__error__": f"{len(values)} values for {len(header)} columns"}
                continue
            yield start, {h: v for h, v in zip(header, values, strict=False)}

    return header, rows()


def iter_json_lines(text: str, file: str) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, {"__error__": f"not valid JSON ({exc.msg})"}
            continue
        if not isinstance(obj, dict):
            yield number, {"__error__": "a line must be a JSON object"}
            continue
        row = {}
        for key, value in obj.items():
            if isinstance(value, list):
                value = "|".join(str(v) for v in value)
            row[str(key)] = "" if value is None else str(value)
        yield number, row


def parsed_rows(
    rows: Iterator[tuple[int, dict[str, str]]],
    file: str,
    build: Callable[[dict[str, str], int], RecordData],
    id_field: str = "record_id",
) -> Iterator[ParsedRow]:
    """Each row built into a Record, or the error naming its line and field; an id seen
    before in the same file is an error too (never a silent overwrite)."""
    seen: set[str] = set()
    for line, row in rows:
        if "__error__" in row:
            yield ParsedRow(line, error=RowError(file, line, "*", row["__error__"]))
            continue
        try:
            record = build(row, line)
        except FieldError as exc:
            yield ParsedRow(line, error=RowError(file, line, exc.field, exc.message))
            continue
        if record.record_id in seen:
            message = f"'{record.record_id}' appears twice"
            yield ParsedRow(line, error=RowError(file, line, id_field, message))
            continue
        seen.add(record.record_id)
        yield ParsedRow(line, record=record)
