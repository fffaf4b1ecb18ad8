"""The CLI contracts of DESIGN.md, driven as a user would."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ftfhub.cli import app

LIST = (
    "record_id,name,aliases,birth_date,nationality,gender,documents\n"
    "BE-1,Abdelkarim Zerouali,Abu Yasin al-Hollandi,1987-04-08,BE,m,passport:BE:EH123456\n"
    "BE-2,Karim Benhaddou,,1990-01-01,BE,m,\n"
)
QUERIES = (
    "record_id,name,birth_date\n"
    "q1,ZEROUALI<<ABDELKARIM,1987-04-08\n"
    "q2,عبد الكريم زروالي,1987\n"
    "q3,Karim Benhaddou,1961-07-30\n"
    "q4,Pieter Janssens,1980-02-02\n"
)


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("FTFHUB_ACTOR", "analyst-7")
    (tmp_path / "list.csv").write_text(LIST, encoding="utf-8")
    (tmp_path / "queries.csv").write_text(QUERIES, encoding="utf-8")
    return tmp_path


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_screen_writes_one_line_per_query_best_first(env: Path) -> None:
    run("ingest", str(env / "list.csv"), "--agency", "BE-FP", "--kind", "watchlist")
    out = env / "out.jsonl"
    run("screen", str(env / "queries.csv"), "--agency", "BE-FP", "--output", str(out))
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["query_id"] for x in lines] == ["q1", "q2", "q3", "q4"]
    by_id = {x["query_id"]: x["matches"] for x in lines}
    assert by_id["q1"][0]["record_id"] == "BE-1" and by_id["q1"][0]["agency"] == "BE-FP"
    assert by_id["q2"] and by_id["q2"][0]["record_id"] == "BE-1"  # Arabic script finds Latin
    assert by_id["q3"] == [] and by_id["q4"] == []  # look-alike with another birth date: no hit
    match = by_id["q1"][0]
    assert 0.0 <= match["score"] <= 1.0 and match["explanation"]


def test_reingest_changes_nothing_and_export_round_trips(env: Path) -> None:
    run("ingest", str(env / "list.csv"), "--agency", "BE-FP", "--kind", "watchlist")
    second = run("ingest", str(env / "list.csv"), "--agency", "BE-FP", "--kind", "watchlist")
    assert "0 added" in second and "2 unchanged" in second
    out = env / "export.csv"
    run("records", "export", "--agency", "BE-FP", "--output", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["record_id"] for r in rows} == {"BE-1", "BE-2"}
    assert next(r for r in rows if r["record_id"] == "BE-1")["documents"] == "passport:BE:EH123456"


def test_hit_ack_and_audit_from_the_command_line(env: Path) -> None:
    run("ingest", str(env / "list.csv"), "--agency", "BE-FP", "--kind", "watchlist")
    pax = env / "pax.csv"
    pax.write_text("record_id,name,birth_date\nT-1,ZEROUALI<<ABDELKARIM,1987-04-08\n", "utf-8")
    assert "1 hit(s)" in run("ingest", str(pax), "--agency", "BE-PIU", "--kind", "travel")
    owner = [json.loads(x) for x in run("hits", "list", "--agency", "BE-FP", "--json").splitlines()]
    querying = run("hits", "list", "--agency", "BE-PIU", "--json").splitlines()
    assert owner[0]["own"]["name"] == "Abdelkarim Zerouali"
    assert "Zerouali" not in querying[0] and "contact" in querying[0]
    run("hits", "ack", str(owner[0]["id"]), "--agency", "BE-FP", "--note", "checking")
    assert "Zerouali" not in json.dumps(owner[0]["querying"])  # the traveller's row is H0
    assert "intact" in run("audit", "verify")
    con = sqlite3.connect(env / "cli.db")
    con.execute("UPDATE audit_events SET actor = 'someone else' WHERE action = 'hit.acknowledge'")
    con.commit()
    broken = CliRunner().invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1 and "broken at event" in broken.output


def test_bad_file_is_reported_with_line_and_field(env: Path) -> None:
    bad = env / "bad.csv"
    bad.write_text("record_id,name,birth_date\nX-1,Ali Ahmadi,1990-13-01\n", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["ingest", str(bad), "--agency", "BE-FP", "--kind", "watchlist", "--on-error", "abort"]
    )
    assert result.exit_code == 1
    assert "line 2" in result.output and "birth_date" in result.output


def test_compare_prints_every_term(env: Path) -> None:
    out = run("compare", "Abdelkarim Zerouali", "ZEROUALI<<ABDELKARIM", "--birth-date", "1987")
    assert "zerouali" in out and "birth" in out


def test_screening_agency_learns_only_whom_to_contact(env: Path) -> None:
    run("ingest", str(env / "list.csv"), "--agency", "BE-FP", "--kind", "watchlist")
    out = env / "piu.jsonl"
    run("screen", str(env / "queries.csv"), "--agency", "BE-PIU", "--output", str(out))
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])["matches"][0]
    assert first["agency"] == "BE-FP" and first["record_id"] is None
    assert "contact" in first["explanation"][0]["detail"]
    assert "zerouali" not in json.dumps(first).lower()


def test_screen_can_skip_bad_rows(env: Path) -> None:
    run("ingest", str(env / "list.csv"), "--agency", "BE-FP", "--kind", "watchlist")
    bad = env / "bad_queries.csv"
    bad.write_text(
        "record_id,name,birth_date\nq1,Karim Benhaddou,1990-01-01\nq2,X,1990-13-01\nq3,,1990\n"
    )
    result = CliRunner().invoke(app, ["screen", str(bad)])  # q3 has no name: cannot screen
    assert result.exit_code == 2 and "line 4" in result.output
    out = env / "skip.jsonl"
    skipped = run("screen", str(bad), "--on-error", "skip", "--output", str(out))
    assert "line 4" in skipped
    # A bad birth date is left out with a warning; the traveller is still screened.
    assert "line 3, field 'birth_date'" in skipped and "ignored" in skipped
    assert [json.loads(x)["query_id"] for x in out.read_text().splitlines()] == ["q1", "q2"]
