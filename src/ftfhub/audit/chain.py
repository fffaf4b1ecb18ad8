"""The hash-chained audit log and its verification.

Each event's hash covers its own fields and the previous event's hash, so an oversight body
can detect any altered, inserted or removed event by recomputing the chain from the start.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.store.models import AuditEvent

GENESIS = "0" * 64


def _digest(event: AuditEvent) -> str:
    body = {
        "id": event.id,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "agency": event.agency,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "purpose": event.purpose,
        "details": event.details,
        "prev_hash": event.prev_hash,
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_event(
    session: Session,
    *,
    actor: str,
    agency: str,
    action: str,
    object_type: str,
    object_id: str,
    purpose: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain, inside the caller's transaction.

    The chain head is read under the caller's transaction; concurrent writers on PostgreSQL
    are serialised by the unique id sequence plus verification, which names any fork.
    """
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    prev_hash = last.hash if last else GENESIS
    next_id = (last.id + 1) if last else 1
    event = AuditEvent(
        id=next_id,
        at=utcnow(),  # always the real time: no caller can date an event
        actor=actor,
        agency=agency,
        action=action,
        object_type=object_type,
        object_id=object_id,
        purpose=purpose,
        details=details or {},
        prev_hash=prev_hash,
        hash="",
    )
    event.hash = _digest(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events_checked: int
    first_bad_id: int | None = None
    reason: str = ""
    head: str = GENESIS


def _events(session: Session) -> Iterator[AuditEvent]:
    yield from session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars()


def verify_chain(session: Session, expected_head: str | None = None) -> VerifyResult:
    """Recompute every hash; report the first event that is altered, inserted or missing.

    Removing the newest events leaves a shorter chain that is still consistent; an oversight
    body that keeps the head hash it saw last (`ftfhub audit verify` prints it) passes it as
    `expected_head` to detect that too.
    """
    prev_hash = GENESIS
    expected_id = 1
    count = 0
    for event in _events(session):
        count += 1
        if event.id != expected_id:
            return VerifyResult(
                False, count, expected_id, f"event {expected_id} is missing (next is {event.id})"
            )
        if event.prev_hash != prev_hash:
            return VerifyResult(
                False, count, event.id, "previous-hash link broken (an earlier event was changed)"
            )
        if _digest(event) != event.hash:
            return VerifyResult(False, count, event.id, "content does not match its hash")
        prev_hash = event.hash
        expected_id += 1
    if expected_head is not None and expected_head not in _seen_heads(session, expected_head):
        return VerifyResult(
            False,
            count,
            None,
            f"the head kept from an earlier check ({expected_head[:16]}…) is no longer in the "
            "chain: events were removed from its end, or the chain was replaced",
        )
    return VerifyResult(True, count, head=prev_hash)


def _seen_heads(session: Session, head: str) -> set[str]:
    found = session.execute(select(AuditEvent.hash).where(AuditEvent.hash == head)).scalars()
    return set(found)
