"""Each role denied what it must not do, through the command line: no token, an expired or
revoked one, another agency's analyst, an auditor asking for Record content, no purpose."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from cli_world import Hub, set_up

LIST = "record_id,name,birth_date,nationality\nBE-1,Abdelkarim Zerouali,1987-04-08,BE\n"
PAX = "record_id,name,birth_date\nT-1,ZEROUALI<<ABDELKARIM,1987-04-08\n"


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    (tmp_path / "list.csv").write_text(LIST, encoding="utf-8")
    (tmp_path / "pax.csv").write_text(PAX, encoding="utf-8")
    hub = set_up(
        tmp_path,
        {
            "BE-FP": [("fp", "analyst"), ("fp-sup", "supervisor")],
            "BE-PIU": [("piu", "analyst")],
            "FR-DGSI": [("fr", "analyst")],
            "HUB": [("duty", "duty-officer"), ("auditor", "auditor")],
        },
    )
    hub.run("fp", "ingest", str(tmp_path / "list.csv"), "--kind", "watchlist")
    hub.run("piu", "ingest", str(tmp_path / "pax.csv"), "--kind", "travel")
    return hub


def _hit_id(hub: Hub) -> str:
    ref: str = json.loads(hub.run("fp", "hits", "list", "--json").splitlines()[0])["id"]
    return ref


def _refused(hub: Hub, user: str | None, *args: str) -> str:
    code, output = hub.invoke(user, *args)
    assert code == 2, output
    assert "Traceback" not in output
    return " ".join(output.split())


def test_no_token_no_access(hub: Hub) -> None:
    for args in (("hits", "list"), ("records", "export"), ("audit", "list"), ("whoami",)):
        assert "no token" in _refused(hub, None, *args)


def test_a_wrong_token_is_refused(hub: Hub) -> None:
    hub.tokens["forger"] = hub.tokens["fp"][:-4] + "AAAA"
    assert "not valid" in _refused(hub, "forger", "hits", "list")
    hub.tokens["junk"] = "hello"
    assert "not valid" in _refused(hub, "junk", "hits", "list")


def test_a_token_whose_id_no_database_can_hold_is_refused_not_a_traceback(hub: Hub) -> None:
    """An id past SQLite's 64-bit integers (or digits `int` cannot read) is a forged token."""
    for forged in ("ftf_99999999999999999999999_x", "ftf_\u00b2_x", "ftf_-1_x"):
        hub.tokens["forger"] = forged
        assert "not valid" in _refused(hub, "forger", "whoami")


def test_revoked_and_expired_tokens_are_refused(hub: Hub) -> None:
    hub.run("admin", "tokens", "revoke", "--user", "fp")
    assert "revoked" in _refused(hub, "fp", "hits", "list")
    con = sqlite3.connect(hub.folder / "a.db")
    con.execute(
        "UPDATE tokens SET expires_at = '2000-01-01 00:00:00' WHERE user_id = "
        "(SELECT id FROM users WHERE name = 'piu')"
    )
    con.commit()
    assert "expired" in _refused(hub, "piu", "hits", "list")


def test_a_number_no_database_row_can_have_is_bad_input_not_a_traceback(hub: Hub) -> None:
    huge = "9" * 23  # past SQLite's (and PostgreSQL's) 64-bit integers
    for args in (("cases", "show", huge), ("cases", "note", huge, "text")):
        code, output = hub.invoke("fp", *args)
        assert code == 2 and "Traceback" not in output, (args, output)
        flowing = " ".join(output.replace("│", " ").split())
        assert "is not a case number that cases list shows" in flowing, (args, output)
    for args in (  # a hit is named by its reference: any number is a hit that is not there
        ("hits", "show", huge),
        ("hits", "ack", huge, "--note", "x"),
        ("hits", "close", huge, "--status", "dismissed", "--note", "x"),
    ):
        assert "is not one of BE-FP's" in _refused(hub, "fp", *args), args


def test_only_an_admin_manages_users(hub: Hub) -> None:
    assert "may not" in _refused(
        hub, "fp", "users", "add", "x1", "--agency", "BE-FP", "--role", "admin"
    )
    assert "already set up" in _refused(hub, None, "init")


