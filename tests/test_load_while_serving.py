"""A load screens its Records before it takes the write lock, and keeps every guarantee.

The API answers (its audit event committed) while a load is held in the middle of its
screening; a load planned before another process's load committed still raises the hit
across the two; a load whose store keeps changing ends holding the lock, with every hit;
and the hits, versions and audit events of a planned load are those of one done wholly under
the lock. Real SQLite files, real processes where two loads meet.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import aliased

from ftfhub.api import create_app
from ftfhub.audit.chain import Entry, record_events, verify_chain
from ftfhub.domain.vocab import AuditAction
from ftfhub.services import Context, Database
from ftfhub.services import ingest as ingest_service
from ftfhub.services.auditing import entry
from ftfhub.services.identity import authenticate
from ftfhub.services.ingest import ingest_file
from ftfhub.store.db import TxMode, is_busy
from ftfhub.store.models import AuditEvent, Hit, Record
from test_crash_recovery import PAIRS, _env, _hit_pairs, _hub

FR_LIST = (
    "record_id,name,birth_date,nationality\n"
    "FR-1,Abdelkarim Zerouali,1987-04-08,BE\n"
    "FR-2,Noor Vandermeulen,1990-06-06,BE\n"
)


def _held_load(
    folder: Path, token: str, point: str, url: str | None = None
) -> tuple[subprocess.Popen[bytes], Path]:
    """BE-PIU's manifest loading in another process, held at `point` until the returned
    file exists."""
    marker, resume = folder / f"held-{point}", folder / f"resume-{point}"
    env = _env(
        folder,
        token,
        url,
        FTFHUB_PAUSE_AT=point,
        FTFHUB_PAUSE_FILE=str(marker),
        FTFHUB_RESUME_FILE=str(resume),
        FTFHUB_PAUSE_SECONDS="120",
    )
    args = ["ingest", str(folder / "pax.csv"), "--kind", "travel"]
    process = subprocess.Popen(
        [sys.executable, "-c", "from ftfhub.cli import main; main()", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, f"the load ended before reaching {point}"
        assert time.monotonic() < deadline, f"the load never reached {point}"
        time.sleep(0.05)
    return process, resume


def _finish(process: subprocess.Popen[bytes], resume: Path) -> None:
    resume.write_text("go", encoding="utf-8")
    assert process.wait(timeout=120) == 0


def test_the_api_answers_while_a_load_is_held_in_its_screening(
    tmp_path: Path, database_url: str
) -> None:
    """SQLite: the load has taken no lock yet; PostgreSQL: it is inside its transaction."""
    _api_answers_while_held(tmp_path, database_url, "ingest.screening")


def test_a_load_holding_its_new_hits_blocks_the_api_only_on_sqlite(
    tmp_path: Path, database_url: str
) -> None:
    """The load's hits are raised, its transaction open. PostgreSQL: the chain's head is
    not locked yet (its audit events are written last), so the API's events do not wait.
    SQLite: the write lock is held, from storing the rows to the commit (the short part)."""
    if database_url.startswith("sqlite"):
        db, tokens = _hub(tmp_path, database_url)
        process, resume = _held_load(tmp_path, tokens["BE-PIU"], "ingest.hits", database_url)
        try:
            event = Entry("t", "FR-DGSI", "screen", "test", "1")
            with pytest.raises(OperationalError) as refused, db.transaction(TxMode.WRITE_NOW) as s:
                record_events(s, [event])
            assert is_busy(refused.value)
        finally:
            _finish(process, resume)
        assert _hit_pairs(db) == sorted(PAIRS)
        db.dispose()
    else:
        _api_answers_while_held(tmp_path, database_url, "ingest.hits")


def _api_answers_while_held(folder: Path, url: str, point: str) -> None:
    """While BE-PIU's load is held at `point`, an audit event commits at once and `/match`
    answers; afterwards the load finishes with every hit."""
    db, tokens = _hub(folder, url)
    process, resume = _held_load(folder, tokens["BE-PIU"], point, url)
    try:
        caller = authenticate(db, tokens["FR-DGSI"])
        # The write lock (SQLite) or the chain's head (PostgreSQL) is free: a transaction
        # that refuses to wait for it commits.
        with db.transaction(TxMode.WRITE_NOW) as session:
            if not url.startswith("sqlite"):
                session.execute(text("SET LOCAL lock_timeout = '2s'"))
            event = entry(Context(db, caller, "t"), AuditAction.SCREEN, "test", "1")
            record_events(session, [event])
        with TestClient(create_app(db, escalate_every=0)) as client:
            answer = client.post(
                "/match",
                json={"queries": {"q": {"name": "Karim Haddadi", "birth_date": "1979-11-20"}}},
                headers={"Authorization": f"Bearer {tokens['FR-DGSI']}", "X-Purpose": "check"},
            )
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"]["q"][0]["held"]["agency"] == "BE-FP"
        with db.reading() as session:
            answered = select(AuditEvent).where(
                AuditEvent.action == AuditAction.SCREEN.value,
                AuditEvent.actor == caller.name,
                AuditEvent.purpose == "check",
            )
            assert len(session.scalars(answered).all()) == 1  # committed before answering
            loaded = session.scalars(select(Record).where(Record.agency_code == "BE-PIU"))
            assert list(loaded) == []  # nothing of the held load is visible yet
    finally:
        _finish(process, resume)
    assert _hit_pairs(db) == sorted(PAIRS)
    with db.reading() as session:
        assert verify_chain(session).ok
    db.dispose()


def test_a_load_planned_before_another_commits_raises_the_hit_across_them(
    tmp_path: Path,
) -> None:
    """BE-PIU's load has screened its travellers when FR-DGSI's list, with one of them on
    it, commits; BE-PIU's load then stores: its traveller must hit FR-DGSI's record too."""
    db, tokens = _hub(tmp_path)
    (tmp_path / "fr.csv").write_text(FR_LIST, encoding="utf-8")
    process, resume = _held_load(tmp_path, tokens["BE-PIU"], "ingest.screened")
    try:
        fr = Context(db, authenticate(db, tokens["FR-DGSI"]), "test")
        assert ingest_file(fr, tmp_path / "fr.csv", "watchlist").added == 2
    finally:
        _finish(process, resume)
    assert ("T-1", "FR-1") in _hit_pairs(db)
    assert set(_hit_pairs(db)) == PAIRS | {("T-1", "FR-1"), ("FR-1", "BE-1")}
    db.dispose()


def test_a_load_whose_store_keeps_changing_ends_under_the_lock_with_every_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every plan finds another load committed since its snapshot: after `PLAN_TRIES` the
    load is planned holding the lock, and hits each of the lists that came in between."""
    db, tokens = _hub(tmp_path)
    fr = Context(db, authenticate(db, tokens["FR-DGSI"]), "test")
    came: list[str] = []
    inside = [False]

    def another_load(name: str) -> None:
        if name != "ingest.screened" or inside[0]:  # not in FR-DGSI's own load
            return
        n = len(came) + 1
        path = tmp_path / f"fr-{n}.csv"
        path.write_text(FR_LIST.replace("FR-", f"FR{n}-"), encoding="utf-8")
        came.append(f"FR{n}-1")
        inside[0] = True
        try:
            ingest_file(fr, path, "watchlist")
        finally:
            inside[0] = False

    monkeypatch.setattr(ingest_service, "checkpoint", another_load)
    piu = Context(db, authenticate(db, tokens["BE-PIU"]), "test")
    report = ingest_file(piu, tmp_path / "pax.csv", "travel")
    assert len(came) == ingest_service.PLAN_TRIES
    assert report.added == 4 and report.hits_raised == 3 + len(came)
    between = {("T-1", key) for key in came} | {(key, "BE-1") for key in came}
    assert set(_hit_pairs(db)) == PAIRS | between
    db.dispose()


