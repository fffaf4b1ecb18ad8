"""From stored rows to the facts the policy cuts down (HeldRecord, HitFacts)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.domain.vocab import Disclosure, HitStatus
from ftfhub.policy import record_level
from ftfhub.policy.disclose import Grants, terms
from ftfhub.policy.views import HeldRecord, HitFacts
from ftfhub.store.models import DisclosureGrant, Hit, Record
from ftfhub.store.records import record_data, records_by_id, reference


def held(row: Record) -> HeldRecord:
    record = record_data(row)
    disclosure = dict(record.extra).get("disclosure")
    return HeldRecord(
        row_id=row.id,
        agency=row.agency_code,
        reference=reference(row),
        level=record_level(row.handling_code, disclosure),
        record=record,
        review_by=row.review_by,
    )


def hit_facts(session: Session, hits: Iterable[Hit]) -> list[HitFacts]:
    hits = list(hits)
    rows = records_by_id(
        session, [h.query_record_id for h in hits] + [h.matched_record_id for h in hits]
    )
    return [
        HitFacts(
            id=h.id,
            status=HitStatus(h.status),
            score=h.score,
            explanation=terms(h.explanation),
            created_at=h.created_at,
            deadline=h.deadline,
            escalation_level=h.escalation_level,
            note=h.note,
            query=held(rows[h.query_record_id]),
            matched=held(rows[h.matched_record_id]),
        )
        for h in hits
    ]


def grants(session: Session) -> Grants:
    """Owners' grants of more than a Record's level to named agencies."""
    rows = session.execute(select(DisclosureGrant)).scalars()
    return {(g.owner_agency, g.grantee_agency): Disclosure(g.level) for g in rows}


def hits_where(session: Session, *conditions: object) -> list[Hit]:
    stmt = select(Hit)
    for condition in conditions:
        stmt = stmt.where(condition)  # type: ignore[arg-type]
    return list(session.execute(stmt.order_by(Hit.id)).scalars())