def test_another_agencys_analyst_cannot_answer_or_open_a_hit(hub: Hub) -> None:
    hit = str(_hit_id(hub))
    assert "not one of FR-DGSI's" in _refused(hub, "fr", "hits", "ack", hit, "--note", "mine")
    assert "not one of FR-DGSI's" in _refused(hub, "fr", "hits", "show", hit, "--purpose", "x")
    assert json.loads(hub.run("fr", "hits", "list", "--json") or "null") is None
    assert "answered by its owner" in _refused(hub, "piu", "hits", "ack", hit, "--note", "mine")


def test_a_partner_cannot_tell_which_hits_exist(hub: Hub) -> None:
    """Another agency's hit and a hit that does not exist get the same answer."""
    real, absent = str(_hit_id(hub)), "H-000000000000"
    for command in (("ack", "--note", "x"), ("show", "--purpose", "x")):
        answers = {
            _refused(hub, "fr", "hits", command[0], hit, *command[1:]).replace(hit, "N")
            for hit in (real, absent)
        }
        assert len(answers) == 1, answers


def test_a_hits_row_number_is_answered_as_a_hit_that_does_not_exist(hub: Hub) -> None:
    """Not resolved even for the hit's owner: the row numbers count the hub's hits."""
    with sqlite3.connect(hub.folder / "a.db") as con:
        (row,) = con.execute("SELECT id FROM hits").fetchone()
    for command in (("ack", "--note", "x"), ("show", "--purpose", "x")):
        answers = {
            _refused(hub, "fp", "hits", command[0], asked, *command[1:]).replace(asked, "N")
            for asked in (str(row), "H-000000000000")
        }
        assert len(answers) == 1 and "not one of BE-FP's" in answers.pop(), answers
    shown = json.loads(hub.run("fp", "hits", "list", "--json").splitlines()[0])["id"]
    assert shown.startswith("H-") and len(shown) == 14 and shown != f"H-{row}"


def test_an_auditor_reads_the_trail_but_no_record_content(hub: Hub) -> None:
    events = hub.run("auditor", "audit", "list", "--limit", "100")
    assert "Zerouali" not in events and "ZEROUALI" not in events
    assert "may not" in _refused(
        hub, "auditor", "records", "export", "--agency", "BE-FP", "--purpose", "x"
    )
    assert "may not" in _refused(hub, "auditor", "hits", "list")
    assert "may not" in _refused(
        hub, "auditor", "screen", str(hub.folder / "pax.csv"), "--purpose", "x"
    )
    assert "may not" in _refused(
        hub, "auditor", "hits", "show", str(_hit_id(hub)), "--purpose", "x"
    )


def test_a_limit_past_any_trail_lists_the_whole_trail(hub: Hub) -> None:
    """`audit list --limit` past the database's largest integer was a traceback (hostile
    pass, 2026-12-01); no trail holds more events, so it lists them all."""
    for limit in (str(2**63), "9" * 23):
        listed = hub.run("auditor", "audit", "list", "--limit", limit).splitlines()
        assert [json.loads(e)["id"] for e in listed] == list(range(1, len(listed) + 1))
        assert hub.run("piu", "audit", "list", "--limit", limit) != ""


def test_an_unknown_agencys_trail_is_named_not_listed_as_empty(hub: Hub) -> None:
    """`audit list --agency NOPE` by an auditor printed nothing, as if nothing happened there."""
    said = _refused(hub, "auditor", "audit", "list", "--agency", "NOPE")
    assert "no agency NOPE" in said and "BE-FP" in said
    assert hub.run("auditor", "audit", "list", "--agency", "be-fp") != ""


def test_an_analyst_reads_only_their_agencys_trail(hub: Hub) -> None:
    agencies = {
        json.loads(x)["agency"]
        for x in hub.run("piu", "audit", "list", "--limit", "100").splitlines()
    }
    assert agencies == {"BE-PIU"}
    assert "an analyst may not read every agency's audit trail" in _refused(
        hub, "piu", "audit", "verify"
    )
    # Asking for another agency's trail is refused, not answered with one's own.
    assert "an analyst may not read every agency's audit trail" in _refused(
        hub, "piu", "audit", "list", "--agency", "BE-FP"
    )
    own = hub.run("piu", "audit", "list", "--agency", "be-piu", "--limit", "100")
    assert {json.loads(x)["agency"] for x in own.splitlines()} == {"BE-PIU"}


def test_a_refusal_says_in_words_what_the_role_may_not_do(hub: Hub) -> None:
    assert "an auditor may not read hits" in _refused(hub, "auditor", "hits", "list")
    assert "an analyst may not administer" in _refused(
        hub, "fp", "tokens", "revoke", "--user", "piu"
    )


