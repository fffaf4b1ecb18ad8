"""Resolution runs: cluster every current Record into Identities, without holding the
database's write lock while scoring.

A run reads what it needs in a read transaction (on SQLite no lock, so every audited read,
load and screening goes on meanwhile), scores outside any transaction, and saves in one
short write transaction that first checks that nothing it read has changed: the current
Records (ids and content), the latest run, and the analysts' judgements. If something has
(a load, a purge, a judgement, another run), it reads and scores again — a run saved on
stale data would leave out a new Record or override a fresh judgement. Before, the whole
run was one write transaction: every audited read waited behind it (hits list 4.7 s alone,
35.7 s during a resolve on the demo hub), and a run longer than the busy timeout made them
fail with "database is locked".
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain import RecordData
from ftfhub.domain.vocab import AuditAction
from ftfhub.linkage import Edge, Judgement, LinkageModel, Resolution, link_new, resolve
from ftfhub.linkage.resolve import build_table
from ftfhub.linkage.spec import MODEL_VERSION
from ftfhub.policy import Permission, check
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context, InvalidRequest, TryAgainLater
from ftfhub.services.denials import guarded
from ftfhub.store import identities as store
from ftfhub.store.models import Record
from ftfhub.store.records import current_records, record_data

ATTEMPTS = 5
"""Reads and scorings before a run gives up because the Records keep changing under it."""
BACKOFF = 1.0
"""Seconds waited before the second try; doubled before each later one (at most
`MAX_BACKOFF`), each wait drawn between half and one and a half times that, so that runs
started together, or a run and a steady loader, fall out of step rather than collide again."""
MAX_BACKOFF = 30.0
sleep = time.sleep  # a test may replace it

# What each part of `_state` is, to say what changed under a run.
_CHANGES = (
    "records were loaded, corrected or purged",
    "another resolution run was saved",
    "an analyst recorded a judgement",
)


@dataclass(frozen=True)
class Retry:
    """Why a run reads and scores again, and after how long: for a face to say so."""

    attempt: int  # the try about to start (2 …)
    attempts: int
    changed: tuple[str, ...]
    wait: float


Item = tuple[str, str, RecordData]


@dataclass(frozen=True)
class RunSummary:
    run_id: int
    mode: str  # full / incremental
    engine: str
    records: int
    new_records: int
    identities: int
    model_version: str


@dataclass(frozen=True)
class _Read:
    """What a run scores, read in one read transaction."""

    items: list[Item]
    model: LinkageModel | None
    judged: list[Judgement]
    previous: Resolution | None  # the previous run's clusters' evidence, for an increment
    members: frozenset[int]


def judged(session: Session) -> list[Judgement]:
    """The latest judgement on each pair (a later decision overrides an earlier one)."""
    latest: dict[frozenset[int], store.Judgement] = {}
    for j in store.judgements(session):
        latest[frozenset((j.left_record_id, j.right_record_id))] = j
    return [
        Judgement(str(j.left_record_id), str(j.right_record_id), j.same) for j in latest.values()
    ]


def _state(session: Session) -> tuple[object, ...]:
    """What a run depends on, to tell at saving whether it changed since it was read: the
    current Records (id and content), the latest run, the judgements."""
    records = session.execute(
        select(Record.id, Record.content_hash)
        .where(Record.superseded.is_(False))
        .order_by(Record.id)
    ).all()
    run = session.execute(select(func.max(store.ResolutionRun.id))).scalar()
    judgements = session.execute(
        select(func.count(), func.max(store.Judgement.id)).select_from(store.Judgement)
    ).one()
    return (tuple(map(tuple, records)), run, tuple(judgements))


def _read(session: Session, full: bool, retrain: bool) -> _Read:
    rows = current_records(session)
    items = [(str(r.id), r.agency_code, record_data(r)) for r in rows]
    last = store.latest_run(session)
    model = None
    if last is not None and not retrain and last.model_version == MODEL_VERSION:
        model = LinkageModel.from_json(json.loads(last.model))  # else: a new model
    members = store.memberships(session)
    current = {r.id for r in rows}
    previous = None
    # an increment (only the new Records scored) when every Record of the last run is current
    if model and last and members and not full and set(members) <= current:
        old = [i for i in items if int(i[0]) in members]
        previous = _previous(model, old, store.evidence(session), last.threshold)
    return _Read(items, model, judged(session), previous, frozenset(members))


def _previous(
    model: LinkageModel,
    items: Sequence[Item],
    evidence: Iterable[tuple[int, int, float]],
    threshold: float,
) -> Resolution:
    rows, _ = build_table(items, model.frequencies)
    edges = [Edge(str(a), str(b), w) for a, b, w in evidence]
    return Resolution([], edges, model, rows, threshold)


def _score(read: _Read, engine: str, threshold: float) -> tuple[Resolution, list[Item]]:
    if read.previous is not None:
        new = [i for i in read.items if int(i[0]) not in read.members]
        return link_new(read.previous, new, engine, read.judged, threshold=threshold), new
    return resolve(read.items, engine, threshold, read.model, read.judged), read.items


def _save(
    session: Session,
    ctx: Context,
    engine: str,
    threshold: float,
    scored: tuple[Resolution, list[Item]],
    incremental: bool,
) -> RunSummary:
    result, new = scored
    run = store.save_run(
        session,
        store.ResolutionRun(
            at=utcnow(),
            engine=engine,
            threshold=threshold,
            mode="incremental" if incremental else "full",
            model_version=result.model.version,
            model=json.dumps(result.model.to_json()),
        ),
        [[int(k) for k in c] for c in result.clusters],
        ((int(e.left), int(e.right), e.weight) for e in result.edges),
    )
    details = {"mode": run.mode, "engine": engine, "threshold": threshold}
    details |= {"records": run.records, "identities": run.identities, "new": len(new)}
    audit(
        session,
        ctx,
        AuditAction.IDENTITIES_RESOLVE,
        "resolution_run",
        str(run.id),
        details,
        purpose=ctx.purpose or "identity resolution",
    )
    return RunSummary(
        run.id, run.mode, engine, run.records, len(new), run.identities, run.model_version
    )


def backoff(attempt: int) -> float:
    """Seconds to wait after the `attempt`-th try (1 …) found the Records changed: growing,
    jittered."""
    return min(BACKOFF * 2.0 ** (attempt - 1), MAX_BACKOFF) * random.uniform(0.5, 1.5)


def _changed(seen: tuple[object, ...], now: tuple[object, ...]) -> tuple[str, ...]:
    found = tuple(what for what, a, b in zip(_CHANGES, seen, now, strict=False) if a != b)
    return found or (_CHANGES[0],)


@guarded()
def resolve_identities(
    ctx: Context,
    engine: str = "duckdb",
    threshold: float = 0.9,
    full: bool = False,
    retrain: bool = False,
    *,
    on_retry: Callable[[Retry], None] | None = None,
) -> RunSummary:
    """Cluster every current Record. With a previous run whose Records are all still current
    (and no `full`), only the new Records are scored, against the old and among themselves,
    with the previous run's model; otherwise every pair is scored (training a model when
    there is none, or with `retrain`). Scored outside the write lock; saved only if nothing
    it read has changed, else read and scored again after a growing, jittered wait
    (`on_retry` is told why and how long); after `ATTEMPTS` tries nothing is saved."""
    check(ctx.caller.viewer, Permission.RESOLVE)
    if not 0.0 < threshold < 1.0:
        raise InvalidRequest(f"--threshold {threshold}: give a probability between 0 and 1")
    started, changes = time.monotonic(), set[str]()
    for attempt in range(1, ATTEMPTS + 1):
        with ctx.db.reading() as session:
            seen = _state(session)  # first: a change after it is seen at saving
            read = _read(session, full, retrain)
        scored = _score(read, engine, threshold)
        with ctx.db.transaction() as session:
            now = _state(session)
            if now == seen:
                return _save(session, ctx, engine, threshold, scored, read.previous is not None)
        changed = _changed(seen, now)
        changes.update(changed)
        if attempt < ATTEMPTS:
            wait = backoff(attempt)
            if on_retry is not None:
                on_retry(Retry(attempt + 1, ATTEMPTS, changed, wait))
            sleep(wait)
    raise TryAgainLater(_gave_up(changes, time.monotonic() - started))


def _gave_up(changes: set[str], seconds: float) -> str:
    what = "; ".join(c for c in _CHANGES if c in changes)
    return (
        f"resolution gave up after {ATTEMPTS} tries over {seconds:.0f} s: each time, before "
        f"it could save, what it had read changed ({what}), and a run saved on stale data "
        "would leave out a new record or override a fresh judgement. Nothing was saved: the "
        "last saved run's Identities stand. Run it again when loads are quieter (or pause "
        "loads while it runs)"
    )
