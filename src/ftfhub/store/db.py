"""Engine and sessions for any SQLAlchemy URL; the schema is brought up to date by Alembic.

SQLite (the default) is one file shared by every process that opens it: each transaction that
may write begins IMMEDIATE, taking the file's write lock up front, and a process that finds it
taken waits (busy timeout) instead of failing — so concurrent loads queue, and no transaction
can read a stale chain head and then fail to write. A transaction that only reads (`TxMode.READ`)
begins DEFERRED and takes no lock: in WAL mode it reads the last committed state while a
writer works, instead of queueing behind every audit commit; the connection is `query_only`
meanwhile, so a write slipped into it fails at once rather than racing for the lock.
PostgreSQL needs nothing of the kind: its row locks (`SELECT … FOR UPDATE` on the audit head)
do the same job; a read transaction there is declared READ ONLY.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ftfhub.store.models import AuditHead, HubInstance

SQLITE_BUSY_SECONDS = 60.0
SQLITE_BUSY_MS = int(SQLITE_BUSY_SECONDS * 1000)
AUDIT_KEY_INFO = "audit_key"
"""Key of `Session.info` holding the audit signing key, if one is configured."""


TX_MODE = "ftfhub_tx"
"""Execution option of an engine whose transactions begin in a `TxMode` (`mode_engine`)."""


class TxMode(StrEnum):
    WRITE = "write"
    """May write: on SQLite the file's write lock is taken at BEGIN, waiting for it if need be."""
    READ = "read"
    """Reads only: no lock taken (SQLite WAL), a write in it fails; READ ONLY on PostgreSQL."""
    WRITE_NOW = "write-now"
    """As WRITE, but on SQLite fails at once (`is_busy`) when another holds the write lock."""


def mode_engine(engine: Engine, mode: TxMode) -> Engine:
    """`engine` (the same pool) whose transactions begin in `mode`."""
    return engine if mode is TxMode.WRITE else engine.execution_options(**{TX_MODE: mode.value})


def is_busy(exc: BaseException) -> bool:
    """The error SQLite raises when a `WRITE_NOW` transaction finds the write lock taken."""
    return isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower()


class DatabaseError(Exception):
    """The database named by the settings cannot be used; the message says why."""


def _check_url(url: str) -> None:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            f"FTFHUB_DATABASE_URL {url!r} is not a database URL (expected e.g. "
            "sqlite:///ftfhub.db or postgresql+psycopg://user:password@host/dbname)"
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise DatabaseError(f"the folder of the SQLite database does not exist: {folder}")


def make_engine(url: str) -> Engine:
    _check_url(url)
    kwargs: dict[str, Any] = {}
    if url.startswith("sqlite"):
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_SECONDS}
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseError(f"FTFHUB_DATABASE_URL cannot be used: {exc}") from None
    except ImportError as exc:
        raise DatabaseError(
            f"the database driver for {make_url(url).drivername} is not installed: {exc}"
        ) from None
    if engine.dialect.name == "sqlite":
        _serialise_sqlite_writers(engine)
    elif engine.dialect.name == "postgresql":
        _declare_postgres_readers(engine)
    return engine


def _serialise_sqlite_writers(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(conn, _record):  # type: ignore[no-untyped-def]
        conn.isolation_level = None  # the driver's own BEGIN is replaced by ours below
        cur = conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        _into_wal(cur)
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        cur.close()
        _record.info[TX_MODE] = (False, SQLITE_BUSY_MS)  # what `_begin` compares with

    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        mode = TxMode(conn.get_execution_options().get(TX_MODE, TxMode.WRITE))
        # A pooled connection keeps its settings: set them only when the mode asks others.
        wanted = (mode is TxMode.READ, 0 if mode is TxMode.WRITE_NOW else SQLITE_BUSY_MS)
        if conn.info.get(TX_MODE) != wanted:
            conn.exec_driver_sql(f"PRAGMA query_only={int(wanted[0])}")
            conn.exec_driver_sql(f"PRAGMA busy_timeout={wanted[1]}")
            conn.info[TX_MODE] = wanted
        conn.exec_driver_sql("BEGIN" if mode is TxMode.READ else "BEGIN IMMEDIATE")


def _into_wal(cur: sqlite3.Cursor) -> None:
    """Put the file in WAL mode (a no-op once it is: the mode is kept in the file), waiting
    up to the busy timeout for another process's writer.

    A file the migration has just made is still in rollback-journal mode, and the first
    connections to it convert it. Converting reads the file's header under a shared lock and
    then asks for the write lock; SQLite does not call the busy handler for a connection that
    asks for the write lock while it holds a read (it could deadlock), so when two processes
    open a new database at once, the one that loses fails at once with "database is locked"
    whatever the busy timeout — a refusal's audit event lost, a command failed. The failed
    statement has changed nothing and holds no lock, so it is tried again here; by then the
    other has converted the file and it is a no-op."""
    deadline = time.monotonic() + SQLITE_BUSY_SECONDS
    while True:
        try:
            cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() >= deadline:
                raise
            time.sleep(0.005)


def _declare_postgres_readers(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get(TX_MODE) == TxMode.READ:
            conn.exec_driver_sql("SET TRANSACTION READ ONLY")


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("ftfhub.store") / "migrations"))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str) -> None:
    """Create or migrate the schema to the newest revision."""
    _check_url(url)
    command.upgrade(alembic_config(url), "head")


SCREENING_LOCK = 0x66746668  # "ftfh": the one advisory lock the hub takes on PostgreSQL


def lock_screening(session: Session) -> None:
    """Serialise raising hits across processes until the caller's transaction ends.

    Two loads committing at once would each screen their new Records against holdings that
    do not yet show the other's, and a person on both lists would raise no hit at all. On
    PostgreSQL a transaction-level advisory lock makes the second wait until the first has
    committed, and then see its Records; SQLite's transactions already begin IMMEDIATE, so
    writers are serialised there anyway.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCREENING_LOCK})


def seed_fresh_database(conn: Connection) -> None:
    """The rows a fresh migration leaves in an otherwise empty schema (the audit chain's
    genesis head), for tools that empty a database in place."""
    conn.execute(insert(AuditHead).values(id=1, last_id=0, head_hash="0" * 64, signature=""))
    conn.execute(insert(HubInstance).values(id=1, instance=str(uuid.uuid4())))


def database_instance(session: Session) -> str:
    """This database's own identifier (made with it); "" for one migrated before it existed."""
    row = session.get(HubInstance, 1)
    return row.instance if row is not None else ""


def open_session(url: str, migrate: bool = True, audit_key: bytes | None = None) -> Session:
    """A session on `url` (migrated first unless `migrate=False`). `audit_key`, a secret the
    database does not hold, signs the audit chain's head (see `ftfhub.audit.chain`)."""
    if migrate:
        upgrade(url)
    info = {AUDIT_KEY_INFO: audit_key} if audit_key else {}
    return sessionmaker(make_engine(url), expire_on_commit=False, info=info)()
