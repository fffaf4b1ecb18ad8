"""A resolution run scores outside the write lock: a read during it is not blocked beyond
the short save, a load during it is seen (the run reads and scores again), and nothing is
half-written (real SQLite with two connections, real PostgreSQL, real DuckDB)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from acting import as_user
from ftfhub.domain.vocab import Role
from ftfhub.services import Database, TryAgainLater, resolution
from ftfhub.services.audit_queries import verify
from ftfhub.services.identities import export_identities, identities_of, resolve_identities
from ftfhub.services.ingest import ingest_file
from test_identities_service import BE, DE, LATER, _seed_model


def _hub(url: str, tmp_path: Path) -> None:
    db = Database(url)
    for agency, text in (("BE-FP", BE), ("DE-BKA", DE)):
        path = tmp_path / f"{agency}.csv"
        path.write_text(text, encoding="utf-8")
        ingest_file(as_user(db, agency), path, "watchlist", raise_hits=False)
    _seed_model(db, tmp_path)
    db.dispose()


class Paused:
    """`resolution.resolve` that waits, while scoring, until the test lets it go."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real, self.calls = real, 0
        self.scoring, self.go = threading.Event(), threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.scoring.set()
        assert self.go.wait(60)
        return self.real(*args, **kwargs)


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["value"] = work()
        except BaseException as error:  # handed to the test
            out["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def test_an_audited_read_during_a_resolve_does_not_wait_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    _hub(url, tmp_path)
    paused = Paused(resolution.resolve)
    monkeypatch.setattr(resolution, "resolve", paused)
    running, ran = _in_thread(
        lambda: resolve_identities(as_user(Database(url), "HUB", purpose="nightly"), full=True)
    )
    assert paused.scoring.wait(60)
    reader = Database(url)  # a second connection, as the API or another CLI process
    started = time.monotonic()
    reading, read = _in_thread(lambda: export_identities(as_user(reader, "BE-FP", purpose="")))
    reading.join(15)
    waited = time.monotonic() - started
    paused.go.set()
    running.join(120)
    reading.join(120)
    assert "error" not in ran and "error" not in read, (ran, read)
    assert waited < 15, f"the read waited {waited:.1f} s for the resolve"
    assert ran["value"].records == 7 and paused.calls == 1
    assert verify(as_user(reader, "HUB", Role.AUDITOR)).ok


def test_a_load_during_a_resolve_is_read_again_and_nothing_is_half_written(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = database_url
    _hub(url, tmp_path)
    paused = Paused(resolution.resolve)
    monkeypatch.setattr(resolution, "resolve", paused)
    db = Database(url)
    running, ran = _in_thread(
        lambda: resolve_identities(as_user(db, "HUB", purpose="nightly"), full=True)
    )
    assert paused.scoring.wait(60)
    later = tmp_path / "later.csv"
    later.write_text(LATER, encoding="utf-8")
    ingest_file(as_user(Database(url), "DE-BKA"), later, "watchlist", raise_hits=False)
    paused.go.set()
    running.join(120)
    assert "error" not in ran, ran
    assert paused.calls == 2  # the first scoring missed DE-9: read and scored again
    assert ran["value"].records == 8
    ids = identities_of(as_user(db, "HUB", purpose="check"))
    assert sum(len(members) for members in ids.values()) == 8
    assert verify(as_user(db, "HUB", Role.AUDITOR)).ok


def test_a_run_whose_records_keep_changing_backs_off_then_saves_nothing_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run tried three times at once and gave up: a hub loading steadily could make every
    try collide. Now it waits between tries, longer each time and jittered, says on the
    command line why it scores again, and on giving up what changed and what to do."""
    from cli_world import set_up

    url = f"sqlite:///{tmp_path / 'hub.db'}"
    _hub(url, tmp_path)
    db = Database(url)
    states = iter(range(100))
    monkeypatch.setattr(resolution, "_state", lambda _session: (next(states), 0, 0))
    waits: list[float] = []
    monkeypatch.setattr(resolution, "sleep", waits.append)
    with pytest.raises(TryAgainLater) as gave_up:
        resolve_identities(as_user(db, "HUB", purpose="nightly"))
    said = str(gave_up.value)
    assert f"gave up after {resolution.ATTEMPTS} tries" in said
    assert "(records were loaded, corrected or purged)" in said and "recorded a" not in said
    assert "Nothing was saved" in said and "Run it again when loads are quieter" in said
    assert len(waits) == resolution.ATTEMPTS - 1
    for n, wait in enumerate(waits, start=1):
        base = min(resolution.BACKOFF * 2 ** (n - 1), resolution.MAX_BACKOFF)
        assert 0.5 * base <= wait <= 1.5 * base  # growing, within its jitter
    assert waits[-1] > waits[0]
    assert len({round(resolution.backoff(3), 6) for _ in range(20)}) > 1  # jittered
    assert identities_of(as_user(db, "HUB", purpose="check")) == {}
    assert verify(as_user(db, "HUB", Role.AUDITOR)).ok

    monkeypatch.setenv("FTFHUB_DATABASE_URL", url)
    hub = set_up(tmp_path, {"HUB": [("hubby", "analyst")]})
    code, output = hub.invoke("hubby", "resolve")
    assert code == 75 and "Traceback" not in output  # EX_TEMPFAIL: try later, not bad input
    assert "reading and scoring again in" in output and "(try 2 of 5)" in output
    assert "gave up after 5 tries" in " ".join(output.split())


def test_a_run_that_meets_one_change_waits_and_saves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'hub.db'}"
    _hub(url, tmp_path)
    real = resolution._state
    calls = iter(range(100))
    # the first save finds a judgement recorded meanwhile; the second try saves
    monkeypatch.setattr(
        resolution,
        "_state",
        lambda session: (*real(session)[:2], "changed" if next(calls) == 1 else "same"),
    )
    told: list[resolution.Retry] = []
    monkeypatch.setattr(resolution, "sleep", lambda _seconds: None)
    summary = resolve_identities(as_user(Database(url), "HUB"), on_retry=told.append)
    assert summary.records == 7
    assert [(r.attempt, r.changed) for r in told] == [(2, ("an analyst recorded a judgement",))]
