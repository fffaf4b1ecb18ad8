"""The queue of Records stored but not yet screened: drained by every load and by
`ftfhub hits raise --pending`, so no stored Record is left without its hits."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction
from ftfhub.index import ScreeningIndex
from ftfhub.policy import Permission, check
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context
from ftfhub.services.denials import guarded
from ftfhub.services.hit_raising import raise_for_rows
from ftfhub.services.index_access import screening_index
from ftfhub.services.writing import write_transaction
from ftfhub.store.db import lock_screening
from ftfhub.store.models import Hit, Record


@dataclass(frozen=True)
class Drained:
    records: int
    hits: int


def pending_rows(session: Session) -> list[Record]:
    stmt = select(Record).where(Record.screened_at.is_(None)).order_by(Record.id)
    return list(session.execute(stmt).scalars())


def drain(
    session: Session,
    ctx: Context,
    threshold: float,
    index: ScreeningIndex | None = None,
) -> tuple[Drained, list[Hit]]:
    """Raise the hits of every queued Record (in the caller's transaction), mark them
    screened. Raising adds only hits not already stored, so draining twice changes nothing."""
    lock_screening(session)  # a concurrent load's Records are screened here, once it commits
    rows = pending_rows(session)
    if not rows:
        return Drained(0, 0), []
    current = [r for r in rows if not r.superseded]
    hits: list[Hit] = []
    if current:
        hits = raise_for_rows(session, ctx, current, index or screening_index(session), threshold)
    now = utcnow()
    for row in rows:
        row.screened_at = now
    session.flush()
    return Drained(len(rows), len(hits)), hits


@guarded()
def raise_pending(ctx: Context, threshold: float) -> Drained:
    check(ctx.caller.viewer, Permission.HITS_RAISE)
    with write_transaction(ctx.db) as session:
        done, _ = drain(session, ctx, threshold)
        audit(
            session,
            ctx,
            AuditAction.HITS_RAISE_PENDING,
            "queue",
            "records",
            {"records": done.records, "hits": done.hits},
            purpose="raise the hits of records not yet screened",
        )
    return done
