"""Three agencies and their users through every CLI path: hit-only shows only whom to contact,
the owner sees of the querying record only what its level allows, and an unanswered hit
escalates on schedule to the supervisor, then to the hub's duty officer."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from cli_world import Hub, set_up

BE_LIST = (
    "record_id,name,aliases,birth_date,nationality,gender,documents,handling_code\n"
    "BE-1,Abdelkarim Zerouali,Abu Yasin al-Hollandi,1987-04-08,BE,m,passport:BE:EH123456,H0\n"
    "BE-2,Souad Benali,,1991-03-03,BE,f,,H2\n"
)
FR_LIST = (
    "record_id,name,birth_date,nationality,gender,handling_code\n"
    "FR-1,Abdelkarim Zerouali,1987-04-08,BE,m,H0\n"
)
QUERIES = "record_id,name,birth_date\nq1,Zerouali Abdelkarim,1987-04-08\nq2,Souad Benali,1991\n"


def _manifest(day: date) -> str:
    return (
        "record_id,passenger_name,birth_date,nationality,flight,origin,destination,"
        "departure_date\n"
        f"T-1,ZEROUALI<<ABDELKARIM,1987-04-08,BEL,TK1937,IST,BRU,{day.isoformat()}\n"
    )


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    monkeypatch.setenv("COLUMNS", "2000")
    hub = set_up(tmp_path, {"HUB": [("duty", "duty-officer"), ("auditor", "auditor")]})
    for code, ack in (("BE-FP", "48"), ("BE-PIU", "48"), ("FR-DGSI", "72")):
        hub.run(
            "admin", "agencies", "add", code, "--name", f"Agency {code}",
            "--contact", f"desk@{code.lower()}.example", "--ack-hours", ack,
            "--urgent-ack-hours", "2",
        )  # fmt: skip
    for name, code, role in (
        ("fp", "BE-FP", "analyst"),
        ("fp-sup", "BE-FP", "supervisor"),
        ("piu", "BE-PIU", "analyst"),
        ("fr", "FR-DGSI", "analyst"),
    ):
        hub.add_user(name, code, role)
    for name, text in (("be.csv", BE_LIST), ("fr.csv", FR_LIST), ("q.csv", QUERIES)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "pax.csv").write_text(_manifest(date.today()), encoding="utf-8")
    hub.run("fp", "ingest", str(tmp_path / "be.csv"), "--kind", "watchlist")
    return hub


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(x) for x in text.splitlines() if x.startswith("{")]


def _sql(hub: Hub, statement: str) -> None:
    con = sqlite3.connect(hub.folder / "hub.db")
    con.execute(statement)
    con.commit()
    con.close()


def test_hit_only_owner_is_reached_only_through_its_reference_and_contact(hub: Hub) -> None:
    out = hub.folder / "fr.jsonl"
    hub.run(
        "fr", "screen", str(hub.folder / "q.csv"), "--purpose", "case FR-9", "--output", str(out)
    )
    q1, q2 = _json_lines(out.read_text(encoding="utf-8"))
    (be,) = q1["matches"]  # type: ignore[misc]
    assert be["agency"] == "BE-FP" and be["record_id"] is None and be["score"] is None
    assert be["held"]["contact"] == "desk@be-fp.example" and be["held"]["reference"]
    assert "Zerouali" not in json.dumps(be) and "1987" not in json.dumps(be)
    (summary,) = q2["matches"]  # type: ignore[misc]
    assert summary["held"]["disclosure"] == "summary" and summary["record_id"] == "BE-2"
    assert summary["held"]["summary"] == {
        "names": ["Souad Benali"],
        "birth_year": 1991,
        "nationalities": ["BE"],
    }
    assert summary["explanation"] == [] and "record" not in summary["held"]  # no full content
    # A supervisor of BE-FP lets FR-DGSI see more: the same screen now shows the record.
    hub.run("fp-sup", "agencies", "grant", "FR-DGSI", "--level", "full")
    hub.run(
        "fr", "screen", str(hub.folder / "q.csv"), "--purpose", "case FR-9", "--output", str(out)
    )
    granted = _json_lines(out.read_text(encoding="utf-8"))[0]["matches"][0]  # type: ignore[index]
    assert granted["record_id"] == "BE-1" and granted["explanation"]
    events = _json_lines(hub.run("auditor", "audit", "list", "--limit", "200"))
    screens = [e for e in events if e["action"] == "screen"]
    assert {e["purpose"] for e in screens} == {"case FR-9"} and {e["actor"] for e in screens} == {
        "fr"
    }


def test_a_low_threshold_cannot_probe_a_hit_only_partner(hub: Hub) -> None:
    """Below the hub's hit threshold the owner hears of nothing, so neither does the caller:
    a weak match to a hit-only record is not admitted however low the query's threshold."""
    (hub.folder / "weak.csv").write_text(
        "record_id,name\nw1,Abdelkarim\nw2,Abdelkarim Zerouali\n", encoding="utf-8"
    )
    out = hub.folder / "weak.jsonl"
    hub.run(
        "fr", "screen", str(hub.folder / "weak.csv"), "--purpose", "case FR-9",
        "--threshold", "0", "--output", str(out),
    )  # fmt: skip
    weak, strong = _json_lines(out.read_text(encoding="utf-8"))
    assert weak["matches"] == []
    (be,) = strong["matches"]  # type: ignore[misc]
    assert be["agency"] == "BE-FP" and be["score"] is None


