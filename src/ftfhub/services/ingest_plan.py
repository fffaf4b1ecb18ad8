"""A load planned on a snapshot of the store and applied in a short write transaction.

Screening a big file's new Records costs seconds to minutes; on SQLite a transaction that
writes holds the file's one write lock, and every `/match` answer commits its audit event
first, so a load that screened under the lock made the API wait as long as the load ran.
Here the expensive part is done on a snapshot, under no lock:

1. `snapshot`: in one read transaction, which version each row of the file becomes (added,
   a new version, unchanged), the row ids they will have (SQLite hands out the next ids in
   order; PostgreSQL's are reserved from the sequence), the Records still queued for
   screening, and the screening index brought up to that same state;
2. `screen`: the new Records put into the index under their coming ids (part frequencies
   count them, as they did when they were screened after storing), and every new and
   queued Record screened against it — the same calls raising hits makes;
3. `apply`, under the write lock: only if the store is still as the snapshot saw it
   (`records_state`: any committed load, purge or screening of the queue changes it) the
   rows are stored, and the hits raised from the screens computed in 2 (`Replay`); their
   deadlines, what is already stored and the audit events are decided here, as before.
   If the store changed meanwhile (another process's load), nothing is written: the
   caller plans again, now seeing the other load's Records, so no pair across the two is
   left unscreened.

Done under the lock instead (`snapshot` in the write transaction itself), the same three
steps are the plain serial load: the fallback when the store keeps changing, and the way
on PostgreSQL, where a long write transaction blocks no reader and the audit chain's head
is only locked by the events written at its end.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlalchemy import Column, MetaData, Table, Text, func, insert, select, text, update
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain import RecordData
from ftfhub.index import ScreeningIndex
from ftfhub.index.screening import Match
from ftfhub.services.checkpoints import checkpoint
from ftfhub.services.index_access import forget_live_indexes, screening_index
from ftfhub.services.pending import pending_rows
from ftfhub.store.models import IngestBatch, Record
from ftfhub.store.records import current_of_sources, new_row

HIT_LIMIT = 20  # the matches raising hits asks for per Record (hits.raising)
UPDATE_CHUNK = 5000


Retention = tuple[str, date]
"""An owner's defaults for a Record that names none: legal basis, review-by date."""


class StoreChanged(Exception):
    """The store changed between the snapshot and the write lock: plan again."""


def records_state(session: Session) -> tuple[int | None, ...]:
    """What changes whenever the Records a load is screened against change: every load
    adds a batch, a purge deletes Records, screening the queue empties it (ids of batches
    are never handed out again: batches are not deleted)."""
    batches = session.execute(select(func.count(), func.max(IngestBatch.id))).one()
    records = session.execute(select(func.count(), func.max(Record.id))).one()
    # the queue's length (a search of the screened_at index), where counting the screened
    # rows scanned all of it: with the count of every row it says the same
    queued = session.execute(
        select(func.count()).select_from(Record).where(Record.screened_at.is_(None))
    ).scalar()
    return (*batches, *records, queued)


@dataclass
class Plan:
    """A load worked out on one state of the store (`state`)."""

    agency: str
    state: tuple[int | None, ...]
    rows: list[Record]  # new rows, ids set, not in any session; superseded ones flagged
    superseded: list[int]  # stored rows the file gives a new version of
    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    queued: list[Record] = field(default_factory=list)  # others' Records awaiting screening
    index: ScreeningIndex | None = None
    live: bool = False  # the process's live index (else one the caller keeps)
    found: dict[tuple[str, str, str], list[Match]] = field(default_factory=dict)
    matched: set[int] = field(default_factory=set)  # ids of new rows that matched anything
    indexed: list[str] = field(default_factory=list)
    values: list[dict[str, Any]] = field(default_factory=list)  # the rows as stored
    refused: list[tuple[int, str]] = field(default_factory=list)  # (position, stored kind)
    text_json: bool = False  # SQLite: `values["data"]` already the JSON text stored

    def undo(self) -> None:
        """Take this plan's uncommitted Records out of the index it put them in."""
        if self.live:
            forget_live_indexes()  # the next use loads the published index and catches up
        elif self.index is not None:
            for key in self.indexed:
                self.index.remove(key)
        self.indexed.clear()


