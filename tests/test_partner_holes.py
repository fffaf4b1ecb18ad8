"""What a hostile partner could still read or change around the policy, each path tried:
judging a Record it sees only as a hit, Identities of Records it was never told of, cases on
subjects it may not read. Every refusal is audited; none answers "exists, not yours" apart
from "does not exist"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.services import Database, Refused, Unseen
from ftfhub.services.identities import judge
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file
from ftfhub.store.identities import Judgement, memberships
from ftfhub.store.models import Record
from partner_world import denied, refs, two_agencies

LIST_BE = (
    "record_id,name,birth_date,nationality,gender,handling_code\n"
    "BE-1,Abdelkarim Zerouali,1987-04-08,BE,m,H0\n"
    "BE-2,Ilyas Vandermeulen,1979-03-03,BE,m,H0\n"
    "BE-3,Corentin Moulard,1990-01-02,BE,m,H2\n"
)
LIST_FR = (
    "record_id,name,birth_date,nationality,gender\n"
    "FR-1,Abdelkarim Zeroualli,1987-04-08,BE,m\n"
    "FR-2,Corentin Moulart,1990-01-02,BE,m\n"
)
MADE_UP = "BE-FP:000000000000"


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    """BE-FP holds two hit-only records and a summary one; FR-DGSI's load raises a hit on
    BE-1 (so FR-DGSI was told of it) and never touches BE-2."""
    yield from two_agencies(tmp_path / "holes.db", {"BE-FP": LIST_BE, "FR-DGSI": LIST_FR})


def judgements(db: Database) -> int:
    with db.reading() as session:
        return len(list(session.execute(select(Judgement)).scalars()))


# --- 1. judging ----------------------------------------------------------------------------


def test_a_partner_record_seen_only_as_a_hit_is_not_judged_blind(db: Database) -> None:
    """FR-DGSI was told of BE-1 by a hit, so it may know BE-1 exists, but not what it holds:
    a verdict on it would be blind and would override the model on BE-FP's record in every
    later run. Refused (audited, no judgement stored); the owner may judge it."""
    fr = as_user(db, "FR-DGSI", purpose="adjudication")
    told = refs(db)["BE-1"]
    with pytest.raises(Refused) as refused:
        judge(fr, "FR-DGSI/FR-1", told, False, "not him")
    assert "hit only" in str(refused.value) and "BE-FP" in str(refused.value)
    assert judgements(db) == 0
    [event] = denied(db)
    assert event.details["rule"] == "judge-hit-only" and event.object_type == "record_pair"
    assert "not him" not in json.dumps(event.details)
    # One never told of is still answered as a made-up one (no oracle).
    answers = []
    for ref in (refs(db)["BE-2"], MADE_UP):
        with pytest.raises(Unseen) as unseen:
            judge(fr, "FR-DGSI/FR-1", ref, False, "probe")
        answers.append(str(unseen.value).replace(ref, "REF"))
    assert answers[0] == answers[1]
    # A record shared in summary may be judged; the owner judges its own hit-only ones.
    judge(fr, "FR-DGSI/FR-2", refs(db)["BE-3"], True, "same man")
    judge(as_user(db, "BE-FP"), "BE-FP/BE-1", "BE-FP/BE-2", False, "two men")
    assert judgements(db) == 2


# --- 3. a case's subject -------------------------------------------------------------------


def test_a_case_holds_only_a_subject_its_agency_may_open(db: Database) -> None:
    """`cases add` took any string: a partner's reference never told of was stored as the
    subject of a case (and a made-up one too). Now a made-up subject and one not the caller's
    to know of get one answer and one `need-to-know` refusal; a hit's reference, an own
    record and an Identity holding an own record are accepted."""
    from ftfhub.services.cases import open_case
    from ftfhub.services.identities import resolve_identities

    fr = as_user(db, "FR-DGSI")
    answers = []
    for subject in (refs(db)["BE-2"], MADE_UP, "ID-00000002", "ID-99999999", "anything"):
        with pytest.raises(Unseen) as unseen:
            open_case(fr, subject)
        answers.append(str(unseen.value).replace(subject, "S"))
    assert len(set(answers)) == 1
    events = denied(db)
    assert len(events) == 5 and {e.details["rule"] for e in events} == {"need-to-know"}
    assert open_case(fr, refs(db)["BE-1"]).subject == refs(db)["BE-1"]  # told of by a hit
    assert open_case(fr, refs(db)["FR-1"]).subject == refs(db)["FR-1"]
    resolve_identities(as_user(db, "HUB"))
    with db.reading() as session:
        members = memberships(session)
        ids = {r.source_id: members[r.id] for r in session.execute(select(Record)).scalars()}
    assert open_case(fr, ids["FR-2"]).subject == ids["FR-2"]
    if ids["BE-2"] not in {ids["FR-1"], ids["FR-2"]}:
        with pytest.raises(Unseen):
            open_case(fr, ids["BE-2"])


def test_a_case_subject_is_refused_alike_through_the_api_and_the_cli(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from ftfhub.api import create_app
    from ftfhub.cli import app as cli
    from ftfhub.domain.vocab import Role
    from ftfhub.services import Context, identity

    admin = identity.init_hub(db)
    actx = Context(db, identity.authenticate(db, admin.token))
    token = identity.add_user(actx, "ana.fr", "FR-DGSI", Role.ANALYST).token
    untold, made_up = refs(db)["BE-2"], MADE_UP
    with TestClient(create_app(db, escalate_every=0)) as client:
        bearer = {"Authorization": f"Bearer {token}"}
        got = [
            client.post("/cases", json={"subject": s}, headers=bearer) for s in (untold, made_up)
        ]
    assert got[0].status_code == got[1].status_code == 404
    assert got[0].text.replace(untold, "S") == got[1].text.replace(made_up, "S")
    monkeypatch.setenv("FTFHUB_DATABASE_URL", db.url)
    monkeypatch.setenv("FTFHUB_TOKEN", token)
    ran = [CliRunner().invoke(cli, ["cases", "add", s]) for s in (untold, made_up)]
    assert ran[0].exit_code == ran[1].exit_code != 0
    assert ran[0].output.replace(untold, "S") == ran[1].output.replace(made_up, "S")
    assert len([e for e in denied(db) if e.actor == "ana.fr"]) == 4


# --- 4. paging -----------------------------------------------------------------------------

FIVE = [
    ("Abdelkarim Zerouali", "1987-04-08"),
    ("Ilyas Vandermeulen", "1979-03-03"),
    ("Corentin Moulard", "1990-01-02"),
    ("Bertil Osterhagen", "1984-06-21"),
    ("Yunus Karakaslar", "1992-11-30"),
]


def test_hits_and_cases_come_a_bounded_page_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /hits returned every hit of the agency at once (an inbox of 100,000 in one
    answer). Now a page: `limit` (default 100, at most 1,000), most urgent first, and
    `next_offset` while `more`; GET /cases likewise, the next offset in a header."""
    from fastapi.testclient import TestClient

    from ftfhub.api import create_app
    from ftfhub.api import routes as api_routes
    from ftfhub.domain.vocab import Role
    from ftfhub.services import Context, identity
    from ftfhub.services.cases import open_case

    forget_live_indexes()
    db = Database(f"sqlite:///{tmp_path / 'pages.db'}")
    admin = Context(db, identity.authenticate(db, identity.init_hub(db).token))
    for code in ("BE-FP", "FR-DGSI"):
        identity.add_agency(admin, code, code)
    token = identity.add_user(admin, "ana.be", "BE-FP", Role.ANALYST).token
    for agency, spelled in (("BE-FP", lambda n: n), ("FR-DGSI", lambda n: n + "e")):
        rows = "".join(f"{agency}-{i},{spelled(n)},{d}\n" for i, (n, d) in enumerate(FIVE))
        path = tmp_path / f"{agency}.csv"
        path.write_text("record_id,name,birth_date\n" + rows, encoding="utf-8")
        ingest_file(as_user(db, agency), path, "watchlist", threshold=0.7)
    be = as_user(db, "BE-FP")
    for ref in list(refs(db).values())[:3]:
        if ref.startswith("BE-FP"):
            open_case(be, ref)
    bearer = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(db, escalate_every=0)) as client:
        whole = client.get("/hits", params={"limit": 1000}, headers=bearer).json()
        assert len(whole["owned"]) == 5 and not whole["more"]
        seen, offset = [], 0
        while True:
            page = client.get("/hits", params={"limit": 2, "offset": offset}, headers=bearer)
            body = page.json()
            assert len(body["owned"]) <= 2
            seen += [h["id"] for h in body["owned"]]
            if not body["more"]:
                assert body["next_offset"] is None
                break
            offset = body["next_offset"]
        assert seen == [h["id"] for h in whole["owned"]]  # the same order, none twice
        for bad in (0, 1001, -1):
            assert client.get("/hits", params={"limit": bad}, headers=bearer).status_code == 422
        assert client.get("/hits", params={"offset": -1}, headers=bearer).status_code == 422
        asked: dict[str, object] = {}
        real = api_routes.hit_service.list_hits
        monkeypatch.setattr(
            api_routes.hit_service,
            "list_hits",
            lambda ctx, status, **kw: asked.update(kw) or real(ctx, status, **kw),
        )
        client.get("/hits", headers=bearer)
        assert asked == {"limit": 100, "offset": 0}  # bounded unless asked
        first = client.get("/cases", params={"limit": 2}, headers=bearer)
        assert len(first.json()) == 2 and first.headers["x-next-offset"] == "2"
        rest = client.get("/cases", params={"limit": 2, "offset": 2}, headers=bearer)
        assert len(rest.json()) == 1 and "x-next-offset" not in rest.headers
        assert {c["id"] for c in first.json() + rest.json()} == {1, 2, 3}
    forget_live_indexes()


