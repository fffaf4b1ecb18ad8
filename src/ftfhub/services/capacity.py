"""Capacity: how many people an agency monitors against the officers it has, per priority,
week by week, and the reviews falling due — the numbers an agency brings to its ministry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction, CasePriority
from ftfhub.policy import Permission, check
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context
from ftfhub.services.denials import guarded
from ftfhub.store.models import Case, CaseEntry


@dataclass(frozen=True)
class CapacityPoint:
    week: date
    monitored: dict[CasePriority, int]
    officers: int

    @property
    def total(self) -> int:
        return sum(self.monitored.values())


@dataclass(frozen=True)
class DueReview:
    number: int  # the case's number in its agency
    title: str
    priority: CasePriority
    officer: str
    due: date


@dataclass(frozen=True)
class Capacity:
    agency: str
    points: tuple[CapacityPoint, ...]
    due: tuple[DueReview, ...]
    overdue: int


@guarded()
def capacity(ctx: Context, weeks: int = 12, horizon_days: int = 30) -> Capacity:
    """Open cases per priority at the end of each of the last `weeks` weeks, the officers
    assigned to them, and the reviews due within `horizon_days` (and already late)."""
    check(ctx.caller.viewer, Permission.CASES)
    today = utcnow().date()
    with ctx.db.transaction() as session:
        rows = list(
            session.execute(select(Case).where(Case.agency_code == ctx.caller.agency)).scalars()
        )
        ids = [r.id for r in rows]
        closed_at: dict[int, datetime] = {}
        if ids:
            entries = select(CaseEntry.case_id, CaseEntry.at).where(
                CaseEntry.case_id.in_(ids), CaseEntry.kind == "closed", CaseEntry.text == "yes"
            )
            for case_id, at in session.execute(entries):
                closed_at[case_id] = at
        audit(
            session, ctx, AuditAction.CASE_LIST, "capacity", ctx.caller.agency, {"cases": len(rows)}
        )
    points = []
    for back in range(weeks - 1, -1, -1):
        week = today - timedelta(days=7 * back)
        end = datetime.combine(week, time.max)
        live = [
            r
            for r in rows
            if r.created_at <= end and not (r.closed and closed_at.get(r.id, end) <= end)
        ]
        counts = {p: sum(r.priority == p.value for r in live) for p in CasePriority}
        officers = len({r.officer for r in live if r.officer})
        points.append(CapacityPoint(week, counts, officers))
    horizon = today + timedelta(days=horizon_days)
    open_rows = [r for r in rows if not r.closed and r.next_review is not None]
    due = tuple(
        DueReview(
            r.number, r.title or r.subject, CasePriority(r.priority), r.officer, r.next_review
        )
        for r in sorted(open_rows, key=lambda r: (r.next_review, r.number))
        if r.next_review is not None and r.next_review <= horizon
    )
    late = sum(1 for d in due if d.due < today)
    return Capacity(ctx.caller.agency, tuple(points), due, late)
