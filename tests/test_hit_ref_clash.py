"""Two writers that draw the same hit reference at the same moment: each checks its draws
against the stored hits before inserting, and neither sees the other's, not yet committed.
The second insert met the unique constraint and its whole load failed; it draws again and
the load goes through (hostile pass, 2026-12-01). The race is played by letting the first
check miss a reference another writer has just committed, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.hits import raising
from ftfhub.services import Database
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import Hit
from test_partner_holes import FIVE


def _load(db: Database, agency: str, people: list[tuple[str, str]], at: Path) -> int:
    rows = "".join(f"{agency}-{i},{n},{d}\n" for i, (n, d) in enumerate(people))
    path = at / f"{agency}-{len(people)}-{people[0][0][:3]}.csv"
    path.write_text("record_id,name,birth_date\n" + rows, encoding="utf-8")
    return ingest_file(as_user(db, agency), path, "watchlist", threshold=0.8).hits_raised


@pytest.fixture()
def db(database_url: str, tmp_path: Path) -> Iterator[Database]:
    forget_live_indexes()
    database = Database(database_url)
    _load(database, "BE-FP", FIVE, tmp_path)
    yield database
    database.dispose()
    forget_live_indexes()


def test_a_reference_drawn_by_another_writer_meanwhile_is_drawn_again(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spelled = [(n + "e", d) for n, d in FIVE]
    assert _load(db, "FR-DGSI", spelled[:3], tmp_path) == 3
    with db.reading() as session:
        taken = sorted(session.execute(select(Hit.ref)).scalars())
    draws = iter([taken[0], taken[1]])
    real_draw, real_check = raising.hit_ref, raising._unique_refs
    checks: list[int] = []

    def draw() -> str:
        return next(draws, None) or real_draw()

    def check(session: object, hits: list[Hit]) -> None:
        checks.append(len(hits))
        if len(checks) > 1:  # the first check ran before the other writer committed
            real_check(session, hits)  # type: ignore[arg-type]

    monkeypatch.setattr(raising, "hit_ref", draw)
    monkeypatch.setattr(raising, "_unique_refs", check)
    assert _load(db, "DE-BKA", spelled[3:], tmp_path) == 2
    with db.reading() as session:
        refs = list(session.execute(select(Hit.ref)).scalars())
    assert len(refs) == 5 == len(set(refs)) and set(taken) <= set(refs)
    assert len(checks) == 2  # drawn again once


def test_a_clash_that_is_not_a_reference_still_fails_the_load(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing again is for the reference only: any other constraint still stops the load
    (nothing half-written), not retried for ever."""
    spelled = [(n + "e", d) for n, d in FIVE]
    monkeypatch.setattr(raising, "_unique_refs", lambda session, hits: None)
    monkeypatch.setattr(raising, "hit_ref", lambda: "H-000000000000")  # every draw the same
    with pytest.raises(Exception):  # noqa: B017 - the database's own error
        _load(db, "FR-DGSI", spelled[:3], tmp_path)
    with db.reading() as session:
        assert list(session.execute(select(Hit.ref)).scalars()) == []
