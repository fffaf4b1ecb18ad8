"""A partner learns nothing of the hub's volume from the names of hits and cases: a hit is
named by a random reference (`H-` and 12 hex digits), a case by its number in its agency,
and a hit's row number, asked for on any face, is answered as a hit that does not exist."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from acting import as_user, own_reference
from ftfhub.api import create_app
from ftfhub.audit.chain import verify_chain
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database, Unseen, identity
from ftfhub.services.audit_queries import list_events
from ftfhub.services.cases import list_cases, open_case
from ftfhub.services.hits import list_hits, show_hit
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import AuditEvent, Case, Hit

REF = re.compile(r"H-[0-9a-f]{12}")
LISTED = [  # invented people BE-FP lists: one a hit for BE-PIU each, the last FR-DGSI's
    ("Abdelkarim Zerouali", "1987-04-08"),
    ("Yunes Kaddarine", "1985-02-11"),
    ("Ilias Bouhaddiri", "1991-07-23"),
    ("Samir Oukhelloun", "1989-11-02"),
    ("Tarek Benzaouira", "1984-03-15"),
    ("Omar Lahrichane", "1992-09-30"),
    ("Walid Ferhatouni", "1986-05-19"),
    ("Nabil Qasmaoui", "1990-12-05"),
    ("Rachid Mezzourka", "1983-08-27"),
]
BUSY = (3, 0, 5, 1, 2, 4, 1)  # FR-DGSI's hits between two of BE-PIU's


def _load(db: Database, agency: str, kind: str, rows: list[tuple[str, str, str]], at: Path) -> int:
    at.write_text(
        "record_id,name,birth_date,nationality,gender\n"
        + "".join(f"{r},{n},{b},BE,m\n" for r, n, b in rows),
        encoding="utf-8",
    )
    report = ingest_file(as_user(db, agency), at, kind, threshold=0.8)
    return report.hits_raised


def _hub(tmp_path: Path, busy: tuple[int, ...]) -> Database:
    """BE-FP lists everyone; BE-PIU loads one listed traveller at a time, and between two
    of its loads FR-DGSI raises `busy[i]` hits on the last listed person."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    db = Database(f"sqlite:///{tmp_path / 'refs.db'}")
    rows = [(f"BE-{i}", name, born) for i, (name, born) in enumerate(LISTED)]
    _load(db, "BE-FP", "watchlist", rows, tmp_path / "list.csv")
    fr_name, fr_born = LISTED[-1]
    for i, (name, born) in enumerate(LISTED[:-1]):
        assert _load(db, "BE-PIU", "travel", [(f"T-{i}", name, born)], tmp_path / "p.csv") == 1
        if i < len(busy) and busy[i]:
            many = [(f"F-{i}-{j}", fr_name, fr_born) for j in range(busy[i])]
            assert _load(db, "FR-DGSI", "travel", many, tmp_path / "f.csv") == busy[i]
    return db


def _raised_order(db: Database, agency: str) -> list[str]:
    with db.reading() as session:
        stmt = select(Hit.ref).where(Hit.querying_agency == agency).order_by(Hit.id)
        return list(session.execute(stmt).scalars())


def test_a_partners_hit_references_are_not_ordered_or_spaced_by_the_hubs_other_hits(
    tmp_path: Path,
) -> None:
    db = _hub(tmp_path, BUSY)
    piu = as_user(db, "BE-PIU")
    listed = [p.id for p in list_hits(piu).partner]
    assert len(listed) == len(LISTED) - 1 and all(REF.fullmatch(r) for r in listed)
    raised = _raised_order(db, "BE-PIU")
    assert sorted(listed) == sorted(raised)
    # Drawn at random: in raising order they neither ascend nor keep the gaps FR-DGSI's hits
    # made (one chance in 8! that eight random draws come out ascending).
    numbers = [int(r[2:], 16) for r in raised]
    assert numbers != sorted(numbers)
    # Nothing BE-PIU can read names a hit by its row: every hit event by the reference.
    with db.reading() as session:
        rows = {str(i) for i in session.execute(select(Hit.id)).scalars()}
    events = list_events(piu, limit=1000)
    about_hits = [e for e in events if e.object.startswith("hit:")]
    assert about_hits and all(REF.fullmatch(e.object[4:]) for e in about_hits)
    assert not {e.object[4:] for e in about_hits} & rows
    with db.reading() as session:
        created = session.execute(
            select(AuditEvent).where(AuditEvent.action == "hit.create")
        ).scalars()
        for event in created:  # the Records by their owners' references, not row ids
            assert ":" in event.details["query_record"] and ":" in event.details["matched_record"]


def test_the_same_hub_without_the_others_activity_draws_other_references(
    tmp_path: Path,
) -> None:
    quiet = _raised_order(_hub(tmp_path / "quiet", ()), "BE-PIU")
    busy = _raised_order(_hub(tmp_path / "busy", BUSY), "BE-PIU")
    assert len(quiet) == len(busy) and not set(quiet) & set(busy)


