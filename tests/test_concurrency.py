"""Eight processes ingesting, screening and acknowledging at once lose nothing, and leave an
audit chain that verifies — on SQLite (writers queue) and on PostgreSQL (row locks)."""

from __future__ import annotations

import itertools
import multiprocessing
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ftfhub.audit.chain import verify_chain
from ftfhub.domain.vocab import HitStatus, Role
from ftfhub.services import Caller, Context, Database
from ftfhub.services.hits import acknowledge, list_hits
from ftfhub.services.identity import add_agency, init_hub
from ftfhub.services.ingest import ingest_file
from ftfhub.services.screening import screen_file
from ftfhub.store.models import Hit, Record

AGENCIES = ("BE-FP", "DE-BKA", "FR-DGSI", "TR-EGM")
ACKERS = ("FR-DGSI", "TR-EGM")
SCREENERS = ("BE-FP", "DE-BKA")
PER_AGENCY = 8
SHARED = 4  # each agency's first persons are also on the next agency's list


def _invented_names() -> list[str]:
    """Distinct invented two-part names (no real person's), far apart from each other."""
    heads = ["Tarv", "Ombr", "Quil", "Zephr", "Mordw", "Brisk", "Faln", "Gorth", "Hulv", "Jask"]
    tails = ["anek", "ositz", "eldur", "umbra", "ovisk", "arrow"]
    firsts = ["Kelvadin", "Oristel", "Pravomir", "Sundeval", "Threnik", "Uldovar", "Varnesh"]
    names = []
    for i, (head, tail) in enumerate(itertools.product(heads, tails)):
        names.append(f"{firsts[i % len(firsts)]} {head}{tail}")
    return names


def _person(index: int) -> dict[str, str]:
    name = _invented_names()[index]
    return {"name": name, "birth_date": f"19{60 + index % 30}-0{1 + index % 9}-1{index % 9}"}


def _lists(folder: Path) -> dict[str, Path]:
    """Agency k holds persons k*(PER_AGENCY-SHARED) … ; neighbours share SHARED persons."""
    files = {}
    step = PER_AGENCY - SHARED
    for k, agency in enumerate(AGENCIES):
        lines = ["record_id,name,birth_date,nationality"]
        for j in range(PER_AGENCY):
            person = _person(k * step + j)
            lines.append(f"{agency}-{j},{person['name']},{person['birth_date']},BE")
        files[agency] = folder / f"{agency}.csv"
        files[agency].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return files


def _expected_pairs() -> set[frozenset[tuple[str, str]]]:
    step = PER_AGENCY - SHARED
    holders: dict[int, list[tuple[str, str]]] = {}
    for k, agency in enumerate(AGENCIES):
        for j in range(PER_AGENCY):
            holders.setdefault(k * step + j, []).append((agency, f"{agency}-{j}"))
    return {frozenset(keys) for keys in holders.values() if len(keys) == 2}


def _as(db: Database, agency: str, role: Role = Role.ANALYST) -> Context:
    return Context(db, Caller(f"{role.value}@{agency.lower()}", agency, role), "concurrency test")


def _ingester(url: str, agency: str, path: str) -> None:
    ingest_file(_as(Database(url, migrate=False), agency), Path(path), "watchlist")


def _screener(url: str, agency: str, path: str) -> None:
    ctx = _as(Database(url, migrate=False), agency)
    for _ in range(3):
        screen_file(ctx, Path(path), threshold=0.5)


def _acker(url: str, agency: str, done: Any) -> None:
    ctx = _as(Database(url, migrate=False), agency)
    while True:
        finished = done.is_set()  # read before the pass: a last pass follows every load
        for hit in list_hits(ctx, HitStatus.NEW).owned:
            acknowledge(ctx, hit.id, "seen during a concurrent load")
        if finished:
            return


def _hub(url: str) -> Database:
    db = Database(url, migrate=False)
    init_hub(db)
    admin = Context(db, Caller("admin", "HUB", Role.ADMIN))
    for agency in AGENCIES:
        add_agency(admin, agency, f"Agency {agency}")
    return db


def test_eight_processes_at_once_lose_nothing(database_url: str, tmp_path: Path) -> None:
    db = _hub(database_url)
    files = _lists(tmp_path)
    queries = tmp_path / "queries.csv"
    queries.write_text(files["BE-FP"].read_text(encoding="utf-8"), encoding="utf-8")
    context = multiprocessing.get_context("fork")
    done = context.Event()
    loaders = [
        context.Process(target=_ingester, args=(database_url, a, str(files[a]))) for a in AGENCIES
    ]
    others = [
        context.Process(target=_screener, args=(database_url, a, str(queries))) for a in SCREENERS
    ] + [context.Process(target=_acker, args=(database_url, a, done)) for a in ACKERS]
    for process in loaders + others:
        process.start()
    for process in loaders:
        process.join(timeout=300)
    done.set()
    for process in others:
        process.join(timeout=300)
    assert [p.exitcode for p in loaders + others] == [0] * 8

    with db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Record)) == 4 * PER_AGENCY
        keys = {
            r.id: (r.agency_code, r.source_id) for r in session.execute(select(Record)).scalars()
        }
        hits = list(session.execute(select(Hit)).scalars())
        pairs = {frozenset((keys[h.query_record_id], keys[h.matched_record_id])) for h in hits}
        assert pairs == _expected_pairs()  # every shared person found once, nothing else
        assert len(hits) == len(pairs)
        for hit in hits:
            if hit.owner_agency in ACKERS:
                assert hit.status == HitStatus.ACKNOWLEDGED
        result = verify_chain(session)
    assert result.ok, result.reason
