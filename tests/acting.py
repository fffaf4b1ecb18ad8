"""Acting as a user in service-level tests: a Database on a test's file and a Context."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database
from ftfhub.services.ingest import IngestReport
from ftfhub.services.ingest import ingest_file as ingest_service


def database_of(session: Session) -> Database:
    url = session.get_bind().engine.url.render_as_string(hide_password=False)
    return Database(url, migrate=False)


def as_user(
    db: Database, agency: str, role: Role = Role.ANALYST, purpose: str = "a test"
) -> Context:
    """An analyst (or `role`) of `agency`; a stated purpose unless the test removes it."""
    return Context(db, Caller(f"{role.value}@{agency.lower()}", agency, role), purpose)


def ingest_with(session: Session, path: Path, agency: str, kind: str, **kw: Any) -> IngestReport:
    """Ingest through the service as an analyst of `agency`, then let `session` see it."""
    session.rollback()
    try:
        return ingest_service(as_user(database_of(session), agency), path, kind, **kw)
    finally:
        session.rollback()


def own_reference(db: Database, agency: str) -> str:
    """The reference of `agency`'s first current record: a subject a case of it may hold."""
    from sqlalchemy import select

    from ftfhub.store.models import Record
    from ftfhub.store.records import reference

    with db.reading() as session:
        stmt = select(Record).where(Record.agency_code == agency, Record.superseded.is_(False))
        row = session.execute(stmt.order_by(Record.id)).scalars().first()
    assert row is not None, f"{agency} holds no record"
    return reference(row)
