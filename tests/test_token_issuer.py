"""The admin issues every token and sees it once, so the admin could act as any user: each
event done with a token now names the token and, when someone other than its user issued
it, who did (`token_issued_by`); a user exchanges the token they were given for one only
they have seen (`tokens rotate`), which revokes the one the admin saw."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from ftfhub.cli import app
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database, identity
from ftfhub.services.context import InvalidRequest
from ftfhub.services.identity import NotAuthenticated
from ftfhub.store.models import AuditEvent


def last_event(db: Database, action: str) -> AuditEvent:
    with db.reading() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == action)
        found = session.scalars(stmt.order_by(AuditEvent.id.desc())).first()
        assert found is not None
        return found


def hub(tmp_path: Path) -> tuple[Database, Context, str]:
    db = Database(f"sqlite:///{tmp_path / 'hub.db'}")
    admin = Context(db, identity.authenticate(db, identity.init_hub(db, "root").token))
    identity.add_agency(admin, "BE-FP", "BE-FP")
    token = identity.add_user(admin, "ana.be", "BE-FP", Role.ANALYST).token
    return db, admin, token


def test_an_event_done_with_a_token_the_admin_issued_names_the_admin(tmp_path: Path) -> None:
    db, admin, _token = hub(tmp_path)
    identity.add_agency(admin, "DE-BKA", "DE-BKA")
    done_by_admin = last_event(db, "agency.add")
    assert "token_issued_by" not in done_by_admin.details  # the admin's own token
    assert done_by_admin.details["token"] == admin.caller.token_id
    identity.grant(
        Context(
            db,
            identity.authenticate(
                db, identity.add_user(admin, "sup.be", "BE-FP", Role.SUPERVISOR).token
            ),
        ),
        "DE-BKA",
        "summary",
    )
    granted = last_event(db, "agency.grant")
    assert granted.actor == "sup.be"
    assert granted.details["token_issued_by"] == "root"
    assert granted.details["token"]


def test_a_rotated_token_is_the_users_own_and_the_admins_copy_stops(tmp_path: Path) -> None:
    db, _admin, token = hub(tmp_path)
    analyst = Context(db, identity.authenticate(db, token))
    rotated = identity.rotate_token(analyst, days=30)
    issue = last_event(db, "token.issue")
    assert issue.actor == "ana.be" and issue.object_id == rotated.token_id
    assert issue.details["replaces"] == analyst.caller.token_id
    assert issue.details["token_issued_by"] == "root"  # the rotation used the admin's copy
    with pytest.raises(NotAuthenticated, match="revoked"):
        identity.authenticate(db, token)
    own = Context(db, identity.authenticate(db, rotated.token))
    assert own.caller.issued_by == "ana.be"
    identity.rotate_token(own)
    again = last_event(db, "token.issue")
    assert again.details["token"] == rotated.token_id
    assert "token_issued_by" not in again.details  # done with a token only its user saw


def test_rotating_needs_a_token(tmp_path: Path) -> None:
    db, _admin, _token = hub(tmp_path)
    no_token = Context(db, Caller("ana.be", "BE-FP", Role.ANALYST))
    with pytest.raises(InvalidRequest, match="only a token"):
        identity.rotate_token(no_token)


def test_the_command_line_rotates_and_prints_the_new_token_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, _admin, token = hub(tmp_path)
    monkeypatch.setenv("FTFHUB_DATABASE_URL", db.url)
    monkeypatch.setenv("FTFHUB_TOKEN", token)
    result = CliRunner().invoke(app, ["tokens", "rotate", "--days", "10"])
    assert result.exit_code == 0, result.output
    new = [w for w in result.output.split() if w.startswith("ftf_")]
    assert len(new) == 1 and new[0] != token
    assert identity.authenticate(db, new[0]).issued_by == "ana.be"
    again = CliRunner().invoke(app, ["tokens", "rotate"])
    assert again.exit_code != 0 and "revoked" in again.output
