"""Screening a file of any length in blocks: constant memory, one audit event per block.

A person file or manifest CSV (or JSON Lines) of millions of rows is read a block of lines at
a time: the header is kept, the encoding is recognised on the first block and held to after,
and a block never ends inside a quoted cell that runs over lines. Each block is parsed by the
same readers as a whole file (`ingest.detect.parse_file`, line numbers the file's own),
screened against the live index, cut by the policy, and its audit event committed before its
results are handed on — so output cut short is still on the record, block by block.

Files that cannot be cut into lines safely (a workbook, an EDIFACT message, UTF-16 text, old
Mac line ends) are read whole, as `screen_file` does, within its size limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from ftfhub.domain import RecordData
from ftfhub.domain.errors import IngestError, RowError
from ftfhub.domain.vocab import AuditAction, OnError, RecordKind
from ftfhub.index.pace import batch_pace
from ftfhub.index.screening import Match
from ftfhub.ingest.detect import is_xlsx, parse_file
from ftfhub.ingest.edifact.messages import is_edifact
from ftfhub.ingest.reader import MAX_FILE_BYTES, check_file_size, decode_bytes, read_bytes
from ftfhub.ingest.tables import ParsedRow
from ftfhub.policy import Permission, check
from ftfhub.policy.disclose import search_window
from ftfhub.policy.views import ScreenResult, SkippedRow
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context
from ftfhub.services.denials import guarded
from ftfhub.services.index_access import live_index
from ftfhub.services.screening import (
    cut,
    disclosed,
    hit_floor,
    query_kind,
    record_kind,
    screen_options,
)

BLOCK_ROWS = 5000
SAMPLE_BYTES = 1 << 20  # the encoding is recognised on this much of the file's start
MAX_LINE_BYTES = 1 << 20  # a longer line is reported, never held in memory whole
MAX_SPAN = 100  # lines a block may run on to close a quoted cell (the reader reports more)


@dataclass(frozen=True)
class ParsedBlock:
    """Rows of one block, and how far into the file (bytes) reading has come."""

    rows: tuple[ParsedRow, ...]
    position: int
    size: int


@dataclass(frozen=True)
class ScreenedBlock:
    results: tuple[ScreenResult | SkippedRow, ...]
    warnings: tuple[RowError, ...]
    position: int
    size: int


@guarded("file", "path")
def screen_stream(
    ctx: Context,
    path: Path,
    *,
    threshold: float = 0.5,
    limit: int = 10,
    kind: RecordKind | str = RecordKind.WATCHLIST,
    on_error: OnError | str = OnError.ABORT,
    encoding: str | None = None,
    block_rows: int | None = None,
) -> Iterator[ScreenedBlock]:
    """Each block's results, once its audit event is committed. A row that cannot be
    screened (no name) stops the run with IngestError (`abort`: blocks before it were
    screened and handed on) or becomes a SkippedRow (`skip`)."""
    check(ctx.caller.viewer, Permission.SCREEN)
    purpose = ctx.require_purpose("screening")
    kind = screen_options(kind, threshold, limit)
    index = live_index(ctx.db, fresh=True)
    low, deep = search_window(threshold, limit, hit_floor())
    for block in read_blocks(path, kind, encoding, block_rows):
        warnings = tuple(w for row in block.rows for w in row.warnings)
        found: dict[str, list[Match]] = {}
        skipped: dict[int, SkippedRow] = {}
        queries = []
        for row in block.rows:
            if row.error is not None:
                if OnError(on_error) is OnError.ABORT:
                    e = row.error
                    raise IngestError(e.file, e.message, e.line, e.field)
                skipped[row.line] = SkippedRow(row.error.line, str(row.error))
            elif row.record is not None:
                queries.append(row.record)
        with batch_pace():  # the block's keys looked up at once (`screen_many`)
            matches = index.screen_many(queries, limit=deep, threshold=low)
        for record, matched in zip(queries, matches, strict=True):
            found[record.record_id] = matched
        results = _in_file_order(block.rows, cut(ctx, found, threshold, limit), skipped)
        with ctx.db.transaction() as session:
            audit(
                session,
                ctx,
                AuditAction.SCREEN,
                "file",
                path.name,
                {
                    "queries": len(found),
                    "lines": [block.rows[0].line, block.rows[-1].line] if block.rows else [],
                    "threshold": threshold,
                    "limit": limit,
                    "disclosed": disclosed(ctx, results),
                },
                purpose=purpose,
            )
        yield ScreenedBlock(results, warnings, block.position, block.size)


def _in_file_order(
    rows: tuple[ParsedRow, ...],
    screened: tuple[ScreenResult, ...],
    skipped: dict[int, SkippedRow],
) -> tuple[ScreenResult | SkippedRow, ...]:
    by_id = {r.query_id: r for r in screened}
    out: list[ScreenResult | SkippedRow] = []
    for row in rows:
        if row.line in skipped:
            out.append(skipped[row.line])
        elif row.record is not None and row.record.record_id in by_id:
            out.append(by_id.pop(row.record.record_id))
    return tuple(out)


# --- reading a file in blocks -----------------------------------------------------------


def read_blocks(
    path: Path,
    kind: RecordKind | str,
    encoding: str | None = None,
    block_rows: int | None = None,
) -> Iterator[ParsedBlock]:
    """The parsed rows of a query file, `block_rows` lines at a time (lenient reading, as
    screening reads)."""
    file = str(path)
    block_rows = block_rows or BLOCK_ROWS
    kind = record_kind(kind).value
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError as exc:
        raise IngestError(file, f"cannot be read: {exc.strerror}") from None
    with handle:
        sample = handle.read(SAMPLE_BYTES)
        whole: bytes | None = None
        if not handle.seekable():  # a pipe (`… | ftfhub screen /dev/stdin`): read once, whole
            whole = sample + handle.read(MAX_FILE_BYTES + 1 - len(sample))
            check_file_size(len(whole), file)
        elif not _streamable(sample, path, encoding):
            whole = read_bytes(path)
        if whole is not None:
            raw = whole
            as_kind = query_kind(raw, record_kind(kind)).value
            rows, _ = parse_file(raw, path, as_kind, encoding, lenient=True)
            parsed = list(rows)
            for start in range(0, max(len(parsed), 1), block_rows):
                yield ParsedBlock(tuple(parsed[start : start + block_rows]), size, size)
            return
        handle.seek(0)
        yield from _line_blocks(handle, path, kind, encoding, block_rows, size)


def _streamable(sample: bytes, path: Path, encoding: str | None) -> bool:
    if is_xlsx(sample, path) or b"\x00" in sample[:4096]:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if encoding and encoding.lower().replace("_", "-").startswith("utf-16"):
        return False
    if b"\n" not in sample and b"\r" in sample:
        return False  # old Mac line ends: the whole-file reader knows them
    head = sample.removeprefix(b"\xef\xbb\xbf").lstrip()[:200]  # a UTF-8 byte-order mark
    return not (head.startswith((b"UNA", b"UNB", b"UNH")) or is_edifact(head.decode("latin-1")))


def _line_blocks(
    handle: BinaryIO, path: Path, kind: str, encoding: str | None, block_rows: int, size: int
) -> Iterator[ParsedBlock]:
    file = str(path)
    header = b""
    used: str | None = None  # known from the first block on
    line = 0  # physical lines read so far
    while True:
        start = line + 1
        chunk, line, too_long = _take_lines(handle, block_rows, line, header == b"")
        if not chunk:
            if start == 1:
                raise IngestError(file, "is empty (no header row)")
            return
        if not header and not chunk[0].lstrip().startswith(b"{"):
            header, chunk, start = chunk[0], chunk[1:], start + 1
        body = b"".join(chunk)
        if used is None:
            text, used = decode_bytes(header + body, file, encoding)
            used = "utf-8" if used == "utf-8-sig" else used
        else:
            text = _decode(header + body, used, file, start - (1 if header else 0))
        rows, _ = parse_file(text.encode("utf-8"), path, kind, "utf-8", lenient=True)
        shift = start - 2 if header else start - 1
        parsed = [_shifted(row, shift) for row in rows]
        parsed += [
            ParsedRow(n, error=RowError(file, n, "*", f"the line is over {MAX_LINE_BYTES:,} bytes"))
            for n in too_long
        ]
        parsed.sort(key=lambda r: r.line)
        yield ParsedBlock(tuple(parsed), handle.tell(), size)


def _take_lines(
    handle: BinaryIO, count: int, line: int, first: bool
) -> tuple[list[bytes], int, list[int]]:
    """Up to `count` lines (one more for the header of a first block), not stopping inside
    a quoted cell (an odd number of quotes so far) for up to `MAX_SPAN` more lines; a line
    over the limit is read past, left blank, and its number given."""
    lines: list[bytes] = []
    too_long: list[int] = []
    quotes = 0
    wanted = count + (1 if first else 0)
    while len(lines) < wanted or (quotes % 2 and len(lines) < wanted + MAX_SPAN):
        raw = handle.readline(MAX_LINE_BYTES)
        if not raw:
            break
        line += 1
        if not raw.endswith(b"\n") and len(raw) >= MAX_LINE_BYTES:
            while (rest := handle.readline(MAX_LINE_BYTES)) and not rest.endswith(b"\n"):
                pass
            too_long.append(line)
            raw = b"\n"  # keeps the following lines' numbers
        quotes += raw.count(b'"')
        lines.append(raw)
    return lines, line, too_long


def _decode(raw: bytes, encoding: str, file: str, first_line: int) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        line = first_line + raw.count(b"\n", 0, exc.start)
        raise IngestError(
            file,
            f"is not {encoding} here, though its start was (pass --encoding)",
            line=line,
        ) from None


def _shifted(row: ParsedRow, shift: int) -> ParsedRow:
    def moved(error: RowError) -> RowError:
        return replace(error, line=error.line + shift)

    return ParsedRow(
        row.line + shift,
        record=row.record,
        error=moved(row.error) if row.error else None,
        warnings=tuple(moved(w) for w in row.warnings),
    )


def query_records(block: ParsedBlock) -> dict[str, RecordData]:
    """The block's readable queries by their ids."""
    return {r.record.record_id: r.record for r in block.rows if r.record is not None}
