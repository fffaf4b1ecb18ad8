"""Refused requests are in the audit trail (who, agency, purpose, what was asked, which rule),
through every face, never with the refused content or a secret; and no path answers
"exists but not yours" differently from "does not exist"."""

from __future__ import annotations

import importlib
import inspect
import io
import json
import os
import pkgutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

import ftfhub.services as services_package
from acting import as_user
from cli_world import set_up
from ftfhub.api import create_app
from ftfhub.audit.chain import verify_chain
from ftfhub.clock import iso_utc, utcnow
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database, Refused, Unseen, denials, identity
from ftfhub.services import hits as hit_service
from ftfhub.services.audit_export import Period, export_trail
from ftfhub.services.audit_report import audit_report
from ftfhub.services.context import NotFound
from ftfhub.services.records import show_record
from ftfhub.store.models import Agency, AuditEvent, Hit, Token
from partner_world import denied, refs, two_agencies
from verifier_tool import verifier

LIST_BE = (
    "record_id,name,birth_date,nationality,gender,handling_code\n"
    "BE-1,Abdelkarim Zerouali,1987-04-08,BE,m,H0\n"
    "BE-2,Ilyas Vandermeulen,1979-03-03,BE,m,H0\n"
)
LIST_FR = (
    "record_id,name,birth_date,nationality,gender\nFR-1,Abdelkarim Zeroualli,1987-04-08,BE,m\n"
)
MADE_UP = "BE-FP:000000000000"
NOTE = "Confidential-note-Quillfeather"


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    """BE-FP holds two hit-only records; FR-DGSI's load raises a hit on the first (BE-1),
    so FR-DGSI was told of BE-1 (a hit) and never of BE-2."""
    yield from two_agencies(tmp_path / "refusals.db", {"BE-FP": LIST_BE, "FR-DGSI": LIST_FR})


def event_text(event: AuditEvent) -> str:
    return json.dumps([event.object_id, event.purpose, event.details], ensure_ascii=False)


def hit_on(db: Database, owner: str) -> str:
    """The reference of a hit `owner` must answer."""
    with db.reading() as session:
        found = session.execute(select(Hit.ref).where(Hit.owner_agency == owner)).scalars().first()
    assert found is not None
    return found


# --- the services layer: one place, every service -------------------------------------


def _service_functions() -> Iterator[tuple[str, Any]]:
    for info in pkgutil.iter_modules(services_package.__path__):
        module = importlib.import_module(f"ftfhub.services.{info.name}")
        for name, fn in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(fn):
                continue
            if getattr(fn, "__module__", "") != module.__name__ and not denials.is_guarded(fn):
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:1] == ["ctx"]:
                yield f"{info.name}.{name}", fn


HELPERS = {
    "auditing.audit",
    "auditing.entry",
    "auditing.token_detail",
    "screening.cut",
    "screening.disclosed",
}
"""Functions with a `ctx` that are parts of a service, never called by a face."""


def test_every_service_a_face_may_call_audits_its_refusals() -> None:
    found = dict(_service_functions())
    assert len(found) > 30
    unguarded = sorted(n for n, fn in found.items() if not denials.is_guarded(fn))
    assert [n for n in unguarded if n not in HELPERS] == []


def test_a_refusal_survives_the_rollback_in_the_chain_and_names_rule_and_asker(
    db: Database,
) -> None:
    analyst = as_user(db, "BE-FP", purpose="curious")
    with (
        pytest.raises(Refused, match="may not export the audit trail"),
        open(os.devnull, "wb") as sink,
    ):
        export_trail(analyst, sink, Period(None, None))
    [event] = denied(db)
    assert (event.actor, event.agency, event.purpose) == ("analyst@be-fp", "BE-FP", "curious")
    assert event.details["rule"] == "role:audit.export"
    assert event.details["request"] == "audit_export.export_trail"
    # The object is what was asked for, as the export's own event names it: the whole chain,
    # never the name of a function (it read `agency:audit_export.export_trail`).
    assert (event.object_type, event.object_id) == ("chain", "*")
    assert event.details["role"] == "analyst"
    with db.reading() as session:
        assert verify_chain(session).ok


def test_a_refused_export_of_ones_own_records_names_the_agency_not_a_function(
    db: Database,
) -> None:
    from ftfhub.services.records import export_records

    with pytest.raises(Refused):
        export_records(as_user(db, "BE-FP", Role.AUDITOR))
    [event] = denied(db)
    assert (event.object_type, event.object_id) == ("agency", "BE-FP")
    assert event.details["request"] == "records.export_records"


