"""What the command line says when it is read by a script, a log or a cron mail rather than a
terminal: one `error:` line (the README promises it), whole summary lines, and a screening
that went to --output says what it found (seen in a fresh-clone pass)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_world import set_up

FTFHUB = Path(sys.executable).parent / "ftfhub"
LIST = "record_id,name,birth_date,nationality\nBE-1,Kelvadin Tarvanek,1970-02-03,BE\n"


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The real command, its stderr a pipe (not a terminal), no COLUMNS to widen it."""
    clean = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    return subprocess.run(
        [str(FTFHUB), *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        timeout=120,
    )


@pytest.fixture()
def hub_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'lines.db'}"
    monkeypatch.setenv("FTFHUB_DATABASE_URL", url)
    hub = set_up(tmp_path, {"BE-FP": [("fp", "analyst")]})
    (tmp_path / "list.csv").write_text(LIST, encoding="utf-8")
    hub.run("fp", "ingest", str(tmp_path / "list.csv"), "--kind", "watchlist")
    return {"FTFHUB_DATABASE_URL": url, "FTFHUB_TOKEN": hub.tokens["fp"]}


def test_an_error_longer_than_a_terminal_is_one_line_in_a_pipe(
    tmp_path: Path, hub_env: dict[str, str]
) -> None:
    """It was broken at 80 columns: 'error: stopped at … (--on-error ⏎ abort; …'."""
    bad = tmp_path / "a-folder-with-a-rather-long-name" / "travellers-of-the-week.csv"
    bad.parent.mkdir()
    bad.write_text("record_id,name,birth_date\nx1,Kelvadin Tarvanek,1990-13-45\n", "utf-8")
    done = _run("ingest", str(bad), "--kind", "watchlist", "--on-error", "abort", env=hub_env)
    assert done.returncode == 1  # docs/formats.md: a check failed
    lines = done.stderr.splitlines()
    errors = [line for line in lines if line.startswith("error:")]
    assert len(errors) == 1, done.stderr
    assert errors[0].endswith("loads the good rows and lists every bad one)"), done.stderr
    rejected = [line for line in lines if line.startswith("rejected:")]
    assert rejected == [f"rejected: {bad}, line 2, field 'birth_date': '1990-13-45' has month 13"]


def test_a_summary_line_stays_whole_in_a_pipe(tmp_path: Path, hub_env: dict[str, str]) -> None:
    done = _run("ingest", str(tmp_path / "list.csv"), "--kind", "watchlist", env=hub_env)
    assert done.returncode == 0, done.stderr
    assert (
        "list.csv: 1 rows, 0 added, 0 new versions, 1 unchanged, 0 rejected, "
        "0 loaded with a note (utf-8)"
    ) in done.stderr.splitlines()


def test_a_database_that_cannot_be_opened_is_one_line_without_escaped_newlines() -> None:
    """The driver's message spans lines; it read '…refused\\x0a\\x09Is the server…'."""
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none"
    done = _run("whoami", env={"FTFHUB_DATABASE_URL": url, "FTFHUB_TOKEN": "ftf_1_x"})
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert done.stderr.startswith("error: the database cannot be opened: ")
    assert "\\x0a" not in done.stderr and "\\x09" not in done.stderr
    assert done.stderr.rstrip().endswith("(is FTFHUB_DATABASE_URL right?)")


def test_screening_to_a_file_says_what_it_found(tmp_path: Path, hub_env: dict[str, str]) -> None:
    """With --output the terminal showed nothing (or a finished bar): not how many of the
    travellers matched, nor whose holdings."""
    queries = tmp_path / "queries.csv"
    queries.write_text(
        "record_id,name,birth_date\nq1,Kelvadin Tarvanek,1970-02-03\n"
        "q2,Ondrej Pellinor,1981-05-06\nq3,,1990\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    args = ("screen", str(queries), "--purpose", "test", "--output", str(out))
    done = _run(*args, "--on-error", "skip", env=hub_env)
    assert done.returncode == 0, done.stderr
    assert len(out.read_text("utf-8").splitlines()) == 2
    assert done.stderr.splitlines()[-1] == (
        "2 queries screened (1 row(s) left out): 1 with a match; "
        f"queries matched per owner: BE-FP 1; written to {out}"
    )


def test_a_load_in_a_pipe_starts_with_what_it_says_not_a_blank_line(
    tmp_path: Path, hub_env: dict[str, str]
) -> None:
    """The progress bar, left out in a pipe, still wrote an empty first line on stderr."""
    done = _run("ingest", str(tmp_path / "list.csv"), "--kind", "watchlist", env=hub_env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith("list.csv: 1 rows"), repr(done.stderr[:40])
