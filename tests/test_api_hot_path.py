"""What makes `POST /match` cheap, and stays safe: a token's secret hashed once per process
with revocation and expiry still honoured; audit events of concurrent requests committed
together, each request answered only once its event is committed; a match whose row is gone
since the index last caught up left out rather than failing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from acting import as_user
from ftfhub.api.deps import TokenCache
from ftfhub.audit.chain import Entry, verify_chain
from ftfhub.domain.vocab import AuditAction, Role
from ftfhub.ingest.person_file import read_person
from ftfhub.services import Caller, Context, Database, identity
from ftfhub.services.auditing import entry
from ftfhub.services.group_commit import writer
from ftfhub.services.index_access import forget_live_indexes, live_index
from ftfhub.services.ingest import ingest_file
from ftfhub.services.screening import screen_records
from ftfhub.store.models import AuditEvent, Record, Token


@pytest.fixture()
def hub(database_url: str) -> tuple[Database, str]:
    db = Database(database_url)
    admin = identity.init_hub(db)
    ctx = Context(db, Caller(admin.user, admin.agency, admin.role))
    identity.add_agency(ctx, "BE-FP", "BE-FP")
    issued = identity.add_user(ctx, "be-analyst", "BE-FP", Role.ANALYST)
    return db, issued.token


def test_a_token_is_hashed_once_then_rechecked_cheaply(hub: tuple[Database, str]) -> None:
    db, token = hub
    calls = {"authenticate": 0, "recheck": 0}

    def counted(name: str, check: object) -> object:
        def run(db: Database, given: str | None) -> Caller:
            calls[name] += 1
            return check(db, given)  # type: ignore[operator, no-any-return]

        return run

    cache = TokenCache(
        counted("authenticate", identity.authenticate),  # type: ignore[arg-type]
        counted("recheck", identity.recheck),  # type: ignore[arg-type]
        seconds=0.0,  # re-check on every call
    )
    assert cache.caller(db, token).name == "be-analyst"
    assert cache.caller(db, token).agency == "BE-FP"
    assert calls == {"authenticate": 1, "recheck": 1}
    # the same token id with another secret is not the cached one: full check, refused
    forged = token.rsplit("_", 1)[0] + "_" + "x" * 43
    with pytest.raises(identity.NotAuthenticated):
        cache.caller(db, forged)
    assert calls["authenticate"] == 2


def test_a_revoked_or_expired_token_stops_working_at_the_next_recheck(
    hub: tuple[Database, str],
) -> None:
    db, token = hub
    cache = TokenCache(identity.authenticate, identity.recheck, seconds=0.2)
    cache.caller(db, token)
    with db.transaction() as session:
        session.execute(update(Token).values(revoked_at=func.now()))
    assert cache.caller(db, token).name == "be-analyst"  # trusted for 0.2 s more
    time.sleep(0.25)
    with pytest.raises(identity.NotAuthenticated, match="revoked"):
        cache.caller(db, token)
    with pytest.raises(identity.NotAuthenticated):  # dropped: not served from the cache
        cache.caller(db, token)


def test_concurrent_events_are_committed_together_and_the_chain_holds(
    hub: tuple[Database, str],
) -> None:
    db, _ = hub
    ctx = Context(db, Caller("be-analyst", "BE-FP", Role.ANALYST), "case 7")
    with db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    errors: list[BaseException] = []

    def request(n: int) -> None:
        try:
            writer(db).append(entry(ctx, AuditAction.SCREEN, "api", f"q{n}", {"n": n}))
            with db.transaction() as session:  # committed before the call returned
                found = session.scalar(select(AuditEvent).where(AuditEvent.object_id == f"q{n}"))
                assert found is not None and found.purpose == "case 7"
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=request, args=(n,)) for n in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    with db.transaction() as session:
        assert (session.scalar(select(func.count()).select_from(AuditEvent)) or 0) == before + 40
        assert verify_chain(session).ok


def test_one_event_that_cannot_be_written_fails_only_its_own_request(
    hub: tuple[Database, str],
) -> None:
    db, _ = hub
    group = writer(db)
    outcome: dict[str, str] = {}

    def append(name: str, entry: Entry) -> None:
        try:
            group.append(entry)
            outcome[name] = "ok"
        except Exception:
            outcome[name] = "failed"

    bad = Entry("x", "BE-FP", "screen", "api", "bad", "p", {"n": object()})  # not JSON
    good = [Entry("x", "BE-FP", "screen", "api", f"good{n}", "p") for n in range(5)]
    threads = [threading.Thread(target=append, args=("bad", bad))]
    threads += [threading.Thread(target=append, args=(e.object_id, e)) for e in good]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcome.pop("bad") == "failed"
    assert set(outcome.values()) == {"ok"} and len(outcome) == 5
    with db.transaction() as session:
        assert verify_chain(session).ok


def test_a_match_whose_row_was_purged_since_the_last_catch_up_is_left_out(
    hub: tuple[Database, str], tmp_path: Path
) -> None:
    db, _ = hub
    forget_live_indexes()
    listing = tmp_path / "list.csv"
    listing.write_text(
        "record_id,name,birth_date\nBE-1,Abdelkarim Zerouali,1987-04-08\n", encoding="utf-8"
    )
    ingest_file(as_user(db, "BE-FP"), listing, "watchlist")
    query = read_person({"record_id": "q", "name": "Abdelkarim Zerouali"}, "q", "watchlist")
    assert query.record is not None
    ctx = as_user(db, "BE-FP").with_purpose("case 9")
    live_index(db, fresh=True)
    [found] = screen_records(ctx, {"q": query.record})
    assert found.matches
    with db.transaction() as session:  # as another process's purge would
        session.execute(delete(Record))
    [found] = screen_records(ctx, {"q": query.record})  # the index has not caught up yet
    assert found.matches == ()
    forget_live_indexes()
