"""The REST API through FastAPI's TestClient: every endpoint, and bad input answered with a
4xx, a useful message and nothing written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from acting import as_user
from ftfhub.api import create_app
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database, identity
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import AuditEvent, Hit, Record

WATCHLIST = (
    "record_id,name,aliases,birth_date,nationality,gender,documents,handling_code\n"
    "BE-1,Abdelkarim Zerouali,Abu Yasin al-Hollandi,1987-04-08,BE,m,passport:BE:EH123456,H2\n"
    "BE-2,Mohamed Ali,,1990-01-01,BE,m,,H0\n"
)
MANIFEST = (
    "record_id,name,birth_date,nationality,gender\n"
    "T-1,ZEROUALI<<ABDELKARIM,1987-04-08,BE,m\n"
    "T-2,Pieter Janssens,1980-02-02,BE,m\n"
)
TOKENS: dict[str, str] = {}  # user → token, per test hub


def set_up_users(db: Database) -> None:
    """The hub's first admin, three agencies and an analyst in each, through the services."""
    admin = identity.init_hub(db)
    ctx = Context(db, Caller(admin.user, admin.agency, admin.role))
    for user, agency in (("be-token", "BE-FP"), ("piu-token", "BE-PIU"), ("fr-token", "FR-DGSI")):
        identity.add_agency(ctx, agency, agency)
        TOKENS[user] = identity.add_user(
            ctx, user.replace("-token", "-analyst"), agency, Role.ANALYST
        ).token


@pytest.fixture()
def hub(tmp_path: Path) -> Iterator[tuple[TestClient, Database]]:
    forget_live_indexes()
    db = Database(f"sqlite:///{tmp_path / 'api.db'}")
    set_up_users(db)
    (tmp_path / "list.csv").write_text(WATCHLIST, encoding="utf-8")
    ingest_file(as_user(db, "BE-FP"), tmp_path / "list.csv", "watchlist", threshold=0.8)
    app = create_app(db, max_body=1_000_000, escalate_every=0)
    with TestClient(app) as client:
        yield client, db
    forget_live_indexes()


def auth(user: str, purpose: str = "case 42") -> dict[str, str]:
    token = TOKENS.get(user, user)
    return {"Authorization": f"Bearer {token}", "X-Purpose": purpose}


