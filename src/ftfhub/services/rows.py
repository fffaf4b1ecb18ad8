"""From stored rows to the facts the policy cuts down (HeldRecord, HitFacts)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ftfhub.domain.vocab import Disclosure, HitStatus
from ftfhub.hits.lifecycle import IN_ORDER
from ftfhub.policy import record_level
from ftfhub.policy.disclose import Grants, terms
from ftfhub.policy.levels import seen_level
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
            id=h.ref,
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
    return list(session.execute(stmt.order_by(*IN_ORDER)).scalars())


def told_of(session: Session, agency: str, row: Record) -> bool:
    """Whether `agency` was told that `row` exists: its own, or a Record it may see beyond
    hit-only, or one in a hit `agency` is party to (hit/no-hit: a partner learns that a hit
    exists, and whom to contact, when screening raises one — it does not browse what exists).
    An identity run is not a hit (no owner is notified of it): a partner's hit-only Record
    resolved into an Identity with one of `agency`'s is not shown there, nor known by it.
    Whatever else is asked for by reference is answered as if it did not exist."""
    return row.id not in untold(session, agency, [row], grants(session))


def known(session: Session, agency: str, row: Record | None, asked: str) -> Record | None:
    """`row` if `agency` was told of it (`told_of`), else None. No Record at all (`row` None,
    asked of the agency `asked`) is checked as a stand-in hit-only Record of `asked`, with the
    same statements: a partner timing the answer learns no more than from its words."""
    probe = row if row is not None else stand_in(asked)
    told = told_of(session, agency, probe)
    return row if told and row is not None else None


def stand_in(agency: str) -> Record:
    """A hit-only Record of `agency` in no hit (a row id no row has), its reference one no
    reference can be (`AGENCY:------------`): checked where no Record was found, so that
    none costs what a Record the caller may not know of does."""
    return Record(
        id=-1,
        agency_code=agency,
        handling_code="H0",
        content_hash="-" * 64,
        data={"record_id": "", "kind": "watchlist", "names": [{"full": "", "type": "primary"}]},
    )


def untold(session: Session, agency: str, rows: Sequence[Record], shared: Grants) -> set[int]:
    """The ids of `rows` that `agency` was never told of: another agency's, shared with it
    as a hit only, and in no hit `agency` is party to."""
    hidden = {r.id for r in rows if seen_by(agency, r, shared) is Disclosure.HIT_ONLY}
    return hidden - _in_hits(session, agency, hidden)


def seen_by(agency: str, row: Record, shared: Grants) -> Disclosure:
    """How far `agency` sees `row`: its level, or what its owner granted `agency`."""
    granted = shared.get((row.agency_code, agency))
    return seen_level(
        agency, row.agency_code, held(row).level, {agency: granted} if granted else None
    )


def _in_hits(session: Session, agency: str, ids: set[int]) -> set[int]:
    """Of `ids`, those in a hit `agency` is party to (as owner or querying side)."""
    found: set[int] = set()
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        stmt = select(Hit.query_record_id, Hit.matched_record_id).where(
            or_(Hit.query_record_id.in_(part), Hit.matched_record_id.in_(part)),
            or_(Hit.owner_agency == agency, Hit.querying_agency == agency),
        )
        for query, matched in session.execute(stmt):
            found.update((query, matched))
    return found & ids
