"""Two agencies' lists loaded into a fresh hub, and the queries tests of the sharing rules ask
of it: each Record's reference by its source id, and the refusals written to the trail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from acting import as_user
from ftfhub.clock import utcnow
from ftfhub.services import Database
from ftfhub.services.audit_report import audit_report
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import AuditEvent, Record
from ftfhub.store.records import reference

# One person in two agencies' lists: FR-DGSI's load raises a hit on BE-FP's BE-1, which BE-FP
# shares with partners at summary (H2).
ONE_HIT_LISTS = {
    "BE-FP": (
        "record_id,name,birth_date,nationality,gender,handling_code\n"
        "BE-1,Abdelkarim Zerouali,1987-04-08,BE,m,H2\n"
    ),
    "FR-DGSI": (
        "record_id,name,birth_date,nationality,gender,handling_code\n"
        "FR-1,Abdelkarim Zeroualli,1987-04-08,BE,m,H0\n"
    ),
}


def two_agencies(path: Path, lists: dict[str, str]) -> Iterator[Database]:
    """A hub at `path` holding each agency's list (CSV text), loaded in order, so a later list
    raises hits on an earlier one."""
    forget_live_indexes()
    database = Database(f"sqlite:///{path}")
    for agency, text in lists.items():
        csv = path.parent / f"{agency}.csv"
        csv.write_text(text, encoding="utf-8")
        ingest_file(as_user(database, agency), csv, "watchlist", threshold=0.8)
    yield database
    forget_live_indexes()


def refs(db: Database) -> dict[str, str]:
    with db.reading() as session:
        return {r.source_id: reference(r) for r in session.execute(select(Record)).scalars()}


def denied(db: Database) -> list[AuditEvent]:
    with db.reading() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == "access.denied")
        return list(session.execute(stmt.order_by(AuditEvent.id)).scalars())


def last_event(db: Database, action: str) -> AuditEvent:
    """The newest audit event of `action` (a test's step has just written it)."""
    with db.reading() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == action)
        event = session.scalars(stmt.order_by(AuditEvent.id.desc())).first()
    assert event is not None, f"no {action} event"
    return event


def disclosed_to_partners(
    db: Database, agency: str, action: str
) -> set[tuple[str, str, str, tuple[str, ...]]]:
    """The disclosure lines of `agency`'s audit report over the last hour written by `action`:
    (source, recipient, level, references)."""
    report = audit_report(as_user(db, agency), agency, utcnow() - timedelta(hours=1))
    return {
        (d.source, d.recipient, d.level, d.references)
        for d in report.disclosures
        if d.action == action
    }
