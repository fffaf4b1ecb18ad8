"""Shared pytest fixtures: a fresh database per test and the fixture files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from ftfhub.store.db import open_session

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fixtures_dir() -> Path:
    """The folder of small synthetic input files (invented names only)."""
    return FIXTURES


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    """A session on a new, migrated SQLite database in the test's own folder."""
    db = open_session(f"sqlite:///{tmp_path}/t.db")
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