def counts(db: Database) -> tuple[int, int, int]:
    with db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(Record)) or 0,
            session.scalar(select(func.count()).select_from(Hit)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


QUERY = {"queries": {"q1": {"name": "Abdelkarim Zeroualli", "birth_date": "1987-04-08"}}}


def test_match_finds_the_listed_person_as_the_policy_allows(
    hub: tuple[TestClient, Database],
) -> None:
    client, db = hub
    before = counts(db)
    answer = client.post("/match", json=QUERY, headers=auth("fr-token"))
    assert answer.status_code == 200, answer.text
    [match] = answer.json()["results"]["q1"]
    assert match["held"]["agency"] == "BE-FP"
    own = client.post("/match", json=QUERY, headers=auth("be-token")).json()["results"]["q1"]
    assert own[0]["score"] > 0.9 and own[0]["held"]["record"]["names"][0]["full"]
    assert counts(db)[2] == before[2] + 2  # one audit event per call


def test_match_refuses_bad_input_with_a_message(hub: tuple[TestClient, Database]) -> None:
    client, db = hub
    before = counts(db)
    misspelt = {"queries": {"q": {"name": "X Y", "birthdate": "1990"}}}
    bad = [
        (b"{not json", 400, "not valid JSON"),
        (json.dumps(misspelt).encode(), 422, "unknown field"),
        (json.dumps({"queries": {"q": {}}}).encode(), 422, "name"),
        (json.dumps({"queries": {}, "threshold": 2}).encode(), 422, "threshold"),
    ]
    for body, status, words in bad:
        headers = {**auth("be-token"), "Content-Type": "application/json"}
        answer = client.post("/match", content=body, headers=headers)
        assert answer.status_code == status, (body, answer.text)
        error = answer.json()["error"]
        assert words in json.dumps(error) and "Traceback" not in answer.text
    assert counts(db) == before


def test_an_impossible_value_is_left_out_with_a_warning(hub: tuple[TestClient, Database]) -> None:
    client, _ = hub
    query = {"queries": {"q": {"name": "Abdelkarim Zerouali", "birth_date": "1987-13-45"}}}
    answer = client.post("/match", json=query, headers=auth("be-token"))
    assert answer.status_code == 200
    assert answer.json()["results"]["q"] and "birth_date" in answer.json()["warnings"]["q"][0]


def test_no_token_or_a_wrong_one_is_401(hub: tuple[TestClient, Database]) -> None:
    client, db = hub
    assert client.post("/match", json=QUERY).status_code == 401
    answer = client.post("/match", json=QUERY, headers=auth("ftf_1_wrong"))
    assert answer.status_code == 401 and "not valid" in answer.json()["error"]["message"]
    revoked = TOKENS["fr-token"]
    admin = Context(db, Caller("admin", "HUB", Role.ADMIN))
    identity.revoke(admin, user="fr-analyst")
    fresh = create_app(db, escalate_every=0)  # a new process: nothing cached
    with TestClient(fresh) as other:
        answer = other.post("/match", json=QUERY, headers=auth(revoked))
    assert answer.status_code == 401 and "revoked" in answer.json()["error"]["message"]


def test_bodies_over_the_limit_are_413_and_batches_over_the_limit_too(
    hub: tuple[TestClient, Database],
) -> None:
    client, db = hub
    before = counts(db)
    big = b'{"queries": {"q": {"name": "' + b"a" * (10 * 2**20) + b'"}}}'
    answer = client.post("/match", content=big, headers=auth("be-token"))
    assert answer.status_code == 413 and "bytes" in answer.json()["error"]["message"]
    many = {"queries": {f"q{i}": {"name": "Karim Test"} for i in range(1001)}}
    answer = client.post("/match", json=many, headers=auth("be-token"))
    assert answer.status_code == 413 and "at most 1000" in answer.json()["error"]["message"]
    assert counts(db) == before


def test_a_manifest_is_stored_screened_and_raises_hits(hub: tuple[TestClient, Database]) -> None:
    client, _ = hub
    answer = client.post("/manifests", content=MANIFEST.encode(), headers=auth("piu-token"))
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["added"] == 2 and body["hits_raised"] == 1
    owned = client.get("/hits", headers=auth("be-token")).json()["owned"]
    assert len(owned) == 1 and owned[0]["status"] == "new"
    bare = client.post(f"/hits/{owned[0]['id']}/ack", json={}, headers=auth("be-token"))
    message = bare.json()["error"]["message"]
    assert bare.status_code == 422 and '"note"' in message and "--note" not in message
    ack = client.post(
        f"/hits/{owned[0]['id']}/ack", json={"note": "seen"}, headers=auth("be-token")
    )
    assert ack.status_code == 204
    assert (
        client.get("/hits", headers=auth("be-token")).json()["owned"][0]["status"] == "acknowledged"
    )
    note = {"note": "again"}
    again = client.post(f"/hits/{owned[0]['id']}/ack", json=note, headers=auth("be-token"))
    assert again.status_code == 422 and "already" in again.json()["error"]["message"]
    other = client.post(f"/hits/{owned[0]['id']}/ack", json=note, headers=auth("fr-token"))
    assert 400 <= other.status_code < 500


def test_a_purpose_header_in_utf8_is_kept_as_written(hub: tuple[TestClient, Database]) -> None:
    """curl sends a header's UTF-8 bytes as they are; the audit trail must not keep them read
    as Latin-1 ("contrÃ´le")."""
    client, db = hub
    purpose = "contrôle du vol — فحص"
    headers = {
        "Authorization": f"Bearer {TOKENS['be-token']}",
        "X-Purpose": purpose.encode("utf-8"),
    }
    assert client.post("/match", json=QUERY, headers=headers).status_code == 200  # type: ignore[arg-type]
    latin1 = {**headers, "X-Purpose": "contrôle".encode("latin-1")}
    assert client.post("/match", json=QUERY, headers=latin1).status_code == 200  # type: ignore[arg-type]
    with db.transaction() as session:
        kept = set(session.execute(select(AuditEvent.purpose)).scalars())
    assert purpose in kept and "contrôle" in kept


def test_bad_manifests_store_nothing(hub: tuple[TestClient, Database]) -> None:
    client, db = hub
    before = counts(db)
    latin1 = "record_id,name,birth_date\nT-1,Jérôme Dupré,1980-01-01\n".encode("latin-1")
    answer = client.post("/manifests", content=latin1, headers=auth("piu-token"))
    assert answer.status_code == 422 and "not UTF-8" in answer.json()["error"]["message"]
    broken = MANIFEST + "T-3,,1980-01-01,BE,m\n"
    answer = client.post("/manifests", content=broken.encode(), headers=auth("piu-token"))
    assert answer.status_code == 422 and "line 4" in answer.json()["error"]["message"]
    assert client.post("/manifests", content=b"", headers=auth("piu-token")).status_code == 422
    assert counts(db) == before


def test_records_are_shown_as_far_as_the_policy_allows(hub: tuple[TestClient, Database]) -> None:
    client, _ = hub
    [match] = client.post("/match", json=QUERY, headers=auth("be-token")).json()["results"]["q1"]
    reference = match["held"]["reference"]
    mine = client.get(f"/records/{reference}", headers=auth("be-token"))
    assert mine.status_code == 200 and mine.json()["record"]["record"]["record_id"] == "BE-1"
    no_purpose = client.get(f"/records/{reference}", headers=auth("fr-token", purpose=""))
    assert no_purpose.status_code == 400 and "purpose" in no_purpose.json()["error"]["message"]
    theirs = client.get(f"/records/{reference}", headers=auth("fr-token"))
    assert theirs.status_code == 200
    assert theirs.json()["record"]["record"] is None  # H2: not disclosed in full to others
    assert client.get("/records/BE-FP:000000000000", headers=auth("fr-token")).status_code == 404
    assert client.get("/records/nonsense", headers=auth("be-token")).status_code == 422


def test_health_ready_and_openapi(hub: tuple[TestClient, Database]) -> None:
    client, _ = hub
    assert client.get("/health").json()["status"] == "ok"
    for _ in range(100):
        ready = client.get("/ready")
        if ready.status_code == 200:
            break
    assert ready.json() == {"status": "ok", "index_version": ready.json()["index_version"]}
    assert ready.json()["index_version"]  # and nothing of the holdings: not even a count
    assert client.get("/health").json()["index_version"] == ready.json()["index_version"]
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/match", "/manifests", "/records/{reference}", "/hits", "/hits/{ref}/ack"} <= set(
        paths
    )


