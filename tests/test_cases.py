"""Cases: an agency's triage, set by people, audited, and never shown to another agency."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.domain.vocab import CaseCategory, CasePriority, Role
from ftfhub.policy import AccessDenied
from ftfhub.services import Context, Database, InvalidRequest, NotFound
from ftfhub.services import cases as case_service
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import AuditEvent, Record
from ftfhub.store.records import reference

PEOPLE = (
    "record_id,name,birth_date\n"
    "B-1,Abdelkarim Zerouali,1987-04-08\nB-2,Ilyas Vandermeulen,1979-03-03\n"
    "B-3,Corentin Moulard,1990-01-02\n"
)


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    """A case holds only a subject its agency may open: BE-FP holds three records."""
    database = Database(f"sqlite:///{tmp_path / 'cases.db'}")
    path = tmp_path / "be.csv"
    path.write_text(PEOPLE, encoding="utf-8")
    ingest_file(as_user(database, "BE-FP"), path, "watchlist")
    return database


def subjects(db: Database) -> list[str]:
    """The references of BE-FP's records, in record order."""
    with db.reading() as session:
        return [reference(r) for r in session.execute(select(Record).order_by(Record.id)).scalars()]


def test_a_case_starts_unassessed_and_the_category_is_a_persons_judgement(db: Database) -> None:
    analyst = as_user(db, "BE-FP")
    opened = case_service.open_case(
        analyst, subjects(db)[0], title="Zerouali", priority="high", next_review=date(2026, 12, 1)
    )
    assert opened.category is CaseCategory.UNASSESSED
    assert opened.category_by == ""
    with pytest.raises(InvalidRequest, match="reason"):
        case_service.set_category(analyst, opened.id, CaseCategory.REINTEGRATION, "  ")
    moved = case_service.set_category(
        analyst, opened.id, "reintegration-candidate", "family engaged; left in 2016"
    )
    assert moved.category is CaseCategory.REINTEGRATION
    assert moved.category_by == "analyst@be-fp"
    assert moved.category_why == "family engaged; left in 2016"
    detail = case_service.show_case(analyst, opened.id)
    assert [e.kind for e in detail.history] == ["category"]
    assert "unassessed → reintegration-candidate" in detail.history[0].text
    with db.transaction() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "case.category")
        ).scalar_one()
        assert event.actor == "analyst@be-fp"
        assert event.details["why"] == "family engaged; left in 2016"


def test_cases_are_listed_by_priority_and_overdue_reviews_are_flagged(db: Database) -> None:
    analyst = as_user(db, "BE-FP")
    today = date(2026, 11, 29)
    one, two, three = subjects(db)
    low = case_service.open_case(analyst, one, priority=CasePriority.LOW)
    late = case_service.open_case(analyst, two, next_review=today - timedelta(days=3))
    high = case_service.open_case(analyst, three, priority="high", officer="officer-7")
    listed = case_service.list_cases(analyst)
    assert [c.id for c in listed] == [high.id, late.id, low.id]
    assert [c.review_overdue(today) for c in listed] == [False, True, False]
    updated = case_service.update_case(analyst, late.id, next_review=today + timedelta(days=30))
    assert not updated.review_overdue(today)
    with pytest.raises(InvalidRequest, match="priority"):
        case_service.update_case(analyst, low.id, priority="urgent")


def test_another_agency_cannot_see_or_touch_a_case(db: Database) -> None:
    mine = case_service.open_case(as_user(db, "BE-FP"), subjects(db)[0])
    other = as_user(db, "FR-DGSI")
    assert case_service.list_cases(other) == ()
    with pytest.raises(NotFound):
        case_service.show_case(other, mine.id)
    with pytest.raises(NotFound):
        case_service.set_category(other, mine.id, "returning-to-attack", "because")
    with pytest.raises(AccessDenied):
        case_service.list_cases(as_user(db, "HUB", Role.AUDITOR))


def test_a_case_names_an_own_record_by_its_source_id_never_a_partners(db: Database) -> None:
    """`AGENCY/record_id` (as `records show` and `identities judge` take it) opens a case on
    one's own record, stored under its reference; a partner's record by its id (ids run in
    order) is answered as one that does not exist, and the refusal is audited alike."""
    analyst = as_user(db, "BE-FP")
    opened = case_service.open_case(analyst, "be-fp/B-2")
    assert opened.subject == subjects(db)[1]
    other = as_user(db, "FR-DGSI")
    with pytest.raises(NotFound) as partners:
        case_service.open_case(other, "BE-FP/B-2")
    with pytest.raises(NotFound) as missing:
        case_service.open_case(other, "BE-FP/B-99")
    assert str(partners.value).replace("B-2", "B-99") == str(missing.value)
    with pytest.raises(NotFound):
        case_service.open_case(analyst, "BE-FP/B-99")
    with db.reading() as session:
        refusals = session.execute(
            select(AuditEvent).where(AuditEvent.action == "access.denied")
        ).scalars()
        assert [(e.agency, e.object_id, e.details["rule"]) for e in refusals] == [
            ("FR-DGSI", "BE-FP/B-2", "need-to-know"),
            ("FR-DGSI", "BE-FP/B-99", "need-to-know"),
            ("BE-FP", "BE-FP/B-99", "need-to-know"),
        ]
        opened_event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "case.open")
        ).scalar_one()
        assert opened_event.details["subject"] == subjects(db)[1]


