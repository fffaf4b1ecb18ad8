"""A reader that goes away (`ftfhub … | head`) ends the command quietly: no error, no
traceback, and the read is still in the audit trail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_world import set_up


def test_output_cut_short_by_head_is_quiet_and_audited(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.setenv("FTFHUB_DATABASE_URL", url)
    rows = "".join(f"BE-{i},Kelvadin Tarvanek{i:05d},1970,BE\n" for i in range(4000))
    (tmp_path / "list.csv").write_text("record_id,name,birth_date,nationality\n" + rows, "utf-8")
    hub = set_up(tmp_path, {"BE-FP": [("fp", "analyst")], "HUB": [("auditor", "auditor")]})
    hub.run("fp", "ingest", str(tmp_path / "list.csv"), "--kind", "watchlist", "--no-hits")
    ftfhub = Path(sys.executable).parent / "ftfhub"
    env = {**os.environ, "FTFHUB_DATABASE_URL": url, "FTFHUB_TOKEN": hub.tokens["fp"]}
    export = subprocess.Popen(
        [str(ftfhub), "records", "export"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert export.stdout is not None and export.stderr is not None
    export.stdout.readline()
    export.stdout.close()  # the reader leaves after one line, as `head -1` does
    stderr = export.stderr.read().decode()
    export.wait(timeout=60)
    assert "Traceback" not in stderr and "error" not in stderr, stderr
    events = hub.run("auditor", "audit", "list", "--limit", "5")
    assert '"records.export"' in events


def test_screen_reads_standard_input_named_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`… | ftfhub screen - --purpose …` said '-: cannot be read: No such file or directory'."""
    url = f"sqlite:///{tmp_path / 'p.db'}"
    monkeypatch.setenv("FTFHUB_DATABASE_URL", url)
    (tmp_path / "list.csv").write_text(
        "record_id,name,birth_date\nBE-1,Kelvadin Tarvanek,1970-02-03\n", "utf-8"
    )
    hub = set_up(tmp_path, {"BE-FP": [("fp", "analyst")]})
    hub.run("fp", "ingest", str(tmp_path / "list.csv"), "--kind", "watchlist")
    ftfhub = Path(sys.executable).parent / "ftfhub"
    env = {**os.environ, "FTFHUB_DATABASE_URL": url, "FTFHUB_TOKEN": hub.tokens["fp"]}
    done = subprocess.run(
        [str(ftfhub), "screen", "-", "--purpose", "pipe"],
        input=b"record_id,name,birth_date\nq1,Kelvadin Tarvanek,1970-02-03\n",
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert b'"query_id": "q1"' in done.stdout and b'"BE-1"' in done.stdout
