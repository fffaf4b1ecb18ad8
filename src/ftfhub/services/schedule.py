"""Escalation as a schedule: one pass raises every overdue, unacknowledged hit one level
(owner → supervisor → hub duty officer), each step audited. Run by `ftfhub hits escalate`
(cron) or a server's scheduler — never as a side effect of someone reading hits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction, Role
from ftfhub.hits import lifecycle
from ftfhub.policy import Permission, check
from ftfhub.policy.disclose import escalated_view
from ftfhub.policy.views import EscalatedHit
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context
from ftfhub.services.denials import guarded
from ftfhub.services.rows import hit_facts
from ftfhub.store.models import Hit
from ftfhub.store.records import contacts

MIN_STEP = timedelta(hours=1)


def _window(hit: Hit) -> timedelta:
    """The window the owner was first given (kept by escalation as the step)."""
    first = hit.escalated_at or hit.created_at
    return max(hit.deadline - first, MIN_STEP)


@dataclass(frozen=True)
class Escalation:
    hit: str  # the hit's reference
    level: int
    notified: str


@guarded()
def escalate(ctx: Context, now: datetime | None = None) -> tuple[Escalation, ...]:
    """One pass. `now` lets a simulation run the clock forward; audit events keep the real
    time, with the simulated one in their details."""
    check(ctx.caller.viewer, Permission.HITS_ESCALATE)
    simulated = now is not None
    at = now or utcnow()
    done: list[Escalation] = []
    with ctx.db.transaction() as session:
        for hit in lifecycle.overdue(session, at):
            if not lifecycle.escalate(hit, at, _window(hit)):
                continue
            step = Escalation(
                hit.ref, hit.escalation_level, lifecycle.ESCALATION_TARGETS[hit.escalation_level]
            )
            details: dict[str, object] = {
                "level": step.level,
                "notified": step.notified,
                "owner": hit.owner_agency,
            }
            if simulated:
                details["simulated_time"] = at.isoformat(timespec="seconds")
            audit(
                session,
                ctx,
                AuditAction.HIT_ESCALATE,
                "hit",
                hit.ref,
                details,
                purpose="unacknowledged past deadline",
            )
            done.append(step)
    return tuple(done)


@guarded()
def overdue(ctx: Context, now: datetime | None = None) -> tuple[EscalatedHit, ...]:
    """What is late: a supervisor sees its own agency's, the duty officer and admin all."""
    viewer = ctx.caller.viewer
    check(viewer, Permission.HITS_OVERDUE)
    with ctx.db.transaction() as session:
        late = lifecycle.overdue(session, now or utcnow())
        if viewer.role not in (Role.DUTY_OFFICER, Role.ADMIN):
            late = [h for h in late if h.owner_agency == viewer.agency]
        who = contacts(session)
        views = tuple(escalated_view(f, who) for f in hit_facts(session, late))
        audit(session, ctx, AuditAction.HIT_OVERDUE, "agency", viewer.agency, {"late": len(views)})
    return views
