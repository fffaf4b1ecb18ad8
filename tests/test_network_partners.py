"""The network around one's own Record draws in partners' Records (those seen in full) only
with a stated purpose, and its audit event names each one shown, so the owner's oversight
report says who saw it. Without a purpose the network is one's own Records only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.clock import utcnow
from ftfhub.services import Database
from ftfhub.services.audit_report import audit_report
from ftfhub.services.network import network
from ftfhub.store.models import AuditEvent
from partner_world import refs, two_agencies

HEADER = "record_id,name,birth_date,handling_code,x_recommender\n"
LISTS = {
    "DE-BKA": HEADER
    + "DE-1,Quillon Varbeck,1990-01-01,H3,Ostrander Pell\n"
    + "DE-2,Maribel Tusk,1991-02-02,H0,Ostrander Pell\n",
    "BE-FP": HEADER
    + "BE-1,Jorvik Salmaro,1985-03-03,H0,Ostrander Pell\n"
    + "BE-2,Tamsin Orlevy,1986-04-04,H0,Ostrander Pell\n",
}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    yield from two_agencies(tmp_path / "hub.db", LISTS)


def last_event(db: Database) -> AuditEvent:
    with db.reading() as session:
        stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)
        return session.execute(stmt).scalar_one()


def test_without_a_purpose_the_network_holds_only_ones_own_records(db: Database) -> None:
    ref = refs(db)
    found = network(as_user(db, "BE-FP", purpose=""), ref["BE-1"])
    assert {n.reference for n in found.nodes} == {ref["BE-1"], ref["BE-2"]}
    assert not found.partners
    event = last_event(db)
    assert (event.action, event.purpose) == ("record.open", "")
    assert "disclosed" not in event.details


def test_with_a_purpose_partners_records_join_and_the_owner_is_told(db: Database) -> None:
    ref = refs(db)
    found = network(as_user(db, "BE-FP", purpose="case 4: the recommender"), ref["BE-1"])
    shown = {n.reference for n in found.nodes}
    assert shown == {ref["BE-1"], ref["BE-2"], ref["DE-1"]}  # DE-2 is hit-only: never drawn
    assert found.partners
    event = last_event(db)
    assert event.purpose == "case 4: the recommender"
    assert event.details["disclosed"] == {"DE-BKA": {"full": [ref["DE-1"]]}}
    since = utcnow() - timedelta(hours=1)
    report = audit_report(as_user(db, "DE-BKA"), "DE-BKA", since)
    lines = [(d.source, d.recipient, d.level, d.references) for d in report.disclosures]
    assert ("DE-BKA", "BE-FP", "full", (ref["DE-1"],)) in lines


def test_the_workbench_draws_partners_records_once_a_purpose_is_posted(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from ftfhub.api import create_app
    from ftfhub.domain.vocab import Role
    from ftfhub.services import Context, identity
    from ftfhub.services.ingest import ingest_file
    from test_workbench import csrf_of

    db = Database(f"sqlite:///{tmp_path / 'wb.db'}")
    admin = Context(db, identity.authenticate(db, identity.init_hub(db).token))
    token = ""
    for code, text in LISTS.items():
        identity.add_agency(admin, code, code)
        user = identity.add_user(admin, f"ana.{code.lower()}", code, Role.ANALYST).token
        (tmp_path / f"{code}.csv").write_text(text, encoding="utf-8")
        ingest_file(
            Context(db, identity.authenticate(db, user)), tmp_path / f"{code}.csv", "watchlist"
        )
        token = user  # BE-FP's, loaded last
    ref = refs(db)
    client = TestClient(create_app(db, escalate_every=0))
    form = client.get("/workbench/login")
    client.post("/workbench/login", data={"csrf": csrf_of(form.text), "token": token})
    path = f"/workbench/network/{ref['BE-1']}"
    own = client.get(path)
    assert own.status_code == 200 and "Tamsin Orlevy" in own.text
    assert "Quillon Varbeck" not in own.text and "partners' records join" in own.text
    drawn = client.post(
        "/workbench/purpose",
        data={"csrf": csrf_of(own.text), "purpose": "case 4", "next": path},
    )
    assert drawn.status_code == 200 and "Quillon Varbeck" in drawn.text
    assert "Maribel Tusk" not in drawn.text  # hit-only: never drawn
    assert last_event(db).details["disclosed"] == {"DE-BKA": {"full": [ref["DE-1"]]}}
