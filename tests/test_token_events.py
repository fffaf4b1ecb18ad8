"""A token issued or revoked is named as such in the trail, with whose it is (user, agency,
role): a token issued to a user of BE-FP was written as `user.add` naming the user only, so
BE-FP's oversight export withheld that someone could now act as its analyst, and a reader
of the trail saw a user added twice."""

from __future__ import annotations

import io
import json
from pathlib import Path

from sqlalchemy import select

from ftfhub.domain.vocab import Role
from ftfhub.services import Context, Database, identity
from ftfhub.services.audit_export import Period, export_trail
from ftfhub.store.models import AuditEvent


def events(db: Database, action: str) -> list[AuditEvent]:
    with db.reading() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        return list(session.scalars(stmt))


def test_a_token_issued_and_revoked_is_named_with_whose_it_is(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'hub.db'}")
    admin = Context(db, identity.authenticate(db, identity.init_hub(db).token))
    identity.add_agency(admin, "BE-FP", "BE-FP")
    identity.add_user(admin, "ana.be", "BE-FP", Role.ANALYST)
    auditor_token = identity.add_user(admin, "aud.hub", "HUB", Role.AUDITOR).token
    issued = identity.issue_token(admin, "ana.be", days=7)
    assert [e.object_id for e in events(db, "user.add")] == ["ana.be", "aud.hub"]
    [event] = events(db, "token.issue")
    assert (event.object_type, event.object_id) == ("token", issued.token_id)
    assert event.details["user"] == "ana.be"
    assert event.details["user_agency"] == "BE-FP" and event.details["user_role"] == "analyst"
    assert event.details["days"] == 7
    identity.revoke(admin, user="ana.be")
    [revoked] = events(db, "token.revoke")
    assert revoked.details["user"] == "ana.be" and revoked.details["user_agency"] == "BE-FP"
    auditor = Context(db, identity.authenticate(db, auditor_token), "inspection")
    sink = io.BytesIO()
    export_trail(auditor, sink, Period(None, None), "BE-FP")
    lines = [json.loads(x) for x in sink.getvalue().splitlines()[:-1]]
    shown = {x["action"] for x in lines if x["kind"] == "event"}
    assert {"token.issue", "token.revoke"} <= shown  # done to BE-FP: in its export
