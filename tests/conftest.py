"""Shared pytest fixtures: a fresh database per test, on SQLite and on PostgreSQL, and the
fixture files.

The PostgreSQL server is a real one (Debian's, started by `scripts/postgres.sh tests`,
which `make test` and `.ci/run` call); each test gets its own database, copied from a
template migrated once per run. Without a server the PostgreSQL tests fail, never skip.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session

from ftfhub.store.db import open_session, seed_fresh_database, upgrade
from ftfhub.store.models import Base

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent
DATABASES = ("sqlite", "postgresql")
_numbers = itertools.count()


@pytest.fixture
def fixtures_dir() -> Path:
    """The folder of small synthetic input files (invented names only)."""
    return FIXTURES


def postgres_server_url() -> str:
    """The URL of the test server's maintenance database (`postgres`)."""
    url = os.environ.get("FTFHUB_TEST_POSTGRES_URL", "")
    kept = ROOT / ".pytest-postgres-url"
    if not url and kept.exists():
        url = kept.read_text(encoding="utf-8").strip()
    if not url:
        pytest.fail(
            "no PostgreSQL server for the tests: run scripts/postgres.sh tests (make test "
            "does) or set FTFHUB_TEST_POSTGRES_URL",
            pytrace=False,
        )
    return url


def _admin(sql: str) -> None:
    engine = create_engine(postgres_server_url(), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def _database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """One migrated database per run; each test starts from it emptied (`_empty`)."""
    name = f"ftfhub_t_{os.getpid()}"
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(f"CREATE DATABASE {name}")
    url = _database(postgres_server_url(), name)
    upgrade(url)
    yield url
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _empty(url: str) -> None:
    """Every table emptied and every sequence restarted, as a fresh migration leaves them
    (cheaper than a new database per test). A connection a test left open is ended first."""
    name = make_url(url).database
    _admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
    )
    tables = [t.name for t in Base.metadata.sorted_tables]
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            seed_fresh_database(conn)
    finally:
        engine.dispose()


def new_postgres_database() -> tuple[str, str]:
    """(URL, name) of a new, empty database on the test server."""
    name = f"ftfhub_e_{os.getpid()}_{next(_numbers)}"
    _admin(f"CREATE DATABASE {name}")
    return _database(postgres_server_url(), name), name


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new, migrated database: SQLite file, then PostgreSQL (each test runs on
    both)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/t.db"
        upgrade(url)
        yield url
        return
    url = request.getfixturevalue("postgres_database")
    _empty(url)
    # The database is emptied in place under the same URL: the process's live screening
    # index and its files must not outlive it.
    from ftfhub.services.index_access import forget_live_indexes

    forget_live_indexes()
    monkeypatch = request.getfixturevalue("monkeypatch")
    monkeypatch.setenv("FTFHUB_INDEX_DIR", str(tmp_path / "index"))
    yield url
    forget_live_indexes()


@pytest.fixture(params=DATABASES)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a new database with no schema at all (for migration tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.db"
        return
    url, name = new_postgres_database()
    yield url
    _admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    """A session on a new, migrated database (SQLite, then PostgreSQL)."""
    db = open_session(database_url, migrate=False)
    try:
        yield db
    finally:
        db.close()
        db.get_bind().dispose()  # type: ignore[union-attr]


# Property tests run the same examples on every machine: a failure is reproducible, and CI
# never fails on a draw it did not make before.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ftfhub", derandomize=True, database=None)
_hypothesis_settings.load_profile("ftfhub")