def _details(db: Database) -> list[tuple[object, ...]]:
    """Everything a load leaves, row ids included, but for times and hashes."""
    query, matched = aliased(Record), aliased(Record)
    with db.reading() as session:
        hits = session.execute(
            select(
                Hit.id, query.source_id, matched.source_id, Hit.owner_agency, Hit.score,
                Hit.explanation, Hit.ref,
            )
            .join(query, Hit.query_record_id == query.id)
            .join(matched, Hit.matched_record_id == matched.id)
            .order_by(Hit.id)
        ).all()  # fmt: skip
        records = session.execute(
            select(
                Record.id, Record.agency_code, Record.source_id, Record.version,
                Record.superseded, Record.screened_at.is_(None), Record.batch_id,
            ).order_by(Record.id)
        ).all()  # fmt: skip
        events = session.execute(
            select(AuditEvent.id, AuditEvent.action, AuditEvent.object_id, AuditEvent.details)
            .where(AuditEvent.action.in_(["ingest", "hit.create"]))
            .order_by(AuditEvent.id)
        ).all()
    # A hit's deadline is in its event's details to the minute: two runs a few seconds apart
    # may fall either side of a minute, so it is compared by its presence, not its value.
    # A load batch's name and a hit's reference are drawn at random: a batch is compared by
    # its form, a hit's event by the hit it names. So is the token each load was done with
    # (named in every event): by its presence.
    named = {hit.ref: hit.id for hit in hits}
    kept = [(row[0], row[1], named.get(row[2], _batch_form(row[1], row[2])),
             {k: ("…" if k in ("deadline", "token") else v) for k, v in row[3].items()})
            for row in events]  # fmt: skip
    return [*(tuple(h)[:-1] for h in hits), *map(tuple, records), *kept]


