"""Audit events of many concurrent requests committed together (group commit).

A server answering hundreds of screening requests a second would otherwise open one write
transaction per request just to append its audit event: on SQLite every such transaction
takes the file's one write lock, so the requests queue behind each other's commits. Here a
request hands its event to one writer thread per database and waits; the writer takes every
event that is waiting, appends them to the chain in one transaction (the head locked once)
and commits, then lets each request go on. A request therefore still answers only once its
event is committed — nothing is disclosed that the trail does not hold — and events that
arrive while a commit is under way form the next batch, so no time is spent waiting for
company when the server is quiet.

On a local SQLite file a server's coroutines do not even hand their events to the thread:
the events of every request that reached its audit in the same turn of the event loop are
committed together on the loop itself, at the end of that turn (a few hundred microseconds,
no lock wait: the commit is tried without waiting, `TxMode.WRITE_NOW`). Handing each event to
a thread and back cost two wake-ups and two hand-overs of the interpreter a request, which
under load took far longer than the commit. Only when the write lock is taken (another
process's load) or the commit fails do the events go to the writer thread, which waits for
the lock and isolates a bad event as before — the loop never waits for a lock.

Durability is the database's: on PostgreSQL a commit is on disk; SQLite runs in WAL mode
with `synchronous=NORMAL` (`store/db.py`), where a committed transaction survives the
process dying but the last few may be lost if the machine itself loses power.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ftfhub.audit.chain import Entry, record_events
from ftfhub.services.context import Database
from ftfhub.store.db import TxMode

MAX_BATCH = 500
IDLE_SECONDS = 30.0  # a writer with nothing to do for this long ends (a new one starts on use)


@dataclass
class _Waiting:
    entry: Entry
    done: threading.Event = field(default_factory=threading.Event)
    error: BaseException | None = None
    settled: Callable[[BaseException | None], None] | None = None  # an event loop's waiter

    def settle(self) -> None:
        self.done.set()
        if self.settled is not None:
            self.settled(self.error)


_OnLoop = tuple[_Waiting, "asyncio.Future[None]"]


class GroupCommit:
    """One writer thread for one database's audit events."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._queue: queue.SimpleQueue[_Waiting] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._turns: dict[asyncio.AbstractEventLoop, list[_OnLoop]] = {}

    def append(self, entry: Entry) -> None:
        """Append `entry` to the chain; return once it is committed (or raise why not)."""
        waiting = _Waiting(entry)
        self._put(waiting)
        waiting.done.wait()
        if waiting.error is not None:
            raise waiting.error

    async def append_async(self, entry: Entry) -> None:
        """As `append`, for a coroutine: the event loop goes on serving other requests
        while the event is committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()

        def settle(error: BaseException | None) -> None:
            loop.call_soon_threadsafe(_settle, future, error)

        waiting = _Waiting(entry, settled=settle)
        if self.db.local:
            turn = self._turns.get(loop)
            if turn is None:
                turn = self._turns[loop] = []
                loop.call_soon(self._commit_turn, loop)
            turn.append((waiting, future))
        else:
            self._put(waiting)
        await future

    def _commit_turn(self, loop: asyncio.AbstractEventLoop) -> None:
        """On the event loop: this turn's events in one transaction if the write lock is
        free now; else (or if it fails) to the writer thread, which waits and isolates."""
        turn = self._turns.pop(loop)
        try:
            with self.db.transaction(TxMode.WRITE_NOW) as session:
                record_events(session, [waiting.entry for waiting, _ in turn])
        except Exception:
            for waiting, _ in turn:
                self._put(waiting)
            return
        for waiting, future in turn:
            waiting.done.set()
            _settle(future, None)

    def _put(self, waiting: _Waiting) -> None:
        with self._lock:
            self._queue.put(waiting)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="ftfhub-audit-writer", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[_Waiting]) -> None:
        try:
            with self.db.transaction() as session:
                record_events(session, [w.entry for w in batch])
        except BaseException as exc:
            if len(batch) > 1:  # one bad event must not fail the others: one by one
                for waiting in batch:
                    self._commit([waiting])
                return
            batch[0].error = exc
        for waiting in batch:
            waiting.settle()


def _settle(future: asyncio.Future[None], error: BaseException | None) -> None:
    if future.done():  # the request was cancelled (its client went away)
        return
    if error is None:
        future.set_result(None)
    else:
        future.set_exception(error)


_WRITERS: dict[int, GroupCommit] = {}
_REGISTRY = threading.Lock()


def writer(db: Database) -> GroupCommit:
    """The process's writer for `db` (made on first use)."""
    with _REGISTRY:
        found = _WRITERS.get(id(db))
        if found is None or found.db is not db:
            found = _WRITERS[id(db)] = GroupCommit(db)
        return found
