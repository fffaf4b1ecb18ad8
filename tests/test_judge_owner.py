"""A verdict on a partner's Record is in the owner's report and export: a judgement overrides
the model on both Records in every later run and read them to be made, yet `identity.judge`
named them only as typed, so the owner's `audit report` listed nothing and its `--agency`
export withheld the event."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from acting import as_user
from ftfhub.domain.vocab import Role
from ftfhub.services import Database
from ftfhub.services.adjudication import judge
from ftfhub.services.audit_export import Period, export_trail
from partner_world import ONE_HIT_LISTS, disclosed_to_partners, last_event, refs, two_agencies


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    """FR-DGSI's load raises a hit on BE-FP's BE-1 (summary to partners)."""
    yield from two_agencies(tmp_path / "hub.db", ONE_HIT_LISTS)


def be_fp_sees(db: Database) -> tuple[set[tuple[str, str, str, tuple[str, ...]]], set[str]]:
    lines = disclosed_to_partners(db, "BE-FP", "identity.judge")
    sink = io.BytesIO()
    export_trail(as_user(db, "HUB", Role.AUDITOR, "inspection"), sink, Period(None, None), "BE-FP")
    exported = [json.loads(x) for x in sink.getvalue().splitlines()[:-1]]
    return lines, {x["action"] for x in exported if x["kind"] == "event"}


def test_a_partners_verdict_on_a_record_is_in_its_owners_report_and_export(
    db: Database,
) -> None:
    ref = refs(db)
    judge(as_user(db, "FR-DGSI", purpose="our traveller"), "FR-DGSI/FR-1", ref["BE-1"], True)
    assert last_event(db, "identity.judge").details["disclosed"] == {
        "BE-FP": {"summary": [ref["BE-1"]]}
    }
    lines, exported = be_fp_sees(db)
    assert lines == {("BE-FP", "FR-DGSI", "summary", (ref["BE-1"],))}
    assert "identity.judge" in exported


def test_the_hubs_verdict_on_two_partners_records_is_in_each_owners_export(
    db: Database,
) -> None:
    ref = refs(db)
    hub = as_user(db, "HUB", purpose="central analysis")
    judge(hub, ref["FR-1"], ref["BE-1"], False, "different birth places")
    shown = last_event(db, "identity.judge").details["disclosed"]
    assert set(shown) == {"BE-FP", "FR-DGSI"}
    lines, exported = be_fp_sees(db)
    assert [line[:2] for line in lines] == [("BE-FP", "HUB")]
    assert "identity.judge" in exported
