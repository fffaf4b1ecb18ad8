"""The hash-chained audit log and its verification.

Each event's hash covers its own fields and the previous event's hash, so an oversight body
can detect any altered, inserted, reordered or removed event by recomputing the chain from the
start. The chain's newest position is also kept in `audit_head`, updated in the same
transaction as every append and locked while it is taken, so that:

- concurrent writers (several processes on PostgreSQL) queue for the next position and never
  fork the chain;
- events cut from the end, or the whole table emptied, no longer leave a chain that looks
  whole: the head still names the last event written;
- with a key the database does not hold (``FTFHUB_AUDIT_KEY``), the head is signed (HMAC), so
  a chain rewritten end to end, head included, is caught by anyone who holds the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.store.db import AUDIT_KEY_INFO
from ftfhub.store.models import AuditEvent, AuditHead

GENESIS = "0" * 64
HEAD_ID = 1


HASHED_FIELDS = (
    "id",
    "at",
    "actor",
    "agency",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "details",
    "prev_hash",
)
"""The fields an event's hash covers (docs/oversight.md gives the recipe to recompute it)."""


def hashed_fields(event: AuditEvent) -> dict[str, Any]:
    """The values the hash covers, as they are hashed: `at` as ISO 8601 with microseconds."""
    return {
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


def canonical(fields: dict[str, Any]) -> bytes:
    """The one text every hash is taken of: JSON with keys sorted, `", "` and `": "` between
    items, non-ASCII characters as themselves, encoded as UTF-8. An export writes its lines
    the same way, so anyone can recompute a hash with any JSON library that can match it."""
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return text.encode("utf-8")


def _digest(event: AuditEvent) -> str:
    return hashlib.sha256(canonical(hashed_fields(event))).hexdigest()


def sign_head(key: bytes, last_id: int, head_hash: str) -> str:
    """HMAC-SHA256 of the chain's position: only a holder of the key can produce it."""
    message = f"{last_id}:{head_hash}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _audit_key(session: Session) -> bytes | None:
    key = session.info.get(AUDIT_KEY_INFO)
    return key if isinstance(key, bytes) and key else None


def lock_head(session: Session) -> None:
    """Take the chain's lock now, for work that must be serialised with every appender (the
    refusal bound's windows); `record_events` in the same transaction takes it again."""
    _locked_head(session)


def _locked_head(session: Session) -> AuditHead:
    """The head row, locked until the caller's transaction ends (PostgreSQL: FOR UPDATE;
    SQLite: the engine begins every transaction IMMEDIATE, so writers are serialised)."""
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:  # only a database whose head row was deleted; verify names it
        head = AuditHead(id=HEAD_ID, last_id=0, head_hash=GENESIS, signature="")
        session.add(head)
        session.flush()
    return head


@dataclass(frozen=True)
class Entry:
    """What one audit event says, before the chain gives it a position and a hash."""

    actor: str
    agency: str
    action: str
    object_type: str
    object_id: str
    purpose: str = ""
    details: dict[str, Any] = field(default_factory=dict)


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
    """Append one event to the chain, inside the caller's transaction (so the event and what
    it records commit together, or neither does)."""
    entry = Entry(actor, agency, action, object_type, object_id, purpose, details or {})
    return record_events(session, [entry])[0]


def record_events(session: Session, entries: Sequence[Entry]) -> list[AuditEvent]:
    """Append events to the chain in order, in the caller's transaction, taking the head's
    lock once (a group commit of many requests' events is one transaction)."""
    head = _locked_head(session)
    key = _audit_key(session)
    events = []
    for entry in entries:
        event = AuditEvent(
            id=head.last_id + 1,
            at=utcnow(),  # always the real time: no caller can date an event
            actor=entry.actor,
            agency=entry.agency,
            action=entry.action,
            object_type=entry.object_type,
            object_id=entry.object_id,
            purpose=entry.purpose,
            details=entry.details,
            prev_hash=head.head_hash,
            hash="",
        )
        event.hash = _digest(event)
        events.append(event)
        head.last_id = event.id
        head.head_hash = event.hash
    session.add_all(events)
    if events:
        head.signature = sign_head(key, head.last_id, head.head_hash) if key else ""
    session.flush()
    return events


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
    """Recompute every hash and hold the end of the chain against the kept head; report the
    first event that is altered, inserted, reordered or missing, or a chain cut short.

    `expected_head` (a head hash kept outside the database from an earlier check) also
    catches a chain replaced whole by someone who rewrote the head table too.
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
    problem = _check_head(session, count, prev_hash)
    if problem is not None:
        return problem
    if expected_head is not None and expected_head not in _seen_heads(session, expected_head):
        return VerifyResult(
            False,
            count,
            None,
            f"the head kept from an earlier check ({expected_head[:16]}…) is no longer in the "
            "chain: events were removed from its end, or the chain was replaced",
        )
    return VerifyResult(True, count, head=prev_hash)


def _check_head(session: Session, count: int, last_hash: str) -> VerifyResult | None:
    head = session.get(AuditHead, HEAD_ID)
    if head is None:
        return VerifyResult(
            False, count, None, "the chain head record is missing: the audit tables were altered"
        )
    if head.last_id > count:
        what = "emptied" if count == 0 else "cut short"
        return VerifyResult(
            False,
            count,
            count + 1,
            f"the chain was {what}: the head names event {head.last_id}, the last event "
            f"present is {count}",
        )
    if head.last_id != count or head.head_hash != last_hash:
        return VerifyResult(
            False,
            count,
            head.last_id + 1 if head.last_id < count else count,
            f"the chain's end does not match its head (head names event {head.last_id}): "
            "events were added or rewritten outside the hub",
        )
    key = _audit_key(session)
    if key is not None and not hmac.compare_digest(
        head.signature, sign_head(key, head.last_id, head.head_hash)
    ):
        return VerifyResult(
            False,
            count,
            None,
            "the chain head's signature does not match the audit key: the chain was rewritten "
            "by someone who does not hold the key (or the key is not the hub's)",
        )
    return None


def _seen_heads(session: Session, head: str) -> set[str]:
    found = session.execute(select(AuditEvent.hash).where(AuditEvent.hash == head)).scalars()
    return set(found)
