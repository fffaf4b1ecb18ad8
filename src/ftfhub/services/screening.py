"""Screening a file of queries against every stored Record, as the caller may see it.

The results are computed in full, the audit event is committed, and only then are they
handed to the face: output cut short (`| head`, a closed pipe) is still on the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from anyio import to_thread
from sqlalchemy.orm import Session

from ftfhub.audit.chain import Entry
from ftfhub.domain import RecordData
from ftfhub.domain.errors import IngestError, RowError
from ftfhub.domain.vocab import AuditAction, OnError, RecordKind
from ftfhub.index.screening import Match, ScreeningIndex
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.edifact.messages import is_edifact
from ftfhub.ingest.reader import decode_bytes, read_bytes
from ftfhub.policy import Permission, check
from ftfhub.policy.disclose import match_views, search_window
from ftfhub.policy.views import ScreenResult, SkippedRow
from ftfhub.services.auditing import audit, disclosed_detail, entry
from ftfhub.services.context import Context, InvalidRequest
from ftfhub.services.denials import guarded
from ftfhub.services.group_commit import writer
from ftfhub.services.index_access import live_index, screening_index
from ftfhub.services.rows import grants, held
from ftfhub.settings import Settings
from ftfhub.store.records import contacts, records_by_id


@dataclass(frozen=True)
class ScreenOutcome:
    results: tuple[ScreenResult | SkippedRow, ...]
    warnings: tuple[RowError, ...] = ()
    """Values of a query left out (a date that does not exist): the rest was screened."""

    @property
    def queries(self) -> int:
        return sum(isinstance(r, ScreenResult) for r in self.results)


def screen_options(kind: RecordKind | str, threshold: float, limit: int) -> RecordKind:
    """The screening options every face may send, checked once: the kind of the queries'
    records, a threshold from 0 to 1 and a limit of at least one match."""
    if not 0.0 <= threshold <= 1.0 or limit < 1:
        raise InvalidRequest("the threshold is from 0 to 1 and the limit at least 1")
    return record_kind(kind)


def query_kind(raw: bytes, kind: RecordKind) -> RecordKind:
    """A PAXLST or PNRGOV message lists travellers, whatever kind the queries were given (the
    command line's default is watchlist, which refused the message): screened as travellers,
    as the workbench screens an upload. Its head is decoded as the reader will decode it, so
    a message behind a byte-order mark or in UTF-16 is one too."""
    head = raw[:8192]
    try:
        text, _ = decode_bytes(head, "")
    except IngestError:
        text = head.decode("latin-1")
    return RecordKind.TRAVEL if is_edifact(text) else kind


def record_kind(kind: RecordKind | str) -> RecordKind:
    """`kind` as a RecordKind, or a refusal that lists the kinds there are."""
    if kind not in {k.value for k in RecordKind}:
        choices = ", ".join(k.value for k in RecordKind)
        raise InvalidRequest(f"kind '{kind}' is not one of {choices}")
    return RecordKind(kind)


@guarded("file", "path")
def screen_file(
    ctx: Context,
    path: Path,
    *,
    threshold: float = 0.5,
    limit: int = 10,
    kind: RecordKind | str = RecordKind.WATCHLIST,
    on_error: OnError | str = OnError.ABORT,
    encoding: str | None = None,
) -> ScreenOutcome:
    """One result per query row. Reading is lenient, since a person is at stake: an invalid
    value (`1974-01-32`, an unknown country) is left out with a warning naming its line and
    field, and the traveller is screened on the rest. A row that cannot be screened at all
    (no name) raises IngestError (nothing was screened), or with `on_error=skip` becomes a
    SkippedRow and the rest goes on."""
    check(ctx.caller.viewer, Permission.SCREEN)
    purpose = ctx.require_purpose("screening")
    valid_kind = screen_options(kind, threshold, limit)
    raw = read_bytes(path)
    valid_kind = query_kind(raw, valid_kind)
    rows, _ = parse_file(raw, path, valid_kind, encoding, lenient=True)
    parsed = list(rows)
    warnings = tuple(w for row in parsed for w in row.warnings)
    if OnError(on_error) is OnError.ABORT:
        for row in parsed:
            if row.error is not None:
                e = row.error
                raise IngestError(e.file, e.message, e.line, e.field)
    results: list[ScreenResult | SkippedRow] = []
    with ctx.db.transaction() as session:
        screened = _Screening(session, ctx)
        for row in parsed:
            if row.error is not None:
                results.append(SkippedRow(row.error.line, str(row.error)))
                continue
            assert row.record is not None
            results.append(screened.one(row.record.record_id, row.record, limit, threshold))
        outcome = ScreenOutcome(tuple(results), warnings)
        audit(
            session,
            ctx,
            AuditAction.SCREEN,
            "file",
            path.name,
            {
                "queries": outcome.queries,
                "threshold": threshold,
                "limit": limit,
                "disclosed": disclosed(ctx, results),
            },
            purpose=purpose,
        )
    return outcome


@guarded()
def screen_records(
    ctx: Context,
    queries: Mapping[str, RecordData],
    *,
    threshold: float = 0.5,
    limit: int = 10,
    channel: str = "api",
    fresh: bool = False,
) -> tuple[ScreenResult, ...]:
    """Screen persons given as Records (keyed by the caller's ids), as `screen_file` does a
    file: the same policy cut and one audit event for the batch. The index may be up to a
    second behind other processes' ingests unless `fresh`."""
    purpose = _allowed(ctx, threshold, limit)
    # The index is in memory: searched outside any transaction. Rows are read only for the
    # matches (most travellers have none), and the audit event is committed with other
    # requests' events; the results are returned only once it is.
    index = live_index(ctx.db, fresh=fresh)
    low, deep = search_window(threshold, limit, hit_floor())
    found = _screen_all(index, queries, deep, low)
    results = cut(ctx, found, threshold, limit)
    writer(ctx.db).append(_event(ctx, results, channel, threshold, limit, purpose))
    return results


@guarded()
async def screen_records_async(
    ctx: Context,
    queries: Mapping[str, RecordData],
    *,
    threshold: float = 0.5,
    limit: int = 10,
    channel: str = "api",
) -> tuple[ScreenResult, ...]:
    """`screen_records` for a server's event loop: the index is searched in the loop (it is
    in memory, and the process's one core would do the same work on a worker thread, plus
    the hand-over); rows are read only when something matched — on the loop too from a local
    SQLite file (a read transaction there takes no lock, so it never waits for a writer),
    on a worker thread from a database across the network — and the loop serves other
    requests while the audit event is committed."""
    purpose = _allowed(ctx, threshold, limit)
    index = live_index(ctx.db)
    low, deep = search_window(threshold, limit, hit_floor())
    found = _screen_all(index, queries, deep, low)
    if any(found.values()) and ctx.db.local:
        results = cut(ctx, found, threshold, limit)
    elif any(found.values()):
        results = await to_thread.run_sync(cut, ctx, found, threshold, limit)
    else:
        results = tuple(ScreenResult(key, ()) for key in found)
    await writer(ctx.db).append_async(_event(ctx, results, channel, threshold, limit, purpose))
    return results


def _screen_all(
    index: ScreeningIndex, queries: Mapping[str, RecordData], limit: int, threshold: float
) -> dict[str, list[Match]]:
    """Each query's matches: one query as `POST /match` has always been answered
    (`screen`), several (a manifest) with their keys looked up at once (`screen_many`:
    the same matches)."""
    if len(queries) == 1:
        return {key: index.screen(q, limit, threshold) for key, q in queries.items()}
    found = index.screen_many(list(queries.values()), limit, threshold)
    return dict(zip(queries, found, strict=True))


def _allowed(ctx: Context, threshold: float, limit: int) -> str:
    """The stated purpose, once the caller may screen with these settings."""
    check(ctx.caller.viewer, Permission.SCREEN)
    purpose = ctx.require_purpose("screening")  # every face: no purpose, no access
    if not 0.0 <= threshold <= 1.0 or limit < 1:
        raise InvalidRequest("the threshold is from 0 to 1 and the limit at least 1")
    return purpose


def _event(
    ctx: Context,
    results: tuple[ScreenResult, ...],
    channel: str,
    threshold: float,
    limit: int,
    purpose: str,
) -> Entry:
    details = {
        "queries": len(results),
        "threshold": threshold,
        "limit": limit,
        "disclosed": disclosed(ctx, results),
    }
    return entry(ctx, AuditAction.SCREEN, channel, f"{len(results)} queries", details, purpose)


def hit_floor() -> float:
    """The hub's hit threshold (`FTFHUB_HIT_THRESHOLD`): the least score at which a
    hit-only partner's record is admitted to exist."""
    return Settings.from_env().hit_threshold


def cut(
    ctx: Context, found: Mapping[str, list[Match]], threshold: float = 0.0, limit: int = 10
) -> tuple[ScreenResult, ...]:
    """Each query's matches (searched with `search_window`) as the policy lets the caller
    see them, at least `threshold` and at most `limit`; a match whose row was purged or
    superseded since the index last caught up is left out (the store is the truth)."""
    if not any(found.values()):
        return tuple(ScreenResult(key, ()) for key in found)
    with ctx.db.reading() as session:
        rows = records_by_id(session, [int(m.key) for ms in found.values() for m in ms])
        who, shared, viewer = contacts(session), grants(session), ctx.caller.viewer
        floor = hit_floor()
        return tuple(
            ScreenResult(
                key,
                match_views(
                    viewer,
                    [
                        (held(rows[int(m.key)]), m.score, m.explanation)
                        for m in ms
                        if int(m.key) in rows and not rows[int(m.key)].superseded
                    ],
                    who,
                    shared,
                    floor,
                    threshold,
                    limit,
                ),
            )
            for key, ms in found.items()
        )


def disclosed(
    ctx: Context, results: Iterable[ScreenResult | SkippedRow]
) -> dict[str, dict[str, list[str]]]:
    """Other agencies' Records shown to the caller, per owner and level, by the references
    shown (never content): what the oversight report calls a disclosure, named as a case
    read or an Identity read names it — a count alone could not say which of a partner's
    Records reached the caller (a hit-only match shows its reference too)."""
    shown = (
        (match.held.agency, match.held.level.value, match.held.reference)
        for result in results
        if isinstance(result, ScreenResult)
        for match in result.matches
    )
    return dict(disclosed_detail(ctx.caller.agency, shown).get("disclosed", {}))


class _Screening:
    """One screening session: the index, the contacts and grants, and each query's matches
    cut down by the policy for the caller."""

    def __init__(self, session: Session, ctx: Context, fresh: bool = True) -> None:
        self.session, self.viewer = session, ctx.caller.viewer
        self.index = screening_index(session, fresh=fresh)
        self.who, self.shared = contacts(session), grants(session)
        self.floor = hit_floor()

    def one(self, query_id: str, record: RecordData, limit: int, threshold: float) -> ScreenResult:
        low, deep = search_window(threshold, limit, self.floor)
        found = self.index.screen(record, limit=deep, threshold=low)
        rows = records_by_id(self.session, [int(m.key) for m in found])
        matches = [(held(rows[int(m.key)]), m.score, m.explanation) for m in found]
        views = match_views(
            self.viewer, matches, self.who, self.shared, self.floor, threshold, limit
        )
        return ScreenResult(query_id, views)