def test_an_answer_to_a_hit_of_another_agency_is_audited_without_its_note(
    db: Database,
) -> None:
    hit_id = hit_on(db, "BE-FP")
    with pytest.raises(Refused, match="answered by its owner"):
        hit_service.acknowledge(as_user(db, "FR-DGSI"), hit_id, NOTE)
    [event] = denied(db)
    assert (event.object_type, event.object_id) == ("hit", str(hit_id))
    assert event.details["rule"] == "hit-answered-by-owner"
    assert NOTE not in event_text(event)
    with db.reading() as session:
        assert session.execute(select(Hit.note).where(Hit.ref == hit_id)).scalar_one() == ""


def test_a_service_calling_a_service_is_one_refusal(db: Database) -> None:
    """open_dossier calls explain_identity: one request, one event."""
    from ftfhub.services.dossier import open_dossier

    auditor = as_user(db, "HUB", Role.AUDITOR)
    with pytest.raises(Refused):
        open_dossier(auditor, "I-1")
    assert [e.details["request"] for e in denied(db)] == ["dossier.open_dossier"]


# --- no existence oracle -----------------------------------------------------------------


def test_a_record_never_told_of_is_answered_as_a_made_up_one(db: Database) -> None:
    told, untold = refs(db)["BE-1"], refs(db)["BE-2"]
    fr = as_user(db, "FR-DGSI", purpose="hit check")
    assert show_record(fr, told).contact  # in FR's hit: owner and whom to contact
    answers = []
    for asked in (untold, MADE_UP):
        with pytest.raises(Unseen) as refused:
            show_record(fr, asked)
        answers.append(str(refused.value).replace(asked, "REF"))
    assert answers[0] == answers[1]
    events = denied(db)
    assert [e.object_id for e in events] == [untold, MADE_UP]
    same = [json.dumps(e.details).replace(e.object_id, "REF") for e in events]
    assert same[0] == same[1] and events[0].details["rule"] == "need-to-know"
    assert "Vandermeulen" not in event_text(events[0])


def test_a_partners_report_names_its_refusals(db: Database) -> None:
    with pytest.raises(Unseen):
        show_record(as_user(db, "FR-DGSI", purpose="fishing"), refs(db)["BE-2"])
    since = utcnow() - timedelta(hours=1)
    fr = audit_report(as_user(db, "FR-DGSI"), "FR-DGSI", since)
    assert [(a.action, a.purpose) for a in fr.accesses if a.action == "access.denied"] == [
        ("access.denied", "fishing")
    ]
    assert ("access.denied", 1) in fr.actions
    # the report says which rule refused it and what the user was told, as `audit list` does
    [refusal] = [a for a in fr.accesses if a.action == "access.denied"]
    assert refusal.refused.startswith("need-to-know: ")
    assert "Vandermeulen" not in refusal.refused
    assert all(a.refused == "" for a in fr.accesses if a.action != "access.denied")


def test_a_report_on_an_agency_that_is_not_there_says_so(db: Database) -> None:
    """A typo (`FR-DGIS`) was read as an agency that did nothing: an empty report, exit 0."""
    since = utcnow() - timedelta(hours=1)
    with pytest.raises(NotFound, match=r"no agency FR-DGIS \(agencies: .*FR-DGSI"):
        audit_report(as_user(db, "HUB", Role.AUDITOR), "FR-DGIS", since)
    # an analyst asking about another agency is refused before anything is looked up: the
    # answer says nothing of which agencies exist
    with pytest.raises(Refused, match="for auditors"):
        audit_report(as_user(db, "FR-DGSI"), "FR-DGIS", since)


# --- tokens --------------------------------------------------------------------------------


def test_a_revoked_or_expired_token_is_audited_as_its_user_and_a_bad_one_writes_nothing(
    db: Database,
) -> None:
    admin = identity.init_hub(db)
    actx = Context(db, identity.authenticate(db, admin.token))
    identity.add_agency(actx, "BE-PIU", "PIU")
    issued = identity.add_user(actx, "ana.piu", "BE-PIU", Role.ANALYST)
    secret = issued.token.rsplit("_", 1)[1]
    for bad in ("nonsense", "ftf_999_abc", f"ftf_{issued.token_id}_wrong"):
        with pytest.raises(identity.NotAuthenticated):
            identity.authenticate(db, bad)
    assert denied(db) == []  # no one known: anyone could otherwise write to the trail
    with db.transaction() as session:
        session.execute(update(Token).values(expires_at=utcnow() - timedelta(days=1)))
    with pytest.raises(identity.NotAuthenticated, match="expired"):
        identity.authenticate(db, issued.token)
    [expired] = denied(db)
    assert (expired.actor, expired.agency, expired.details["rule"]) == (
        "ana.piu",
        "BE-PIU",
        "token-expired",
    )
    assert expired.object_id == str(issued.token_id) and secret not in event_text(expired)


