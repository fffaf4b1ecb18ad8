"""Retention and review: every Record has a legal basis and a review-by date; the owner sees
what is overdue, and a supervisor purges it, leaving a tombstone in the audit trail that
names no person (the owner's reference, the dates, the legal basis — never content)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction
from ftfhub.policy import Permission, check
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context
from ftfhub.services.denials import guarded
from ftfhub.store.models import Record
from ftfhub.store.records import delete_records, reference


@dataclass(frozen=True)
class DueRecord:
    record_id: str
    reference: str
    legal_basis: str
    review_by: date


@guarded()
def overdue_records(ctx: Context, today: date | None = None) -> tuple[DueRecord, ...]:
    """The caller's agency's Records (every version) past their review-by date."""
    check(ctx.caller.viewer, Permission.RECORDS_REVIEW)
    day = today or utcnow().date()
    with ctx.db.transaction() as session:
        rows = _due(session, ctx.caller.agency, day)
        found = tuple(
            DueRecord(r.source_id, reference(r), r.legal_basis, r.review_by)  # type: ignore[arg-type]
            for r in rows
        )
        audit(
            session,
            ctx,
            AuditAction.RECORDS_REVIEW,
            "agency",
            ctx.caller.agency,
            {"overdue": len(found)},
        )
    return found


@guarded()
def purge_overdue(ctx: Context, today: date | None = None) -> int:
    """Delete the caller's agency's overdue Records and the hits they are part of; one
    tombstone event per Record, in the same transaction."""
    check(ctx.caller.viewer, Permission.RECORDS_PURGE)
    day = today or utcnow().date()
    with ctx.db.transaction() as session:
        rows = _due(session, ctx.caller.agency, day)
        ids = [r.id for r in rows]
        if not ids:
            return 0
        for row in rows:
            audit(
                session,
                ctx,
                AuditAction.RECORDS_PURGE,
                "record",
                reference(row),
                {
                    "version": row.version,
                    "legal_basis": row.legal_basis,
                    "review_by": row.review_by.isoformat() if row.review_by else None,
                    "stored": row.created_at.date().isoformat(),
                },
                purpose="review date passed",
            )
        delete_records(session, ids)
    return len(ids)


def _due(session: Session, agency: str, day: date) -> list[Record]:
    stmt = select(Record).where(
        Record.agency_code == agency, Record.review_by.is_not(None), Record.review_by < day
    )
    return list(session.execute(stmt.order_by(Record.id)).scalars())
