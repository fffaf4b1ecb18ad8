"""A transaction that may put new rows into the process's live screening index.

The live index catches up with the rows a session can see, committed or not; if the
transaction then rolls back, the index would keep Records that were never stored (and a
row id SQLite hands out again). Forgetting the live indexes makes the next call load the
published index and catch up with what was really committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from ftfhub.services.context import Database
from ftfhub.services.index_access import forget_live_indexes


@contextmanager
def write_transaction(db: Database) -> Iterator[Session]:
    try:
        with db.transaction() as session:
            yield session
    except BaseException:
        forget_live_indexes()
        raise