def snapshot(
    session: Session,
    agency: str,
    records: Sequence[RecordData],
    *,
    raise_hits: bool,
    index: ScreeningIndex | None,
) -> Plan:
    """Classify the file's Records against the agency's current ones and read what
    screening needs, all from the state `session` sees."""
    state = records_state(session)
    current = current_of_sources(session, agency, (r.record_id for r in records))
    ids = _next_ids(session, len(records))
    plan = Plan(agency, state, [], [], text_json=session.get_bind().dialect.name == "sqlite")
    stand_in = IngestBatch(agency_code=agency)  # the batch is made under the write lock
    now = utcnow()
    mine: set[int] = set()
    for position, record in enumerate(records):
        data = record.to_json()
        digest = record.content_hash(data)
        previous = current.get(record.record_id)
        if previous is not None and previous.kind != record.kind:
            plan.refused.append((position, previous.kind))  # a version never changes kind
            continue
        if previous is not None and previous.content_hash == digest:
            plan.unchanged += 1
            continue
        version = 1
        if previous is not None:
            if id(previous) in mine:
                previous.superseded = True  # twice in one file: the later row wins
            else:
                plan.superseded.append(previous.id)
            version = previous.version + 1
            plan.new_versions += 1
        else:
            plan.added += 1
        row = new_row(stand_in, record, digest, version, now, data)
        row.id = ids[len(plan.rows)]
        mine.add(id(row))
        current[record.record_id] = row
        plan.rows.append(row)
    if raise_hits:
        plan.queued = [row for row in pending_rows(session) if not row.superseded]
        plan.live = index is None
        plan.index = index if index is not None else screening_index(session)
    return plan


def _next_ids(session: Session, count: int) -> list[int]:
    """The ids the next `count` Records stored will have: on SQLite the next ones after the
    highest (valid while the store does not change, which `apply` checks), on PostgreSQL
    reserved from the table's sequence (never handed out again)."""
    if not count:
        return []
    if session.get_bind().dialect.name == "postgresql":
        reserve = text(
            "SELECT nextval(pg_get_serial_sequence('records', 'id')) "
            "FROM generate_series(1, :n) ORDER BY 1"
        )
        return [int(value) for value in session.execute(reserve, {"n": count}).scalars()]
    top = session.execute(select(func.max(Record.id))).scalar() or 0
    return list(range(top + 1, top + 1 + count))


def screen(plan: Plan, threshold: float) -> None:
    """Index the plan's new Records and screen them and the queued ones, as raising hits
    does (`hits.raising.raise_hits`): the results wait in `plan.found` for `apply`, as do
    the rows' column values (`plan.values`)."""
    columns = [c.key for c in Record.__table__.columns]
    plan.values = [{c: getattr(row, c) for c in columns} for row in plan.rows]
    if plan.text_json:  # written as the JSON column writes it, before the lock is taken
        for values in plan.values:
            values["data"] = json.dumps(values["data"])
    index = plan.index
    if index is None:
        return
    if plan.live:
        # As the index catching up with the store would: the current new rows in id order,
        # then the versions they replace taken out.
        for row in plan.rows:
            if not row.superseded:
                _index(plan, index, row)
        for row_id in plan.superseded:
            index.remove(str(row_id))
        if plan.rows:
            index.extra["high_water"] = max(row.id for row in plan.rows if not row.superseded)
    else:
        for row in plan.rows:  # a caller's own index takes every new row, as it always did
            _index(plan, index, row)
    first = True
    for row in sorted([*plan.queued, *plan.rows], key=lambda r: r.id):
        if row.superseded:
            continue
        query = RecordData.from_json(row.data)
        matches = index.screen(
            query, limit=HIT_LIMIT, threshold=threshold, exclude_owner=row.agency_code
        )
        # the stored hash is the hash of `query` (a row's data read back hashes the same;
        # were it ever not to, the replay would only screen it again)
        plan.found[(row.agency_code, query.record_id, row.content_hash)] = matches
        if matches:
            plan.matched.add(row.id)
        if first:
            checkpoint("ingest.screening")  # a test stops here: no lock may be held
            first = False