def _batch_form(action: str, name: str) -> str:
    if action == "ingest":
        assert re.fullmatch(r"B-[0-9a-f]{12}", name), name
        return "B-…"
    return name


def test_a_planned_load_leaves_what_a_load_under_the_lock_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same loads (a list queued with --no-hits, a manifest, the manifest corrected,
    the list again) planned ahead or done wholly under the lock."""
    results = {}
    for way, plan_tries in (("planned", ingest_service.PLAN_TRIES), ("locked", 0)):
        folder = tmp_path / way
        folder.mkdir()
        monkeypatch.setattr(ingest_service, "PLAN_TRIES", plan_tries)
        db, tokens = _hub(folder)
        piu = Context(db, authenticate(db, tokens["BE-PIU"]), "test")
        fr = Context(db, authenticate(db, tokens["FR-DGSI"]), "test")
        (folder / "fr.csv").write_text(FR_LIST, encoding="utf-8")
        ingest_file(fr, folder / "fr.csv", "watchlist", raise_hits=False)
        ingest_file(piu, folder / "pax.csv", "travel")
        changed = (folder / "pax.csv").read_text("utf-8").replace("1980-02-02", "1980-02-03")
        changed = changed.replace("1979-11-20,MA", "1979-11-21,MA")  # T-4 still hits BE-3
        (folder / "pax2.csv").write_text(changed, encoding="utf-8")
        report = ingest_file(piu, folder / "pax2.csv", "travel")
        assert (report.added, report.new_versions, report.unchanged) == (0, 2, 2)
        again = ingest_file(fr, folder / "fr.csv", "watchlist")
        assert (again.added, again.unchanged, again.hits_raised) == (0, 2, 0)
        results[way] = _details(db)
        with db.reading() as session:
            assert verify_chain(session).ok
        db.dispose()
    assert results["planned"] == results["locked"]
    assert any(row[1:3] == ("T-1", "FR-1") for row in results["planned"])
