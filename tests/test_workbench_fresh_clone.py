"""What a fresh-clone pass through the workbench found (as an analyst, an auditor and a
partner, following the README in a real browser): each test failed before its fix."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

from ftfhub.services import Context
from test_workbench import World, csrf_of, opened_for, signed_in, world  # noqa: F401 (a fixture)


def _log_in_from_the_workbench_address(world: World, who: str) -> TestClient:  # noqa: F811
    """As the README says: open /workbench/, which sends you to log in, and come back."""
    client = TestClient(world.app)
    asked = client.get("/workbench/", follow_redirects=False)
    assert asked.status_code == 303
    form = client.get(asked.headers["location"])
    answer = client.post(
        "/workbench/login",
        data={"csrf": csrf_of(form.text), "token": world.tokens[who], "next": "/workbench/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/workbench/"
    return client


def test_an_auditor_logging_in_at_the_workbench_address_lands_on_oversight(
    world: World,  # noqa: F811
) -> None:
    """The auditor was taken back to the inbox, and every log-in began with a refusal."""
    client = _log_in_from_the_workbench_address(world, "auditor")
    home = client.get("/workbench/")
    assert home.status_code == 200
    assert "<h1>Oversight</h1>" in home.text
    assert "may not read hits" not in home.text


def test_an_analyst_logging_in_at_the_workbench_address_lands_on_the_inbox(
    world: World,  # noqa: F811
) -> None:
    client = _log_in_from_the_workbench_address(world, "be")
    home = client.get("/workbench/", follow_redirects=False)
    assert home.status_code == 200 and "<h1>Hits inbox</h1>" in home.text


def _search(client: TestClient, csrf: str, **fields: str) -> str:
    page = client.post("/workbench/search", data={"csrf": csrf, "purpose": "case 12", **fields})
    assert page.status_code == 200, page.text
    return page.text


def test_a_search_lists_lower_scores_when_asked_and_says_why_a_name_alone_found_nothing(
    world: World,  # noqa: F811
) -> None:
    """An exact name on one's own list came back 'No match at or above the threshold', with
    no threshold on the form to lower and no word on why."""
    client, csrf = signed_in(world, "be")
    alone = _search(client, csrf, name="Youssef Benali")
    assert "No match scores 0.50 or more" in alone
    assert "add a birth date" in alone
    lower = _search(client, csrf, name="Youssef Benali", threshold="0.1")
    assert "No match scores" not in lower
    assert re.search(r"<strong>0\.\d\d</strong>\s*BE-FP", lower), "its own record, scored"
    assert 'name="threshold"' in lower and 'value="0.1"' in lower  # the form as it was sent


def test_a_search_refuses_a_lowest_score_outside_0_to_1_and_keeps_the_form(
    world: World,  # noqa: F811
) -> None:
    client, csrf = signed_in(world, "be")
    for bad in ("2", "-0.1", "half", "nan"):
        page = client.post(
            "/workbench/search",
            data={"csrf": csrf, "purpose": "case 12", "name": "Youssef Benali", "threshold": bad},
        )
        assert page.status_code == 422
        assert "lowest score: a number from 0 to 1" in page.text
        assert 'value="Youssef Benali"' in page.text


def test_a_partners_match_opens_with_the_purpose_stated_for_the_search(
    world: World,  # noqa: F811
) -> None:
    """The link to a partner's record dropped the purpose: the analyst was asked again."""
    client, csrf = signed_in(world, "fr")
    found = _search(client, csrf, name="Abdelkarim Zerouali", birth_date="1987-04-08")
    links = re.findall(r'href="(/workbench/records/BE-FP:[0-9a-f]{12}[^"]*)"', found)
    assert links, "the search found BE-FP's record"
    opened = client.get(html.unescape(links[0]))
    assert opened.status_code == 200, opened.text
    assert "Opened for: case 12" in opened.text


def test_a_hit_only_record_says_what_to_do_under_a_term_of_its_own(
    world: World,  # noqa: F811
) -> None:
    """The advice sat in a <dd> with no <dt>, squeezed into the labels' column."""
    client, csrf = signed_in(world, "fr")
    found = _search(client, csrf, name="Youssef Benali", birth_date="1991-03-03")
    reference = re.findall(r"/workbench/records/(BE-FP:[0-9a-f]{12})", found)
    assert reference
    page = opened_for(client, f"/workbench/records/{reference[0]}", "case 12").text
    assert "hit-only" in page
    assert "<dt>What to do</dt><dd" in page


