"""A hit's life: new → acknowledged → actioned / dismissed, escalated while nobody answers.

"Turkey said they sent information to Belgium, and nobody paid attention to it": a hit has a
deadline; an unacknowledged hit past it escalates one level per pass (1: the owner's
supervisor, 2: the hub's duty officer).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.domain.vocab import HitStatus
from ftfhub.store.models import Hit

ESCALATION_TARGETS = {1: "owner's supervisor", 2: "hub duty officer"}
MAX_ESCALATION = 2
OPEN = (HitStatus.NEW, HitStatus.ACKNOWLEDGED)
IN_ORDER = (Hit.deadline, Hit.created_at, Hit.ref)
"""How hits are listed: the most urgent first, then the oldest, then by reference (the row
id, a count over the hub, orders nothing a caller sees)."""


class HitError(Exception):
    pass


MAX_NOTE = 2000
"""Characters an answer's note may have, on every face (the API's bound): the workbench's
form and `hits ack --note` took megabytes, kept on the hit and in the audit trail."""


def _need_note(note: str, what: str) -> str:
    note = note.strip()
    if not note:
        raise HitError(f'{what} needs a note (--note "…")')
    if len(note) > MAX_NOTE:
        raise HitError(f"a note is at most {MAX_NOTE:,} characters ({len(note):,} sent)")
    return note


def acknowledge(hit: Hit, by: str, note: str, now: datetime) -> None:
    note = _need_note(note, "acknowledging a hit")
    if hit.status != HitStatus.NEW:
        raise HitError(f"hit {hit.ref} is already {hit.status}")
    hit.status = HitStatus.ACKNOWLEDGED.value
    hit.acknowledged_at = now
    hit.acknowledged_by = by
    hit.note = note


def close(hit: Hit, status: HitStatus, note: str) -> None:
    """Record the analyst's decision: actioned or dismissed."""
    if status not in (HitStatus.ACTIONED, HitStatus.DISMISSED):
        raise HitError(f"status must be actioned or dismissed, not '{status}'")
    note = _need_note(note, f"marking a hit {status}")
    if HitStatus(hit.status) not in OPEN:
        raise HitError(f"hit {hit.ref} is already {hit.status}")
    hit.status = status.value
    hit.note = (hit.note + "\n" + note).strip()


def overdue(session: Session, now: datetime) -> list[Hit]:
    """Unacknowledged hits past their deadline, oldest deadline first."""
    stmt = select(Hit).where(Hit.status == HitStatus.NEW.value, Hit.deadline < now)
    return list(session.execute(stmt.order_by(*IN_ORDER)).scalars())


def escalate(hit: Hit, now: datetime, step: timedelta) -> bool:
    """Raise an overdue hit one level, with a new deadline `step` ahead; False at the top."""
    if hit.escalation_level >= MAX_ESCALATION:
        return False
    hit.escalation_level += 1
    hit.escalated_at = now
    hit.deadline = now + step
    return True
