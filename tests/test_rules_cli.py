"""`ftfhub rules check` and `ftfhub ingest` on airline messages, end to end as a user types them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_world import Hub, set_up

PNRGOV = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline" / "pnrgov"
RULES = """
- name: travels with a listed person
  all:
    - companion.listed: true
- name: card shared with another booking
  all:
    - payment.shared_with_other_booking: true
- name: stolen document
  all:
    - document.stolen: true
"""


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    (tmp_path / "rules.yaml").write_text(RULES, "utf-8")
    (tmp_path / "list.csv").write_text(
        "record_id,name,birth_date,nationality,gender\nUK-7,William Jones,1964-07-12,GB,m\n",
        "utf-8",
    )
    return set_up(tmp_path, {"BE-PIU": [("piu", "analyst")], "UK-CTP": [("uk", "analyst")]})


def test_ingest_a_pnrgov_file(hub: Hub) -> None:
    sample = str(PNRGOV / "gtas-loader__2_pnrs_basic.edi")
    first = " ".join(hub.run("piu", "ingest", sample, "--kind", "travel").split())
    assert "4 rows, 4 added" in first and "0 rejected" in first
    again = " ".join(hub.run("piu", "ingest", sample, "--kind", "travel").split())
    assert "0 added" in again and "4 unchanged" in again


def test_rules_check_flags_behaviour_with_reasons(hub: Hub) -> None:
    env = hub.folder
    hub.run("uk", "ingest", str(env / "list.csv"), "--kind", "watchlist")
    (env / "stolen.txt").write_text("123456789\n", "utf-8")
    sample = str(PNRGOV / "gtas-loader__2_pnrs_basic.edi")
    args = ["rules", "check", sample, "--rules", str(env / "rules.yaml")]
    output = hub.run("piu", *args, "--stolen", str(env / "stolen.txt"), "--json")
    hits = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    found = {(h["rule"], h["record_id"]) for h in hits}
    assert found == {
        ("travels with a listed person", "MFN4TI-1"),  # with William Jones, on the list
        ("card shared with another booking", "MFN4TI-1"),
        ("card shared with another booking", "MFN4TI-2"),
        ("card shared with another booking", "23456-1"),
        ("stolen document", "MFN4TI-1"),  # passport 123456789
        ("stolen document", "23456-1"),
    }
    reasons = next(h["reasons"] for h in hits if h["rule"] == "travels with a listed person")
    assert reasons == [
        "travels on one booking with a listed person: true (companion.listed is True)"
    ]
    assert "6 rule hit(s) among 4 traveller(s)" in " ".join(output.split())


def test_a_profiling_rule_is_refused_with_a_clear_message(hub: Hub) -> None:
    env = hub.folder
    (env / "bad.yaml").write_text("- name: p\n  all:\n    - traveller.religion: x\n", "utf-8")
    sample = str(PNRGOV / "gtas-loader__2_pnrs_basic.edi")
    code, output = hub.invoke("piu", "rules", "check", sample, "--rules", str(env / "bad.yaml"))
    assert code == 2
    output = " ".join(output.split())
    assert "'traveller.religion' is about who a person is (religion)" in output
    assert "Traceback" not in output


def test_listed_means_the_hubs_hit_threshold_never_one_the_caller_picks(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`companion.listed` tells the caller that a partner holds a match on a companion: a
    threshold of the caller's choosing would let it learn of matches below the hub's hit
    threshold (the owner never hears of them) and, step by step, the score itself."""
    env = hub.folder
    hub.run("uk", "ingest", str(env / "list.csv"), "--kind", "watchlist")
    sample = str(PNRGOV / "gtas-loader__2_pnrs_basic.edi")
    args = ["rules", "check", sample, "--rules", str(env / "rules.yaml"), "--json"]
    monkeypatch.setenv("FTFHUB_HIT_THRESHOLD", "1")
    assert "travels with a listed person" not in hub.run("piu", *args)
    code, output = hub.invoke("piu", *args, "--threshold", "0")
    assert code == 2 and "travels with a listed person" not in output
