"""Audit exports on SQLite and PostgreSQL: a period that starts mid-chain, a chain rewritten
in the database after an earlier export, and a signed head."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from acting import as_user, database_of
from ftfhub.audit import chain
from ftfhub.audit.chain import _digest, record_event
from ftfhub.audit.export import Period
from ftfhub.domain.vocab import Role
from ftfhub.services import Database
from ftfhub.services.audit_export import export_trail
from ftfhub.store.models import AuditEvent, AuditHead
from verifier_tool import verifier

DAY0 = datetime(2026, 1, 1, 9, 0)


@pytest.fixture()
def daily(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each event written one day after the one before, from DAY0 (event n on day n-1)."""
    moments: Iterator[datetime] = (DAY0 + timedelta(days=n) for n in range(10_000))
    monkeypatch.setattr(chain, "utcnow", lambda: next(moments))


def _fill(session: Session, n: int) -> None:
    for i in range(n):
        record_event(
            session,
            actor="analyst@be-fp",
            agency="BE-FP",
            action="record.open",
            object_type="record",
            object_id=f"DE-BKA:r{i}",
            purpose="contrôle à la frontière",
            # Floats, Arabic script, quotes, a tab, U+2028 and DEL: each in its canonical form.
            details={"level": "summary", "score": 0.1 * i, "note": 'ملاحظة\t"x"\\ \u2028 \x7f'},
        )
    session.commit()


def _export(session: Session, period: Period | None = None, db: Database | None = None) -> bytes:
    """An auditor's export through the service (the test's session holds no lock meanwhile)."""
    session.rollback()
    db = db or database_of(session)
    period = period or Period()
    sink = io.BytesIO()
    export_trail(as_user(db, "HUB", Role.AUDITOR, purpose="oversight check"), sink, period)
    return sink.getvalue()


def _manifest(data: bytes) -> dict[str, object]:
    value: dict[str, object] = json.loads(data.splitlines()[-1])
    return value


@pytest.mark.usefixtures("daily")
def test_a_period_starting_mid_chain_links_to_the_hash_in_its_manifest(
    session: Session,
) -> None:
    _fill(session, 10)
    data = _export(session, Period(DAY0 + timedelta(days=4), DAY0 + timedelta(days=8)))
    manifest = _manifest(data)
    before = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == 4))
    assert (manifest["first_id"], manifest["last_id"], manifest["events"]) == (5, 8, 4)
    assert manifest["prev_hash"] == before and manifest["chain_head"]["id"] == 10  # type: ignore[index]
    assert verifier.verify(data).problems == []
    problem = verifier.verify(data, start_hash="a" * 64).problems[0]
    assert (problem.line, problem.field) == (1, "prev_hash")
    # An oversight body that kept the export of the days before links the two.
    earlier = _export(session, Period(None, DAY0 + timedelta(days=4)))
    assert _manifest(earlier)["last_hash"] == before
    anchors = [(4, str(before), "the earlier export")]
    assert verifier.verify(data, anchors=anchors).problems == []


@pytest.mark.usefixtures("daily")
def test_a_chain_rewritten_in_the_database_is_caught_by_an_earlier_export(
    session: Session,
) -> None:
    _fill(session, 6)
    earlier = _export(session)
    # Someone with the database rewrites event 3 and re-chains everything after it, head
    # included: the hub's own check and a fresh export both look whole.
    session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(purpose="routine"))
    prev = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == 2))
    for event in session.execute(
        select(AuditEvent).where(AuditEvent.id >= 3).order_by(AuditEvent.id)
    ).scalars():
        event.prev_hash = prev
        event.hash = prev = _digest(event)
    head = session.get(AuditHead, chain.HEAD_ID)
    assert head is not None
    head.head_hash = prev
    session.commit()
    assert chain.verify_chain(session).ok
    rewritten = _export(session)
    assert verifier.verify(rewritten).problems == []
    problems = verifier.verify(rewritten, anchors=verifier.anchors_from_bytes(earlier)).problems
    assert problems and problems[0].field == "hash" and "rewritten" in problems[0].message
    assert problems[0].line == 6  # the last event the earlier export vouched for


@pytest.mark.usefixtures("daily")
def test_a_signed_head_is_checked_with_the_key(session: Session) -> None:
    plain = database_of(session)
    db = Database(plain.url, migrate=False, audit_key=b"kept by the oversight body")
    with db.transaction() as signed:
        _fill(signed, 3)
    data = _export(session, db=db)
    result = verifier.verify(data, key=b"kept by the oversight body")
    assert result.problems == [] and any("signature matches" in n for n in result.notes)
    problem = verifier.verify(data, key=b"a guess").problems[0]
    assert problem.field == "chain_head" and "signature" in problem.message


@pytest.mark.usefixtures("daily")
def test_each_export_is_recorded_with_its_purpose_and_hash(session: Session) -> None:
    _fill(session, 2)
    data = _export(session)
    session.rollback()
    last = session.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
    assert last is not None and last.id == 3
    assert (last.action, last.actor, last.purpose) == (
        "audit.export",
        "auditor@hub",
        "oversight check",
    )
    assert last.details["sha256"] == hashlib.sha256(data).hexdigest()
    assert chain.verify_chain(session).ok