def test_the_escalation_schedule_runs_inside_the_server(tmp_path: Path) -> None:
    import time
    from datetime import timedelta

    from ftfhub.clock import utcnow

    forget_live_indexes()
    db = Database(f"sqlite:///{tmp_path / 'esc.db'}")
    (tmp_path / "list.csv").write_text(WATCHLIST, encoding="utf-8")
    (tmp_path / "pax.csv").write_text(MANIFEST, encoding="utf-8")
    ingest_file(as_user(db, "BE-FP"), tmp_path / "list.csv", "watchlist", threshold=0.8)
    ingest_file(as_user(db, "BE-PIU"), tmp_path / "pax.csv", "travel", threshold=0.8)
    with db.transaction() as session:
        hit = session.execute(select(Hit)).scalar_one()
        hit.deadline = utcnow() - timedelta(hours=1)
    app = create_app(db, escalate_every=0.05)
    with TestClient(app):
        for _ in range(100):
            time.sleep(0.05)
            with db.transaction() as session:
                level = session.execute(select(Hit.escalation_level)).scalar_one()
            if level:
                break
    assert level == 1
    forget_live_indexes()


def test_match_needs_a_stated_purpose(hub: tuple[TestClient, Database]) -> None:
    client, _ = hub
    headers = {"Authorization": f"Bearer {TOKENS['fr-token']}"}
    answer = client.post("/match", json=QUERY, headers=headers)
    assert answer.status_code == 400 and "purpose" in answer.text


def test_list_fields_may_be_written_as_in_the_person_file(
    hub: tuple[TestClient, Database],
) -> None:
    """`"nationality": "BE"` (or `"BE|MA"`, as the person file writes it) was a 422
    'Input should be a valid list': the README calls these the person file's fields."""
    client, _ = hub
    person = {
        "name": "Abdelkarim Zeroualli",
        "birth_date": "1987-04-08",
        "nationality": "MA|BE",
        "aliases": "Abu Yasin al-Hollandi",
        "documents": "passport:BE:EH123456",
    }
    answer = client.post("/match", json={"queries": {"q": person}}, headers=auth("be-token"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["warnings"] == {}
    (best, *_) = answer.json()["results"]["q"]
    record = best["held"]["record"]
    assert record["record_id"] == "BE-1" and best["score"] > 0.99
    as_lists = {**person, "nationality": ["MA", "BE"], "aliases": [person["aliases"]]}
    as_lists["documents"] = [person["documents"]]
    again = client.post("/match", json={"queries": {"q": as_lists}}, headers=auth("be-token"))
    assert again.json()["results"]["q"][0]["score"] == best["score"]


def test_a_manifest_raises_hits_at_the_hubs_threshold(
    hub: tuple[TestClient, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """POST /manifests raised hits at 0.7 whatever FTFHUB_HIT_THRESHOLD said, so the API
    and the CLI raised different hits on one hub."""
    client, _ = hub
    monkeypatch.setenv("FTFHUB_HIT_THRESHOLD", "1")
    answer = client.post("/manifests", content=MANIFEST.encode(), headers=auth("piu-token"))
    assert answer.status_code == 200, answer.text
    assert answer.json()["added"] == 2 and answer.json()["hits_raised"] == 0
