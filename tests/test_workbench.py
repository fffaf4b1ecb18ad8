"""The workbench through FastAPI's TestClient: log-in and its cookie, CSRF on every form,
purpose before another agency's data, the inbox, cases, capacity, oversight — and every page
fed by the same service functions as the API."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from acting import own_reference
from ftfhub.api import create_app
from ftfhub.api import routes as api_routes
from ftfhub.domain.vocab import Role
from ftfhub.services import (
    Caller,
    Context,
    Database,
    audit_queries,
    hits,
    identity,
    records,
    screening,
)
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file
from ftfhub.store.models import AuditEvent, Hit

WATCHLIST = (
    "record_id,name,aliases,birth_date,nationality,gender,documents,handling_code\n"
    "BE-1,Abdelkarim Zerouali,عبد الكريم الزروالي,1987-04-08,BE,m,passport:BE:EH123456,H2\n"
    "BE-2,Youssef Benali,,1991-03-03,BE,m,,H0\n"
)
FR_LIST = (
    "record_id,name,birth_date,nationality,gender,handling_code\n"
    "FR-9,Abdelkarim Zeroualli,1987-04-08,BE,m,H2\n"
    "FR-10,Youssef Ben Ali,1991-03-03,BE,m,H2\n"
)


@dataclass
class World:
    db: Database
    tokens: dict[str, str]
    app: Any


@pytest.fixture()
def world(tmp_path: Path) -> Iterator[World]:
    forget_live_indexes()
    db = Database(f"sqlite:///{tmp_path / 'wb.db'}")
    admin_token = identity.init_hub(db).token
    admin = identity.authenticate(db, admin_token)
    actx = Context(db, admin)
    for code in ("BE-FP", "FR-DGSI"):
        identity.add_agency(actx, code, code)
    tokens = {
        "be": identity.add_user(actx, "ana.be", "BE-FP", Role.ANALYST).token,
        "fr": identity.add_user(actx, "ana.fr", "FR-DGSI", Role.ANALYST).token,
        "auditor": identity.add_user(actx, "aud.hub", "HUB", Role.AUDITOR).token,
    }
    be = Context(db, identity.authenticate(db, tokens["be"]))
    fr = Context(db, identity.authenticate(db, tokens["fr"]))
    (tmp_path / "be.csv").write_text(WATCHLIST, encoding="utf-8")
    (tmp_path / "fr.csv").write_text(FR_LIST, encoding="utf-8")
    ingest_file(be, tmp_path / "be.csv", "watchlist", threshold=0.7)
    ingest_file(fr, tmp_path / "fr.csv", "watchlist", threshold=0.7)
    app = create_app(db, escalate_every=0)
    yield World(db, tokens, app)
    forget_live_indexes()


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def signed_in(world: World, who: str) -> tuple[TestClient, str]:
    client = TestClient(world.app)
    form = client.get("/workbench/login")
    answer = client.post(
        "/workbench/login",
        data={"csrf": csrf_of(form.text), "token": world.tokens[who]},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    home = client.get(answer.headers["location"])
    assert home.status_code == 200
    return client, csrf_of(home.text)


def opened_for(client: TestClient, path: str, purpose: str) -> Any:
    """A page opened as a user does: the purpose page's form posted (never an address
    carrying the purpose), then back to the page."""
    asked = client.get(path)
    return client.post(
        "/workbench/purpose",
        data={"csrf": csrf_of(asked.text), "purpose": purpose, "next": path},
    )


def owned_hit(db: Database, owner: str) -> str:
    """The reference of a hit `owner` must answer."""
    with db.transaction() as session:
        found = session.execute(select(Hit.ref).where(Hit.owner_agency == owner)).scalars().first()
    assert found is not None, f"the world raised no hit for {owner}"
    return found


def test_log_in_sets_a_strict_http_only_cookie_and_a_bad_token_is_refused(world: World) -> None:
    client = TestClient(world.app)
    assert client.get("/workbench/", follow_redirects=False).status_code == 303
    form = client.get("/workbench/login")
    bad = client.post("/workbench/login", data={"csrf": csrf_of(form.text), "token": "nope"})
    assert bad.status_code == 401
    assert "not valid" in bad.text
    good = client.post(
        "/workbench/login",
        data={"csrf": csrf_of(bad.text), "token": world.tokens["be"]},
        follow_redirects=False,
    )
    cookie = good.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert world.tokens["be"] not in good.headers["set-cookie"]
    page = client.get("/workbench/")
    assert "ana.be" in page.text and "Hits inbox" in page.text
    out = client.post(
        "/workbench/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert client.get("/workbench/", follow_redirects=False).status_code == 303


def test_a_form_without_the_sessions_csrf_secret_changes_nothing(world: World) -> None:
    client, _ = signed_in(world, "be")
    hit_id = owned_hit(world.db, "BE-FP")
    forged = client.post(
        f"/workbench/hits/{hit_id}/answer", data={"action": "acknowledge", "note": "x"}
    )
    assert forged.status_code == 403
    with world.db.transaction() as session:
        assert session.execute(select(Hit.status).where(Hit.ref == hit_id)).scalar() == "new"


def test_a_hit_or_case_number_no_database_row_can_have_is_refused_not_a_500(
    world: World,
) -> None:
    client, csrf = signed_in(world, "be")
    huge = "9" * 23
    assert client.get(f"/workbench/cases/{huge}").status_code == 422
    # A hit is named by its reference: any number is a hit that is not there.
    assert client.get(f"/workbench/hits/{huge}").status_code == 404
    answer = client.post(
        f"/workbench/hits/{huge}/answer",
        data={"csrf": csrf, "action": "acknowledge", "note": "x"},
    )
    assert answer.status_code == 404 and "not one of BE-FP" in answer.text


def test_acknowledging_a_hit_needs_a_note_and_is_audited(world: World) -> None:
    client, csrf = signed_in(world, "be")
    hit_id = owned_hit(world.db, "BE-FP")
    inbox = client.get("/workbench/")
    assert f'id="hit-{hit_id}"' in inbox.text and "countdown" in inbox.text
    url = f"/workbench/hits/{hit_id}/answer"
    empty = client.post(url, data={"csrf": csrf, "action": "acknowledge", "note": " "})
    assert empty.status_code == 422 and "needs a note" in empty.text
    done = client.post(url, data={"csrf": csrf, "action": "acknowledge", "note": "calling FR"})
    assert done.status_code == 200 and f"hit {hit_id}: acknowledge" in done.text
    with world.db.transaction() as session:
        hit = session.execute(select(Hit).where(Hit.ref == hit_id)).scalar()
        assert hit is not None and hit.status == "acknowledged" and hit.note == "calling FR"
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "hit.acknowledge")
        ).scalar_one()
        assert event.actor == "ana.be"


def test_another_agencys_record_opens_only_with_a_purpose_that_lands_in_the_audit(
    world: World,
) -> None:
    client, _ = signed_in(world, "fr")
    hit_id = owned_hit(world.db, "BE-FP")
    asked = client.get(f"/workbench/hits/{hit_id}")
    assert asked.status_code == 400 and 'name="purpose"' in asked.text
    assert "Zerouali" not in asked.text  # nothing of BE-FP's record before a purpose
    # A purpose in the address is not read: it would land in server logs and browser history.
    in_url = client.get(f"/workbench/hits/{hit_id}", params={"purpose": "border check 42"})
    assert in_url.status_code == 400 and "Zerouali" not in in_url.text
    assert 'method="post"' in asked.text and 'method="get"' not in asked.text
    opened = opened_for(client, f"/workbench/hits/{hit_id}", "border check 42")
    assert opened.status_code == 200 and "purpose" not in str(opened.url)
    assert '<bdi dir="auto">' in opened.text
    assert "?purpose=" not in opened.text and "&purpose=" not in opened.text
    assert "Purpose stated for what you open" in opened.text  # shown, with a way to clear it
    with world.db.transaction() as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "hit.open")
        ).scalar_one()
        assert event.purpose == "border check 42" and event.agency == "FR-DGSI"
    # The next read states it too, until the user clears it; then the page asks again.
    again = client.get(f"/workbench/hits/{hit_id}")
    assert again.status_code == 200
    cleared = client.post(
        "/workbench/purpose",
        data={"csrf": csrf_of(again.text), "purpose": "", "next": f"/workbench/hits/{hit_id}"},
    )
    assert cleared.status_code == 400 and 'name="purpose"' in cleared.text
    with world.db.transaction() as session:
        purposes = session.execute(
            select(AuditEvent.purpose).where(AuditEvent.action == "hit.open")
        ).scalars()
        assert list(purposes) == ["border check 42", "border check 42"]


def test_the_purpose_form_goes_back_only_to_a_workbench_page(world: World) -> None:
    """The page to go back to is the form's own field: never another site, never a purpose
    left in an address."""
    client, csrf = signed_in(world, "fr")
    for wanted in ("https://evil.example/x", "//evil.example/x", "/api/hits", "/\\evil"):
        answer = client.post(
            "/workbench/purpose",
            data={"csrf": csrf, "purpose": "p", "next": wanted},
            follow_redirects=False,
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/workbench/"
    answer = client.post(
        "/workbench/purpose",
        data={"csrf": csrf, "purpose": "p", "next": "/workbench/identities?page=2&purpose=x"},
        follow_redirects=False,
    )
    assert answer.headers["location"] == "/workbench/identities?page=2"
    forged = client.post(
        "/workbench/purpose", data={"csrf": "forged", "purpose": "p", "next": "/workbench/"}
    )
    assert forged.status_code == 403


def test_search_shows_ranked_matches_with_the_explanation_and_isolates_rtl_names(
    world: World,
) -> None:
    client, csrf = signed_in(world, "fr")
    page = client.post(
        "/workbench/search",
        data={
            "csrf": csrf,
            "name": "عبد الكريم الزروالي",
            "birth_date": "1987",
            "purpose": "case 3",
        },
    )
    assert page.status_code == 200
    assert "BE-FP" in page.text
    assert '<bdi dir="auto">عبد الكريم الزروالي</bdi>' in page.text
    # The result is headed by the name searched for, not 'Query query'.
    assert "Query query" not in page.text
    assert '<h3><bdi dir="auto">عبد الكريم الزروالي</bdi>: 2 matches</h3>' in page.text


def test_a_case_is_opened_moved_with_a_reason_and_shown_on_the_board(world: World) -> None:
    client, csrf = signed_in(world, "be")
    opened = client.post(
        "/workbench/cases",
        data={
            "csrf": csrf,
            "subject": own_reference(world.db, "BE-FP"),
            "title": "Zerouali",
            "priority": "high",
            "next_review": "2020-01-01",
        },
    )
    assert opened.status_code == 200 and "Case 1" in opened.text
    refused = client.post(
        "/workbench/cases/1/category", data={"csrf": csrf, "category": "returning-to-attack"}
    )
    assert refused.status_code == 422 and "reason" in refused.text
    moved = client.post(
        "/workbench/cases/1/category",
        data={"csrf": csrf, "category": "returning-to-attack", "why": "bought a weapon"},
    )
    assert 'set by <bdi dir="auto">ana.be</bdi>' in moved.text
    board = client.get("/workbench/cases")
    assert "review overdue" in board.text and "bought a weapon" in board.text
    # a title never hides the subject (its reference is what the board's read records)
    subject = own_reference(world.db, "BE-FP")
    assert f'Case 1: <bdi dir="auto">{subject}</bdi> — ' in board.text, board.text
    capacity = client.get("/workbench/capacity")
    assert capacity.status_code == 200 and "<svg" in capacity.text and "1 overdue" in capacity.text
    other, _ = signed_in(world, "fr")
    assert other.get("/workbench/cases/1").status_code == 404
    assert "Zerouali" not in other.get("/workbench/cases").text


def test_oversight_is_for_the_auditor_and_shows_no_record_content(world: World) -> None:
    client, _ = signed_in(world, "auditor")
    page = client.get("/workbench/oversight")
    assert page.status_code == 200 and "intact" in page.text
    assert "Zerouali" not in page.text and "EH123456" not in page.text
    analyst, _ = signed_in(world, "be")
    assert analyst.get("/workbench/oversight").status_code == 403


def spy(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Caller]:
    """Record the caller of every call to the service `module.name`, still calling it —
    wherever a face holds it (the API's routes import some services by name)."""
    calls: list[Caller] = []
    real: Callable[..., Any] = getattr(module, name)

    def watched(ctx: Context, *args: Any, **kwargs: Any) -> Any:
        calls.append(ctx.caller)
        return real(ctx, *args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    if getattr(api_routes, name, None) is real:
        monkeypatch.setattr(api_routes, name, watched)
    return calls


def test_pages_get_their_data_from_the_same_service_calls_as_the_api(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    watched = {
        "list_hits": spy(monkeypatch, hits, "list_hits"),
        "acknowledge": spy(monkeypatch, hits, "acknowledge"),
        "show_record": spy(monkeypatch, records, "show_record"),
        "screen_records": spy(monkeypatch, screening, "screen_records"),
        "screen_records_async": spy(monkeypatch, screening, "screen_records_async"),
        "verify": spy(monkeypatch, audit_queries, "verify"),
    }
    api = TestClient(world.app)
    bearer = {"Authorization": f"Bearer {world.tokens['be']}", "X-Purpose": "p"}
    client, csrf = signed_in(world, "be")  # the inbox: list_hits
    api.get("/hits", headers=bearer)
    assert len(watched["list_hits"]) == 2
    hit_id = owned_hit(world.db, "BE-FP")
    client.post(
        f"/workbench/hits/{hit_id}/answer",
        data={"csrf": csrf, "action": "acknowledge", "note": "n"},
    )
    assert [c.name for c in watched["acknowledge"]] == ["ana.be"]
    ref = hits.list_hits(Context(world.db, watched["list_hits"][0])).owned[0].querying.reference
    path = f"/workbench/records/{ref}"  # the purpose posted, then the page (one read)
    client.post("/workbench/purpose", data={"csrf": csrf, "purpose": "p", "next": path})
    api.get(f"/records/{ref}", headers=bearer)
    assert len(watched["show_record"]) == 2
    client.post("/workbench/search", data={"csrf": csrf, "name": "Youssef Benali", "purpose": "p"})
    api.post("/match", json={"queries": {"q": {"name": "Youssef Benali"}}}, headers=bearer)
    # the search page and POST /match (the service's form for the server's event loop)
    assert len(watched["screen_records"]) == len(watched["screen_records_async"]) == 1
    signed_in(world, "auditor")  # lands on oversight: verify
    assert [c.role for c in watched["verify"]] == [Role.AUDITOR]


def test_a_bad_address_in_the_workbench_is_a_page_not_the_apis_json(world: World) -> None:
    """An analyst who follows a mangled link got FastAPI's raw `{"detail": [...]}` (or
    `{"error": …}`) in the browser instead of a page with a way back."""
    client, _ = signed_in(world, "be")
    for path, status in (
        (f"/workbench/hits/{'9' * 23}", 404),
        ("/workbench/hits/abc", 404),
        ("/workbench/cases/abc", 422),
        ("/workbench/no-such-page", 404),
    ):
        answer = client.get(path)
        assert answer.status_code == status, path
        assert answer.headers["content-type"].startswith("text/html"), path
        assert "Back to the inbox" in answer.text and '"detail"' not in answer.text, path
    assert "&#39;abc&#39; is not a case number" in client.get("/workbench/cases/abc").text
    assert client.put("/workbench/search").headers["content-type"].startswith("text/html")
    with TestClient(world.app) as stranger:  # not signed in: still a page, nothing more
        answer = stranger.get("/workbench/no-such-page")
        assert answer.status_code == 404 and "ana.be" not in answer.text


def test_a_mangled_address_is_explained_in_the_pages_words(world: World) -> None:
    """The page said pydantic's `hit_id: Input should be a valid integer, unable to parse
    string as an integer`, `page: Input should be greater than or equal to 1` or
    `hit_id: Input should be less than or equal to 9223372036854775807`."""
    client, csrf = signed_in(world, "be")
    for path, said in (
        (f"/workbench/cases/{'9' * 23}", f"'{'9' * 23}' is not a case number"),
        ("/workbench/cases/x1", "'x1' is not a case number (the case board lists them)"),
        ("/workbench/?page=-3", "'-3' is not a page number (pages count from 1)"),
        ("/workbench/identities?page=zz", "'zz' is not a page number"),
        ("/workbench/?show_all=maybe", "'maybe' is not true or false"),
        (f"/workbench/hits/{'7' * 70}", f"'{'7' * 40}…' is not a hit reference"),
    ):
        page = html.unescape(client.get(path).text)
        assert said in page, (path, page)
        assert "Input should" not in page and "hit_id" not in page, path
    sent = client.post("/workbench/screen", data={"csrf": csrf, "purpose": "p"})
    assert "No file was chosen: choose a manifest or person file to screen." in sent.text


PAXLST = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline" / "paxlst"


def test_a_dropped_file_is_screened_or_refused_on_a_page_that_names_it(world: World) -> None:
    """The page offers PAXLST, PNRGOV or a person file: a PAXLST gave 'Internal Server
    Error' (screened as a person file, its refusal had no page), as did any file that could
    not be read; and skipped rows named the server's temporary folder."""
    client, csrf = signed_in(world, "be")

    def drop(name: str, content: bytes) -> tuple[int, str]:
        answer = client.post(
            "/workbench/screen",
            data={"csrf": csrf, "purpose": "flight UA989"},
            files={"manifest": (name, content, "application/octet-stream")},
        )
        return answer.status_code, answer.text

    status, text = drop("api.txt", (PAXLST / "gtas-loader__Test1.txt").read_bytes())
    assert status == 200 and "Results for api.txt" in text and "UA0989-2017-01-27" in text
    status, text = drop("binary.csv", bytes(range(256)))
    assert status == 422 and "binary.csv: holds NUL bytes" in text
    status, text = drop("rows.csv", b"record_id,name\nq1,\nq2,Abdelkarim Zerouali\n")
    assert status == 200 and "rows.csv, line 2, field &#39;name&#39;" in text
    refused = drop("binary.csv", b"\x00")[1]
    assert "Back to the inbox" in refused
    assert "ftfhub-upload" not in text and "ftfhub-upload" not in refused


def test_a_refusal_leads_the_auditor_back_to_oversight_not_to_a_refused_inbox(
    world: World,
) -> None:
    """Every refusal offered 'Back to the inbox': for the auditor, another refusal."""
    client, _ = signed_in(world, "auditor")
    refused = client.get("/workbench/cases")
    assert refused.status_code == 403
    assert "Back to oversight" in refused.text and "Back to the inbox" not in refused.text
    back = re.search(r'<a href="([^"]+)">Back to oversight', refused.text)
    assert back and client.get(back.group(1)).status_code == 200
