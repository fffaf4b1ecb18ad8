"""`ftfhub demo`: the synthetic world through the whole loop, measured against its truth.

Builds the world's files, loads them owner by owner into a fresh SQLite file (each load
raising hits against the other owners), lets one owner acknowledge, lets time pass so the
rest escalate, verifies the audit chain and exports it as an oversight body would receive it
(`audit-export.jsonl`, for `tools/verify_audit_export.py`), and reports hit precision and
recall against the generator's ground truth and false hits on innocent travellers, with time
per stage.
"""

from __future__ import annotations

import csv
import shutil
import sys
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
from ftfhub.demo_hub import ADMIN, user_name
from ftfhub.domain.vocab import Role
from ftfhub.index import ScreeningIndex
from ftfhub.services import Context, Database
from ftfhub.services.audit_export import Period, export_trail
from ftfhub.services.audit_queries import verify
from ftfhub.services.hits import acknowledge, list_hits
from ftfhub.services.identity import HUB, IssuedToken, add_agency, add_user, authenticate, init_hub
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
    audit_export: str = ""
    """The trail as the auditor exported it, for the standalone verifier."""
    stages: dict[str, float] = field(default_factory=dict)
    database: str = ""
    users: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(name, agency, role, token) of every user the demo set up."""

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
        if self.audit_export:
            console.print(
                f"the audit trail as an oversight body receives it: {self.audit_export}\n"
                "check it without ftfhub: python3 tools/verify_audit_export.py "
                + self.audit_export,
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        stages = Table(title="Time per stage")
        stages.add_column("stage")
        stages.add_column("seconds", justify="right")
        for stage, seconds in self.stages.items():
            stages.add_row(stage, f"{seconds:.1f}")
        stages.add_row("total", f"{sum(self.stages.values()):.1f}")
        console.print(stages)
        console.print(f"database: {self.database}")
        self.render_users(console)

    def render_users(self, console: Console) -> None:
        """Whom to be next: each user's token on a line of its own (to copy whole), and the
        two lines that make you one of them."""
        console.print("\nTry the command line as each of these users (a synthetic hub):")
        for name, agency, role, token in self.users:
            line = f"  {name:22} {agency:7} {role:13} {token}"
            console.print(line, markup=False, highlight=False, soft_wrap=True)
        analyst = next((u for u in self.users if u[2] == "analyst"), None)
        # Commands the analyst may run, by the path that ran the demo (`.venv/bin/ftfhub`
        # after `make demo`, which a newcomer's shell does not find as plain `ftfhub`).
        prog = sys.argv[0] if Path(sys.argv[0]).name == "ftfhub" else "ftfhub"
        if analyst is not None:
            for line in (
                f"export FTFHUB_DATABASE_URL={self.database}",
                f"export FTFHUB_TOKEN={analyst[3]}   # {analyst[0]}",
                f"{prog} whoami; {prog} hits list; {prog} audit list",
            ):
                console.print(line, markup=False, highlight=False, soft_wrap=True)


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
    contexts = _users(db, sorted({agency for agency, _, _ in world.inputs}), report)
    threshold = Settings.from_env().hit_threshold
    index = ScreeningIndex()  # kept across loads, as a long-running hub would
    for agency, kind, path in world.inputs:
        started = time.perf_counter()
        ingest = ingest_file(
            contexts[(agency, Role.ANALYST)], path, kind, threshold=threshold, index=index
        )
        report.stages[f"load {path.name} ({agency})"] = time.perf_counter() - started
        console.print(
            f"{agency:7} {path.name}: {ingest.added} records, {ingest.hits_raised} hits, "
            f"{len(ingest.errors)} rejected"
        )
    started = time.perf_counter()
    _lifecycle(db, contexts, report)
    report.audit_export = str(_export_trail(contexts[(HUB, Role.AUDITOR)], workdir))
    report.stages["acknowledge, escalate, verify and export audit"] = time.perf_counter() - started
    with db.transaction() as session:
        _evaluate(session, world.truth, report)
    db.dispose()
    return report


def _users(
    db: Database, agencies: list[str], report: DemoReport
) -> dict[tuple[str, Role], Context]:
    """The hub's first admin, then per agency an analyst and a supervisor, and the hub's duty
    officer and auditor: real users with tokens, as a newcomer would set them up."""
    admin = Context(db, authenticate(db, _keep(report, init_hub(db, ADMIN))))
    wanted = [(HUB, Role.DUTY_OFFICER), (HUB, Role.AUDITOR)]
    for code in agencies:
        if code != HUB:
            add_agency(admin, code, f"{code} (synthetic)", f"duty-desk@{code.lower()}.example")
        wanted += [(code, Role.ANALYST), (code, Role.SUPERVISOR)]
    contexts = {(HUB, Role.ADMIN): admin}
    for code, role in wanted:
        token = _keep(report, add_user(admin, user_name(code, role), code, role))
        contexts[(code, role)] = Context(db, authenticate(db, token))
    return contexts


def _keep(report: DemoReport, issued: IssuedToken) -> str:
    report.users.append((issued.user, issued.agency, issued.role.value, issued.token))
    return issued.token


def _lifecycle(db: Database, contexts: dict[tuple[str, Role], Context], report: DemoReport) -> None:
    with db.transaction() as session:
        first = session.execute(select(Hit.owner_agency).order_by(Hit.id).limit(1)).scalar()
    if first is not None:
        analyst = contexts[(first, Role.ANALYST)]
        for hit in list_hits(analyst).owned:
            acknowledge(analyst, hit.id, "seen, checking")
            report.acknowledged += 1
    duty = contexts[(HUB, Role.DUTY_OFFICER)]
    # Three days pass: unanswered hits go to the owners' supervisors; three more, to the hub.
    report.escalated = len(escalate(duty, utcnow() + timedelta(days=3)))
    escalate(duty, utcnow() + timedelta(days=6))
    result = verify(contexts[(HUB, Role.AUDITOR)])
    report.audit_ok, report.audit_events = result.ok, result.events_checked


def _export_trail(auditor: Context, workdir: Path) -> Path:
    path = workdir / "audit-export.jsonl"
    with path.open("wb") as sink:
        export_trail(auditor.with_purpose("demo: the trail for an oversight body"), sink, Period())
    return path


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
