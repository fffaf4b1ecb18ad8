"""Tokens and load batches are named at random: whoever is handed a token, or reads an
ingest event, learns nothing of how many tokens the hub has issued or files it has loaded
(docs/oversight.md §8.2). Tokens issued before the change keep working; the migration keeps
the audit chain intact (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select

from acting import as_user
from cli_world import Hub, set_up
from ftfhub.audit.chain import verify_chain
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database, identity
from ftfhub.services.identity import NotAuthenticated
from ftfhub.services.ingest import ingest_file
from ftfhub.store.db import alembic_config, make_engine
from ftfhub.store.models import AuditEvent, IngestBatch, Token

TOKEN = re.compile(r"ftf_([0-9a-f]{12})_(\S+)")
BATCH = re.compile(r"batch:(B-[0-9a-f]{12})")
LIST = "record_id,name,birth_date,nationality\n{ref},Orsolya Venk,1979-03-0{n},BE\n"


@pytest.fixture()
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Hub:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    return set_up(tmp_path, {"BE-FP": [("fp", "analyst")], "FR-DGSI": [("fr", "analyst")]})


def _rows(tmp_path: Path) -> dict[str, int]:
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    with db.reading() as session:
        return {t.public_id: t.id for t in session.execute(select(Token)).scalars()}


def test_tokens_issued_in_turn_carry_random_ids_and_a_row_id_opens_nothing(
    hub: Hub, tmp_path: Path
) -> None:
    for n in range(3):  # the two agencies' users added in turn
        hub.add_user(f"be-{n}", "BE-FP", "analyst")
        hub.add_user(f"fr-{n}", "FR-DGSI", "analyst")
    issued = {user: TOKEN.fullmatch(token) for user, token in hub.tokens.items()}
    assert all(issued.values()), hub.tokens
    public = [m.group(1) for m in issued.values() if m]
    rows = _rows(tmp_path)
    assert sorted(public) == sorted(rows) and len(set(public)) == len(public)
    assert not set(public) & {str(r) for r in rows.values()}  # no row id among them
    # the same secret under the token's row number is no token at all
    secret = hub.tokens["be-2"].split("_", 2)[2]
    hub.tokens["by-row"] = f"ftf_{rows[issued['be-2'].group(1)]}_{secret}"  # type: ignore[union-attr]
    code, said = hub.invoke("by-row", "whoami")
    assert code == 2 and "not valid" in said and "be-2" not in said
    assert hub.run("be-2", "whoami").startswith("be-2 (analyst, BE-FP)")


def test_a_token_is_revoked_by_its_public_id(hub: Hub) -> None:
    public = TOKEN.fullmatch(hub.tokens["fr"]).group(1)  # type: ignore[union-attr]
    assert "1 token(s) revoked" in hub.run("admin", "tokens", "revoke", public)
    code, said = hub.invoke("fr", "whoami")
    assert code == 2 and "revoked" in said
    events = hub.run("admin", "audit", "list", "--limit", "5")
    assert f'"object": "token:{public}"' in events


def test_load_batches_named_in_ingest_events_are_random_whoever_loaded_between(
    hub: Hub, tmp_path: Path
) -> None:
    for n, user in enumerate(("fp", "fr", "fr", "fp", "fr", "fp"), start=1):
        ref = f"{'BE' if user == 'fp' else 'FR'}-{n}"
        (tmp_path / f"l{n}.csv").write_text(LIST.format(ref=ref, n=n), encoding="utf-8")
        hub.run(user, "ingest", str(tmp_path / f"l{n}.csv"), "--kind", "watchlist")
    mine = [
        json.loads(line)["object"]
        for line in hub.run("fp", "audit", "list", "--limit", "100").splitlines()
        if json.loads(line)["action"] == "ingest"
    ]
    assert len(mine) == 3 and all(BATCH.fullmatch(o) for o in mine), mine
    db = Database(f"sqlite:///{tmp_path / 'a.db'}")
    with db.reading() as session:
        batches = {b.ref: b.id for b in session.execute(select(IngestBatch)).scalars()}
    assert {o.removeprefix("batch:") for o in mine} <= set(batches)
    assert len(batches) == 6 and not {f"batch:{i}" for i in batches.values()} & set(mine)


def test_the_migration_keeps_old_tokens_working_names_old_batches_and_the_chain_holds(
    empty_database_url: str, tmp_path: Path
) -> None:
    url = empty_database_url
    db = Database(url)  # migrated to the newest revision, then taken back to before it
    admin = identity.init_hub(db)
    ctx = Context(db, Caller(admin.user, admin.agency, admin.role))
    identity.add_agency(ctx, "BE-FP", "BE-FP")
    analyst = identity.add_user(ctx, "ana.be", "BE-FP", Role.ANALYST)
    (tmp_path / "list.csv").write_text(LIST.format(ref="BE-1", n=1), encoding="utf-8")
    ingest_file(as_user(db, "BE-FP"), tmp_path / "list.csv", "watchlist")
    with db.reading() as session:
        hashed = [(e.object_id, e.hash) for e in session.execute(select(AuditEvent)).scalars()]
    command.downgrade(alembic_config(url), "0008")
    engine = make_engine(url)
    try:
        with engine.begin() as conn:  # as the older code named them: by row id
            rows = conn.execute(select(Token.id, Token.user_id).order_by(Token.id)).all()
    finally:
        engine.dispose()
    command.upgrade(alembic_config(url), "head")
    secret = analyst.token.split("_", 2)[2]
    with db.reading() as session:
        kept = {t.id: t.public_id for t in session.execute(select(Token)).scalars()}
        refs = list(session.execute(select(IngestBatch.ref)).scalars())
        assert verify_chain(session).ok
        events = [(e.object_id, e.hash) for e in session.execute(select(AuditEvent)).scalars()]
    assert kept == {row_id: str(row_id) for row_id, _ in rows}
    assert len(refs) == 1 and re.fullmatch(r"B-[0-9a-f]{12}", refs[0])
    assert events == hashed  # no event rewritten: each keeps what it was hashed with
    old_form = f"ftf_{rows[-1][0]}_{secret}"  # the analyst's token as it was handed out
    assert identity.authenticate(db, old_form).name == "ana.be"
    with pytest.raises(NotAuthenticated):
        identity.authenticate(db, analyst.token)  # the random id never reached the old hub
    again = identity.issue_token(ctx, "ana.be")
    assert TOKEN.fullmatch(again.token) and identity.authenticate(db, again.token).name == "ana.be"