def test_no_purpose_no_access(hub: Hub) -> None:
    assert "purpose" in _refused(hub, "fr", "screen", str(hub.folder / "pax.csv"))
    assert "purpose" in _refused(hub, "fr", "records", "export", "--agency", "BE-FP")
    assert "purpose" in _refused(hub, "piu", "hits", "show", str(_hit_id(hub)))
    opened = json.loads(hub.run("piu", "hits", "show", str(_hit_id(hub)), "--purpose", "case 7"))
    assert opened["owner"]["disclosure"] == "hit-only" and "Zerouali" not in json.dumps(opened)


def test_another_agencys_hit_only_records_are_not_exported(hub: Hub) -> None:
    out = hub.run("fr", "records", "export", "--agency", "BE-FP", "--purpose", "case 9")
    assert "record_id,name" in out and "0 record(s) exported" in out and "Zerouali" not in out
    said = " ".join(out.split())
    # Not counted either: how many records a hit-only partner holds is its own business.
    assert "more of BE-FP's record(s)" not in said
    assert "records BE-FP shares with you as hit-only are neither exported nor counted" in said
    assert hub.run("fr", "records", "export", "--agency", "be-fp", "--purpose", "case 9") == out


def test_records_shared_in_summary_are_counted_and_hit_only_ones_are_not(hub: Hub) -> None:
    """The export told a hit-only partner how many records the owner holds (and, with
    --kind, of which kind): '1 more of BE-FP's record(s) are not disclosed to you in full'."""
    hub.run("fp-sup", "agencies", "grant", "FR-DGSI", "--level", "summary")
    out = hub.run("fr", "records", "export", "--agency", "BE-FP", "--purpose", "case 9")
    said = " ".join(out.split())
    assert "1 more of BE-FP's record(s) are disclosed to you in summary only" in said
    assert "0 record(s) exported" in said and "Zerouali" not in out
    piu = " ".join(
        hub.run("piu", "records", "export", "--agency", "BE-FP", "--purpose", "p").split()
    )
    assert "more of BE-FP's" not in piu and "neither exported nor counted" in piu


def test_an_unknown_agency_is_named_not_exported_as_empty(hub: Hub) -> None:
    said = _refused(hub, "fr", "records", "export", "--agency", "NOPE", "--purpose", "case 9")
    assert "no agency NOPE" in said and "BE-FP" in said
    own = hub.run("fp", "records", "export", "--agency", "be-fp")
    assert "Zerouali" in own and "1 record(s) exported" in own


def test_an_unknown_kind_is_refused_with_the_kinds_there_are(hub: Hub) -> None:
    """`records export --kind bogus` ended in a Python traceback."""
    said = _refused(hub, "fp", "records", "export", "--kind", "bogus")
    assert "kind 'bogus' is not one of" in said and "watchlist" in said
    assert "Traceback" not in said


def test_the_agency_is_the_users_never_a_flag(hub: Hub) -> None:
    code, output = hub.invoke(
        "fr", "ingest", str(hub.folder / "list.csv"), "--agency", "BE-FP", "--kind", "watchlist"
    )
    assert code == 2 and "No such option" in output


PAXLST = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline" / "paxlst"


def test_screen_takes_a_paxlst_message_as_travellers(hub: Hub) -> None:
    """`screen x.paxlst` said 'load it with --kind travel', which is not how one screens."""
    message = str(PAXLST / "gtas-loader__Test1.txt")
    lines = hub.run("fr", "screen", message, "--purpose", "flight check").splitlines()
    assert lines and all("query_id" in json.loads(x) for x in lines)
    assert hub.run("fr", "screen", message, "--purpose", "x", "--kind", "travel") != ""


def test_hits_list_says_its_deadlines_are_utc(hub: Hub, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deadline printed without a zone reads as local time to a partner elsewhere: hours
    off for a hit whose deadline is hours away. The table says UTC, as the JSON says Z."""
    deadline = json.loads(hub.run("fp", "hits", "list", "--json").splitlines()[0])["deadline"]
    assert deadline.endswith("Z")
    day, clock = deadline[:-1].split("T")
    monkeypatch.setenv("COLUMNS", "200")  # one line a row: the time is not folded
    table = " ".join(hub.run("fp", "hits", "list").split())
    assert f"{day} {clock[:5]} UTC" in table, table