def _index(plan: Plan, index: ScreeningIndex, row: Record) -> None:
    key = str(row.id)
    index.add(key, RecordData.from_json(row.data), row.agency_code)
    plan.indexed.append(key)


def _key(query: RecordData, owner: str) -> tuple[str, str, str]:
    return (owner, query.record_id, query.content_hash())


@dataclass
class Replay:
    """The screens `screen` computed, given again to raising hits under the write lock; a
    Record not screened then (none, while the store is as the plan saw it) is screened now."""

    plan: Plan
    threshold: float

    def screen(
        self,
        query: RecordData,
        limit: int = 10,
        threshold: float = 0.0,
        exclude_owner: str | None = None,
    ) -> Sequence[Match]:
        found = None
        if limit == HIT_LIMIT and threshold == self.threshold and exclude_owner is not None:
            found = self.plan.found.get(_key(query, exclude_owner))
        if found is None:
            assert self.plan.index is not None
            return self.plan.index.screen(query, limit, threshold, exclude_owner)
        return found


def store_rows(
    session: Session, plan: Plan, batch: IngestBatch, screened: bool, retention: Retention
) -> None:
    """Insert the plan's rows (ids as planned; the owner's `retention` defaults where the
    file gave none) and mark the versions they replace."""
    legal_basis, review_by = retention
    at = batch.created_at
    for values in plan.values:
        values.update(batch_id=batch.id, created_at=at, screened_at=at if screened else None)
        values["legal_basis"] = values["legal_basis"] or legal_basis
        values["review_by"] = values["review_by"] or review_by
    table = _TEXT_DATA if plan.text_json else cast(Table, Record.__table__)
    for start in range(0, len(plan.values), UPDATE_CHUNK):
        session.connection().execute(insert(table), plan.values[start : start + UPDATE_CHUNK])
    for start in range(0, len(plan.superseded), UPDATE_CHUNK):
        chunk = plan.superseded[start : start + UPDATE_CHUNK]
        session.execute(update(Record).where(Record.id.in_(chunk)).values(superseded=True))


def _text_data() -> Table:
    """The records table with its JSON column as plain text, to insert JSON made earlier
    (SQLite stores JSON as text: `json.dumps` of the value, as its JSON type would)."""
    columns = cast(Table, Record.__table__).columns
    return Table(
        "records",
        MetaData(),
        *(Column(c.name, Text() if c.name == "data" else c.type) for c in columns),
    )


_TEXT_DATA = _text_data()


def matched_rows(session: Session, plan: Plan) -> list[Record]:
    """The stored Records the plan's screens found, read in a few queries (raising a hit
    reads its matched Record for the deadline: from the session's map, not one by one);
    the caller keeps the list while raising, so the map keeps them."""
    wanted = sorted({int(match.key) for found in plan.found.values() for match in found})
    rows: list[Record] = []
    for start in range(0, len(wanted), UPDATE_CHUNK):
        chunk = wanted[start : start + UPDATE_CHUNK]
        rows.extend(session.execute(select(Record).where(Record.id.in_(chunk))).scalars())
    return rows


def to_raise(session: Session, plan: Plan) -> tuple[list[Record], list[Record]]:
    """The Records whose hits are raised now, in id order, as draining the queue raised
    them (the queued ones as the store has them now; new ones only if they matched
    anything: the others raise nothing), and the queued rows to mark screened."""
    queued = pending_rows(session)
    new = [row for row in plan.rows if row.id in plan.matched]
    current = [row for row in queued if not row.superseded]
    return sorted([*current, *new], key=lambda r: r.id), queued
