"""Raising hits for stored Records inside the caller's transaction, one audit event per hit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction, Disclosure
from ftfhub.hits.raising import raise_hits
from ftfhub.index import ScreeningIndex
from ftfhub.policy.levels import record_level
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context
from ftfhub.store.models import Agency, Hit, Record


def raise_for_rows(
    session: Session,
    ctx: Context,
    rows: Sequence[Record],
    index: ScreeningIndex,
    threshold: float,
) -> list[Hit]:
    now = utcnow()
    ack_hours = {a.code: a.ack_hours for a in session.execute(select(Agency)).scalars()}

    def deadline(_row: Record, owner: str, at: datetime) -> datetime:
        return at + timedelta(hours=ack_hours.get(owner, 48))

    hits = raise_hits(session, rows, index, threshold, now, deadline)
    # The level each querying Record is shared at: what the owner of the hit may be told.
    levels = {row.id: record_level(row.handling_code).value for row in rows}
    for hit in hits:
        audit(
            session,
            ctx,
            AuditAction.HIT_CREATE,
            "hit",
            str(hit.id),
            {
                "owner": hit.owner_agency,
                "score": round(hit.score, 4),
                "query_record": hit.query_record_id,
                "matched_record": hit.matched_record_id,
                "query_level": levels.get(hit.query_record_id, Disclosure.HIT_ONLY.value),
                "matched_level": Disclosure.HIT_ONLY.value,
            },
            purpose="notify owner of a match",
        )
    return hits
