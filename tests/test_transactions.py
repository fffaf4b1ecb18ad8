"""Transactions that only read never wait for a writer (on SQLite a writer holds the file's one
lock for the length of its transaction), and cannot write; a server's audit events are
committed on its event loop when the lock is free, and wait for it — without holding up the
loop — when another process holds it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError

from ftfhub.audit.chain import verify_chain
from ftfhub.domain.vocab import AuditAction, Role
from ftfhub.services import Caller, Context, Database
from ftfhub.services.auditing import entry
from ftfhub.services.group_commit import writer
from ftfhub.store.db import TxMode, is_busy, upgrade
from ftfhub.store.models import Agency, AuditEvent


def _agency(code: str) -> dict[str, str]:
    return {"code": code, "name": code, "contact": f"duty@{code.lower()}.example"}


def test_a_read_is_not_held_up_by_a_writer_and_sees_the_last_commit(database_url: str) -> None:
    db = Database(database_url)
    with db.transaction() as session:
        session.execute(insert(Agency).values(**_agency("BE-OLD")))
    holding, release = threading.Event(), threading.Event()

    def write() -> None:
        with db.transaction() as session:
            session.execute(insert(Agency).values(**_agency("BE-NEW")))
            holding.set()  # the write lock (SQLite) is held until this transaction ends
            release.wait(30)

    seen: list[set[str]] = []

    def read() -> None:
        with db.reading() as session:
            seen.append(set(session.scalars(select(Agency.code))))

    writing = threading.Thread(target=write)
    writing.start()
    try:
        assert holding.wait(10)
        reading = threading.Thread(target=read)
        reading.start()
        reading.join(5)  # a read that queued for the lock would wait the busy timeout (60 s)
        assert not reading.is_alive() and seen
        assert "BE-OLD" in seen[0] and "BE-NEW" not in seen[0]  # the last committed state
    finally:
        release.set()
        writing.join()
    with db.reading() as session:
        assert "BE-NEW" in set(session.scalars(select(Agency.code)))
    db.dispose()


def test_a_read_transaction_cannot_write_and_leaves_the_connection_as_it_was(
    database_url: str,
) -> None:
    db = Database(database_url)
    with pytest.raises(DBAPIError), db.reading() as session:
        session.execute(insert(Agency).values(**_agency("BE-RO")))
    with db.transaction() as session:  # the same pooled connection writes again
        session.execute(insert(Agency).values(**_agency("BE-RW")))
    with db.reading() as session:
        codes = set(session.scalars(select(Agency.code)))
    assert "BE-RW" in codes and "BE-RO" not in codes
    db.dispose()


def _sqlite(tmp_path: Path) -> tuple[Database, Path]:
    path = tmp_path / "hub.db"
    upgrade(f"sqlite:///{path}")
    return Database(f"sqlite:///{path}", migrate=False), path


def _other_process_holds_the_lock(path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode=WAL")  # as the hub's database always is
    other.execute("BEGIN IMMEDIATE")
    return other


def test_a_write_now_transaction_fails_at_once_when_the_lock_is_taken(tmp_path: Path) -> None:
    db, path = _sqlite(tmp_path)
    other = _other_process_holds_the_lock(path)
    with pytest.raises(DBAPIError) as refused, db.transaction(TxMode.WRITE_NOW) as session:
        session.execute(insert(Agency).values(**_agency("BE-NOW")))
    assert is_busy(refused.value)
    other.execute("COMMIT")
    with db.transaction() as session:  # an ordinary writer waits again, and writes
        session.execute(insert(Agency).values(**_agency("BE-LATER")))
    other.close()
    db.dispose()


def test_a_new_database_opened_while_another_process_writes_waits_for_it(tmp_path: Path) -> None:
    """A migrated file is still in rollback-journal mode until a connection puts it in WAL;
    SQLite calls no busy handler for that connection's ask for the write lock, so two
    processes opening a new database at once failed one of them at once with "database is
    locked" (a command failed, or a refusal's audit event was lost) whatever the busy
    timeout. Now it waits."""
    path = tmp_path / "hub.db"
    upgrade(f"sqlite:///{path}")
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    assert other.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    other.execute("BEGIN IMMEDIATE")  # another process writing before the file is in WAL
    threading.Timer(0.3, other.execute, ["COMMIT"]).start()
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.transaction() as session:
        session.execute(insert(Agency).values(**_agency("BE-FIRST")))
    with db.reading() as session:
        assert session.scalar(select(Agency.code)) == "BE-FIRST"
        assert session.connection().exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    other.close()
    db.dispose()


def _ctx(db: Database) -> Context:
    return Context(db, Caller("be-analyst", "BE-FP", Role.ANALYST), "case 12")


def test_events_of_one_loop_turn_are_committed_on_the_loop(tmp_path: Path) -> None:
    db, _ = _sqlite(tmp_path)
    ctx = _ctx(db)

    async def requests() -> None:
        events = [entry(ctx, AuditAction.SCREEN, "api", f"q{n}") for n in range(8)]
        await asyncio.gather(*(writer(db).append_async(event) for event in events))

    asyncio.run(requests())
    assert writer(db)._thread is None  # no hand-over to the writer thread and back
    with db.reading() as session:
        ids = set(session.scalars(select(AuditEvent.object_id)))
        assert {f"q{n}" for n in range(8)} <= ids
        assert verify_chain(session).ok
    db.dispose()


def test_an_event_waits_for_a_lock_held_elsewhere_and_the_loop_goes_on(tmp_path: Path) -> None:
    db, path = _sqlite(tmp_path)
    other = _other_process_holds_the_lock(path)

    async def request() -> int:
        task = asyncio.ensure_future(
            writer(db).append_async(entry(_ctx(db), AuditAction.SCREEN, "api", "held"))
        )
        turns = 0
        while turns < 10:  # the loop keeps serving while the event waits for the lock
            await asyncio.sleep(0.01)
            turns += 1
        assert not task.done()  # not answered before its event is committed
        other.execute("COMMIT")
        await asyncio.wait_for(task, 30)
        return turns

    assert asyncio.run(request()) == 10
    with db.reading() as session:
        found = session.scalar(select(AuditEvent).where(AuditEvent.object_id == "held"))
        assert found is not None and found.purpose == "case 12"
        assert verify_chain(session).ok
    other.close()
    db.dispose()
