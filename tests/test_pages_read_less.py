"""The identities, adjudication and network services read only what they show (a page's
members, a network's linkable Records) yet show what reading every Record showed: each is
compared here with the plain reading of every current Record through the same policy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.demo_hub import DemoHub, build_demo_hub
from ftfhub.domain import RecordData
from ftfhub.domain.record import Name, Payment, Relation, Travel
from ftfhub.domain.vocab import Disclosure
from ftfhub.policy.disclose import other_record
from ftfhub.services.context import Context, Unseen
from ftfhub.services.identities import HUB, Member, identities_of, identities_page
from ftfhub.services.network import Network, _candidates, _may_link, _walk, link_keys, network
from ftfhub.services.rows import grants, held
from ftfhub.store.identities import memberships
from ftfhub.store.models import IngestBatch
from ftfhub.store.records import contacts, current_records, ensure_agency, new_row, record_data

USERS = ("analyst-hub", "analyst-be-fp", "analyst-be-piu", "analyst-tr-egm")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoHub]:
    yield build_demo_hub(tmp_path_factory.mktemp("hub"), fighters=16, travellers=120)


def every_record_export(ctx: Context) -> list[Member]:
    """What the identities export showed when it read every current Record."""
    me = ctx.caller.agency
    with ctx.db.transaction() as session:
        members = memberships(session)
        rows = {r.id: r for r in current_records(session) if r.id in members}
        who, shared = contacts(session), grants(session)
        own = {i for r, i in members.items() if r in rows and rows[r].agency_code == me}
        open_ids = set(members.values()) if me == HUB else own
        ids = [r for r, i in members.items() if i in open_ids and r in rows]
        if any(rows[r].agency_code != me for r in ids) and not ctx.purpose.strip():
            ids = [r for r in ids if rows[r].agency_code == me]
        shown = []
        for r in ids:
            row = rows[r]
            if row.agency_code == me or me == HUB:
                shown.append(Member(members[r], row.agency_code, row.source_id))
                continue
            view = other_record(me, held(row), who, shared)
            named = view.record_id if view.level is not Disclosure.HIT_ONLY else None
            shown.append(Member(members[r], row.agency_code, named or view.reference))
    # Identities holding most of the caller's own Records first (the hub's: all), then by id.
    own = {
        i: sum(1 for r in ids if members[r] == i and me in (HUB, rows[r].agency_code))
        for i in {members[r] for r in ids}
    }
    return sorted(shown, key=lambda m: (-own[m.identity_id], m.identity_id, m.agency))


def every_record_network(ctx: Context, reference: str) -> Network | None:
    """The network as drawn from every current Record the caller sees in full."""
    with ctx.db.transaction() as session:
        who, shared = contacts(session), grants(session)
        full = {}
        for row in current_records(session):
            view = other_record(ctx.caller.agency, held(row), who, shared)
            if view.level is Disclosure.FULL and view.record is not None:
                full[view.reference] = (view.agency, view.record)
    return _walk(reference, full, 2) if reference in full else None


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("purpose", ["", "an investigation"])
def test_identity_pages_show_what_reading_every_record_showed(
    hub: DemoHub, user: str, purpose: str
) -> None:
    ctx = hub.context(user, purpose)
    expected = every_record_export(ctx)
    grouped = identities_of(ctx)
    assert [m for i in grouped for m in grouped[i]] == expected
    whole = list(grouped.items())
    mine = [sum(ctx.caller.agency in (m.agency, HUB) for m in ms) for _, ms in whole]
    assert mine == sorted(mine, reverse=True), "most of the caller's own records first"
    if user == "analyst-hub" and purpose:  # the hub sees all: identities of 1 to 3+ records
        assert mine[0] > mine[-1]
    assert whole, "every agency has an identity in this world"
    for start, count in ((0, 7), (7, 7), (len(whole) - 3, 7), (len(whole) + 5, 7)):
        total, page = identities_page(ctx, start, count)
        assert (total, page) == (len(whole), whole[start : start + count])


def test_a_record_that_may_link_is_never_skipped(hub: DemoHub) -> None:
    with hub.context("analyst-hub").db.transaction() as session:
        rows = current_records(session)
        linking = [r for r in rows if link_keys(record_data(r))]
        assert linking and len(linking) < len(rows)
        assert all(_may_link(r.data) for r in linking)


@pytest.mark.parametrize("user", ["analyst-hub", "analyst-be-fp"])
def test_the_network_shows_what_reading_every_record_showed(hub: DemoHub, user: str) -> None:
    ctx = hub.context(user, "an investigation")
    with ctx.db.transaction() as session:
        rows = current_records(session)
        refs = sorted(held(r).reference for r in rows)
        linking = sorted(held(r).reference for r in rows if link_keys(record_data(r)))
    linked = 0
    sample = refs[:: max(1, len(refs) // 100)] + linking[:60]
    for reference in [*sample, "HUB:", "HUB:zz", refs[0].upper()]:
        expected = every_record_network(ctx, reference)
        if expected is None:
            with pytest.raises(Unseen):
                network(ctx, reference)
            continue
        found = network(ctx, reference)
        assert found == replace(expected, partners=True)  # a purpose: partners too
        linked += len(found.nodes) > 1
    assert linked or user != "analyst-hub", "some record the hub sees has a network"


def test_the_database_finds_every_record_that_may_link(session: Session) -> None:
    """The network's SQL look at stored JSON (SQLite and PostgreSQL) misses no Record that
    gives a link key, and skips one that gives none."""
    ensure_agency(session, "HUB")
    batch = IngestBatch(
        agency_code="HUB", kind="t", file_name="t", file_sha256="0" * 64, created_at=utcnow()
    )
    session.add(batch)
    session.flush()
    linking = {
        "relation": {"relations": (Relation("recommender", "Abu Test"),)},
        "entry": {"extra": (("entry_date", "2014-03-02"), ("entry_point", "Tal Abyad"))},
        "recommender": {"extra": (("recommender", "Abu Test"),)},
        "booking": {"travel": Travel(flight="TK1", booking_reference="ABC123")},
        "phone": {"travel": Travel(flight="TK1", phones=("+32 470",))},
        "email": {"travel": Travel(flight="TK1", emails=("a@example.org",))},
        "address": {"travel": Travel(flight="TK1", addresses=("1 Test Street",))},
        "card": {"travel": Travel(flight="TK1", payments=(Payment("card", card_number="41"),))},
    }
    plain = {
        "none": {},
        "flight": {"travel": Travel(flight="TK1", origin="IST"), "extra": (("seat", "1A"),)},
    }
    for n, (rid, fields) in enumerate({**linking, **plain}.items()):
        record = RecordData(record_id=rid, kind="t", names=(Name("Ali Test"),), **fields)  # type: ignore[arg-type]
        session.add(new_row(batch, record, f"{n:064d}", 1, utcnow()))
    session.flush()
    found = {r.source_id for r in _candidates(session)}
    assert found == set(linking)
    with_keys = {r.source_id for r in current_records(session) if link_keys(record_data(r))}
    assert with_keys == set(linking)


def test_demo_serve_and_make_demo_name_their_users_alike(
    hub: DemoHub, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`make demo` printed `analyst-be-fp`, `duty-officer`, `auditor`, `hub-admin`; `ftfhub demo
    --serve` `analyst.be-fp`, `duty.hub`, `auditor.hub`, `admin`: a newcomer following the
    README's names found them in one table and not the other. Each user the served hub has is
    named as make demo names that agency's user of that role."""
    from ftfhub.demo import DemoReport, _users
    from ftfhub.services import Database

    agencies = sorted({login.agency for login in hub.logins.values()})
    report = DemoReport()
    _users(Database(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"), agencies, report)
    made = {(user, agency, role) for user, agency, role, _ in report.users}
    served = {(login.user, login.agency, login.role.value) for login in hub.logins.values()}
    assert served <= made, served - made
    assert {"analyst-be-fp", "duty-officer", "auditor", "hub-admin"} <= set(hub.logins)
