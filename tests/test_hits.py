"""The hit life cycle: raised for the owner, hit/no-hit for the querying side, ack, escalation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from ftfhub.audit.chain import verify_chain
from ftfhub.clock import utcnow
from ftfhub.hits.service import HitError, acknowledge, escalate_overdue, hit_rows, raise_hits
from ftfhub.ingest.pipeline import ingest_file
from ftfhub.sharing.policy import hit_view
from ftfhub.store.db import open_session
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
def loaded(tmp_path: Path):  # type: ignore[no-untyped-def]
    session = open_session(f"sqlite:///{tmp_path / 'hits.db'}")
    (tmp_path / "list.csv").write_text(WATCHLIST, encoding="utf-8")
    (tmp_path / "pax.csv").write_text(MANIFEST, encoding="utf-8")
    ingest_file(session, tmp_path / "list.csv", "BE-FP", "watchlist")
    report = ingest_file(session, tmp_path / "pax.csv", "BE-PIU", "travel")
    hits = raise_hits(session, report.new_record_ids, 0.8)
    session.commit()
    return session, hits


def test_a_traveller_matching_a_listed_person_raises_one_hit_for_the_owner(loaded) -> None:  # type: ignore[no-untyped-def]
    _session, hits = loaded
    assert len(hits) == 1  # the common-name traveller with another birth date is not a hit
    hit = hits[0]
    assert hit.owner_agency == "BE-FP" and hit.querying_agency == "BE-PIU"
    assert hit.status == "new" and hit.deadline > hit.created_at


def test_owner_sees_why_querying_side_sees_only_whom_to_contact(loaded) -> None:  # type: ignore[no-untyped-def]
    session, _ = loaded
    owner_view = next(hit_view(h, "BE-FP") for h in hit_rows(session, "BE-FP"))
    assert owner_view["matched_name"] == "Abdelkarim Zerouali" and owner_view["explanation"]
    querying_view = next(hit_view(h, "BE-PIU") for h in hit_rows(session, "BE-PIU"))
    assert "matched_name" not in querying_view and "explanation" not in querying_view
    assert "contact" in querying_view["message"]


def test_acknowledge_only_by_owner_and_only_once(loaded) -> None:  # type: ignore[no-untyped-def]
    session, hits = loaded
    with pytest.raises(HitError):
        acknowledge(session, hits[0].id, "BE-PIU", "not ours", "x")
    acknowledge(session, hits[0].id, "BE-FP", "seen", "analyst-1")
    session.commit()
    with pytest.raises(HitError):
        acknowledge(session, hits[0].id, "BE-FP", "again", "analyst-1")
    assert session.get(Hit, hits[0].id).status == "acknowledged"  # type: ignore[union-attr]


def test_overdue_hits_escalate_step_by_step_and_are_audited(loaded) -> None:  # type: ignore[no-untyped-def]
    session, hits = loaded
    assert escalate_overdue(session, utcnow()) == 0  # not yet due
    later = utcnow() + timedelta(days=3)
    assert escalate_overdue(session, later) == 1
    assert escalate_overdue(session, later) == 0  # new deadline set
    assert escalate_overdue(session, later + timedelta(days=2)) == 1
    assert escalate_overdue(session, later + timedelta(days=9)) == 0  # top level reached
    session.commit()
    assert session.get(Hit, hits[0].id).escalation_level == 2  # type: ignore[union-attr]
    actions = session.execute(select(AuditEvent.action)).scalars().all()
    assert actions.count("hit.escalate") == 2 and "hit.create" in actions
    assert verify_chain(session).ok


def test_acknowledged_hits_do_not_escalate(loaded) -> None:  # type: ignore[no-untyped-def]
    session, hits = loaded
    acknowledge(session, hits[0].id, "BE-FP", "on it", "analyst-1")
    assert escalate_overdue(session, utcnow() + timedelta(days=30)) == 0
