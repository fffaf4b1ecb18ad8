"""The screening index as the services get it: the persisted index beside the database,
loaded once per process and kept in step with the store.

The database is the truth. On first use in a process the live index is loaded from disk
(`index.store.IndexStore`) — or built and published when there is none, or when it was built
by another model version — then brought up to date. Every later call checks the store in one
aggregate query: rows newer than the index's high-water mark are added; when the number of
current Records still differs (a correction superseded a row, a purge deleted one), the ids
are compared in full and the difference applied. An index that had to take in many changes is
published again, so the next start is quick too.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Engine, Select, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from ftfhub.domain import RecordData
from ftfhub.index import ScreeningIndex
from ftfhub.index.location import index_root
from ftfhub.index.store import IndexStore
from ftfhub.services.context import Database
from ftfhub.store.db import database_instance
from ftfhub.store.models import Record

BATCH = 5000
REPUBLISH_AFTER = 50_000
_LIVE: dict[str, ScreeningIndex] = {}  # one live index per database, for the process
_LOCK = threading.Lock()
_CHECKED: dict[str, float] = {}  # when each live index was last brought up to date
CATCH_UP_SECONDS = 1.0
FULL_CHECK_SECONDS = 60.0
_FULL_CHECKED: dict[str, float] = {}
_LOCK_RUNNING = threading.Lock()
log = logging.getLogger("ftfhub.index")


def screening_index(session: Session, *, fresh: bool = True, full: bool = True) -> ScreeningIndex:
    """Every current Record, keyed by its row id, under its owner (so an owner can be left
    out of its own screening). With `fresh=False` (a server answering many queries a
    second) the store is checked for changes at most every `CATCH_UP_SECONDS`; this
    process's own ingests are always caught up, since they ask for a fresh index."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    url = engine.url.render_as_string(hide_password=False)
    instance = database_instance(session)
    with _LOCK:
        index = _LIVE.get(url)
        if index is None or index.extra.get("instance") != instance:
            index = _LIVE[url] = open_index(session, url, instance)
            _FULL_CHECKED[url] = time.monotonic()  # opening it was a full check
        elif fresh or time.monotonic() - _CHECKED.get(url, 0.0) >= CATCH_UP_SECONDS:
            catch_up(index, session, full=full)
        _CHECKED[url] = time.monotonic()
        return index


def live_index(db: Database, *, fresh: bool = False) -> ScreeningIndex:
    """The live index of `db`. Loading it, or `fresh`, waits for the store; otherwise the
    index is returned at once and, when it was last brought up to date more than
    `CATCH_UP_SECONDS` ago, one background thread catches it up (a request never waits for
    another process's ingest to be indexed; what it is shown is checked against the store)."""
    url = make_url(db.url).render_as_string(hide_password=False)
    index = _LIVE.get(url)  # a dict read needs no lock: a catch-up may be holding it
    if index is not None and not fresh:
        if time.monotonic() - _CHECKED.get(url, 0.0) >= CATCH_UP_SECONDS:
            _catch_up_soon(db, url)
        return index
    with db.transaction() as session:
        return screening_index(session, fresh=True)


_RUNNING: set[str] = set()


def _catch_up_soon(db: Database, url: str) -> None:
    with _LOCK_RUNNING:
        if url in _RUNNING:
            return
        _RUNNING.add(url)

    def run() -> None:
        try:
            full = time.monotonic() - _FULL_CHECKED.get(url, 0.0) >= FULL_CHECK_SECONDS
            with db.reading() as session:  # never holds up a writer (the audit's commits)
                screening_index(session, fresh=True, full=full)
            if full:
                _FULL_CHECKED[url] = time.monotonic()
        except Exception:
            log.exception("the screening index could not catch up with the store")
            _CHECKED[url] = time.monotonic()  # try again later, not on every request
        finally:
            with _LOCK_RUNNING:
                _RUNNING.discard(url)

    threading.Thread(target=run, name="ftfhub-index-catch-up", daemon=True).start()


def forget_live_indexes() -> None:
    """Drop the process's live indexes (a test that swaps the database under a URL)."""
    with _LOCK:
        _LIVE.clear()


def open_index(session: Session, url: str, instance: str | None = None) -> ScreeningIndex:
    """The index on disk if it was built from this very database (the instance identifier
    made with the database, not its name: a database made again under the same URL, or
    another one reached from the same folder, starts a new index), brought up to date."""
    instance = database_instance(session) if instance is None else instance
    root = index_root(url)
    store = IndexStore(root) if root is not None else None
    index = store.load() if store is not None else None
    fresh = index is None or index.extra.get("instance") != instance
    if index is None or fresh:
        index = ScreeningIndex(keep_features=False)
        index.extra["instance"] = instance
    changed = catch_up(index, session)
    if store is not None and (fresh or changed >= REPUBLISH_AFTER or not store.current()):
        store.publish(index)
    return index


def catch_up(index: ScreeningIndex, session: Session, *, full: bool = True) -> int:
    """Apply the store's changes since the index was last brought up to date; how many.
    Without `full`, only rows added since (one primary-key lookup, then those rows):
    counting the current Records to notice corrections and purges reads the whole table,
    which a server does only every `FULL_CHECK_SECONDS` (what it shows is checked against
    the store in the meantime)."""
    count: int | None = None
    top: int | None
    if full:
        current = select(func.count(), func.max(Record.id)).where(Record.superseded.is_(False))
        count, top = session.execute(current).one()
    else:
        top = session.execute(select(func.max(Record.id))).scalar()
    high = int(str(index.extra.get("high_water", 0)))
    changed = 0
    if top is not None and top > high:
        newer = _COLUMNS.where(Record.id > high, Record.superseded.is_(False))
        changed += add_rows(index, _streamed(session, newer.order_by(Record.id)))
        index.extra["high_water"] = int(top)
    if count is not None and count != len(index):
        changed += _full_sync(index, session)
    return changed


def _full_sync(index: ScreeningIndex, session: Session) -> int:
    stmt = select(Record.id).where(Record.superseded.is_(False))
    current = set(session.execute(stmt).scalars())
    indexed = {int(key) for key in index.positions}
    removed = sum(index.remove(str(key)) for key in indexed - current)
    return removed + add_rows(index, _rows(session, current - indexed))


# What the index needs of a Record, read as plain rows: ORM objects would stay in the
# session's identity map until it ends (a million of them, gigabytes, when an index is built).
_COLUMNS = select(Record.id, Record.data, Record.agency_code, Record.superseded)
IndexRow = tuple[int, Any, str, bool]


def _streamed(session: Session, stmt: Select[int, Any, str, bool]) -> Iterator[IndexRow]:
    """The rows of `stmt` fetched `BATCH` at a time, never all held at once."""
    yield from session.execute(stmt.execution_options(yield_per=BATCH))  # rows are tuples


def _rows(session: Session, ids: Iterable[int]) -> Iterator[IndexRow]:
    wanted = sorted(ids)
    for start in range(0, len(wanted), BATCH):
        chunk = wanted[start : start + BATCH]
        yield from _streamed(session, _COLUMNS.where(Record.id.in_(chunk)))


def add_rows(index: ScreeningIndex, rows: Iterable[IndexRow]) -> int:
    """Index stored Records (each under its id and owner); superseded ones are removed."""
    count = 0
    for row_id, data, owner, superseded in rows:
        key = str(row_id)
        if superseded:
            index.remove(key)
            continue
        index.add(key, RecordData.from_json(data), owner)
        count += 1
    return count
