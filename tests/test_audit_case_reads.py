"""The oversight report sees every read of cases: `cases list` and `case show`, from the CLI,
the API and the workbench, with the partners' Record references a case page showed (a case's
subject may be one, told of by a hit), never content. They were missing from the report, and
their events named no partner's Record (real SQLite, the real CLI, API and workbench)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from acting import as_user
from ftfhub.api import create_app
from ftfhub.cli import app as cli
from ftfhub.clock import utcnow
from ftfhub.domain.vocab import Role
from ftfhub.services import Context, Database, identity
from ftfhub.services.audit_report import AuditReport, audit_report
from ftfhub.services.cases import open_case, show_case
from partner_world import refs, two_agencies
from test_partner_holes import LIST_BE, LIST_FR
from test_workbench import csrf_of


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    """FR-DGSI's load raises a hit on BE-FP's hit-only BE-1: FR-DGSI was told of it."""
    yield from two_agencies(tmp_path / "cases.db", {"BE-FP": LIST_BE, "FR-DGSI": LIST_FR})


def _report(db: Database, agency: str) -> AuditReport:
    auditor = as_user(db, "HUB", Role.AUDITOR, purpose="oversight")
    return audit_report(auditor, agency, utcnow() - timedelta(hours=1))


def test_case_reads_are_in_the_report_with_the_partner_references_they_showed(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    told = refs(db)["BE-1"]
    fr = as_user(db, "FR-DGSI", purpose="case work")
    partner_case = open_case(fr, told).id
    own_case = open_case(fr, refs(db)["FR-1"]).id
    admin = Context(db, identity.authenticate(db, identity.init_hub(db).token))
    token = identity.add_user(admin, "ana.fr", "FR-DGSI", Role.ANALYST).token

    monkeypatch.setenv("FTFHUB_DATABASE_URL", db.url)
    monkeypatch.setenv("FTFHUB_TOKEN", token)
    for args in (["cases", "list"], ["cases", "show", str(partner_case)]):
        ran = CliRunner().invoke(cli, args)
        assert ran.exit_code == 0 and told in ran.output, ran.output
    with TestClient(create_app(db, escalate_every=0)) as client:
        bearer = {"Authorization": f"Bearer {token}"}
        assert client.get("/cases", headers=bearer).status_code == 200
        assert client.get(f"/cases/{partner_case}", headers=bearer).json()["case"]["subject"]
        assert client.get(f"/cases/{own_case}", headers=bearer).status_code == 200
        form = client.get("/workbench/login")
        client.post("/workbench/login", data={"csrf": csrf_of(form.text), "token": token})
        assert told in client.get(f"/workbench/cases/{partner_case}").text
        assert told in client.get("/workbench/cases").text

    report = _report(db, "FR-DGSI")
    reads = [a for a in report.accesses if a.user == "ana.fr"]
    assert [a.action for a in reads].count("case.list") == 3  # CLI, API, the board
    shows = [a.object for a in reads if a.action == "case.show"]
    assert shows.count(f"case:{partner_case}") == 3 and f"case:{own_case}" in shows
    lines = [d for d in report.disclosures if d.action in ("case.list", "case.show")]
    # every read of the partner's subject, none of the own one: CLI, API, workbench ×2
    assert len(lines) == 6
    assert {(d.source, d.recipient, d.level, d.references) for d in lines} == {
        ("BE-FP", "FR-DGSI", "hit-only", (told,))
    }
    # the owner reads the same lines about its Record
    owner_lines = {d.event_id for d in _report(db, "BE-FP").disclosures}
    assert {d.event_id for d in lines} <= owner_lines


def test_the_workbench_oversight_page_shows_the_references_the_report_shows(
    db: Database,
) -> None:
    """The page's disclosures table named the event's object only: a case read whose subject
    is a partner's record was not listed, and an Identity read or an export did not say which
    partners' records it showed. Now each row says owner → recipient, level and the owner's
    references (or how many, where the event counts them), as `audit report` does."""
    told = refs(db)["BE-1"]
    fr = as_user(db, "FR-DGSI", purpose="case work")
    show_case(fr, open_case(fr, told).id)
    admin = Context(db, identity.authenticate(db, identity.init_hub(db).token))
    token = identity.add_user(admin, "aud", "HUB", Role.AUDITOR).token
    with TestClient(create_app(db, escalate_every=0)) as client:
        form = client.get("/workbench/login")
        client.post("/workbench/login", data={"csrf": csrf_of(form.text), "token": token})
        page = client.get("/workbench/oversight").text
    table = page[page.find("Disclosures between agencies") : page.find("Refused requests")]
    row = next(r for r in table.split("<tr>") if "case.show" in r)
    assert f"BE-FP → FR-DGSI, hit-only: <code>{told}</code>" in row
    raised = next(r for r in table.split("<tr>") if "hit.create" in r)  # named, as the hit
    assert "BE-FP → FR-DGSI, hit-only: <code>BE-FP:" in raised
    # what the report says of the same event
    line = next(d for d in _report(db, "FR-DGSI").disclosures if d.action == "case.show")
    assert line.references == (told,) and line.source in row and line.level in row