def test_owner_sees_the_querying_record_only_as_its_level_allows(hub: Hub) -> None:
    assert "1 hit(s)" in hub.run("fr", "ingest", str(hub.folder / "fr.csv"), "--kind", "watchlist")
    assert "2 hit(s)" in hub.run("piu", "ingest", str(hub.folder / "pax.csv"), "--kind", "travel")
    owned = _json_lines(hub.run("fp", "hits", "list", "--json"))
    assert {h["querying"]["agency"] for h in owned} == {"FR-DGSI", "BE-PIU"}  # type: ignore[index]
    for hit in owned:
        assert hit["direction"] == "owned" and hit["own"]["name"] == "Abdelkarim Zerouali"  # type: ignore[index]
        assert hit["querying"]["disclosure"] == "hit-only" and hit["explanation"] == []  # type: ignore[index]
        assert "ZEROUALI" not in json.dumps(hit["querying"]) and "1987" not in json.dumps(
            hit["querying"]
        )
    # The traveller's side learns whom to contact about each owner, nothing of what they hold.
    partner = _json_lines(hub.run("piu", "hits", "list", "--json"))
    assert {p["owner"]["agency"] for p in partner} == {"BE-FP", "FR-DGSI"}  # type: ignore[index]
    assert all("Zerouali" not in json.dumps(p) for p in partner)
    opened = json.loads(
        hub.run("piu", "hits", "show", str(partner[0]["id"]), "--purpose", "T-1 at BRU")
    )
    assert opened["owner"]["disclosure"] == "hit-only" and opened["owner"]["record_id"] is None


def test_an_unanswered_hit_escalates_on_schedule(hub: Hub) -> None:
    hub.run("piu", "ingest", str(hub.folder / "pax.csv"), "--kind", "travel")
    (hit,) = _json_lines(hub.run("fp", "hits", "list", "--json"))
    window = _hours(hit["deadline"]) - _hours(hit["created_at"])  # type: ignore[arg-type]
    assert window == pytest.approx(2, abs=0.05)  # the traveller flies today: hours, not days
    hub.run("fp", "hits", "list")  # listing escalates nothing
    assert "0 hit(s) escalated" in hub.run("duty", "hits", "escalate")
    assert "may not" in hub.invoke("fp", "hits", "escalate")[1]
    _sql(hub, "UPDATE hits SET deadline = '2000-01-01 00:00:00'")  # the deadline passes
    assert "owner's supervisor notified" in hub.run("duty", "hits", "escalate")
    late = _json_lines(hub.run("fp-sup", "hits", "overdue", "--json"))
    assert late == [] and "may not" in hub.invoke("fr", "hits", "overdue")[1]  # new deadline set
    assert hub.run("duty", "hits", "list", "--json") == ""  # not yet the hub's
    _sql(hub, "UPDATE hits SET deadline = '2000-01-01 00:00:00'")
    assert [h["id"] for h in _json_lines(hub.run("fp-sup", "hits", "overdue", "--json"))] == [
        hit["id"]
    ]
    assert "hub duty officer notified" in hub.run("duty", "hits", "escalate")
    (chase,) = _json_lines(hub.run("duty", "hits", "list", "--json"))
    assert chase["escalation_level"] == 2 and chase["owner"]["contact"] == "desk@be-fp.example"  # type: ignore[index]
    assert "Zerouali" not in json.dumps(chase) and "ZEROUALI" not in json.dumps(chase)
    _sql(hub, "UPDATE hits SET deadline = '2000-01-01 00:00:00'")
    assert "0 hit(s) escalated" in hub.run("duty", "hits", "escalate")  # the top level
    assert "note" in hub.invoke("fp", "hits", "ack", str(hit["id"]))[1]
    hub.run("fp", "hits", "ack", str(hit["id"]), "--note", "called BE-PIU, checking")
    hub.run(
        "fp", "hits", "close", str(hit["id"]), "--status", "actioned", "--note", "stopped at BRU"
    )
    events = _json_lines(hub.run("auditor", "audit", "list", "--limit", "200"))
    steps = [e for e in events if e["action"] == "hit.escalate"]
    assert len(steps) == 2 and all(e["actor"] == "duty" for e in steps)
    assert [e["actor"] for e in events if e["action"] == "hit.acknowledge"] == ["fp"]
    assert "intact" in hub.run("auditor", "audit", "verify")


