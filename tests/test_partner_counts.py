"""A partner cannot learn the hub's volume from the numbers it is shown: its audit list is
numbered within its own agency, whatever the other agencies did in between
(docs/oversight.md §8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_world import Hub, set_up

LIST = "record_id,name,birth_date,nationality\nBE-{n},Ilvana Trosk,1980-02-0{n},BE\n"


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    return set_up(
        tmp_path,
        {
            "BE-FP": [("fp", "analyst")],
            "FR-DGSI": [("fr", "analyst")],
            "HUB": [("auditor", "auditor")],
        },
    )


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in output.splitlines()]


def _busy(hub: Hub, user: str, times: int) -> None:
    """`times` events of `user`'s agency in the trail (each `audit list` is one)."""
    for _ in range(times):
        hub.run(user, "audit", "list", "--limit", "1")


def test_an_agencys_audit_list_counts_its_own_events_not_the_hubs(hub: Hub) -> None:
    _busy(hub, "fp", 2)
    _busy(hub, "fr", 7)  # the other agency busy in between
    _busy(hub, "fp", 1)
    _busy(hub, "fr", 1)
    _busy(hub, "fp", 1)
    listed = _lines(hub.run("fp", "audit", "list", "--limit", "100"))
    assert all("id" not in line for line in listed)
    assert [line["number"] for line in listed] == list(range(1, len(listed) + 1))
    assert {line["agency"] for line in listed} == {"BE-FP"}
    # the newest few carry the same places as in the whole list: no gap, whoever acted
    tail = _lines(hub.run("fp", "audit", "list", "--limit", "3"))
    assert [line["number"] for line in tail] == [len(listed) - 1, len(listed), len(listed) + 1]
    assert [line["hash"] for line in tail[:2]] == [line["hash"] for line in listed[-2:]]


def test_the_same_activity_numbers_the_same_whatever_the_partner_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two hubs where BE-FP does the same, its partner a little or a lot: BE-FP's list
    reads the same numbers in both."""
    seen = []
    for others in (0, 9):
        folder = tmp_path / f"hub{others}"
        folder.mkdir()
        monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{folder / 'a.db'}")
        hub = set_up(folder, {"BE-FP": [("fp", "analyst")], "FR-DGSI": [("fr", "analyst")]})
        for _ in range(3):
            _busy(hub, "fp", 1)
            _busy(hub, "fr", others)
        listed = _lines(hub.run("fp", "audit", "list", "--limit", "100"))
        seen.append([(line["number"], line["action"], line["object"]) for line in listed])
    assert seen[0] == seen[1]


def test_an_auditor_still_reads_the_chains_positions(hub: Hub) -> None:
    _busy(hub, "fp", 1)
    _busy(hub, "fr", 3)
    _busy(hub, "fp", 1)
    listed = _lines(hub.run("auditor", "audit", "list", "--limit", "100"))
    ids = [line["id"] for line in listed]
    assert all("number" not in line for line in listed)
    assert ids == list(range(ids[0], ids[0] + len(ids)))  # the chain, every agency's
    assert {line["agency"] for line in listed} >= {"BE-FP", "FR-DGSI"}


def test_an_agencys_report_numbers_its_events_as_its_list_does_and_no_partners(
    hub: Hub, tmp_path: Path
) -> None:
    """The report's `event` is the agency's own place; a partner's event that showed the
    agency's data (a screening with a hit) carries no number at all."""
    (tmp_path / "list.csv").write_text(LIST.format(n=1), encoding="utf-8")
    (tmp_path / "pax.csv").write_text(
        "record_id,name,birth_date\nT-1,TROSK<<ILVANA,1980-02-01\n", encoding="utf-8"
    )
    hub.run("fp", "ingest", str(tmp_path / "list.csv"), "--kind", "watchlist")
    _busy(hub, "fp", 2)
    _busy(hub, "fr", 5)
    hub.run("fr", "screen", str(tmp_path / "pax.csv"), "--purpose", "flight T-1")
    _busy(hub, "fp", 1)
    listed = _lines(hub.run("fp", "audit", "list", "--limit", "100"))
    report = _lines(
        hub.run("fp", "audit", "report", "--agency", "BE-FP", "--since", "2020-01-01", "--json")
    )
    numbers = {line["number"] for line in listed if line["action"] == "audit.list"}
    numbers.add(len(listed) + 1)  # the listing itself, in the trail after it answered
    accesses = [line for line in report if line["kind"] == "access"]
    assert {a["event_id"] for a in accesses if a["action"] == "audit.list"} == numbers
    shown = [d for d in report if d["kind"] == "disclosure" and d["recipient"] == "FR-DGSI"]
    assert shown and all(d["event_id"] is None for d in shown)
    as_auditor = _lines(
        hub.run(
            "auditor", "audit", "report", "--agency", "BE-FP", "--since", "2020-01-01", "--json"
        )
    )
    assert all(isinstance(d["event_id"], int) for d in as_auditor if d["kind"] == "disclosure")