# --- the bound ----------------------------------------------------------------------------


def test_a_flood_of_refusals_is_bounded_and_counted_never_silent(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    start, now = utcnow(), [0.0]
    clock = lambda: start + timedelta(seconds=now[0])  # noqa: E731
    monkeypatch.setattr(denials, "BOUND", denials.Bound(limit=3, seconds=60, clock=clock))
    fr = as_user(db, "FR-DGSI", purpose="flood")
    for _ in range(10):
        with pytest.raises(Unseen):
            show_record(fr, MADE_UP)
    itemised = denied(db)
    assert len(itemised) == 3 and "bound" in itemised[-1].details
    now[0] = 61.0
    with pytest.raises(Unseen):
        show_record(fr, MADE_UP)
    summary, fresh = denied(db)[3:]
    assert summary.details["suppressed"] == 7
    assert summary.details["rules"] == {"need-to-know": 7}
    # Its times are UTC with their zone, as every time the hub hands out.
    assert (summary.details["from"], summary.details["to"]) == (iso_utc(start), iso_utc(start))
    assert summary.actor == "analyst@fr-dgsi" and fresh.object_id == MADE_UP
    # Counts still open when a server stops are written then.
    for _ in range(5):
        with pytest.raises(Unseen):
            show_record(fr, MADE_UP)
    denials.flush(db)
    assert denied(db)[-1].details["suppressed"] == 3


# --- every face ----------------------------------------------------------------------------


@pytest.fixture()
def api(db: Database) -> Iterator[tuple[TestClient, dict[str, str]]]:
    admin = identity.init_hub(db)
    actx = Context(db, identity.authenticate(db, admin.token))
    tokens = {
        who: identity.add_user(actx, f"ana.{who}", agency, Role.ANALYST).token
        for who, agency in (("be", "BE-FP"), ("fr", "FR-DGSI"))
    }
    with TestClient(create_app(db, escalate_every=0)) as client:
        yield client, tokens


def test_the_api_answers_a_hidden_record_as_a_missing_one_and_audits_both(
    db: Database, api: tuple[TestClient, dict[str, str]]
) -> None:
    client, tokens = api
    fr = {"Authorization": f"Bearer {tokens['fr']}", "X-Purpose": "probe"}
    told = client.get(f"/records/{refs(db)['BE-1']}", headers=fr)
    assert told.status_code == 200 and told.json()["record"]["level"] == "hit-only"
    untold = client.get(f"/records/{refs(db)['BE-2']}", headers=fr)
    made_up = client.get(f"/records/{MADE_UP}", headers=fr)
    assert untold.status_code == made_up.status_code == 404
    message = untold.json()["error"]["message"].replace(refs(db)["BE-2"], MADE_UP)
    assert message == made_up.json()["error"]["message"]
    hit_id = hit_on(db, "BE-FP")
    ack = client.post(f"/hits/{hit_id}/ack", json={"note": NOTE}, headers=fr)
    assert ack.status_code == 403
    events = denied(db)
    assert [(e.actor, e.object_id) for e in events] == [
        ("ana.fr", refs(db)["BE-2"]),
        ("ana.fr", MADE_UP),
        ("ana.fr", str(hit_id)),
    ]
    assert all(NOTE not in event_text(e) and tokens["fr"] not in event_text(e) for e in events)
    # A screening without a purpose (the API's screening runs on the event loop).
    query = {"queries": {"q": {"name": "Abdelkarim Zerouali"}}}
    no_purpose = client.post("/match", json=query, headers={**fr, "X-Purpose": ""})
    assert no_purpose.status_code == 400
    last = denied(db)[-1]
    assert (last.details["rule"], last.details["request"]) == (
        "purpose-required",
        "screening.screen_records_async",
    )
    assert "Zerouali" not in event_text(last)


def test_the_workbench_answers_alike_and_audits_through_the_same_services(
    db: Database, api: tuple[TestClient, dict[str, str]]
) -> None:
    from test_workbench import csrf_of

    client, tokens = api
    form = client.get("/workbench/login")
    home = client.post("/workbench/login", data={"csrf": csrf_of(form.text), "token": tokens["fr"]})
    stated = client.post(  # the purpose posted, as the page's form does; no page read
        "/workbench/purpose",
        data={"csrf": csrf_of(home.text), "purpose": "probe", "next": "/workbench/"},
        follow_redirects=False,
    )
    assert stated.status_code == 303
    pages = [client.get(f"/workbench/records/{ref}") for ref in (refs(db)["BE-2"], MADE_UP)]
    assert pages[0].status_code == pages[1].status_code == 404
    assert pages[0].text.replace(refs(db)["BE-2"], MADE_UP) == pages[1].text
    other = client.get("/workbench/hits/H-000000000000")
    assert other.status_code == 404
    assert [e.details["request"] for e in denied(db)] == [
        "records.show_record",
        "records.show_record",
        "hits.show_hit",
    ]
    # The analyst may not read the oversight page (a refusal too); an auditor sees them all.
    assert client.get("/workbench/oversight").status_code == 403
    actx = Context(db, Caller("admin", "HUB", Role.ADMIN))
    auditor = TestClient(client.app)
    form = auditor.get("/workbench/login")
    token = identity.add_user(actx, "aud.hub", "HUB", Role.AUDITOR).token
    auditor.post("/workbench/login", data={"csrf": csrf_of(form.text), "token": token})
    page = auditor.get("/workbench/oversight").text
    table = page[page.find("Refused requests") : page.find("Latest events")]
    assert table.count("need-to-know") == 3 and "role:audit.all" in table
    assert f"record:{MADE_UP}" in table and "Vandermeulen" not in page


def test_the_cli_audits_a_refusal_and_the_export_verifies_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("FTFHUB_DATABASE_URL", url)
    hub = set_up(tmp_path, {"BE-FP": [("ana", "analyst")], "HUB": [("aud", "auditor")]})
    code, output = hub.invoke("ana", "audit", "export", "--purpose", "curious")
    assert code == 2 and "may not export" in output
    code, output = hub.invoke("ana", "hits", "show", "12345", "--purpose", "fishing")
    assert code != 0
    trail = tmp_path / "trail.jsonl"
    hub.run("aud", "audit", "export", "--purpose", "inspection", "--output", str(trail))
    data = trail.read_bytes()
    assert verifier.verify(data).problems == []
    lines = [json.loads(line) for line in data.splitlines()[:-1]]
    refused = [
        (e["actor"], e["purpose"], e["details"]["rule"])
        for e in lines
        if e["action"] == "access.denied"
    ]
    assert refused == [
        ("ana", "curious", "role:audit.export"),
        ("ana", "fishing", "need-to-know"),
    ]
    lines_of_report = hub.run(
        "aud", "audit", "report", "--agency", "BE-FP", "--since", "2000-01-01", "--json"
    )
    told = [json.loads(line)["refused"] for line in lines_of_report.splitlines()]
    assert [t.split(":")[0] for t in told] == ["role", "need-to-know"]
    assert all(len(t) > len("need-to-know: ") for t in told)  # and what the user was told
    code, output = hub.invoke(
        "aud", "audit", "report", "--agency", "BE-PF", "--since", "2000-01-01"
    )
    assert code != 0 and "no agency BE-PF" in output
    listed = [json.loads(line) for line in hub.run("aud", "audit", "list").splitlines()]
    assert [e["refused_by"] for e in listed if e["action"] == "access.denied"] == [
        "role:audit.export",
        "need-to-know",
    ]
    assert all("refused_by" not in e for e in listed if e["action"] != "access.denied")
    assert all(hub.tokens["ana"] not in json.dumps(e) for e in lines)


def test_a_third_agency_cannot_tell_others_hits_and_cases_from_missing_ones(
    db: Database, api: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from ftfhub.cli import app as cli
    from ftfhub.services.cases import open_case

    client, _ = api
    actx = Context(db, Caller("admin", "HUB", Role.ADMIN))  # the api fixture's hub admin
    identity.add_agency(actx, "DE-BKA", "DE-BKA")
    de_token = identity.add_user(actx, "ana.de", "DE-BKA", Role.ANALYST).token
    de = {"Authorization": f"Bearer {de_token}", "X-Purpose": "probe"}
    real: dict[str, int | str] = {
        "case": open_case(as_user(db, "BE-FP"), refs(db)["BE-1"]).id,
        "hit": hit_on(db, "BE-FP"),
    }
    monkeypatch.setenv("FTFHUB_DATABASE_URL", db.url)
    monkeypatch.setenv("FTFHUB_TOKEN", de_token)

    def api_get(n: int | str) -> tuple[int, str]:
        got = client.get(f"/cases/{n}", headers=de)
        return got.status_code, got.text

    def api_ack(n: int | str) -> tuple[int, str]:
        got = client.post(f"/hits/{n}/ack", headers=de, json={"note": NOTE})
        return got.status_code, got.text

    def cli_hit(n: int | str) -> tuple[int, str]:
        ran = CliRunner().invoke(cli, ["hits", "show", str(n), "--purpose", "probe"])
        return ran.exit_code, ran.output

    def cli_case(n: int | str) -> tuple[int, str]:
        ran = CliRunner().invoke(cli, ["cases", "show", str(n)])
        return ran.exit_code, ran.output

    for kind, ask in (("case", api_get), ("hit", api_ack), ("hit", cli_hit), ("case", cli_case)):
        (code, text), (made_up_code, made_up_text) = ask(real[kind]), ask(9999)
        assert code == made_up_code and code in (404, 2), (kind, text)
        assert text.replace(str(real[kind]), "N") == made_up_text.replace("9999", "N")
    # Each probe is one refusal, the same rule for the real one as for the made-up one.
    probes = [e for e in denied(db) if e.actor == "ana.de"]
    assert len(probes) == 8 and {e.details["rule"] for e in probes} == {"need-to-know"}
    assert all(NOTE not in event_text(e) for e in probes)


def test_an_agency_export_carries_the_refused_probes_of_its_records(db: Database) -> None:
    """Both the asker's agency and the agency whose reference was tried see the refusal; a
    third agency's export holds it as a withheld line only."""
    with pytest.raises(Unseen):
        show_record(as_user(db, "FR-DGSI", purpose="fishing"), refs(db)["BE-2"])
    [probe] = denied(db)
    with db.transaction() as session:
        session.add(Agency(code="DE-BKA", name="DE-BKA", contact="duty@de.example"))
    auditor = as_user(db, "HUB", Role.AUDITOR, "inspection")
    for agency, kind in (("BE-FP", "event"), ("FR-DGSI", "event"), ("DE-BKA", "withheld")):
        sink = io.BytesIO()
        export_trail(auditor, sink, Period(None, None), agency)
        data = sink.getvalue()
        assert verifier.verify(data).problems == []
        lines = [json.loads(x) for x in data.splitlines()[:-1]]
        [line] = [x for x in lines if x["id"] == probe.id]
        assert line["kind"] == kind, agency


def test_a_refusal_is_in_the_chain_on_both_databases_however_long_what_was_asked(
    database_url: str,
) -> None:
    """PostgreSQL holds the columns to their lengths: a reference typed 300 characters long
    is named cut to the column, never a failed write that loses the refusal."""
    from ftfhub.services.identities import judge

    db = Database(database_url, migrate=False)
    asked = "FR-DGSI/" + "x" * 300
    with pytest.raises(Unseen):
        judge(as_user(db, "BE-FP", purpose="p" * 500), asked, "BE-FP/BE-9", True, NOTE)
    [event] = denied(db)
    assert event.object_type == "record_pair" and asked.startswith(event.object_id)
    assert len(event.object_id) == 200 and len(event.purpose) == 500
    assert NOTE not in event_text(event)
    with db.reading() as session:
        assert verify_chain(session).ok


def test_the_network_and_judging_answer_an_untold_record_as_a_made_up_one(db: Database) -> None:
    from ftfhub.services.identities import judge
    from ftfhub.services.network import network

    fr = as_user(db, "FR-DGSI", purpose="probe")
    untold = refs(db)["BE-2"]
    for ask in (
        lambda ref: network(fr, ref),
        lambda ref: judge(fr, "FR-DGSI/FR-1", ref, False, "probe"),
    ):
        answers = []
        for ref in (untold, MADE_UP):
            with pytest.raises(Unseen) as refused:
                ask(ref)
            answers.append(str(refused.value).replace(ref, "REF"))
        assert answers[0] == answers[1]
    # BE-FP/BE-2 (by the owner's id) is a guess at an id never disclosed: answered alike too.
    with pytest.raises(Unseen) as by_id:
        judge(fr, "FR-DGSI/FR-1", "BE-FP/BE-2", False, "probe")
    with pytest.raises(Unseen) as made_up_id:
        judge(fr, "FR-DGSI/FR-1", "BE-FP/BE-0", False, "probe")
    assert str(by_id.value).replace("BE-2", "X") == str(made_up_id.value).replace("BE-0", "X")
