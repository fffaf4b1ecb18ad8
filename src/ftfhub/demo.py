"""`ftfhub demo`: the synthetic world through the whole loop, measured against its truth.

Builds the world's files, loads them owner by owner into a fresh SQLite file (each load
raising hits against the other owners), lets one owner acknowledge, lets time pass so the
rest escalate, verifies the audit chain, and reports hit precision and recall against the
generator's ground truth and false hits on innocent travellers, with time per stage.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import Role
from ftfhub.index import ScreeningIndex
from ftfhub.services import Caller, Context, Database
from ftfhub.services.audit_queries import verify
from ftfhub.services.hits import acknowledge, list_hits
from ftfhub.services.ingest import ingest_file
from ftfhub.services.schedule import escalate
from ftfhub.settings import Settings
from ftfhub.store.models import Hit, Record


@dataclass
class DemoReport:
    records: Counter[str] = field(default_factory=Counter)
    hits_owned: Counter[str] = field(default_factory=Counter)
    hits: int = 0
    true_hits: int = 0
    true_pairs: int = 0
    found_pairs: int = 0
    innocents: int = 0
    innocents_hit: int = 0
    escalated: int = 0
    acknowledged: int = 0
    audit_events: int = 0
    audit_ok: bool = False
    stages: dict[str, float] = field(default_factory=dict)
    database: str = ""

    @property
    def precision(self) -> float:
        return self.true_hits / self.hits if self.hits else 1.0

    @property
    def recall(self) -> float:
        return self.found_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def false_hit_rate(self) -> float:
        return self.innocents_hit / self.innocents if self.innocents else 0.0

    def render(self, console: Console) -> None:
        owners = Table(title="Records and hits per owner")
        for column in ("owner", "records", "hits to answer"):
            owners.add_column(column, justify="right" if column != "owner" else "left")
        for owner in sorted(self.records):
            owners.add_row(owner, str(self.records[owner]), str(self.hits_owned[owner]))
        console.print(owners)
        quality = Table(title="Hits against the generator's ground truth")
        quality.add_column("measure")
        quality.add_column("value", justify="right")
        quality.add_row("hits raised", str(self.hits))
        quality.add_row("precision (hits that are the same person)", f"{self.precision:.3f}")
        quality.add_row(
            "recall (cross-owner record pairs of one person found)",
            f"{self.recall:.3f}  ({self.found_pairs}/{self.true_pairs})",
        )
        quality.add_row(
            "innocent travellers with a false hit",
            f"{self.innocents_hit} of {self.innocents} "
            f"({self.false_hit_rate * 1000:.2f} per 1,000)",
        )
        quality.add_row("hits acknowledged / escalated", f"{self.acknowledged} / {self.escalated}")
        quality.add_row(
            "audit chain", f"{'intact' if self.audit_ok else 'BROKEN'} ({self.audit_events} events)"
        )
        console.print(quality)
        stages = Table(title="Time per stage")
        stages.add_column("stage")
        stages.add_column("seconds", justify="right")
        for stage, seconds in self.stages.items():
            stages.add_row(stage, f"{seconds:.1f}")
        stages.add_row("total", f"{sum(self.stages.values()):.1f}")
        console.print(stages)
        console.print(f"database: {self.database}")


def _truth(path: Path) -> tuple[dict[tuple[str, str], str], set[tuple[str, str]]]:
    person: dict[tuple[str, str], str] = {}
    innocents: set[tuple[str, str]] = set()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = (row["agency"], row["record_id"])
            person[key] = row["person_id"]
            if row["role"] == "innocent":
                innocents.add(key)
    return person, innocents


def run_demo(
    workdir: Path,
    *,
    fighters: int = 300,
    travellers: int = 20000,
    seed: int = 7,
    console: Console | None = None,
) -> DemoReport:
    from ftfhub.scenario import build_world

    console = console or Console(stderr=True)
    report = DemoReport()
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    started = time.perf_counter()
    world = build_world(workdir / "files", seed=seed, fighters=fighters, travellers=travellers)
    report.stages["generate the world"] = time.perf_counter() - started
    url = f"sqlite:///{(workdir / 'ftfhub.db').resolve()}"
    report.database = url
    db = Database(url)
    threshold = Settings.from_env().hit_threshold
    index = ScreeningIndex()  # kept across loads, as a long-running hub would
    for agency, kind, path in world.inputs:
        started = time.perf_counter()
        ctx = _as(db, agency, Role.ANALYST)
        ingest = ingest_file(ctx, path, kind, threshold=threshold, index=index)
        report.stages[f"load {path.name} ({agency})"] = time.perf_counter() - started
        console.print(
            f"{agency:7} {path.name}: {ingest.added} records, {ingest.hits_raised} hits, "
            f"{len(ingest.errors)} rejected"
        )
    started = time.perf_counter()
    _lifecycle(db, report)
    report.stages["acknowledge, escalate, verify audit"] = time.perf_counter() - started
    with db.transaction() as session:
        _evaluate(session, world.truth, report)
    db.dispose()
    return report


def _as(db: Database, agency: str, role: Role) -> Context:
    return Context(db, Caller(f"demo-{role.value}-{agency.lower()}", agency, role))


def _lifecycle(db: Database, report: DemoReport) -> None:
    with db.transaction() as session:
        first = session.execute(select(Hit.owner_agency).order_by(Hit.id).limit(1)).scalar()
    if first is not None:
        analyst = _as(db, first, Role.ANALYST)
        for hit in list_hits(analyst).owned:
            acknowledge(analyst, hit.id, "seen, checking")
            report.acknowledged += 1
    report.escalated = len(escalate(_as(db, "HUB", Role.ADMIN), utcnow() + timedelta(days=3)))
    result = verify(_as(db, "HUB", Role.AUDITOR))
    report.audit_ok, report.audit_events = result.ok, result.events_checked


def _evaluate(session: Session, truth_path: Path, report: DemoReport) -> None:
    person, innocents = _truth(truth_path)
    rows = session.execute(select(Record.id, Record.agency_code, Record.source_id)).all()
    key_of = {r.id: (r.agency_code, r.source_id) for r in rows}
    for agency, count in session.execute(
        select(Record.agency_code, func.count()).group_by(Record.agency_code)
    ).all():
        report.records[agency] = count
    found: set[frozenset[tuple[str, str]]] = set()
    hit_innocents: set[tuple[str, str]] = set()
    for hit in session.execute(select(Hit)).scalars():
        a, b = key_of[hit.query_record_id], key_of[hit.matched_record_id]
        report.hits += 1
        report.hits_owned[hit.owner_agency] += 1
        if person.get(a) is not None and person.get(a) == person.get(b):
            report.true_hits += 1
            found.add(frozenset((a, b)))
        else:  # an innocent matched to somebody else
            hit_innocents.update(k for k in (a, b) if k in innocents)
    by_person: dict[str, list[tuple[str, str]]] = {}
    for key, pid in person.items():
        if key not in innocents:
            by_person.setdefault(pid, []).append(key)
    for key, pid in person.items():
        if key in innocents:  # an innocent deported by one owner and flying is one person too
            by_person.setdefault(f"innocent:{pid}", []).append(key)
    true_pairs = {
        frozenset((x, y))
        for keys in by_person.values()
        for i, x in enumerate(keys)
        for y in keys[i + 1 :]
        if x[0] != y[0]
    }
    report.true_pairs = len(true_pairs)
    report.found_pairs = len(found & true_pairs)
    report.innocents = len(innocents)
    report.innocents_hit = len(hit_innocents)
