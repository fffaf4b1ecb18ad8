"""From stored rows to the facts the policy cuts down (HeldRecord, HitFacts)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ftfhub.domain.vocab import Disclosure, HitStatus
from ftfhub.policy import record_level
from ftfhub.policy.disclose import Grants, terms
from ftfhub.policy.views import HeldRecord, HitFacts
from ftfhub.store.identities import IdentityMember
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


def told_of(session: Session, agency: str, row: Record) -> bool:
    """Whether `agency` was told that `row` exists: its own, or a Record it may see beyond
    hit-only, or one in a hit `agency` is party to (hit/no-hit: a partner learns that a hit
    exists, and whom to contact, when screening raises one — it does not browse what exists),
    or one resolved into an Identity with a Record of `agency`'s.
    Whatever else is asked for by reference is answered as if it did not exist."""
    if row.agency_code == agency:
        return True
    if (
        held(row).level is not Disclosure.HIT_ONLY
        or grants(session).get((row.agency_code, agency), Disclosure.HIT_ONLY)
        is not Disclosure.HIT_ONLY
    ):
        return True
    in_hit = (
        select(Hit.id)
        .where(
            or_(Hit.query_record_id == row.id, Hit.matched_record_id == row.id),
            or_(Hit.owner_agency == agency, Hit.querying_agency == agency),
        )
        .limit(1)
    )
    if session.execute(in_hit).first() is not None:
        return True
    return _in_identity_with(session, agency, row)


def _in_identity_with(session: Session, agency: str, row: Record) -> bool:
    """`row` resolved into one Identity with a current Record of `agency`'s: the caller's
    identities name it (by reference), as a hit would."""
    identity = (
        select(IdentityMember.identity_id)
        .where(IdentityMember.record_id == row.id)
        .scalar_subquery()
    )
    own = (
        select(IdentityMember.record_id)
        .join(Record, Record.id == IdentityMember.record_id)
        .where(
            IdentityMember.identity_id == identity,
            Record.agency_code == agency,
            Record.superseded.is_(False),
        )
        .limit(1)
    )
    return session.execute(own).first() is not None
