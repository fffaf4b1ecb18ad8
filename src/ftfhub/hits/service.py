"""Hits: raised when a new Record matches another owner's, acknowledged, escalated if not.

"Turkey said they sent information to Belgium, and nobody paid attention to it": a hit has a
deadline; an unacknowledged hit past it escalates (level 1: the owner's supervisor, level 2:
the regional hub), and every step is in the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.audit.chain import record_event
from ftfhub.clock import utcnow
from ftfhub.domain import RecordData
from ftfhub.matching.screening import ScreeningIndex
from ftfhub.store.models import Agency, Hit, Record

ESCALATION_TARGETS = {1: "owner's supervisor", 2: "regional hub (HUB)"}
MAX_ESCALATION = 2


class HitError(Exception):
    pass


def current_records(session: Session) -> list[Record]:
    stmt = select(Record).where(Record.superseded.is_(False)).order_by(Record.id)
    return list(session.execute(stmt).scalars())


def build_index(records: Iterable[Record]) -> ScreeningIndex:
    """Index current records, each under its owner (so screening can leave an owner out)."""
    index = ScreeningIndex()
    for row in records:
        index.add(str(row.id), RecordData.from_json(row.data), row.agency_code)
    return index


def raise_hits(
    session: Session,
    new_record_ids: list[int],
    threshold: float,
    *,
    actor: str = "system",
    now: datetime | None = None,
    index: ScreeningIndex | None = None,
) -> list[Hit]:
    """Screen the new records against every other owner's current records; store the hits.

    `index` may be a long-lived index that already holds the new records (as the demo keeps
    one across loads); without it one is built from the store.
    """
    now = now or utcnow()
    if index is None:
        index = build_index(current_records(session))
    ack_hours = {a.code: a.ack_hours for a in session.execute(select(Agency)).scalars()}
    hits: list[Hit] = []
    rows = session.execute(select(Record).where(Record.id.in_(new_record_ids))).scalars()
    for row in rows:
        if row.superseded:
            continue
        query = RecordData.from_json(row.data)
        for match in index.screen(
            query, limit=20, threshold=threshold, exclude_owner=row.agency_code
        ):
            matched_id = int(match.key)  # the query is a new record: it has no hits yet
            hit = Hit(
                query_record_id=row.id,
                matched_record_id=matched_id,
                owner_agency=match.owner,
                querying_agency=row.agency_code,
                score=match.score,
                explanation=match.explanation,
                status="new",
                created_at=now,
                deadline=now + timedelta(hours=ack_hours.get(match.owner, 48)),
                escalation_level=0,
            )
            session.add(hit)
            session.flush()
            record_event(
                session,
                actor=actor,
                agency=row.agency_code,
                action="hit.create",
                object_type="hit",
                object_id=str(hit.id),
                purpose="notify owner of a match",
                details={
                    "owner": match.owner,
                    "score": round(match.score, 4),
                    "query_record": row.id,
                    "matched_record": matched_id,
                },
            )
            hits.append(hit)
    return hits


def escalate_overdue(session: Session, now: datetime | None = None, actor: str = "system") -> int:
    """Escalate every unacknowledged hit past its deadline by one level; return how many.

    `now` lets a simulation (the demo, tests) run the clock forward; the audit events are
    still stamped with the real time, and the simulated one is kept in their details, so the
    trail's timestamps can neither be set by a user nor run backwards.
    """
    simulated = now is not None
    now = now or utcnow()
    stmt = select(Hit).where(
        Hit.status == "new", Hit.deadline < now, Hit.escalation_level < MAX_ESCALATION
    )
    count = 0
    for hit in session.execute(stmt).scalars():
        hit.escalation_level += 1
        hit.escalated_at = now
        hit.deadline = now + timedelta(hours=24)
        record_event(
            session,
            actor=actor,
            agency=hit.owner_agency,
            action="hit.escalate",
            object_type="hit",
            object_id=str(hit.id),
            purpose="unacknowledged past deadline",
            details={
                "level": hit.escalation_level,
                "notified": ESCALATION_TARGETS[hit.escalation_level],
                **({"simulated_time": now.isoformat(timespec="seconds")} if simulated else {}),
            },
        )
        count += 1
    session.flush()
    return count


def acknowledge(
    session: Session, hit_id: int, agency: str, note: str, actor: str, now: datetime | None = None
) -> Hit:
    hit = session.get(Hit, hit_id)
    if hit is None:
        raise HitError(f"hit {hit_id} does not exist")
    if hit.owner_agency != agency:
        raise HitError(
            f"hit {hit_id} belongs to {hit.owner_agency}; {agency} cannot acknowledge it"
        )
    if hit.status != "new":
        raise HitError(f"hit {hit_id} is already {hit.status}")
    now = now or utcnow()
    hit.status = "acknowledged"
    hit.acknowledged_at = now
    hit.acknowledged_by = actor
    hit.note = note
    record_event(
        session,
        actor=actor,
        agency=agency,
        action="hit.acknowledge",
        object_type="hit",
        object_id=str(hit.id),
        purpose="owner acknowledged the hit",
        details={"note": note},
    )
    return hit


def close(session: Session, hit_id: int, agency: str, status: str, note: str, actor: str) -> Hit:
    """Mark an acknowledged hit actioned or dismissed (an analyst's decision, recorded)."""
    if status not in ("actioned", "dismissed"):
        raise HitError(f"status must be actioned or dismissed, not '{status}'")
    hit = session.get(Hit, hit_id)
    if hit is None or hit.owner_agency != agency:
        raise HitError(f"hit {hit_id} is not {agency}'s")
    if hit.status not in ("new", "acknowledged"):
        raise HitError(f"hit {hit_id} is already {hit.status}")
    hit.status = status
    hit.note = (hit.note + "\n" + note).strip()
    record_event(
        session,
        actor=actor,
        agency=agency,
        action=f"hit.{status}",
        object_type="hit",
        object_id=str(hit.id),
        purpose="analyst decision",
        details={"note": note},
    )
    return hit


def hit_rows(session: Session, agency: str, status: str | None = None) -> list[dict[str, Any]]:
    """Hits where `agency` is the owner or the querying side, as plain dicts for the policy."""
    stmt = select(Hit).where((Hit.owner_agency == agency) | (Hit.querying_agency == agency))
    if status:
        stmt = stmt.where(Hit.status == status)
    contacts = {a.code: a.contact for a in session.execute(select(Agency)).scalars()}
    rows = []
    for hit in session.execute(stmt.order_by(Hit.id)).scalars():
        query = session.get(Record, hit.query_record_id)
        matched = session.get(Record, hit.matched_record_id)
        assert query is not None and matched is not None
        rows.append(
            {
                "id": hit.id,
                "status": hit.status,
                "score": round(hit.score, 4),
                "owner_agency": hit.owner_agency,
                "owner_contact": contacts.get(hit.owner_agency, ""),
                "querying_agency": hit.querying_agency,
                "query_source_id": query.source_id,
                "query_name": query.primary_name,
                "matched_source_id": matched.source_id,
                "matched_name": matched.primary_name,
                "explanation": hit.explanation,
                "created_at": hit.created_at.isoformat(timespec="seconds"),
                "deadline": hit.deadline.isoformat(timespec="seconds"),
                "escalation_level": hit.escalation_level,
                "note": hit.note,
            }
        )
    return rows
