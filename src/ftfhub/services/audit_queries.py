"""Reading the audit trail: verify the chain, list events — for the roles that may."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ftfhub.audit.chain import VerifyResult, verify_chain
from ftfhub.domain.validation import MAX_ROW_ID
from ftfhub.domain.vocab import AuditAction
from ftfhub.policy import Permission, check, may
from ftfhub.services.audit_report import (
    DisclosureLine,
    disclosures_of,
    places_in_agency,
    refused_by,
)
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context, NotFound
from ftfhub.services.denials import guarded
from ftfhub.store.models import AuditEvent
from ftfhub.store.records import contacts


@dataclass(frozen=True)
class AuditEventView:
    number: int
    """The event's place: its position in the hub's chain for a reader with `audit.all`,
    else its place among its agency's own events (1, 2, 3 …), which counts only the
    reader's own agency's work, never the hub's (docs/oversight.md §8)."""
    at: datetime
    actor: str
    agency: str
    action: str
    object: str
    purpose: str
    hash: str
    refused_by: str = ""
    """For a refusal (`access.denied`), the rule that refused it; past the bound, how many
    more were counted."""
    disclosed: tuple[DisclosureLine, ...] = ()
    """What the event let one agency learn of another's data, as `audit report` lists it:
    owner, recipient, level, how many Records and, where the event names them, which (by
    the owner's reference, never content)."""
    in_chain: bool = True
    """`number` is the chain's position (auditors, admins); else the place in the agency."""


@guarded()
def verify(ctx: Context, expected_head: str | None = None) -> VerifyResult:
    check(ctx.caller.viewer, Permission.AUDIT_ALL)
    with ctx.db.transaction() as session:
        result = verify_chain(session, expected_head=expected_head)
    if result.ok:
        with ctx.db.transaction() as session:
            audit(
                session,
                ctx,
                AuditAction.AUDIT_VERIFY,
                "chain",
                result.head[:16],
                {"events": result.events_checked},
                purpose="oversight",
            )
    return result


@guarded("agency", "agency", unnamed=lambda ctx: ("agency", ctx.caller.agency))
def list_events(
    ctx: Context, limit: int = 20, agency: str | None = None
) -> tuple[AuditEventView, ...]:
    """The newest events, oldest first: all agencies' for an auditor or admin, one's own
    agency's otherwise. Asking for another agency's without the right is refused, never
    answered quietly with one's own (which would read as that agency's trail)."""
    viewer = ctx.caller.viewer
    check(viewer, Permission.AUDIT_OWN)
    scope = agency.strip().upper() if agency else None
    if not may(viewer, Permission.AUDIT_ALL):
        if scope is not None and scope != viewer.agency:
            check(viewer, Permission.AUDIT_ALL)
        scope = viewer.agency
    with ctx.db.transaction() as session:
        # More than the database's largest integer overflowed it (a traceback): no trail
        # holds more events, so such a limit asks for them all.
        stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(min(limit, MAX_ROW_ID))
        if scope is not None:
            stmt = stmt.where(AuditEvent.agency == scope)
        events = list(reversed(session.execute(stmt).scalars().all()))
        if agency and not events and scope not in contacts(session):
            # Said, not answered with an empty list that reads as "nothing happened there".
            who = ", ".join(sorted(contacts(session)))
            raise NotFound(f"no agency {scope} (agencies: {who})")
        in_chain = may(viewer, Permission.AUDIT_ALL)
        numbers = [e.id for e in events]
        if not in_chain:  # the agency's own places: `scope` is the viewer's agency
            places = places_in_agency(session, viewer.agency, numbers)
            numbers = [places[n] for n in numbers]
        views = tuple(
            AuditEventView(
                number,
                e.at,
                e.actor,
                e.agency,
                e.action,
                f"{e.object_type}:{e.object_id}",
                e.purpose,
                e.hash,
                refused_by(e),
                tuple(disclosures_of(e)),
                in_chain,
            )
            for number, e in zip(numbers, events, strict=True)
        )
        audit(
            session,
            ctx,
            AuditAction.AUDIT_LIST,
            "agency",
            scope or "*",
            {"events": len(views)},
            purpose=ctx.purpose or "oversight",
        )
    return views
