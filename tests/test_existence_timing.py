"""A partner's hit-only Record it was never told of, and a reference or id no Record has, are
answered alike — and, since a hostile partner can time the answer, with the same work: the
same database statements in the same order. An existing one was looked up further (the
hub's grants, the hits it is in) and answered measurably later (0.4 ms over HTTP on the demo,
steady enough to tell apart in a few dozen tries: hostile pass, 2026-12-01)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from acting import as_user
from ftfhub.services import Context, Database, Unseen
from ftfhub.services.cases import open_case
from ftfhub.services.identities import judge
from ftfhub.services.network import network
from ftfhub.services.records import show_record
from partner_world import refs, two_agencies
from test_partner_holes import LIST_BE, LIST_FR, MADE_UP


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    """BE-2 is BE-FP's hit-only record that FR-DGSI was never told of."""
    yield from two_agencies(tmp_path / "timing.db", {"BE-FP": LIST_BE, "FR-DGSI": LIST_FR})


def _statements(db: Database, ask: Callable[[], object]) -> list[str]:
    """The statements `ask` runs before it is refused as unseen (the refusal's own audit
    writing left out: it is the same event either way)."""
    seen: list[str] = []
    with db.reading():
        pass
    bind = db._engine

    def note(conn: object, cursor: object, statement: str, *rest: object) -> None:
        seen.append(" ".join(statement.split()).split(" WHERE ")[0])

    event.listen(bind, "before_cursor_execute", note)
    try:
        with pytest.raises(Unseen):
            ask()
    finally:
        event.remove(bind, "before_cursor_execute", note)
    return [
        s for s in seen if not s.startswith("PRAGMA") and "audit" not in s and "refusal" not in s
    ]


def _alike(db: Database, asks: Callable[[str], object], untold: str, made_up: str) -> None:
    told = _statements(db, lambda: asks(untold))
    missing = _statements(db, lambda: asks(made_up))
    assert any("FROM hits" in s for s in told)  # the untold one is checked against the hits
    assert missing == told


def test_opening_an_untold_record_and_a_made_up_one_run_the_same_statements(
    db: Database,
) -> None:
    fr = as_user(db, "FR-DGSI", purpose="checking")
    _alike(db, lambda ref: show_record(fr, ref), refs(db)["BE-2"], MADE_UP)


def test_a_case_on_an_untold_record_and_on_a_made_up_one_run_the_same_statements(
    db: Database,
) -> None:
    fr = as_user(db, "FR-DGSI", purpose="checking")
    _alike(db, lambda ref: open_case(fr, ref, title="t"), refs(db)["BE-2"], MADE_UP)


def test_judging_an_untold_record_and_a_made_up_one_run_the_same_statements(
    db: Database,
) -> None:
    fr: Context = as_user(db, "FR-DGSI", purpose="adjudication")
    _alike(db, lambda ref: judge(fr, "FR-DGSI/FR-1", ref, False, "x"), refs(db)["BE-2"], MADE_UP)


def test_a_partners_record_by_its_owners_id_is_not_looked_up_at_all(db: Database) -> None:
    """`BE-FP/BE-2` (ids run in order and can be walked) is never a partner's to name: it is
    refused before any Record is read, so an id that exists and one that does not cost the
    same."""
    fr = as_user(db, "FR-DGSI", purpose="adjudication")
    runs = [
        _statements(db, lambda a=asked: judge(fr, "FR-DGSI/FR-1", a, False, "x"))
        for asked in ("BE-FP/BE-2", "BE-FP/BE-999")
    ]
    assert runs[0] == runs[1]
    assert sum("FROM records" in s for s in runs[0]) == 1  # FR-DGSI's own FR-1 only


def test_a_reference_is_looked_up_through_the_index_not_by_reading_the_agencys_records(
    db: Database,
) -> None:
    """`LIKE 'digest%'` read every Record of the agency: a made-up reference of a big agency
    took longer to refuse than one of a small agency (12-17 ms against 2.7 ms on the demo),
    telling a partner roughly how much each held. It is a range on (agency, content hash)."""
    plans: list[str] = []
    with db.reading():
        pass
    bind = db._engine
    assert bind is not None

    def note(conn: Any, cursor: object, statement: str, params: Any, *rest: object) -> None:
        if statement.startswith("SELECT records.") and "content_hash" in statement:
            found = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
            plans.append(" ".join(str(row[-1]) for row in found))

    fr = as_user(db, "FR-DGSI", purpose="checking")
    asked = (MADE_UP, refs(db)["BE-2"])
    event.listen(bind, "before_cursor_execute", note)
    try:
        for ref in asked:
            with pytest.raises(Unseen):
                show_record(fr, ref)
            with pytest.raises(Unseen):
                open_case(fr, ref, title="t")
            with pytest.raises(Unseen):
                network(fr, ref)
    finally:
        event.remove(bind, "before_cursor_execute", note)
    assert len(plans) == 6
    assert all("ix_records_reference (agency_code=? AND content_hash>" in p for p in plans), plans


def test_the_network_takes_a_whole_reference_only(db: Database) -> None:
    """A prefix (`BE-FP:4`) found every Record it began with and cut each down, so the page
    took longer the more Records began with it: timing prefixes walked a partner's hit-only
    references digit by digit (87-117 ms for a one-digit prefix of the demo's passengers,
    12-20 ms for one none began with). Anything but a whole reference is looked up as none."""
    fr = as_user(db, "FR-DGSI", purpose="checking")
    be2 = refs(db)["BE-2"]
    for prefix in (be2[:7], be2[:-1], "BE-FP:", be2 + "0"):
        done = _statements(db, lambda p=prefix: network(fr, p))
        assert not any("FROM records" in s and "content_hash" in s for s in done), prefix
