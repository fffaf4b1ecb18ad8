"""A page of `GET /hits` (and `hits list`, the workbench's inbox) holds the hits the caller's
agency must answer before those it raised on partners' records: they were paged together by
deadline, so a small page could hold only partner hits — waiting on others — while hits the
agency had to answer sat on a later page (hostile pass, 2026-12-01)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from acting import as_user
from ftfhub.api.app import create_app
from ftfhub.domain.vocab import Role
from ftfhub.services import Context, Database, identity
from ftfhub.services.hits import list_hits
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import Hit
from partner_world import two_agencies
from test_partner_holes import FIVE


def _list(agency: str, spelled: str, people: list[tuple[str, str]]) -> str:
    rows = "".join(f"{agency}-{i},{n}{spelled},{d}\n" for i, (n, d) in enumerate(people))
    return "record_id,name,birth_date\n" + rows


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    """BE-FP's load raises three hits on FR-DGSI's records (partner hits for BE-FP, the
    earliest deadlines); FR-DGSI's second load then raises two on BE-FP's (BE-FP must answer
    them, later deadlines)."""
    lists = {"FR-DGSI": _list("FR-DGSI", "", FIVE[:3]), "BE-FP": _list("BE-FP", "e", FIVE)}
    for database in two_agencies(tmp_path / "order.db", lists):
        later = tmp_path / "fr-later.csv"
        later.write_text(_list("FR-DGSI-B", "", FIVE[3:]), encoding="utf-8")
        ingest_file(as_user(database, "FR-DGSI"), later, "watchlist", threshold=0.8)
        yield database


def test_a_page_holds_the_hits_to_answer_before_the_partner_hits(db: Database) -> None:
    be = as_user(db, "BE-FP")
    whole = list_hits(be)
    assert (len(whole.owned), len(whole.partner)) == (2, 3)
    with db.reading() as session:
        rows = session.execute(select(Hit.owner_agency, Hit.deadline)).all()
    assert max(d for o, d in rows if o == "FR-DGSI") < min(d for o, d in rows if o == "BE-FP")
    first = list_hits(be, limit=2)
    assert [h.id for h in first.owned] == [h.id for h in whole.owned] and not first.partner
    assert first.more and first.next_offset == 2
    rest = list_hits(be, limit=2, offset=2)
    assert not rest.owned and len(rest.partner) == 2 and rest.more
    last = list_hits(be, limit=2, offset=4)
    seen = {h.id for page in (first, rest, last) for h in (*page.owned, *page.partner)}
    assert len(seen) == 5 and not last.more  # every hit once


def test_the_api_gives_the_same_first_page(db: Database) -> None:
    admin = Context(db, identity.authenticate(db, identity.init_hub(db).token))
    token = identity.add_user(admin, "ana", "BE-FP", Role.ANALYST).token
    with TestClient(create_app(db)) as client:
        page = client.get("/hits?limit=1", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200, page.text
    body = page.json()
    assert len(body["owned"]) == 1 and body["partner"] == [] and body["more"]
