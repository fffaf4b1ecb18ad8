"""Raising hits for stored Records inside the caller's transaction, one audit event per hit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.audit.chain import Entry, record_events
from ftfhub.clock import utcnow
from ftfhub.domain import RecordData
from ftfhub.domain.vocab import AuditAction, Disclosure
from ftfhub.hits import deadlines
from ftfhub.hits.raising import Screener, raise_hits
from ftfhub.policy.levels import record_level
from ftfhub.services.auditing import entry
from ftfhub.services.context import Context
from ftfhub.store.models import Agency, Hit, Record
from ftfhub.store.records import reference


def raise_for_rows(
    session: Session,
    ctx: Context,
    rows: Sequence[Record],
    index: Screener,
    threshold: float,
    events: list[Entry] | None = None,
) -> list[Hit]:
    """Raise the hits of `rows`, one audit event per hit: written at once, or appended to
    `events` for the caller to write (a load writes its events last, so that on PostgreSQL
    the audit chain's head is locked for the end of its transaction only)."""
    now = utcnow()
    refs = {row.id: reference(row) for row in rows}  # the Records by their owners' references
    agencies = {a.code: a for a in session.execute(select(Agency)).scalars()}

    def deadline(row: Record, matched_id: int, owner: str, at: datetime) -> datetime:
        matched = session.get(Record, matched_id)
        if matched is not None:
            refs[matched_id] = reference(matched)
        records = [RecordData.from_json(row.data)]
        if matched is not None:
            records.append(RecordData.from_json(matched.data))
        agency = agencies.get(owner)
        hours = (agency.ack_hours, agency.urgent_ack_hours) if agency else (48, 4)
        return deadlines.deadline(at, deadlines.is_urgent(at, *records), *hours)

    with session.no_autoflush:  # the hits are inserted together at the end, not one by one
        hits = raise_hits(session, rows, index, threshold, now, deadline)
    # The level each querying Record is shared at: what the owner of the hit may be told.
    levels = {row.id: record_level(row.handling_code).value for row in rows}
    made = [
        entry(
            ctx,
            AuditAction.HIT_CREATE,
            "hit",
            hit.ref,
            {
                "owner": hit.owner_agency,
                "score": round(hit.score, 4),
                "query_record": refs.get(hit.query_record_id, ""),
                "matched_record": refs.get(hit.matched_record_id, ""),
                "query_level": levels.get(hit.query_record_id, Disclosure.HIT_ONLY.value),
                "matched_level": Disclosure.HIT_ONLY.value,
                "deadline": hit.deadline.isoformat(timespec="minutes"),
            },
            purpose="notify owner of a match",
        )
        for hit in hits
    ]
    if events is None:
        record_events(session, made)
    else:
        events.extend(made)
    return hits
