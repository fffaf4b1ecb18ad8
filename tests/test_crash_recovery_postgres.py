"""A load killed with SIGKILL half-way on PostgreSQL leaves nothing half-written (no Records
without their hits, no event without its work), and the next load ends with exactly a clean
run's hits: `test_crash_recovery` tries every point on SQLite, this the points where the
Records, the hits and the events are written, on the multi-user database."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ftfhub.audit.chain import verify_chain
from ftfhub.store.models import AuditEvent, IngestBatch, Record
from test_crash_recovery import PAIRS, _env, _hit_pairs, _hub, kill_when_paused


def _run(folder: Path, url: str, token: str, *args: str, **extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", "from ftfhub.cli import main; main()", *args],
        env=_env(folder, token, url, **extra),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("point", ["ingest.stored", "ingest.hits", "ingest.before_commit"])
def test_a_load_killed_on_postgresql_leaves_nothing_half_written(
    database_url: str, tmp_path: Path, point: str
) -> None:
    postgres_url = database_url
    db, tokens = _hub(tmp_path, postgres_url)
    with db.reading() as session:
        events_before = session.scalar(select(func.count()).select_from(AuditEvent))
    marker = tmp_path / "paused"
    pax = str(tmp_path / "pax.csv")
    process = _run(
        tmp_path,
        postgres_url,
        tokens["BE-PIU"],
        *("ingest", pax, "--kind", "travel"),
        FTFHUB_PAUSE_AT=point,
        FTFHUB_PAUSE_FILE=str(marker),
    )
    kill_when_paused(process, marker, point)
    assert _hit_pairs(db) == []  # killed before its commit: none of it
    with db.reading() as session:
        piu = select(Record).where(Record.agency_code == "BE-PIU")
        assert list(session.scalars(piu)) == []
        batches = select(IngestBatch).where(IngestBatch.agency_code == "BE-PIU")
        assert list(session.scalars(batches)) == []
        events = session.scalar(select(func.count()).select_from(AuditEvent))
        assert events == events_before  # the killed load's events went with it
        assert verify_chain(session).ok
    again = _run(tmp_path, postgres_url, tokens["BE-PIU"], "ingest", pax, "--kind", "travel")
    _, err = again.communicate(timeout=300)
    assert again.returncode == 0, err.decode()
    assert _hit_pairs(db) == sorted(PAIRS)  # exactly a clean run's hits, none twice
    with db.reading() as session:
        assert verify_chain(session).ok
    db.dispose()
