"""Behaviour rules run on every travel file as it loads: the ingest service, `POST
/manifests` and `ftfhub ingest` (the hub's rules file is FTFHUB_RULES)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from acting import as_user
from cli_world import set_up
from ftfhub.api import create_app
from ftfhub.domain.vocab import Role
from ftfhub.rules import load_rules
from ftfhub.services import Caller, Database
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import Record

AIRLINE = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline"
PNR = AIRLINE / "pnrgov" / "gtas-loader__2_pnrs_basic.edi"
LIST = "record_id,name,birth_date,nationality,gender\nUK-7,William Jones,1964-07-12,GB,m\n"
RULES = """
- name: travels with a listed person
  all: [{companion.listed: true}]
- name: card shared with another booking
  all: [{payment.shared_with_other_booking: true}]
"""


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    forget_live_indexes()
    database = Database(f"sqlite:///{tmp_path / 'rules.db'}")
    (tmp_path / "list.csv").write_text(LIST, "utf-8")
    ingest_file(as_user(database, "UK-CTP"), tmp_path / "list.csv", "watchlist")
    yield database
    forget_live_indexes()


def test_the_ingest_service_runs_the_rules_on_a_travel_file(db: Database) -> None:
    report = ingest_file(as_user(db, "BE-PIU"), PNR, "travel", rules=load_rules(RULES))
    assert report.hits_raised == 1  # Jones is on the UK list
    assert {(h.rule, h.record_id) for h in report.rule_hits} == {
        ("travels with a listed person", "MFN4TI-1"),
        ("card shared with another booking", "MFN4TI-1"),
        ("card shared with another booking", "MFN4TI-2"),
        ("card shared with another booking", "23456-1"),
    }
    again = ingest_file(as_user(db, "BE-PIU"), PNR, "travel", rules=load_rules(RULES))
    assert again.unchanged == 4 and again.rule_hits == []  # nothing new, nothing re-flagged


def test_post_manifests_answers_with_the_rule_hits(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rules.yaml").write_text(RULES, "utf-8")
    monkeypatch.setenv("FTFHUB_RULES", str(tmp_path / "rules.yaml"))
    piu = Caller("ana@be-piu", "BE-PIU", Role.ANALYST)
    client_app = create_app(db, authenticate=lambda _db, _t: piu, escalate_every=0)
    with TestClient(client_app) as client:
        headers = {"Authorization": "Bearer t"}
        answer = client.post("/manifests", content=PNR.read_bytes(), headers=headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["added"] == 4 and body["hits_raised"] == 1
        found = {(h["rule"], h["record_id"]) for h in body["rule_hits"]}
        assert ("travels with a listed person", "MFN4TI-1") in found and len(found) == 4
        listed = next(h for h in body["rule_hits"] if h["rule"].startswith("travels"))
        assert listed["reasons"] == [
            "travels on one booking with a listed person: true (companion.listed is True)"
        ]
        paxlst = (AIRLINE / "paxlst" / "gtas-loader__Test1.txt").read_bytes()
        crew = client.post("/manifests", content=paxlst, headers=headers).json()
        assert crew["added"] == 8 and crew["rule_hits"] == []


def test_cli_ingest_prints_rule_hits_and_refuses_a_profiling_rules_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("COLUMNS", "300")
    hub = set_up(tmp_path, {"BE-PIU": [("piu", "analyst")]})
    (tmp_path / "rules.yaml").write_text(RULES, "utf-8")
    monkeypatch.setenv("FTFHUB_RULES", str(tmp_path / "rules.yaml"))
    output = " ".join(hub.run("piu", "ingest", str(PNR), "--kind", "travel").split())
    assert "rule hit: 23456-1: card shared with another booking (the same card paid" in output
    (tmp_path / "bad.yaml").write_text("- name: p\n  all: [{traveller.nationality: SY}]\n")
    monkeypatch.setenv("FTFHUB_RULES", str(tmp_path / "bad.yaml"))
    other = PNR.parent / "gtas-parsers__pnrWithDoco.txt"
    code, output = hub.invoke("piu", "ingest", str(other), "--kind", "travel")
    assert code == 2
    assert "is about who a person is (nationality)" in " ".join(output.split())
    database = Database(f"sqlite:///{tmp_path / 'cli.db'}")
    with database.transaction() as session:
        stored = session.scalars(select(Record.source_id)).all()
    assert "06A9FD-1" not in stored and len(stored) == 4
