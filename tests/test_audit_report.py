"""The oversight report through the command line: who searched what for which purpose, and
what was disclosed to whom — read from the trail, never from Record content."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_world import Hub, set_up

LIST = "record_id,name,birth_date,nationality\nBE-1,Abdelkarim Zerouali,1987-04-08,BE\n"
PAX = "record_id,name,birth_date\nT-1,ZEROUALI<<ABDELKARIM,1987-04-08\n"


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'r.db'}")
    (tmp_path / "list.csv").write_text(LIST, encoding="utf-8")
    (tmp_path / "pax.csv").write_text(PAX, encoding="utf-8")
    hub = set_up(
        tmp_path,
        {
            "BE-FP": [("fp", "analyst")],
            "BE-PIU": [("piu", "analyst")],
            "HUB": [("auditor", "auditor")],
        },
    )
    hub.run("fp", "ingest", str(tmp_path / "list.csv"), "--kind", "watchlist")
    hub.run("piu", "ingest", str(tmp_path / "pax.csv"), "--kind", "travel")
    hub.run("piu", "screen", str(tmp_path / "pax.csv"), "--purpose", "flight SN123 arrival")
    return hub


def _report(hub: Hub, user: str, agency: str) -> list[dict[str, object]]:
    out = hub.run(user, "audit", "report", "--agency", agency, "--since", "2020-01-01", "--json")
    return [json.loads(line) for line in out.splitlines()]


def test_the_auditor_sees_searches_with_their_purpose(hub: Hub) -> None:
    lines = _report(hub, "auditor", "BE-PIU")
    screens = [x for x in lines if x["kind"] == "access" and x["action"] == "screen"]
    assert len(screens) == 1
    assert screens[0]["user"] == "piu" and screens[0]["purpose"] == "flight SN123 arrival"


def test_the_auditor_sees_what_was_disclosed_to_whom(hub: Hub) -> None:
    lines = [x for x in _report(hub, "auditor", "BE-FP") if x["kind"] == "disclosure"]
    # BE-PIU's screen showed it one BE-FP Record, at hit-only: that it exists, whom to call.
    screened = [x for x in lines if x["action"] == "screen"]
    assert screened == [
        {**screened[0], "source": "BE-FP", "recipient": "BE-PIU", "level": "hit-only"}
    ]
    assert screened[0]["records"] == 1
    # Named as case reads name them: which of BE-FP's records reached BE-PIU (a count alone
    # could not say), by the reference the screen showed — never its content.
    [shown] = screened[0]["references"]
    assert shown.startswith("BE-FP:") and len(shown) == len("BE-FP:") + 12
    matched = hub.run("piu", "screen", str(hub.folder / "pax.csv"), "--purpose", "again")
    assert shown in matched
    # The hit raised by the PIU's load: BE-FP told of the PIU's record, the PIU of BE-FP's.
    raised = {(x["source"], x["recipient"]) for x in lines if x["action"] == "hit.create"}
    assert raised == {("BE-PIU", "BE-FP"), ("BE-FP", "BE-PIU")}


def test_the_report_holds_no_record_content(hub: Hub) -> None:
    text = hub.run("auditor", "audit", "report", "--agency", "BE-FP", "--since", "2020-01-01")
    assert "Zerouali" not in text and "ZEROUALI" not in text and "1987" not in text


def test_an_agency_reads_its_own_report_but_not_another(hub: Hub) -> None:
    assert _report(hub, "piu", "BE-PIU")
    code, output = hub.invoke(
        "piu", "audit", "report", "--agency", "BE-FP", "--since", "2020-01-01"
    )
    assert code == 2 and "auditors" in output


def test_reading_the_report_is_itself_audited(hub: Hub) -> None:
    _report(hub, "auditor", "BE-FP")
    events = hub.run("auditor", "audit", "list", "--limit", "3").splitlines()
    assert any(json.loads(e)["action"] == "audit.report" for e in events)
    trail = hub.folder / "trail.jsonl"
    hub.run("auditor", "audit", "export", "--purpose", "check", "--output", str(trail))
    lines = [json.loads(line) for line in trail.read_text(encoding="utf-8").splitlines()]
    read = [e for e in lines if e.get("action") == "audit.report"][-1]
    assert read["details"]["since"] == "2020-01-01T00:00:00Z"  # UTC with its zone


def test_the_table_on_a_narrow_terminal_folds_what_it_cannot_fit_and_cuts_nothing(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 80 columns the table cut values with an ellipsis: 'records.ex…', 'record:BE-F…'.
    An oversight body could not read which record was opened."""
    monkeypatch.setenv("COLUMNS", "80")
    hub.run("piu", "records", "export", "--agency", "BE-FP", "--purpose", "check")
    text = hub.run("auditor", "audit", "report", "--agency", "BE-PIU", "--since", "2020-01-01")
    assert "…" not in text
    cells = "".join(
        line.split("│")[4].strip() for line in text.splitlines() if line.count("│") == 7
    )
    assert "records.export" in cells, text
