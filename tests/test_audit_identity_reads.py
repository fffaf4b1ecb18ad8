"""The oversight report sees every read of Identities: an Identity or its dossier opened, the
Identities exported, the review list — each with which partner's Records it showed, by the
owner's reference and level (never content). They were missing from the report, and a
dossier's event said only how many Records it showed (real SQLite, real DuckDB)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.clock import utcnow
from ftfhub.domain.vocab import Role
from ftfhub.services import Database
from ftfhub.services.audit_report import AuditReport, audit_report
from ftfhub.services.dossier import open_dossier
from ftfhub.services.identities import (
    Member,
    explain_identity,
    export_identities,
    identities_of,
    review_pairs,
)
from ftfhub.store.models import Record
from ftfhub.store.records import reference
from test_identities_service import resolved_with_near_pairs


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    return resolved_with_near_pairs(tmp_path / "reads.db")


def _report(db: Database, agency: str) -> AuditReport:
    auditor = as_user(db, "HUB", Role.AUDITOR, purpose="oversight")
    return audit_report(auditor, agency, utcnow() - timedelta(hours=1))


def _identity_of(db: Database, record_id: str) -> str:
    ids = identities_of(as_user(db, "HUB", purpose="find the identity"))
    return next(i for i, ms in ids.items() for m in ms if m.record_id == record_id)


def _references(db: Database, members: Iterable[Member]) -> set[str]:
    """The owners' references of the German Records among `members` (shown by the owner's
    id at summary level)."""
    ids = {m.record_id for m in members if m.agency == "DE-BKA"}
    with db.reading() as session:
        rows = session.execute(select(Record).where(Record.agency_code == "DE-BKA")).scalars()
        return {reference(r) for r in rows if r.source_id in ids and not r.superseded}


def _german_refs(db: Database, identity: str) -> set[str]:
    shown = explain_identity(as_user(db, "BE-FP", purpose="look up"), identity)
    return _references(db, shown.members)


def test_an_identity_opened_is_a_read_with_the_partners_records_it_showed(
    db: Database,
) -> None:
    identity = _identity_of(db, "BE-1")
    refs = _german_refs(db, identity)
    assert refs and all(r.startswith("DE-BKA:") for r in refs)
    open_dossier(as_user(db, "BE-FP", purpose="case 17"), identity)

    report = _report(db, "BE-FP")
    reads = [a for a in report.accesses if a.action == "identity.explain"]
    # explain_identity above, and the dossier (its explain and its own event)
    assert {a.object for a in reads} == {f"identity:{identity}", f"dossier:{identity}"}
    assert any(a.purpose == "case 17" for a in reads)
    shown = [d for d in report.disclosures if d.action == "identity.explain"]
    assert shown and all(d.source == "DE-BKA" and d.recipient == "BE-FP" for d in shown)
    assert all(d.level == "summary" and set(d.references) == refs for d in shown)
    assert all(d.records == len(refs) for d in shown)
    # the owner sees the same line about its data
    assert {d.event_id for d in _report(db, "DE-BKA").disclosures} >= {d.event_id for d in shown}


def test_an_export_and_a_review_are_reads_naming_the_partners_records(db: Database) -> None:
    exported = export_identities(as_user(db, "BE-FP", purpose="case 17"))
    german = _references(db, exported)
    pairs = review_pairs(as_user(db, "BE-FP", purpose="case 18"))
    listed = _references(db, (m for p in pairs for m in (p.left, p.right)))
    assert german and listed

    report = _report(db, "BE-FP")
    assert {"identities.export", "identities.review"} <= {a.action for a in report.accesses}
    by_action = {d.action: d for d in report.disclosures if d.source == "DE-BKA"}
    assert set(by_action["identities.export"].references) == german
    assert set(by_action["identities.review"].references) == listed


def test_own_records_only_are_no_disclosure(db: Database) -> None:
    export_identities(as_user(db, "BE-FP", purpose=""))  # without a purpose: its own only
    report = _report(db, "BE-FP")
    assert any(a.action == "identities.export" for a in report.accesses)
    assert not [d for d in report.disclosures if d.action == "identities.export"]


def test_the_hubs_whole_export_is_counted_by_owner_not_listed(db: Database) -> None:
    export_identities(as_user(db, "HUB", purpose="the resolution for the members"))
    lines = [d for d in _report(db, "DE-BKA").disclosures if d.action == "identities.export"]
    assert [(d.recipient, d.level, d.records, d.references) for d in lines] == [
        ("HUB", "full", 5, ())
    ]