def test_cases_through_the_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from cli_world import set_up

    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    hub = set_up(tmp_path, {"BE-FP": [("ana", "analyst")], "FR-DGSI": [("fra", "analyst")]})
    people = tmp_path / "be.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    hub.run("ana", "ingest", "--kind", "watchlist", str(people))
    [subject, *_] = subjects(Database(f"sqlite:///{tmp_path / 'cli.db'}"))
    added = hub.run("ana", "cases", "add", subject, "--title", "Zerouali", "--review", "2020-01-01")
    assert "case 1 [unassessed]" in added and "REVIEW OVERDUE" in added
    # The subject beside its title: what the case's events record as shown is shown.
    assert f"{subject} — Zerouali" in " ".join(added.split())
    listed = hub.run("ana", "cases", "list")
    assert subject in listed and "Zerouali" in listed
    code, refused = hub.invoke(
        "ana", "cases", "move", "1", "--category", "returning-to-attack", "--why", " "
    )
    assert code == 2 and "reason" in refused
    moved = hub.run(
        "ana", "cases", "move", "1", "--category", "still-radicalised", "--why", "recruiting online"
    )
    assert "[still-radicalised]" in moved
    hub.run("ana", "cases", "set", "1", "--priority", "high", "--officer", "o-3")
    shown = hub.run("ana", "cases", "show", "1")
    assert "category set by ana: recruiting online" in shown and "officer: o-3" in shown
    assert f"{subject} — Zerouali" in " ".join(shown.split())
    code, hidden = hub.invoke("fra", "cases", "show", "1")
    assert code == 2 and "not one of FR-DGSI's" in hidden


def test_cases_through_the_api(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ftfhub.api import create_app
    from ftfhub.services import identity

    db = Database(f"sqlite:///{tmp_path / 'api.db'}")
    admin = Context(db, identity.authenticate(db, identity.init_hub(db).token))
    identity.add_agency(admin, "BE-FP", "BE")
    token = identity.add_user(admin, "ana", "BE-FP", Role.ANALYST).token
    auditor = identity.add_user(admin, "aud", "HUB", Role.AUDITOR).token
    people = tmp_path / "be.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    ingest_file(as_user(db, "BE-FP"), people, "watchlist")
    [subject, *_] = subjects(db)
    with TestClient(create_app(db, escalate_every=0)) as client:
        bearer = {"Authorization": f"Bearer {token}"}
        made = client.post("/cases", json={"subject": subject, "priority": "high"}, headers=bearer)
        assert made.status_code == 201 and made.json()["category"] == "unassessed"
        case_id = made.json()["id"]
        no_reason = client.post(
            f"/cases/{case_id}/category", json={"category": "returning-to-attack"}, headers=bearer
        )
        assert no_reason.status_code == 422
        moved = client.post(
            f"/cases/{case_id}/category",
            json={"category": "reintegration-candidate", "why": "works with the programme"},
            headers=bearer,
        )
        assert moved.json()["category_by"] == "ana"
        patched = client.patch(f"/cases/{case_id}", json={"officer": "o-9"}, headers=bearer)
        assert patched.json()["officer"] == "o-9"
        assert (
            client.post(f"/cases/{case_id}/notes", json={"text": "met"}, headers=bearer).status_code
            == 204
        )
        detail = client.get(f"/cases/{case_id}", headers=bearer).json()
        assert [e["kind"] for e in detail["history"]] == ["category", "officer", "note"]
        listed = client.get("/cases", headers={"Authorization": f"Bearer {auditor}"})
        assert listed.status_code == 403


def test_demo_serve_prints_the_logins_and_serves_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn
    from typer.testing import CliRunner

    import ftfhub.demo_hub
    from ftfhub.cli import app
    from ftfhub.demo_hub import DemoHub, Login

    # _serve sets these for uvicorn's factory; monkeypatch puts them back afterwards
    monkeypatch.setenv("FTFHUB_DATABASE_URL", "sqlite:///unused.db")
    monkeypatch.setenv("FTFHUB_ESCALATE_SECONDS", "0")
    hub = DemoHub("sqlite:///demo.db", tmp_path)
    hub.logins["analyst-be-fp"] = Login("analyst-be-fp", "BE-FP", Role.ANALYST, "ftf_2_secret")
    monkeypatch.setattr(ftfhub.demo_hub, "build_demo_hub", lambda *a, **k: hub)
    served: list[tuple[object, dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **kw: served.append((target, kw)))
    result = CliRunner().invoke(app, ["demo", "--serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "analyst-be-fp" in result.output and "ftf_2_secret" in result.output
    assert "http://127.0.0.1:8123/workbench/" in result.output
    assert served == [
        (
            "ftfhub.api.app:create_app",
            {"factory": True, "host": "127.0.0.1", "port": 8123, "log_level": "warning"},
        )
    ]