def test_overdue_records_are_flagged_and_purged_leaving_a_tombstone(hub: Hub) -> None:
    past = (date.today() - timedelta(days=1)).isoformat()
    _sql(hub, f"UPDATE records SET review_by = '{past}' WHERE source_id = 'BE-2'")
    assert "BE-2" in hub.run("fp", "records", "overdue") and "BE-1" not in hub.run(
        "fp", "records", "overdue"
    )
    assert "may not" in hub.invoke("fp", "records", "purge", "--overdue")[1]
    assert "1 record(s) purged" in hub.run("fp-sup", "records", "purge", "--overdue")
    exported = hub.run("fp", "records", "export")
    assert "BE-1" in exported and "BE-2" not in exported
    events = hub.run("auditor", "audit", "list", "--limit", "200")
    tombstone = next(e for e in _json_lines(events) if e["action"] == "records.purge")
    assert tombstone["actor"] == "fp-sup" and "Benali" not in events and "Souad" not in events
    assert "intact" in hub.run("auditor", "audit", "verify")


def _hours(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp).timestamp() / 3600


def test_threshold_and_limit_cannot_bisect_a_hit_only_partners_score(hub: Hub) -> None:
    """Whether a hit-only owner is named may not depend on the caller's threshold or limit:
    raising them step by step would otherwise tell the score the owner withholds, to any
    precision, and a limit of one would tell how it ranks against the caller's own records."""
    hub.run("fr", "ingest", str(hub.folder / "fr.csv"), "--kind", "watchlist", "--no-hits")
    (hub.folder / "probe.csv").write_text(
        "record_id,name,birth_date\n"
        "p1,Abdelkarim Zerouali,1987\n"
        "p2,Zerouali Abdelkarim,1987-04-08\n",
        encoding="utf-8",
    )
    out = hub.folder / "probe.jsonl"
    seen = set()
    for threshold, limit in (
        ("0.5", "10"),
        ("0.9", "10"),
        ("0.99", "10"),
        ("1", "10"),
        ("0.5", "1"),
    ):
        hub.run(
            "fr", "screen", str(hub.folder / "probe.csv"), "--purpose", "case FR-9",
            "--threshold", threshold, "--limit", limit, "--output", str(out),
        )  # fmt: skip
        named = tuple(
            tuple(m["agency"] for m in line["matches"] if m["score"] is None)  # type: ignore[attr-defined]
            for line in _json_lines(out.read_text(encoding="utf-8"))
        )
        seen.add(named)
    assert seen == {(("BE-FP",), ("BE-FP",))}


def test_hits_are_raised_at_the_hubs_threshold_never_the_loaders(hub: Hub) -> None:
    """`ingest --threshold 0` raised a hit on every weak match: each owner had to answer
    them before a deadline, and the loader's hit list named the owners of matches the hub
    otherwise withholds (the same probe a low screening threshold no longer allows)."""
    (hub.folder / "weak.csv").write_text(
        "record_id,name\nW-1,Abdelkarim\nW-2,Souad\n", encoding="utf-8"
    )
    args = ("ingest", str(hub.folder / "weak.csv"), "--kind", "watchlist")
    code, output = hub.invoke("fr", *args, "--threshold", "0")
    assert code == 2 and "hit(s)" not in output
    assert "0 hit(s)" in hub.run("fr", *args)
    assert _json_lines(hub.run("fp", "hits", "list", "--json")) == []


def test_hits_list_shows_whole_references_on_an_80_column_terminal(
    hub: Hub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reference is what one side quotes to the other: the table cut it to
    `FR-DGSI:3f0c…`, which no one can quote, look up or judge (nor a contact cut short)."""
    assert "1 hit(s)" in hub.run("fr", "ingest", str(hub.folder / "fr.csv"), "--kind", "watchlist")
    (owned,) = _json_lines(hub.run("fp", "hits", "list", "--json"))
    (partner,) = _json_lines(hub.run("fr", "hits", "list", "--json"))
    monkeypatch.setenv("COLUMNS", "80")
    for user, reference in (
        ("fp", str(owned["querying"]["reference"])),  # type: ignore[index]
        ("fr", str(partner["owner"]["reference"])),  # type: ignore[index]
    ):
        table = hub.run(user, "hits", "list")
        assert "…" not in table  # folded onto a second line where it must, never cut
        assert reference[:10] in table and reference[-3:] in table
