"""What a hostile partner could still read or change around the policy, each path tried:
judging a Record it sees only as a hit, Identities of Records it was never told of, cases on
subjects it may not read. Every refusal is audited; none answers "exists, not yours" apart
from "does not exist"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.services import Database, Refused, Unseen
from ftfhub.services.identities import judge
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file
from ftfhub.store.identities import Judgement
from ftfhub.store.models import AuditEvent, Record
from ftfhub.store.records import reference

LIST_BE = (
    "record_id,name,birth_date,nationality,gender,handling_code\n"
    "BE-1,Abdelkarim Zerouali,1987-04-08,BE,m,H0\n"
    "BE-2,Ilyas Vandermeulen,1979-03-03,BE,m,H0\n"
    "BE-3,Corentin Moulard,1990-01-02,BE,m,H2\n"
)
LIST_FR = (
    "record_id,name,birth_date,nationality,gender\n"
    "FR-1,Abdelkarim Zeroualli,1987-04-08,BE,m\n"
    "FR-2,Corentin Moulart,1990-01-02,BE,m\n"
)
MADE_UP = "BE-FP:000000000000"


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    """BE-FP holds two hit-only records and a summary one; FR-DGSI's load raises a hit on
    BE-1 (so FR-DGSI was told of it) and never touches BE-2."""
    forget_live_indexes()
    database = Database(f"sqlite:///{tmp_path / 'holes.db'}")
    for agency, text in (("BE-FP", LIST_BE), ("FR-DGSI", LIST_FR)):
        path = tmp_path / f"{agency}.csv"
        path.write_text(text, encoding="utf-8")
        ingest_file(as_user(database, agency), path, "watchlist", threshold=0.8)
    yield database
    forget_live_indexes()


def refs(db: Database) -> dict[str, str]:
    with db.reading() as session:
        return {r.source_id: reference(r) for r in session.execute(select(Record)).scalars()}


def denied(db: Database) -> list[AuditEvent]:
    with db.reading() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == "access.denied")
        return list(session.execute(stmt.order_by(AuditEvent.id)).scalars())


def judgements(db: Database) -> int:
    with db.reading() as session:
        return len(list(session.execute(select(Judgement)).scalars()))


# --- 1. judging ----------------------------------------------------------------------------


def test_a_partner_record_seen_only_as_a_hit_is_not_judged_blind(db: Database) -> None:
    """FR-DGSI was told of BE-1 by a hit, so it may know BE-1 exists, but not what it holds:
    a verdict on it would be blind and would override the model on BE-FP's record in every
    later run. Refused (audited, no judgement stored); the owner may judge it."""
    fr = as_user(db, "FR-DGSI", purpose="adjudication")
    told = refs(db)["BE-1"]
    with pytest.raises(Refused) as refused:
        judge(fr, "FR-DGSI/FR-1", told, False, "not him")
    assert "hit only" in str(refused.value) and "BE-FP" in str(refused.value)
    assert judgements(db) == 0
    [event] = denied(db)
    assert event.details["rule"] == "judge-hit-only" and event.object_type == "record_pair"
    assert "not him" not in json.dumps(event.details)
    # One never told of is still answered as a made-up one (no oracle).
    answers = []
    for ref in (refs(db)["BE-2"], MADE_UP):
        with pytest.raises(Unseen) as unseen:
            judge(fr, "FR-DGSI/FR-1", ref, False, "probe")
        answers.append(str(unseen.value).replace(ref, "REF"))
    assert answers[0] == answers[1]
    # A record shared in summary may be judged; the owner judges its own hit-only ones.
    judge(fr, "FR-DGSI/FR-2", refs(db)["BE-3"], True, "same man")
    judge(as_user(db, "BE-FP"), "BE-FP/BE-1", "BE-FP/BE-2", False, "two men")
    assert judgements(db) == 2
