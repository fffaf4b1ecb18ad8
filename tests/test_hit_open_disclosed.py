"""Opening a hit names the other agency's Record it showed, and at which level, so that
agency's oversight report and export say who opened it: the querying side opening a hit
(with a purpose) saw the owner's Record as far as its level allows — names at `summary` —
yet the `hit.open` event named only the hit, and the owner's `--agency` export withheld it."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.clock import utcnow
from ftfhub.domain.vocab import Role
from ftfhub.services import Database
from ftfhub.services.audit_export import Period, export_trail
from ftfhub.services.audit_report import audit_report
from ftfhub.services.hits import show_hit
from ftfhub.store.models import Hit
from partner_world import ONE_HIT_LISTS, disclosed_to_partners, last_event, refs, two_agencies


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    """FR-DGSI's load raises a hit on BE-FP's BE-1 (summary to partners)."""
    yield from two_agencies(tmp_path / "hub.db", ONE_HIT_LISTS)


def test_the_querying_side_opening_a_hit_is_in_the_owners_report_and_export(
    db: Database,
) -> None:
    ref = refs(db)
    with db.reading() as session:
        hit = session.scalars(select(Hit.ref)).one()
    view = show_hit(as_user(db, "FR-DGSI", purpose="checking our traveller"), hit)
    assert view.owner.summary is not None  # BE-FP's names were on the screen
    event = last_event(db, "hit.open")
    assert event.details["disclosed"] == {"BE-FP": {"summary": [ref["BE-1"]]}}
    since = utcnow() - timedelta(hours=1)
    report = audit_report(as_user(db, "BE-FP"), "BE-FP", since)
    lines = [(d.action, d.source, d.recipient, d.level) for d in report.disclosures]
    assert ("hit.open", "BE-FP", "FR-DGSI", "summary") in lines
    sink = io.BytesIO()
    export_trail(as_user(db, "HUB", Role.AUDITOR, "inspection"), sink, Period(None, None), "BE-FP")
    [line] = [json.loads(x) for x in sink.getvalue().splitlines()[:-1] if b'"hit.open"' in x]
    assert line["kind"] == "event" and line["id"] == event.id
    # the owner opening it names the querying side's record (hit-only here) the same way
    show_hit(as_user(db, "BE-FP", purpose=""), hit)
    assert last_event(db, "hit.open").details["disclosed"] == {
        "FR-DGSI": {"hit-only": [ref["FR-1"]]}
    }


def test_a_hit_raised_names_each_sides_record_in_the_owners_report(db: Database) -> None:
    """`hit.create` names both Records by reference (`query_record`, `matched_record`), yet
    its two disclosure lines carried none: the owner's report said a partner had learnt of
    one of its Records, not which."""
    ref = refs(db)
    lines = disclosed_to_partners(db, "BE-FP", "hit.create")
    assert lines == {
        ("BE-FP", "FR-DGSI", "hit-only", (ref["BE-1"],)),  # BE-FP's record: the hit's match
        ("FR-DGSI", "BE-FP", "hit-only", (ref["FR-1"],)),  # told to BE-FP, the owner
    }
