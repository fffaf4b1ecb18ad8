"""The CLI contracts of DESIGN.md, driven as users with tokens would."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from pathlib import Path

import pytest

from cli_world import Hub, set_up

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
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    (tmp_path / "list.csv").write_text(LIST, encoding="utf-8")
    (tmp_path / "queries.csv").write_text(QUERIES, encoding="utf-8")
    return set_up(
        tmp_path,
        {
            "BE-FP": [("fp-analyst", "analyst")],
            "BE-PIU": [("piu-analyst", "analyst")],
            "HUB": [("auditor", "auditor")],
        },
    )


def test_screen_writes_one_line_per_query_best_first(hub: Hub) -> None:
    env = hub.folder
    hub.run("fp-analyst", "ingest", str(env / "list.csv"), "--kind", "watchlist")
    out = env / "out.jsonl"
    hub.run(
        "fp-analyst",
        "screen",
        str(env / "queries.csv"),
        "--purpose",
        "case 12",
        "--output",
        str(out),
    )
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [x["query_id"] for x in lines] == ["q1", "q2", "q3", "q4"]
    by_id = {x["query_id"]: x["matches"] for x in lines}
    assert by_id["q1"][0]["record_id"] == "BE-1" and by_id["q1"][0]["agency"] == "BE-FP"
    assert by_id["q2"] and by_id["q2"][0]["record_id"] == "BE-1"  # Arabic script finds Latin
    assert by_id["q3"] == [] and by_id["q4"] == []  # look-alike with another birth date: no hit
    match = by_id["q1"][0]
    assert 0.0 <= match["score"] <= 1.0 and match["explanation"]


def test_reingest_changes_nothing_and_export_round_trips(hub: Hub) -> None:
    env = hub.folder
    hub.run("fp-analyst", "ingest", str(env / "list.csv"), "--kind", "watchlist")
    second = hub.run("fp-analyst", "ingest", str(env / "list.csv"), "--kind", "watchlist")
    assert "0 added" in second and "2 unchanged" in second
    out = env / "export.csv"
    hub.run("fp-analyst", "records", "export", "--output", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert {r["record_id"] for r in rows} == {"BE-1", "BE-2"}
    assert next(r for r in rows if r["record_id"] == "BE-1")["documents"] == "passport:BE:EH123456"


def test_hit_ack_and_audit_from_the_command_line(hub: Hub) -> None:
    env = hub.folder
    hub.run("fp-analyst", "ingest", str(env / "list.csv"), "--kind", "watchlist")
    pax = env / "pax.csv"
    pax.write_text("record_id,name,birth_date\nT-1,ZEROUALI<<ABDELKARIM,1987-04-08\n", "utf-8")
    assert "1 hit(s)" in hub.run("piu-analyst", "ingest", str(pax), "--kind", "travel")
    owner = [json.loads(x) for x in hub.run("fp-analyst", "hits", "list", "--json").splitlines()]
    querying = hub.run("piu-analyst", "hits", "list", "--json").splitlines()
    assert owner[0]["own"]["name"] == "Abdelkarim Zerouali"
    assert "Zerouali" not in querying[0] and "contact" in querying[0]
    assert "Zerouali" not in json.dumps(owner[0]["querying"])  # the traveller's row is H0
    hub.run("fp-analyst", "hits", "ack", str(owner[0]["id"]), "--note", "checking")
    assert "intact" in hub.run("auditor", "audit", "verify")
    events = [json.loads(x) for x in hub.run("auditor", "audit", "list").splitlines()]
    ack = next(e for e in events if e["action"] == "hit.acknowledge")
    assert (ack["actor"], ack["agency"]) == ("fp-analyst", "BE-FP")
    con = sqlite3.connect(hub.folder / "cli.db")
    con.execute("UPDATE audit_events SET actor = 'someone else' WHERE action = 'hit.acknowledge'")
    con.commit()
    code, output = hub.invoke("auditor", "audit", "verify")
    assert code == 1 and "broken at event" in output


def test_a_missing_anchor_is_said_not_passed_over(hub: Hub) -> None:
    anchor = hub.folder / "head.txt"
    first = " ".join(hub.run("auditor", "audit", "verify", "--anchor", str(anchor)).split())
    assert "did not exist" in first and anchor.read_text("utf-8").split()[0] in first
    second = hub.run("auditor", "audit", "verify", "--anchor", str(anchor))
    assert "intact" in second and "did not exist" not in second


def test_a_kept_head_is_taken_in_every_form_verify_prints_it(hub: Hub) -> None:
    """`audit verify` prints `keep for an export's check: --head EVENTS:HASH`; given back to
    `audit verify --head`, that form (or the hash in capitals, or a typo) was reported as
    `audit chain broken at the end` (exit 1): a false alarm of tampering to an oversight
    body that did as it was told."""
    said = hub.run("auditor", "audit", "verify")
    digest = re.search(r"head: ([0-9a-f]{64})", said)
    pair = re.search(r"--head (\d+:[0-9a-f]{64})", said)
    assert digest and pair, said
    for kept in (digest[1], pair[1], digest[1].upper()):
        assert "intact" in hub.run("auditor", "audit", "verify", "--head", kept), kept
    for typo in ("abc", "12:abc", digest[1][:-1]):
        code, output = hub.invoke("auditor", "audit", "verify", "--head", typo)
        assert code == 2 and "is not a head this command printed" in output, output
        assert "broken" not in output
    anchor = hub.folder / "kept.txt"
    anchor.write_text(f"{pair[1]}\n", encoding="utf-8")  # the form written down by hand
    assert "intact" in hub.run("auditor", "audit", "verify", "--anchor", str(anchor))
    assert hub.invoke("auditor", "audit", "verify", "--head", "0" * 64)[0] == 1  # still caught


def test_an_anchor_file_that_holds_no_head_is_a_message(hub: Hub) -> None:
    """An empty anchor file, or one that is not text (the database named by mistake), was a
    Python traceback (IndexError, UnicodeDecodeError)."""
    for name, content in (("empty.txt", b""), ("binary.db", b"SQLite format 3\x00\xe5\xff")):
        anchor = hub.folder / name
        anchor.write_bytes(content)
        code, output = hub.invoke("auditor", "audit", "verify", "--anchor", str(anchor))
        assert code == 2 and "holds no head" in " ".join(output.split()), output
        assert anchor.read_bytes() == content  # left as it was


def test_bad_file_is_reported_with_line_and_field(hub: Hub) -> None:
    bad = hub.folder / "bad.csv"
    bad.write_text("record_id,name,birth_date\nX-1,Ali Ahmadi,1990-13-01\n", encoding="utf-8")
    code, output = hub.invoke(
        "fp-analyst", "ingest", str(bad), "--kind", "watchlist", "--on-error", "abort"
    )
    assert code == 1
    assert "line 2" in output and "birth_date" in output


def test_compare_prints_every_term(hub: Hub) -> None:
    out = hub.run(
        None, "compare", "Abdelkarim Zerouali", "ZEROUALI<<ABDELKARIM", "--birth-date", "1987"
    )
    assert "zerouali" in out and "birth" in out


def test_screening_agency_learns_only_whom_to_contact(hub: Hub) -> None:
    env = hub.folder
    hub.run("fp-analyst", "ingest", str(env / "list.csv"), "--kind", "watchlist")
    out = env / "piu.jsonl"
    hub.run(
        "piu-analyst",
        "screen",
        str(env / "queries.csv"),
        "--purpose",
        "flight check",
        "--output",
        str(out),
    )
    first = json.loads(out.read_text(encoding="utf-8").splitlines()[0])["matches"]
    assert len(first) == 1  # one entry per hit-only owner, however many records matched
    assert first[0]["agency"] == "BE-FP" and first[0]["record_id"] is None
    assert first[0]["score"] is None
    assert "contact" in first[0]["explanation"][0]["detail"]
    assert "zerouali" not in json.dumps(first).lower()


def test_screen_can_skip_bad_rows(hub: Hub) -> None:
    hub.run("fp-analyst", "ingest", str(hub.folder / "list.csv"), "--kind", "watchlist")
    bad = hub.folder / "bad_queries.csv"
    bad.write_text(
        "record_id,name,birth_date\nq1,Karim Benhaddou,1990-01-01\nq2,X,1990-13-01\nq3,,1990\n"
    )
    # q3 has no name: cannot screen
    code, output = hub.invoke("fp-analyst", "screen", str(bad), "--purpose", "p")
    assert code == 2 and "line 4" in output
    out = hub.folder / "skip.jsonl"
    skipped = hub.run(
        "fp-analyst",
        "screen",
        str(bad),
        "--purpose",
        "p",
        "--on-error",
        "skip",
        "--output",
        str(out),
    )
    assert "line 4" in skipped
    # A bad birth date is left out with a warning; the traveller is still screened.
    assert "line 3, field 'birth_date'" in skipped and "ignored" in skipped
    assert [json.loads(x)["query_id"] for x in out.read_text().splitlines()] == ["q1", "q2"]


def test_serve_on_a_port_already_taken_says_so_plainly(hub: Hub) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = hub.invoke(None, "serve", "--port", str(port))
    assert code == 2
    assert f"error: cannot listen on 127.0.0.1:{port}" in output
    assert "Traceback" not in output and "ERROR:" not in output
