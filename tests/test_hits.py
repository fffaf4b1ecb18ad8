"""The hit life cycle: raised for the owner, hit/no-hit for the querying side, ack, escalation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.audit.chain import verify_chain
from ftfhub.clock import utcnow
from ftfhub.domain.vocab import Disclosure, Role
from ftfhub.services import Database, InvalidRequest, Refused
from ftfhub.services.hits import acknowledge, close, list_hits
from ftfhub.services.ingest import ingest_file
from ftfhub.services.schedule import escalate
from ftfhub.store.models import AuditEvent, Hit

WATCHLIST = (
    "record_id,name,aliases,birth_date,nationality,gender,documents\n"
    "BE-1,Abdelkarim Zerouali,Abu Yasin al-Hollandi,1987-04-08,BE,m,passport:BE:EH123456\n"
    "BE-2,Mohamed Ali,,1990-01-01,BE,m,\n"
)
MANIFEST = (
    "record_id,name,birth_date,nationality,gender\n"
    "T-1,ZEROUALI<<ABDELKARIM,1987-04-08,BE,m\n"
    "T-2,Mohamed Ali,1975-06-30,FR,m\n"
    "T-3,Pieter Janssens,1980-02-02,BE,m\n"
)


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'hits.db'}")
    (tmp_path / "list.csv").write_text(WATCHLIST, encoding="utf-8")
    (tmp_path / "pax.csv").write_text(MANIFEST, encoding="utf-8")
    ingest_file(as_user(db, "BE-FP"), tmp_path / "list.csv", "watchlist", threshold=0.8)
    report = ingest_file(as_user(db, "BE-PIU"), tmp_path / "pax.csv", "travel", threshold=0.8)
    assert report.hits_raised == 1
    return db


def _hit(db: Database) -> Hit:
    with db.transaction() as session:
        return session.execute(select(Hit)).scalar_one()


def test_a_traveller_matching_a_listed_person_raises_one_hit_for_the_owner(db: Database) -> None:
    hit = _hit(db)  # the common-name traveller with another birth date is not a hit
    assert hit.owner_agency == "BE-FP" and hit.querying_agency == "BE-PIU"
    assert hit.status == "new" and hit.deadline > hit.created_at


def test_owner_sees_its_record_querying_side_sees_only_whom_to_contact(db: Database) -> None:
    owned = list_hits(as_user(db, "BE-FP")).owned
    assert owned[0].own.name == "Abdelkarim Zerouali"
    querying = owned[0].querying  # the manifest row is H0: hit-only, so no content
    assert querying.level is Disclosure.HIT_ONLY and querying.record_id is None
    assert querying.summary is None and owned[0].explanation == ()
    partner = list_hits(as_user(db, "BE-PIU")).partner
    assert partner[0].owner.record_id is None and partner[0].owner.summary is None
    assert "contact" in partner[0].message and partner[0].owner.reference.startswith("BE-FP:")


def test_acknowledge_only_by_owner_with_a_note_and_only_once(db: Database) -> None:
    hit_id = _hit(db).ref
    with pytest.raises(Refused):
        acknowledge(as_user(db, "BE-PIU"), hit_id, "not ours")
    with pytest.raises(InvalidRequest, match="note"):
        acknowledge(as_user(db, "BE-FP"), hit_id, "  ")
    acknowledge(as_user(db, "BE-FP"), hit_id, "seen")
    with pytest.raises(InvalidRequest):
        acknowledge(as_user(db, "BE-FP"), hit_id, "again")
    assert _hit(db).status == "acknowledged"
    with pytest.raises(InvalidRequest, match="note"):
        close(as_user(db, "BE-FP"), hit_id, "dismissed", "")
    close(as_user(db, "BE-FP"), hit_id, "dismissed", "another person: other father")
    assert _hit(db).status == "dismissed"


def test_overdue_hits_escalate_step_by_step_and_are_audited(db: Database) -> None:
    duty = as_user(db, "HUB", Role.DUTY_OFFICER)
    assert escalate(duty, utcnow()) == ()  # not yet due
    later = utcnow() + timedelta(days=3)
    assert [e.level for e in escalate(duty, later)] == [1]
    assert escalate(duty, later) == ()  # new deadline set
    assert [e.level for e in escalate(duty, later + timedelta(days=3))] == [2]  # window again
    assert escalate(duty, later + timedelta(days=9)) == ()  # top level reached
    assert _hit(db).escalation_level == 2
    with db.transaction() as session:
        actions = session.execute(select(AuditEvent.action)).scalars().all()
        assert actions.count("hit.escalate") == 2 and "hit.create" in actions
        assert verify_chain(session).ok
    assert list_hits(duty).escalated[0].owner_agency == "BE-FP"


def test_acknowledged_hits_do_not_escalate(db: Database) -> None:
    acknowledge(as_user(db, "BE-FP"), _hit(db).ref, "on it")
    assert escalate(as_user(db, "HUB", Role.ADMIN), utcnow() + timedelta(days=30)) == ()


def test_listing_hits_escalates_nothing(db: Database) -> None:
    list_hits(as_user(db, "BE-FP"))
    assert _hit(db).escalation_level == 0