# --- 5. time zones -------------------------------------------------------------------------


def times_in(value: object) -> list[str]:
    """Every ISO 8601 date-time string anywhere in a decoded JSON value."""
    import re

    if isinstance(value, dict):
        return [t for v in value.values() for t in times_in(v)]
    if isinstance(value, list):
        return [t for v in value for t in times_in(v)]
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}", value):
        return [value]
    return []


def zoned_utc(text: str) -> bool:
    from datetime import UTC, datetime, timedelta

    moment = datetime.fromisoformat(text)
    return moment.tzinfo is not None and moment.utcoffset() == timedelta(0) and UTC is not None


def test_every_time_the_api_and_the_exports_emit_carries_its_zone(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """JSON times had no zone ("2026-11-30T12:00:00"): a client elsewhere reads that as its
    own local time. Now each is UTC and says so; what is stored is unchanged (naive UTC),
    and the audit export's hashed `at` keeps the recipe's documented form."""
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from ftfhub.api import create_app
    from ftfhub.cli import app as cli
    from ftfhub.domain.vocab import Role
    from ftfhub.services import Context, identity
    from ftfhub.store.models import Hit

    admin = identity.init_hub(db)
    actx = Context(db, identity.authenticate(db, admin.token))
    token = identity.add_user(actx, "ana.be", "BE-FP", Role.ANALYST).token
    auditor = identity.add_user(actx, "aud", "HUB", Role.AUDITOR).token
    bearer = {"Authorization": f"Bearer {token}", "X-Purpose": "a test"}
    seen: list[str] = []
    with TestClient(create_app(db, escalate_every=0)) as client:
        listing = client.get("/hits", headers=bearer).json()
        seen += times_in(listing)
        case = client.post("/cases", json={"subject": refs(db)["BE-1"]}, headers=bearer)
        case_id = case.json()["id"]
        client.post(f"/cases/{case_id}/notes", json={"text": "met"}, headers=bearer)
        for answer in (
            case,
            client.get("/cases", headers=bearer),
            client.get(f"/cases/{case_id}", headers=bearer),
            client.patch(f"/cases/{case_id}", json={"officer": "o-2"}, headers=bearer),
            client.post(
                f"/cases/{case_id}/category",
                json={"category": "reintegration-candidate", "why": "programme"},
                headers=bearer,
            ),
        ):
            assert answer.status_code < 300, answer.text
            seen += times_in(answer.json())
    assert len(listing["owned"]) >= 1 and len(seen) >= 10
    assert all(zoned_utc(t) for t in seen), seen
    monkeypatch.setenv("FTFHUB_DATABASE_URL", db.url)
    runner = CliRunner()
    monkeypatch.setenv("FTFHUB_TOKEN", token)
    hits_json = runner.invoke(cli, ["hits", "list", "--json"])
    monkeypatch.setenv("FTFHUB_TOKEN", auditor)
    listed = runner.invoke(cli, ["audit", "list", "--limit", "5"])
    out = tmp_path / "trail.jsonl"
    exported = runner.invoke(
        cli,
        [
            "audit",
            "export",
            "--purpose",
            "inspection",
            "--since",
            "2020-01-01",
            "--output",
            str(out),
        ],
    )
    assert listed.exit_code == exported.exit_code == 0, listed.output + exported.output
    cli_times = times_in([json.loads(x) for x in listed.output.splitlines() if x.strip()])
    assert hits_json.exit_code == 0, hits_json.output
    cli_times += times_in([json.loads(x) for x in hits_json.output.splitlines() if x.strip()])
    *events, manifest = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    cli_times += times_in(manifest)
    assert len(cli_times) >= 7 and all(zoned_utc(t) for t in cli_times), cli_times
    # The hashed `at` of each event is as the recipe says (UTC, no offset), and stored naive.
    assert all(datetime_naive(e["at"]) for e in events if e["kind"] == "event")
    with db.reading() as session:
        assert session.execute(select(Hit)).scalars().first().created_at.tzinfo is None  # type: ignore[union-attr]


def datetime_naive(text: str) -> bool:
    from datetime import datetime

    return datetime.fromisoformat(text).tzinfo is None


# --- 6. the refusal bound across processes -------------------------------------------------

FLOOD = """
import sys
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database, Unseen
from ftfhub.services.records import show_record

db = Database(sys.argv[1], migrate=False)
ctx = Context(db, Caller("flooder", "FR-DGSI", Role.ANALYST), "fishing")
for _ in range(int(sys.argv[2])):
    try:
        show_record(ctx, "BE-FP:000000000000")
    except Unseen:
        pass
"""


def test_the_refusal_bound_holds_across_processes(database_url: str, tmp_path: Path) -> None:
    """The bound was kept in each process's memory: two API workers, or a command-line
    process per refusal, each had their own 30 a minute. Two processes flooding at once
    now share one bound, on SQLite and PostgreSQL: 30 itemised, the rest counted once."""
    import os
    import subprocess
    import sys

    from ftfhub.services import denials

    script = tmp_path / "flood.py"
    script.write_text(FLOOD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    floods = [
        subprocess.Popen([sys.executable, str(script), database_url, "25"], env=env)
        for _ in range(2)
    ]
    assert [p.wait(timeout=120) for p in floods] == [0, 0]
    db = Database(database_url, migrate=False)
    itemised = [e for e in denied(db) if e.actor == "flooder"]
    assert len(itemised) == denials.LIMIT == 30
    assert sum("bound" in e.details for e in itemised) == 1
    denials.flush(db)
    [summary] = [e for e in denied(db) if e.object_type == "refusals"]
    assert summary.details["suppressed"] == 20
    assert summary.details["rules"] == {"need-to-know": 20}
    with db.reading() as session:
        from ftfhub.audit.chain import verify_chain

        assert verify_chain(session).ok


# --- 2. identities of records never told of ------------------------------------------------

WORLD_BE = (
    "record_id,name,birth_date,nationality,gender,documents,handling_code\n"
    "BE-1,Abdelkarim Zerouali,1987-04-08,BE,m,passport:BE:EH123456,H0\n"
    "BE-2,Tarquin Vellacourt,1979-11-02,BE,m,passport:BE:EH777001,H0\n"
    "BE-3,Corentin Malapert,1984-02-13,BE,m,passport:BE:EH555123,H2\n"
)
WORLD_FR_TOLD = (
    "record_id,name,birth_date,nationality,gender,documents\n"
    "FR-1,Abdelkarim Zeroual,1987-04-08,BE,m,passport:BE:EH123456\n"
)
WORLD_FR_QUIET = (
    "record_id,name,birth_date,nationality,gender,documents\n"
    "FR-2,Tarquin Velacourt,1979-11-02,BE,m,passport:BE:EH777001\n"
    "FR-3,Corentin Malapert,1984-02-13,BE,m,passport:BE:EH555123\n"
)


def test_an_identity_run_tells_no_partner_of_a_hit_only_record(tmp_path: Path) -> None:
    """The identities list, an identity's page and its dossier named a partner's hit-only
    record clustered with the caller's though no hit had told the caller of it (and no owner
    was notified): a hit by another road. Now such a record is not listed, counted or
    knowable by reference; a record told of by a hit is shown at hit-only, one shared in
    summary at summary; opening an Identity that holds only the caller's own records (as
    far as it may know) asks no purpose, since asking would tell."""
    from ftfhub.services.dossier import open_dossier
    from ftfhub.services.identities import (
        explain_identity,
        export_identities,
        identities_page,
        resolve_identities,
    )
    from ftfhub.services.records import show_record
    from test_identities_service import _seed_model

    forget_live_indexes()
    db = Database(f"sqlite:///{tmp_path / 'world.db'}")
    for agency, text, hits in (
        ("BE-FP", WORLD_BE, True),
        ("FR-DGSI", WORLD_FR_TOLD, True),
        ("FR-DGSI", WORLD_FR_QUIET, False),
    ):
        path = tmp_path / f"{agency}-{hits}.csv"
        path.write_text(text, encoding="utf-8")
        ingest_file(as_user(db, agency), path, "watchlist", threshold=0.8, raise_hits=hits)
    _seed_model(db, tmp_path)
    hub = as_user(db, "HUB", purpose="resolution")
    resolve_identities(hub)
    whole = {m.record_id: m.identity_id for m in export_identities(hub)}
    assert whole["BE-2"] == whole["FR-2"] and whole["BE-1"] == whole["FR-1"]
    assert whole["BE-3"] == whole["FR-3"]
    be = refs(db)
    fr = as_user(db, "FR-DGSI", purpose="case 9")
    shown = {(m.agency, m.record_id) for m in export_identities(fr)}
    assert ("BE-FP", be["BE-1"]) in shown  # told of by a hit: whom to contact
    assert ("BE-FP", "BE-3") in shown  # shared in summary
    assert not any(m == be["BE-2"] or m == "BE-2" for _, m in shown)  # never told of
    total, page = identities_page(fr, 0, 10)
    assert total == 3
    paged = {m.record_id for _, members in page for m in members}
    assert be["BE-2"] not in paged and "BE-2" not in paged
    quiet = whole["FR-2"]
    no_purpose = as_user(db, "FR-DGSI", purpose="")
    view = explain_identity(no_purpose, quiet)  # only FR-DGSI's own, as far as it knows
    assert {m.agency for m in view.members} == {"FR-DGSI"} and view.pairs == ()
    dossier = open_dossier(no_purpose, quiet)
    assert {v.agency for v in dossier.records} == {"FR-DGSI"}
    answers = []
    for ref in (be["BE-2"], MADE_UP):
        with pytest.raises(Unseen) as unseen:
            show_record(fr, ref)
        answers.append(str(unseen.value).replace(ref, "REF"))
    assert answers[0] == answers[1]
    forget_live_indexes()


def test_a_partners_record_is_judged_by_its_reference_never_by_a_guessed_id(
    db: Database,
) -> None:
    """`BE-FP/BE-3` (the owner's id; ids run in order) found BE-FP's summary record and
    judged it: walking ids listed what a partner holds. By id only one's own; a partner's by
    the reference a hit or a match quoted, and a guess answered as a made-up id."""
    fr = as_user(db, "FR-DGSI", purpose="adjudication")
    answers = []
    for guess in ("BE-FP/BE-3", "BE-FP/BE-99"):
        with pytest.raises(Unseen) as unseen:
            judge(fr, "FR-DGSI/FR-2", guess, True, "probe")
        answers.append(str(unseen.value).replace(guess, "X"))
    assert answers[0] == answers[1] and judgements(db) == 0
    judge(fr, "FR-DGSI/FR-2", refs(db)["BE-3"], True, "same man")
    assert judgements(db) == 1
