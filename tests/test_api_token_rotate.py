"""A machine client of the API — a PIU's screening service — rotates the token the admin
issued it (`POST /tokens/rotate`) without the command line: the new token is its own, the
old one stops working, and the client's later events no longer name the admin."""

from __future__ import annotations

import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from ftfhub.api import create_app
from ftfhub.api.deps import RECHECK_SECONDS
from ftfhub.domain.vocab import Role
from ftfhub.services import Context, Database, identity
from ftfhub.store.models import AuditEvent


def test_the_api_rotates_a_token_and_the_old_one_stops(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'hub.db'}")
    admin = Context(db, identity.authenticate(db, identity.init_hub(db, "root").token))
    identity.add_agency(admin, "BE-PIU", "BE-PIU")
    given = identity.add_user(admin, "piu.service", "BE-PIU", Role.ANALYST).token
    with TestClient(create_app(db, escalate_every=0)) as client:
        answer = client.post("/tokens/rotate", headers={"Authorization": f"Bearer {given}"})
        assert answer.status_code == 201, answer.text
        assert answer.headers["cache-control"] == "no-store"
        body = answer.json()
        own = body["token"]
        assert own.startswith(f"ftf_{body['id']}_") and body["expires_at"].endswith("Z")
        time.sleep(RECHECK_SECONDS + 0.1)
        old = client.get("/hits", headers={"Authorization": f"Bearer {given}"})
        assert old.status_code == 401 and "revoked" in old.text
        assert client.get("/hits", headers={"Authorization": f"Bearer {own}"}).status_code == 200
    with db.reading() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == "hit.list")
        listed = session.scalars(stmt.order_by(AuditEvent.id.desc())).first()
    assert listed is not None and listed.details["token"] == body["id"]
    assert "token_issued_by" not in listed.details