def test_every_page_names_its_icon_so_the_browser_logs_no_missing_favicon(
    world: World,  # noqa: F811
) -> None:
    """Every page load asked for /favicon.ico and logged a 404 in the browser's console."""
    client = TestClient(world.app)
    form = client.get("/workbench/login").text
    icon = re.search(r'<link rel="icon" href="([^"]+)"', form)
    assert icon, "no icon named"
    served = client.get(icon.group(1))
    assert served.status_code == 200 and served.text.startswith("<svg")


def test_oversight_lists_disclosures_newest_first_and_says_how_far_back_it_looks(
    world: World,  # noqa: F811
) -> None:
    """The disclosures table ran oldest first under 'Latest events' newest first, and did not
    say it covers only the latest events: an oversight body took it for the whole record."""
    fr, csrf = signed_in(world, "fr")
    for case in ("case 1", "case 2"):
        fr.post(
            "/workbench/search",
            data={"csrf": csrf, "purpose": case, "name": "Abdelkarim Zerouali"},
        )
    auditor, _ = signed_in(world, "auditor")
    page = auditor.get("/workbench/oversight").text
    table = page[page.find("Disclosures between agencies") : page.find("Latest events")]
    assert "among the latest" in table and "ftfhub audit report" in table
    assert 0 < table.find("case 2") < table.find("case 1")