@pytest.fixture()
def small(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'small.db'}")
    name, born = LISTED[0]
    _load(db, "BE-FP", "watchlist", [("BE-1", name, born)], tmp_path / "list.csv")
    _load(db, "FR-DGSI", "watchlist", [("FR-1", *LISTED[1])], tmp_path / "fr.csv")
    assert _load(db, "BE-PIU", "travel", [("T-1", name, born)], tmp_path / "pax.csv") == 1
    return db


def _row_number(db: Database) -> str:
    with db.reading() as session:
        return str(session.execute(select(Hit.id)).scalar_one())


def _refusals(db: Database) -> list[tuple[str, str, str]]:
    with db.reading() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == "access.denied")
        return [
            (e.object_type, e.details.get("rule", ""), e.details.get("request", ""))
            for e in session.execute(stmt.order_by(AuditEvent.id)).scalars()
        ]


def test_a_row_number_is_answered_as_a_hit_that_does_not_exist(small: Database) -> None:
    owner = as_user(small, "BE-FP")
    row, made_up = _row_number(small), "H-000000000000"
    answers = []
    for asked in (row, made_up):
        with pytest.raises(Unseen) as refused:
            show_hit(owner, asked)
        answers.append(str(refused.value).replace(asked, "N"))
    assert answers[0] == answers[1]
    first, second = _refusals(small)[-2:]
    assert first == second and first[0] == "hit"
    ref = list_hits(owner).owned[0].id
    assert show_hit(owner, ref).id == ref and show_hit(owner, f" {ref.upper()} ").id == ref


def test_the_api_answers_a_row_number_as_a_missing_hit(small: Database) -> None:
    first = identity.init_hub(small)
    admin = Context(small, Caller(first.user, first.agency, first.role))
    token = identity.add_user(admin, "fp-api", "BE-FP", Role.ANALYST).token
    with TestClient(create_app(small, escalate_every=0)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        answers = []
        for asked in (_row_number(small), "H-000000000000"):
            answer = client.post(f"/hits/{asked}/ack", json={"note": "x"}, headers=headers)
            assert answer.status_code == 404
            answers.append(answer.json()["error"]["message"].replace(asked, "N"))
        assert answers[0] == answers[1]
        ref = client.get("/hits", headers=headers).json()["owned"][0]["id"]
        assert REF.fullmatch(ref)
        done = client.post(f"/hits/{ref}/ack", json={"note": "seen"}, headers=headers)
        assert done.status_code == 204


def test_case_numbers_count_the_agencys_own_cases_only(tmp_path: Path) -> None:
    db = _hub(tmp_path, ())
    be, fr = as_user(db, "BE-FP"), as_user(db, "FR-DGSI")
    _load(db, "FR-DGSI", "watchlist", [("FR-1", "Jannik Vossberger", "1980-01-01")], tmp_path / "x")
    be_subject, fr_subject = own_reference(db, "BE-FP"), own_reference(db, "FR-DGSI")
    opened = []
    for busy in (2, 0, 3):
        opened.append(open_case(be, be_subject).id)
        for _ in range(busy):
            open_case(fr, fr_subject)
    assert opened == [1, 2, 3]
    assert sorted(c.id for c in list_cases(fr)) == [1, 2, 3, 4, 5]
    with db.reading() as session:
        numbers = session.execute(select(Case.agency_code, Case.number)).all()
    assert len(numbers) == len(set(numbers)) == 8


def test_the_upgrade_names_stored_hits_and_numbers_cases_and_the_chain_still_verifies(
    tmp_path: Path, empty_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    from ftfhub.services.index_access import forget_live_indexes
    from ftfhub.store.db import alembic_config, upgrade

    monkeypatch.setenv("FTFHUB_INDEX_DIR", str(tmp_path / "index"))
    forget_live_indexes()
    upgrade(empty_database_url)
    db = Database(empty_database_url, migrate=False)
    name, born = LISTED[0]
    _load(db, "BE-FP", "watchlist", [("BE-1", name, born)], tmp_path / "list.csv")
    _load(db, "FR-DGSI", "watchlist", [("FR-1", *LISTED[1])], tmp_path / "fr.csv")
    _load(db, "BE-PIU", "travel", [("T-1", name, born), ("T-2", name, born)], tmp_path / "p")
    be, fr = as_user(db, "BE-FP"), as_user(db, "FR-DGSI")
    subjects = own_reference(db, "BE-FP"), own_reference(db, "FR-DGSI")
    for who, subject in ((be, subjects[0]), (fr, subjects[1]), (be, subjects[0])):
        open_case(who, subject)
    cfg = alembic_config(empty_database_url)
    command.downgrade(cfg, "0009")  # the hub as the older code left it
    command.upgrade(cfg, "head")
    with db.reading() as session:
        refs = list(session.execute(select(Hit.ref)).scalars())
        cases = session.execute(
            select(Case.agency_code, Case.number).order_by(Case.created_at, Case.id)
        ).all()
        assert verify_chain(session).ok
    assert len(refs) == 2 and len(set(refs)) == 2 and all(REF.fullmatch(r) for r in refs)
    assert [tuple(c) for c in cases] == [("BE-FP", 1), ("FR-DGSI", 1), ("BE-FP", 2)]
    assert show_hit(be, refs[0]).id == refs[0]
    db.dispose()
    forget_live_indexes()
