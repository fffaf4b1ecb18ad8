"""Audit chain: every action appends a linked event; any alteration or removal is found, on
SQLite and on PostgreSQL."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from ftfhub.audit.chain import _digest, record_event, verify_chain
from ftfhub.store.db import open_session
from ftfhub.store.models import AuditEvent, AuditHead


def _fill(session: Session, n: int = 5, start: int = 0) -> None:
    for i in range(start, start + n):
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


def test_intact_chain_verifies(session: Session) -> None:
    _fill(session)
    result = verify_chain(session)
    assert result.ok and result.events_checked == 5
    assert verify_chain(session, expected_head=result.head).ok


def test_a_new_hub_verifies_with_no_events(session: Session) -> None:
    result = verify_chain(session)
    assert result.ok and result.events_checked == 0


def test_altered_event_is_named(session: Session) -> None:
    _fill(session)
    session.execute(update(AuditEvent).where(AuditEvent.id == 3).values(purpose="changed"))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 3


def test_removed_event_is_named(session: Session) -> None:
    _fill(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id == 2))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 2


def test_truncated_tail_is_found_without_a_kept_head(session: Session) -> None:
    _fill(session)
    session.execute(delete(AuditEvent).where(AuditEvent.id >= 4))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 4 and "cut short" in result.reason


def test_emptied_chain_fails(session: Session) -> None:
    _fill(session)
    session.execute(delete(AuditEvent))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 1 and "emptied" in result.reason


def test_emptied_chain_and_head_fails(session: Session) -> None:
    _fill(session)
    session.execute(delete(AuditEvent))
    session.execute(delete(AuditHead))
    session.commit()
    result = verify_chain(session)
    assert not result.ok and "head record is missing" in result.reason


def test_reordered_events_are_named(session: Session) -> None:
    _fill(session)
    two, three = (
        session.execute(select(AuditEvent).where(AuditEvent.id == i)).scalar_one() for i in (2, 3)
    )
    two.details, three.details = three.details, two.details
    two.object_id, three.object_id = three.object_id, two.object_id
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 2


def test_truncated_tail_is_found_with_the_kept_head(session: Session) -> None:
    _fill(session)
    head = verify_chain(session).head
    session.execute(delete(AuditEvent).where(AuditEvent.id == 5))
    session.execute(update(AuditHead).values(last_id=4, head_hash=_hash_of(session, 4)))
    session.commit()
    assert verify_chain(session).ok  # head rewritten to match: consistent on its own...
    assert not verify_chain(session, expected_head=head).ok  # ...but not with the kept head


def _hash_of(session: Session, event_id: int) -> str:
    return session.execute(select(AuditEvent.hash).where(AuditEvent.id == event_id)).scalar_one()


def test_rehashed_event_breaks_the_next_link(session: Session) -> None:
    _fill(session)
    event = session.execute(select(AuditEvent).where(AuditEvent.id == 2)).scalar_one()
    event.details = {"i": 99}
    event.hash = _digest(event)  # a forger who recomputes this hash still breaks event 3
    session.commit()
    result = verify_chain(session)
    assert not result.ok and result.first_bad_id == 3


def test_a_chain_rewritten_end_to_end_fails_against_the_key(database_url: str) -> None:
    signed = open_session(database_url, migrate=False, audit_key=b"kept-off-the-database")
    _fill(signed)
    assert verify_chain(signed).ok
    # A forger with the database but not the key rewrites every event and the head.
    for event in signed.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
        event.purpose = "nothing to see"
        event.prev_hash = _hash_of(signed, event.id - 1) if event.id > 1 else "0" * 64
        event.hash = _digest(event)
        signed.flush()
    last = signed.execute(select(AuditEvent).order_by(AuditEvent.id.desc())).scalars().first()
    assert last is not None
    signed.execute(update(AuditHead).values(head_hash=last.hash))
    signed.commit()
    unsigned = open_session(database_url, migrate=False)
    assert verify_chain(unsigned).ok  # without the key the rewrite is consistent...
    unsigned.close()
    result = verify_chain(signed)
    assert not result.ok and "signature" in result.reason  # ...with it, it is not
    signed.close()


def _append_events(url: str, worker: int, count: int) -> None:
    session = open_session(url, migrate=False)
    for i in range(count):
        record_event(
            session,
            actor=f"worker-{worker}",
            agency="BE-FP",
            action="screen",
            object_type="file",
            object_id=f"w{worker}-{i}",
        )
        session.commit()
    session.close()


@pytest.mark.parametrize("processes", [8])
def test_concurrent_writers_never_fork_the_chain(database_url: str, processes: int) -> None:
    context = multiprocessing.get_context("fork")
    workers = [
        context.Process(target=_append_events, args=(database_url, w, 15)) for w in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        assert worker.exitcode == 0
    session = open_session(database_url, migrate=False)
    result = verify_chain(session)
    assert result.ok and result.events_checked == processes * 15, result.reason
    session.close()


def test_migrations_run_up_and_down(empty_database_url: str, tmp_path: Path) -> None:
    from alembic import command

    from ftfhub.store.db import alembic_config, upgrade

    upgrade(empty_database_url)
    cfg = alembic_config(empty_database_url)
    command.downgrade(cfg, "base")
    command.upgrade(cfg, "head")
    session = open_session(empty_database_url, migrate=False)
    _fill(session, 2)
    assert verify_chain(session).ok
    session.close()
    session.get_bind().dispose()  # type: ignore[union-attr]


def test_each_database_has_its_own_instance(database_url: str, tmp_path: Path) -> None:
    from ftfhub.store.db import database_instance

    first = open_session(database_url, migrate=False)
    other = open_session(f"sqlite:///{tmp_path / 'other.db'}")
    assert database_instance(first) and database_instance(first) != database_instance(other)
    first.close()
    other.close()
