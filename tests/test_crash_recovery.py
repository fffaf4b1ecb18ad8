"""Hits that cannot be lost: an ingest killed with SIGKILL at any point leaves, after the next
load or `hits raise --pending`, exactly the hits a clean run gives; concurrent loads into one
SQLite file all succeed. Real processes, real SQLite file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import aliased

from ftfhub.audit.chain import verify_chain
from ftfhub.services import Context, Database
from ftfhub.services.identity import add_agency, add_user, authenticate, init_hub
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import Hit, Record

WATCHLIST = (
    "record_id,name,birth_date,nationality\n"
    "BE-1,Abdelkarim Zerouali,1987-04-08,BE\n"
    "BE-2,Souad Benali,1991-03-03,BE\n"
    "BE-3,Karim Haddadi,1979-11-20,MA\n"
)
MANIFEST = (
    "record_id,name,birth_date,nationality\n"
    "T-1,ZEROUALI<<ABDELKARIM,1987-04-08,BE\n"
    "T-2,BENALI<<SOUAD,1991-03-03,BE\n"
    "T-3,Pieter Janssens,1980-02-02,BE\n"
    "T-4,HADDADI<<KARIM,1979-11-20,MA\n"
)
POINTS = [
    "ingest.parsed",
    "ingest.screening",
    "ingest.screened",
    "ingest.stored",
    "ingest.hits",
    "ingest.before_commit",
    "ingest.committed",
]
PAIRS = {("T-1", "BE-1"), ("T-2", "BE-2"), ("T-4", "BE-3")}


def _hub(folder: Path, url: str | None = None) -> tuple[Database, dict[str, str]]:
    """A hub with BE-FP (its list loaded) and BE-PIU, and the tokens of their analysts (a
    SQLite file in `folder` unless `url` names another database)."""
    url = url or f"sqlite:///{folder / 'hub.db'}"
    db = Database(url)
    admin = Context(db, authenticate(db, init_hub(db).token))
    tokens = {}
    for code in ("BE-FP", "BE-PIU", "FR-DGSI", "DE-BKA"):
        add_agency(admin, code, code)
        tokens[code] = add_user(admin, f"analyst-{code.lower()}", code, "analyst").token
    (folder / "list.csv").write_text(WATCHLIST, encoding="utf-8")
    (folder / "pax.csv").write_text(MANIFEST, encoding="utf-8")
    owner = Context(db, authenticate(db, tokens["BE-FP"]))
    ingest_file(owner, folder / "list.csv", "watchlist")
    return db, tokens


def _env(folder: Path, token: str, url: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FTFHUB_")}
    if "FTFHUB_INDEX_DIR" in os.environ:  # a test's PostgreSQL database keeps its index there
        env["FTFHUB_INDEX_DIR"] = os.environ["FTFHUB_INDEX_DIR"]
    env.update(FTFHUB_DATABASE_URL=url or f"sqlite:///{folder / 'hub.db'}", FTFHUB_TOKEN=token)
    env.update(extra)
    return env


def _cli(folder: Path, token: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", "from ftfhub.cli import main; main()", *args],
        env=_env(folder, token),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr + result.stdout


def _hit_pairs(db: Database) -> list[tuple[str, str]]:
    query, matched = aliased(Record), aliased(Record)
    stmt = (
        select(query.source_id, matched.source_id)
        .select_from(Hit)
        .join(query, Hit.query_record_id == query.id)
        .join(matched, Hit.matched_record_id == matched.id)
    )
    with db.transaction() as session:
        return sorted((q, m) for q, m in session.execute(stmt).all())


def _kill_at(folder: Path, token: str, point: str) -> None:
    marker = folder / f"paused-{point}"
    env = _env(folder, token, FTFHUB_PAUSE_AT=point, FTFHUB_PAUSE_FILE=str(marker))
    args = ["ingest", str(folder / "pax.csv"), "--kind", "travel"]
    process = subprocess.Popen(
        [sys.executable, "-c", "from ftfhub.cli import main; main()", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kill_when_paused(process, marker, point)


def kill_when_paused(process: subprocess.Popen[bytes], marker: Path, point: str) -> None:
    """SIGKILL `process` once it has written `marker` at the pause point `point`."""
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, f"the ingest ended before reaching {point}"
        assert time.monotonic() < deadline, f"the ingest never reached {point}"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


@pytest.mark.parametrize("point", POINTS)
def test_a_load_killed_anywhere_ends_with_the_hits_of_a_clean_run(
    tmp_path: Path, point: str
) -> None:
    db, tokens = _hub(tmp_path)
    _kill_at(tmp_path, tokens["BE-PIU"], point)
    done = _hit_pairs(db)
    assert set(done) in (set(), PAIRS)  # the whole load or none of it, never records alone
    with db.transaction() as session:
        stored = session.scalars(select(Record.source_id).where(Record.agency_code == "BE-PIU"))
        assert (len(list(stored)) == 4) == bool(done)
    # The next start: loading the file again finishes the job (or changes nothing).
    _cli(tmp_path, tokens["BE-PIU"], "ingest", str(tmp_path / "pax.csv"), "--kind", "travel")
    _cli(tmp_path, tokens["BE-PIU"], "hits", "raise", "--pending")
    assert _hit_pairs(db) == sorted(PAIRS)  # exactly a clean run's hits, none twice
    with db.transaction() as session:
        assert verify_chain(session).ok  # a killed writer leaves the audit chain whole
    db.dispose()


def test_records_stored_without_their_hits_are_screened_from_the_queue(tmp_path: Path) -> None:
    db, tokens = _hub(tmp_path)
    out = _cli(
        tmp_path,
        tokens["BE-PIU"],
        "ingest",
        str(tmp_path / "pax.csv"),
        "--kind",
        "travel",
        "--no-hits",
    )
    assert "4 added" in " ".join(out.split()) and _hit_pairs(db) == []
    again = _cli(
        tmp_path,
        tokens["BE-PIU"],
        "ingest",
        str(tmp_path / "pax.csv"),
        "--kind",
        "travel",
        "--no-hits",
    )
    assert "4 unchanged" in " ".join(again.split())
    assert "3 hit(s) raised" in " ".join(
        _cli(tmp_path, tokens["BE-PIU"], "hits", "raise", "--pending").split()
    )
    assert _hit_pairs(db) == sorted(PAIRS)
    assert "0 hit(s) raised" in " ".join(
        _cli(tmp_path, tokens["BE-PIU"], "hits", "raise", "--pending").split()
    )
    db.dispose()


def test_three_concurrent_loads_into_one_sqlite_file_all_succeed(tmp_path: Path) -> None:
    db, tokens = _hub(tmp_path)
    files = {}
    for code, prefix in (("BE-PIU", "P"), ("FR-DGSI", "F"), ("DE-BKA", "D")):
        rows = "".join(
            f"{prefix}-{i},Traveller {prefix}{i} Example,1980-01-{i % 28 + 1:02d},BE\n"
            for i in range(200)
        )
        path = tmp_path / f"{code}.csv"
        path.write_text(
            "record_id,name,birth_date,nationality\n"
            + rows
            + MANIFEST.splitlines()[1].replace("T-1", f"{prefix}-X")
            + "\n",
            encoding="utf-8",
        )
        files[code] = path
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from ftfhub.cli import main; main()",
                "ingest",
                str(path),
                "--kind",
                "watchlist",
            ],
            env=_env(tmp_path, tokens[code]),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for code, path in files.items()
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
    with db.transaction() as session:
        for code in files:
            count = len(list(session.scalars(select(Record.id).where(Record.agency_code == code))))
            assert count == 201
    # Each of the three listed the same man as BE-FP did: every pair across owners is a hit.
    pairs = {(q, m) for q, m in _hit_pairs(db)}
    assert {("P-X", "BE-1"), ("F-X", "BE-1"), ("D-X", "BE-1")} <= pairs
    db.dispose()


def test_a_load_that_fails_leaves_no_record_in_the_live_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load rolled back after its rows reached the process's live index (here: the audit
    write fails) leaves no trace there: the next screening sees only what was committed."""
    from ftfhub.services import screening

    db, tokens = _hub(tmp_path)
    piu = Context(db, authenticate(db, tokens["BE-PIU"]), "test")

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("ftfhub.services.ingest._batch_event", broken)
    with pytest.raises(RuntimeError):
        ingest_file(piu, tmp_path / "pax.csv", "travel")
    monkeypatch.undo()
    # Another agency's load takes the row ids the rolled-back one had used.
    other = tmp_path / "other.csv"
    rows = "".join(f"D-{i},Greta Example{i} Musterfrau,1970-05-0{i + 1},DE\n" for i in range(4))
    other.write_text("record_id,name,birth_date,nationality\n" + rows, "utf-8")
    ingest_file(Context(db, authenticate(db, tokens["DE-BKA"]), "test"), other, "watchlist")
    queries = tmp_path / "q.csv"
    queries.write_text("record_id,name,birth_date\nq1,Pieter Janssens,1980-02-02\n", "utf-8")
    fr = Context(db, authenticate(db, tokens["FR-DGSI"]), "test")
    (result,) = screening.screen_file(fr, queries).results
    assert result.matches == ()  # type: ignore[union-attr]  # T-3 was never stored
    db.dispose()
