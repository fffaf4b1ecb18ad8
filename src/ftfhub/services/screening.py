"""Screening a file of queries against every stored Record, as the caller may see it.

The results are computed in full, the audit event is committed, and only then are they
handed to the face: output cut short (`| head`, a closed pipe) is still on the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ftfhub.domain.errors import IngestError
from ftfhub.domain.vocab import AuditAction, OnError, RecordKind
from ftfhub.ingest.detect import parse_file
from ftfhub.policy import Permission, check
from ftfhub.policy.disclose import match_views
from ftfhub.policy.views import ScreenResult, SkippedRow
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context
from ftfhub.services.index_access import screening_index
from ftfhub.services.rows import grants, held
from ftfhub.store.records import contacts, current_records


@dataclass(frozen=True)
class ScreenOutcome:
    results: tuple[ScreenResult | SkippedRow, ...]

    @property
    def queries(self) -> int:
        return sum(isinstance(r, ScreenResult) for r in self.results)


def screen_file(
    ctx: Context,
    path: Path,
    *,
    threshold: float = 0.5,
    limit: int = 10,
    kind: RecordKind | str = RecordKind.WATCHLIST,
    on_error: OnError | str = OnError.ABORT,
) -> ScreenOutcome:
    """One result per query row. A bad row raises IngestError naming line and field (nothing
    was screened), or with `on_error=skip` becomes a SkippedRow and the rest goes on."""
    check(ctx.caller.viewer, Permission.SCREEN)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot be read: {exc.strerror}") from None
    rows, _ = parse_file(raw, path, RecordKind(kind))
    parsed = list(rows)
    if OnError(on_error) is OnError.ABORT:
        for row in parsed:
            if row.error is not None:
                e = row.error
                raise IngestError(e.file, e.message, e.line, e.field)
    results: list[ScreenResult | SkippedRow] = []
    with ctx.db.transaction() as session:
        index = screening_index(session)
        by_key = {str(r.id): held(r) for r in current_records(session)}
        who, shared = contacts(session), grants(session)
        for row in parsed:
            if row.error is not None:
                results.append(SkippedRow(row.error.line, str(row.error)))
                continue
            assert row.record is not None
            found = index.screen(row.record, limit=limit, threshold=threshold)
            matches = [(by_key[m.key], m.score, m.explanation) for m in found]
            views = match_views(ctx.caller.viewer, matches, who, shared)
            results.append(ScreenResult(row.record.record_id, views))
        outcome = ScreenOutcome(tuple(results))
        audit(
            session,
            ctx,
            AuditAction.SCREEN,
            "file",
            path.name,
            {"queries": outcome.queries, "threshold": threshold, "limit": limit},
            purpose=ctx.purpose or "screening",
        )
    return outcome
