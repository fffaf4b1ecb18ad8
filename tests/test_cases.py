"""Cases: an agency's triage, set by people, audited, and never shown to another agency."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.domain.vocab import CaseCategory, CasePriority, Role
from ftfhub.policy import AccessDenied
from ftfhub.services import Database, InvalidRequest, NotFound
from ftfhub.services import cases as case_service
from ftfhub.store.models import AuditEvent


@pytest.fixture()
def db(tmp_path: Path) -> Database:
    return Database(f"sqlite:///{tmp_path / 'cases.db'}")


def test_a_case_starts_unassessed_and_the_category_is_a_persons_judgement(db: Database) -> None:
    analyst = as_user(db, "BE-FP")
    opened = case_service.open_case(
        analyst, "I-0001", title="Zerouali", priority="high", next_review=date(2026, 12, 1)
    )
    assert opened.category is CaseCategory.UNASSESSED
    assert opened.category_by == ""
    with pytest.raises(InvalidRequest, match="reason"):
        case_service.set_category(analyst, opened.id, CaseCategory.REINTEGRATION, "  ")
    moved = case_service.set_category(
        analyst, opened.id, "reintegration-candidate", "family engaged; left in 2016"
    )
    assert moved.category is CaseCategory.REINTEGRATION
    assert moved.category_by == "analyst@be-fp"
    assert moved.category_why == "family engaged; left in 2016"
    detail = case_service.show_case(analyst, opened.id)
    assert [e.kind for e in detail.history] == ["category"]
    assert "unassessed → reintegration-candidate" in detail.history[0].text
    with db.transaction() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "case.category")
        ).scalar_one()
        assert event.actor == "analyst@be-fp"
        assert event.details["why"] == "family engaged; left in 2016"


def test_cases_are_listed_by_priority_and_overdue_reviews_are_flagged(db: Database) -> None:
    analyst = as_user(db, "BE-FP")
    today = date(2026, 11, 29)
    low = case_service.open_case(analyst, "I-1", priority=CasePriority.LOW)
    late = case_service.open_case(analyst, "I-2", next_review=today - timedelta(days=3))
    high = case_service.open_case(analyst, "I-3", priority="high", officer="officer-7")
    listed = case_service.list_cases(analyst)
    assert [c.id for c in listed] == [high.id, late.id, low.id]
    assert [c.review_overdue(today) for c in listed] == [False, True, False]
    updated = case_service.update_case(analyst, late.id, next_review=today + timedelta(days=30))
    assert not updated.review_overdue(today)
    with pytest.raises(InvalidRequest, match="priority"):
        case_service.update_case(analyst, low.id, priority="urgent")


def test_another_agency_cannot_see_or_touch_a_case(db: Database) -> None:
    mine = case_service.open_case(as_user(db, "BE-FP"), "I-1")
    other = as_user(db, "FR-DGSI")
    assert case_service.list_cases(other) == ()
    with pytest.raises(NotFound):
        case_service.show_case(other, mine.id)
    with pytest.raises(NotFound):
        case_service.set_category(other, mine.id, "returning-to-attack", "because")
    with pytest.raises(AccessDenied):
        case_service.list_cases(as_user(db, "HUB", Role.AUDITOR))
