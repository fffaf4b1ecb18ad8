"""Identity ids name nothing of their members. They were `ID-` and the lowest Record row id
among the members (`ID-00000001`), so a partner shown an Identity learnt the row id (the
existence and the order) of a member it may not see. Now they are random, carried from run to
run wherever the old scheme kept them, and renamed in a stored hub by a migration (real
SQLite, real DuckDB, the CLI and the workbench)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from acting import as_user
from cli_world import set_up
from ftfhub.api import create_app
from ftfhub.services import Database
from ftfhub.services.cases import open_case
from ftfhub.services.identities import resolve_identities
from ftfhub.services.ingest import ingest_file
from ftfhub.store.identities import IdentityMember, identity_ids, memberships
from ftfhub.store.models import Case, Record
from test_identities_service import BE, DE, LATER, _seed_model, resolved_with_near_pairs
from test_workbench import csrf_of

OPAQUE = re.compile(r"ID-[0-9a-f]{12}")


def _row_names(db: Database) -> set[str]:
    """Every id the old scheme could give: `ID-` and a Record's row id."""
    with db.reading() as session:
        return {f"ID-{r:08d}" for r in session.execute(select(Record.id)).scalars()}


def _by_source(db: Database) -> dict[str, str]:
    with db.reading() as session:
        members = memberships(session)
        rows = session.execute(select(Record.id, Record.source_id)).all()
    return {s: members[r] for r, s in rows if r in members}


def test_a_partner_shown_an_identity_learns_no_row_id_of_a_member_it_may_not_see(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BE-FP loads first (rows 1-4); DE-BKA loads without hits, so it is told of none of
    BE-FP's hit-only records. Its DE-1 joins BE-1 (row 1): the Identity DE-BKA was shown was
    `ID-00000001`, naming BE-FP's hidden record. Through the CLI and the workbench, every id
    it is shown is opaque and no Record's row id."""
    url = f"sqlite:///{tmp_path / 'ids.db'}"
    monkeypatch.setenv("FTFHUB_DATABASE_URL", url)
    users = {"BE-FP": [("ana", "analyst")], "DE-BKA": [("dirk", "analyst")]}
    hub = set_up(tmp_path, users | {"HUB": [("hub", "analyst")]})
    for user, name, text in (("ana", "be.csv", BE), ("dirk", "de.csv", DE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        hub.run(user, "ingest", str(tmp_path / name), "--kind", "watchlist", "--no-hits")
    db = Database(url)
    _seed_model(db, tmp_path)
    hub.run("hub", "resolve")
    assert _by_source(db)["DE-1"] == _by_source(db)["BE-1"]  # the hidden member is there
    target = tmp_path / "de-ids.csv"
    hub.run("dirk", "identities", "export", "--output", str(target), "--purpose", "case 3")
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert {r["agency"] for r in rows} == {"DE-BKA"}  # BE-FP's records are not listed ...
    shown = {r["identity_id"] for r in rows}
    assert shown and all(OPAQUE.fullmatch(i) for i in shown)
    assert not shown & _row_names(db)  # ... nor named by the Identity's id
    identity = next(r["identity_id"] for r in rows if r["record_id"] == "DE-1")
    explained = hub.run("dirk", "identities", "explain", identity, "--purpose", "case 3")
    assert identity in explained and "00000001" not in explained

    client = TestClient(create_app(db, escalate_every=0))
    form = client.get("/workbench/login")
    home = client.post(
        "/workbench/login", data={"csrf": csrf_of(form.text), "token": hub.tokens["dirk"]}
    )
    listed = client.post(  # the purpose posted as the page's form does, then the list
        "/workbench/purpose",
        data={"csrf": csrf_of(home.text), "purpose": "case 3", "next": "/workbench/identities"},
    ).text
    on_page = set(re.findall(r"ID-[0-9a-f]+", listed))
    assert identity in on_page and not on_page & _row_names(db)
    dossier = client.get(f"/workbench/identities/{identity}")  # for the purpose stated
    assert dossier.status_code == 200 and not set(re.findall(r"ID-\d{8}(?![0-9a-f])", dossier.text))


def test_ids_are_kept_across_runs_where_the_lowest_member_stays(tmp_path: Path) -> None:
    db = resolved_with_near_pairs(tmp_path / "stable.db")
    before = _by_source(db)
    assert all(OPAQUE.fullmatch(i) for i in before.values())
    resolve_identities(as_user(db, "HUB"), full=True)  # every pair scored again
    assert _by_source(db) == before
    (tmp_path / "later.csv").write_text(LATER, encoding="utf-8")
    ingest_file(as_user(db, "DE-BKA"), tmp_path / "later.csv", "watchlist", raise_hits=False)
    resolve_identities(as_user(db, "HUB"))  # an increment: DE-9 joins BE-3's Identity
    after = _by_source(db)
    assert after["DE-9"] == after["BE-3"] == before["BE-3"]
    assert {s: after[s] for s in before} == before


def test_a_split_keeps_the_id_with_the_old_lowest_member_and_a_new_cluster_draws_one() -> None:
    previous = {5: "ID-aaaaaaaaaaaa", 9: "ID-aaaaaaaaaaaa", 7: "ID-bbbbbbbbbbbb"}
    # 5 and 9 split; 7 gains 12; 20 and 21 are new
    names = identity_ids([[9], [7, 12], [5], [20, 21]], previous)
    assert names[1:3] == ["ID-bbbbbbbbbbbb", "ID-aaaaaaaaaaaa"]
    assert names[0] not in previous.values() and names[3] not in previous.values()
    assert len(set(names)) == 4 and all(OPAQUE.fullmatch(n) for n in names)
    # a merge keeps the id of the lowest member's old Identity
    assert identity_ids([[5, 7, 9]], previous) == ["ID-aaaaaaaaaaaa"]
    # nothing of the members: the same clusters in a fresh hub get other ids
    assert identity_ids([[1, 2]], {}) != identity_ids([[1, 2]], {})


def test_the_migration_renames_stored_ids_and_the_cases_that_hold_them(tmp_path: Path) -> None:
    from alembic import command

    from ftfhub.store.db import alembic_config

    db = resolved_with_near_pairs(tmp_path / "old.db")
    url = f"sqlite:///{tmp_path / 'old.db'}"
    case = open_case(as_user(db, "BE-FP"), _by_source(db)["BE-1"])
    command.downgrade(alembic_config(url), "0007")
    with db.transaction() as session:  # as the old scheme stored them
        groups: dict[str, list[int]] = {}
        for r, i in memberships(session).items():
            groups.setdefault(i, []).append(r)
        for i, rs in groups.items():
            stmt = update(IdentityMember).where(IdentityMember.identity_id == i)
            session.execute(stmt.values(identity_id=f"ID-{min(rs):08d}"))
    old = _by_source(db)
    with db.transaction() as session:  # the case as the old scheme held its subject
        session.execute(update(Case).values(subject=old["BE-1"]))
    command.upgrade(alembic_config(url), "head")
    new = _by_source(db)
    assert all(OPAQUE.fullmatch(i) for i in new.values())
    assert all((old[a] == old[b]) == (new[a] == new[b]) for a in old for b in old)
    with db.reading() as session:
        stored = select(Case.subject).where(Case.agency_code == "BE-FP", Case.number == case.id)
        assert session.execute(stored).scalar_one() == new["BE-1"]