def test_identities_come_a_page_at_a_time_and_a_purpose_lists_partners_records(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list was every Identity at once (19,000 rows, 3 MB at the demo's scale) and only
    the analyst's own records in each, with no way on the page to state the purpose that
    lists partners' records (a hidden ?purpose= did) nor to carry it to a dossier."""
    from ftfhub.services import identities as identity_service
    from ftfhub.services.identities import IdentityRows as Rows
    from ftfhub.services.identities import Member

    asked: list[str] = []

    def identities_of(ctx: Context) -> dict[str, list[Member]]:
        asked.append(ctx.purpose)
        return {
            f"ID-{n:08d}": [Member(f"ID-{n:08d}", "BE-FP", f"BE-{n}")]
            + ([Member(f"ID-{n:08d}", "FR-DGSI", "FR-DGSI:0123456789ab")] if ctx.purpose else [])
            for n in range(1, 451)
        }

    def identities_page(ctx: Context, start: int, count: int) -> tuple[int, list[Rows]]:
        found = sorted(identities_of(ctx).items())
        return len(found), found[start : start + count]

    monkeypatch.setattr(identity_service, "identities_page", identities_page)
    client, _ = signed_in(world, "be")
    first = client.get("/workbench/identities").text
    assert first.count("/workbench/identities/ID-") == 200
    assert "Identities 1 to 200 of 450" in first
    assert 'name="purpose"' in first and "FR-DGSI" not in first
    # The page's own form posts the purpose (never an address that carries it: server logs,
    # browser history); it stays the session's, so the links below need not carry it.
    assert 'method="post" action="/workbench/purpose"' in first
    last = opened_for(client, "/workbench/identities?page=3", "case 12").text
    assert "Identities 401 to 450 of 450" in last and 'rel="next"' not in last
    assert "FR-DGSI" in last and "Listed for: case 12" in last
    assert 'href="/workbench/identities/ID-00000450"' in last
    assert 'href="/workbench/identities?page=2" rel="prev"' in last
    assert "purpose=" not in last
    assert asked == ["", "", "case 12"]


def test_a_fault_of_the_servers_is_a_page_that_says_so_not_bare_text(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An unexpected error answered the bare text 'Internal Server Error', with no way on."""
    from ftfhub.workbench import pages

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a fault of ours")

    client = TestClient(world.app, raise_server_exceptions=False)
    form = client.get("/workbench/login")
    client.post("/workbench/login", data={"csrf": csrf_of(form.text), "token": world.tokens["be"]})
    monkeypatch.setattr(pages.hit_service, "list_hits", broken)
    answer = client.get("/workbench/")
    assert answer.status_code == 500
    assert "text/html" in answer.headers["content-type"]
    assert "Something went wrong on the server" in answer.text
    assert "Back to the inbox" in answer.text
    assert "a fault of ours" not in answer.text and "Traceback" not in answer.text


def test_the_duty_officer_sees_late_only_what_is_past_its_deadline(
    world: World,  # noqa: F811
) -> None:
    """Every escalated hit was drawn as late, though escalating gives it a new deadline: the
    duty officer read a red row saying 'in 7 d 23 h'."""
    from datetime import timedelta

    from ftfhub.clock import utcnow
    from ftfhub.domain.vocab import Role
    from ftfhub.services import Caller, identity, schedule

    admin = Context(world.db, Caller("admin", "HUB", Role.ADMIN, user_id=1))
    world.tokens["duty"] = identity.add_user(admin, "duty.hub", "HUB", Role.DUTY_OFFICER).token
    duty = Context(world.db, identity.authenticate(world.db, world.tokens["duty"]))
    for days in (3, 10):  # its owner never answered: its supervisor, then the hub
        assert schedule.escalate(duty, now=utcnow() + timedelta(days=days))
    client, _ = signed_in(world, "duty")
    table = client.get("/workbench/").text.split("Late anywhere")[1]
    rows = re.findall(r"<tr( class=\"overdue\")?><td>H-[0-9a-f]{12}</td>", table)
    assert rows, "the escalated hit is listed"
    assert all(late == "" for late in rows)


def test_a_nationality_typed_in_small_letters_is_read_in_the_search(
    world: World,  # noqa: F811
) -> None:
    """'be' in the search box was left out ('codes are capitals: BE'), the search run without."""
    client, csrf = signed_in(world, "be")
    page = _search(client, csrf, name="Youssef Benali", nationality="be|ma", threshold="0.1")
    assert "Left out" not in page
    assert 'value="be|ma"' in page  # the form as it was typed


def _drop(client: TestClient, csrf: str, name: str, body: bytes) -> str:
    answer = client.post(
        "/workbench/screen",
        data={"csrf": csrf, "purpose": "list check"},
        files={"manifest": (name, body, "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    return answer.text


def test_a_dropped_person_file_heads_each_query_with_its_name_and_an_empty_one_says_so(
    world: World,  # noqa: F811
) -> None:
    """A person file's results read 'Query q1' with no name; a file with a header only
    showed 'Results for …' over nothing at all."""
    client, csrf = signed_in(world, "fr")
    found = _drop(client, csrf, "list.csv", b"record_id,name\nq1,Youssef Benali\n")
    heading = re.findall(r"<h3>(.*?)</h3>", found, re.S)[0]
    assert '<bdi dir="auto">Youssef Benali</bdi> <code class="muted">q1</code>' in heading
    empty = _drop(client, csrf, "empty.csv", b"record_id,name\n")
    assert "The file holds no rows to screen" in empty


def test_oversight_lists_exports_and_identity_reads_of_partners_and_refusals_newest_first(
    world: World,  # noqa: F811
) -> None:
    """'Disclosures between agencies' left out another agency's records exported and the
    Identities read with partners' records for a purpose (dossiers, explanations, exports,
    adjudication); the refusals ran oldest first under two tables newest first."""
    from ftfhub.services import audit_queries, records
    from ftfhub.services import identities as identity_service
    from ftfhub.services.identity import authenticate

    fr = authenticate(world.db, world.tokens["fr"])
    records.export_records(Context(world.db, fr, "weekly export 3"), agency="BE-FP")
    records.export_records(Context(world.db, fr, ""))  # its own: no disclosure
    identity_service.export_identities(Context(world.db, fr, "identity sweep 5"))
    identity_service.export_identities(Context(world.db, fr, ""))  # its own rows only
    client, _ = signed_in(world, "fr")
    hit = client.get("/workbench/hits/999999")  # refused first (no such hit of FR-DGSI's)
    assert hit.status_code in (403, 404)
    with pytest.raises(Exception, match="may not read every agency"):
        audit_queries.list_events(Context(world.db, fr, "drill"), agency="BE-FP")
    auditor, _ = signed_in(world, "auditor")
    page = auditor.get("/workbench/oversight").text
    table = page[page.find("Disclosures between agencies") : page.find("Refused requests")]
    assert "records.export" in table and "weekly export 3" in table
    assert "identities.export" in table and "identity sweep 5" in table
    assert table.count("records.export") == 1 and table.count("identities.export") == 1
    refusals = page[page.find("Refused requests") : page.find("Latest events")]
    assert "newest first" in refusals
    assert 0 < refusals.find("agency:BE-FP") < refusals.find("hit:999999")
