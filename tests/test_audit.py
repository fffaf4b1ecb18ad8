"""Audit chain: every action appends a linked event; any alteration or removal is found."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ftfhub.audit.chain import record_event, verify_chain
from ftfhub.store.db import open_session
from ftfhub.store.models import AuditEvent


def _session(tmp_path: Path) -> Session:
    return open_session(f"sqlite:///{tmp_path / 'audit.db'}")


def _fill(session: Session, n: int = 5) -> None:
    for i in range(n):
        record_event(
            session,
            actor="analyst",
            agency="BE-FP",
            action="screen",
            object_type="file",
            object_id=f"f{i}",
            purpose="test",
            details={"i": i},
        )
    session.commit()


def test_intact_chain_verifies(tmp_path: Path) -> None:
    session = _session(tmp_path)
    _fill(session)
    result = verify_chain(session)
    assert result.ok and result.events_checked == 5
    assert verify_chain(session, expected_head=result.head).ok


def test_altered_event_is_named(tmp_path: Path) -> None:
    session = _session(tmp_path)
    _fill(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(purpose="changed"))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 3


def test_removed_event_is_named(tmp_path: Path) -> None:
    session = _session(tmp_path)
    _fill(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id == 2))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 2


def test_truncated_tail_is_found_with_the_kept_head(tmp_path: Path) -> None:
    session = _session(tmp_path)
    _fill(session)
    head = verify_chain(session).head
    session.execute(delete(AuditEvent).where(AuditEvent.id == 5))
    session.commit()
    assert verify_chain(session).ok  # a shorter chain is consistent on its own...
    assert not verify_chain(session, expected_head=head).ok  # ...but not with the kept head


def test_rehashed_event_breaks_the_next_link(tmp_path: Path) -> None:
    session = _session(tmp_path)
    _fill(session)
    event = session.execute(select(AuditEvent).where(AuditEvent.id == 2)).scalar_one()
    event.details = {"i": 99}
    from ftfhub.audit.chain import _digest

    event.hash = _digest(event)  # a forger who recomputes this hash still breaks event 3
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 3
