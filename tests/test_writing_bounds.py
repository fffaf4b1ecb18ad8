"""What an analyst writes — a case's category reason, a case's first note, a verdict's note —
is bounded by the service, not only by the API's schema: through the workbench's forms and the
command line a megabyte of reason was stored on the case and in the audit trail, as a hit's
answer note was before (oversight §9)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from acting import as_user
from ftfhub.services import Database
from ftfhub.services.adjudication import judge
from ftfhub.services.cases import add_note, open_case, set_category
from ftfhub.services.context import InvalidRequest
from ftfhub.store.identities import Judgement
from ftfhub.store.models import AuditEvent, CaseEntry
from partner_world import ONE_HIT_LISTS, refs, two_agencies

LONG = "x" * 5001


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    yield from two_agencies(tmp_path / "hub.db", ONE_HIT_LISTS)


def count(db: Database, table: type) -> int:
    with db.reading() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def trail_size(db: Database) -> int:
    with db.reading() as session:
        return sum(len(str(e.details)) for e in session.scalars(select(AuditEvent)))


def test_a_cases_reason_and_notes_are_bounded(db: Database) -> None:
    be = as_user(db, "BE-FP")
    case = open_case(be, "BE-FP/BE-1", title="t", note="x" * 5000)
    entries, size = count(db, CaseEntry), trail_size(db)
    with pytest.raises(InvalidRequest, match="at most 5,000"):
        set_category(be, case.id, "still-radicalised", LONG)
    with pytest.raises(InvalidRequest, match="at most 5,000"):
        open_case(be, "BE-FP/BE-1", title="t", note=LONG)
    with pytest.raises(InvalidRequest, match="at most 5,000"):
        add_note(be, case.id, LONG)
    assert count(db, CaseEntry) == entries
    assert trail_size(db) == size  # nothing of the refused text reached the trail
    set_category(be, case.id, "still-radicalised", "y" * 5000)  # the bound itself is taken


def test_a_verdicts_note_is_bounded(db: Database) -> None:
    fr = as_user(db, "FR-DGSI", purpose="our traveller")
    with pytest.raises(InvalidRequest, match="at most 5,000"):
        judge(fr, "FR-DGSI/FR-1", refs(db)["BE-1"], True, LONG)
    assert count(db, Judgement) == 0
    judge(fr, "FR-DGSI/FR-1", refs(db)["BE-1"], True, "x" * 5000)
    assert count(db, Judgement) == 1
