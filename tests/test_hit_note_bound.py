"""An answer's note is at most 2,000 characters on every face, as the API's body already
said: the workbench's form and `hits ack --note` stored megabytes on the hit and in the
audit trail (hostile pass, 2026-12-01)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.services import Database, InvalidRequest
from ftfhub.services.hits import acknowledge, close
from ftfhub.store.models import AuditEvent, Hit
from partner_world import two_agencies
from test_partner_holes import LIST_BE, LIST_FR


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    yield from two_agencies(tmp_path / "notes.db", {"BE-FP": LIST_BE, "FR-DGSI": LIST_FR})


def _state(db: Database) -> tuple[list[tuple[str, str]], int]:
    with db.reading() as session:
        hits = [(h.status, h.note) for h in session.execute(select(Hit)).scalars()]
        events = len(list(session.execute(select(AuditEvent.id)).scalars()))
    return hits, events


def test_a_note_over_the_bound_is_refused_and_nothing_is_written(db: Database) -> None:
    be = as_user(db, "BE-FP")
    with db.reading() as session:
        ref = session.execute(select(Hit.ref).where(Hit.owner_agency == "BE-FP")).scalars().first()
    assert ref is not None
    before = _state(db)
    for answer in (lambda n: acknowledge(be, ref, n), lambda n: close(be, ref, "dismissed", n)):
        with pytest.raises(InvalidRequest) as refused:
            answer("x" * 2001)
        assert "at most 2,000 characters" in str(refused.value)
    assert _state(db) == before
    acknowledge(be, ref, "x" * 2000)  # at the bound, as the API takes it
