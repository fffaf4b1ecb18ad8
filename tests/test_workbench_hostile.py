"""What a fresh-clone pass through the workbench found (as an analyst and as a partner):
each test failed before its fix."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from acting import own_reference
from ftfhub.domain import Name, PartialDate, RecordData
from ftfhub.domain.vocab import Disclosure
from ftfhub.policy.views import OtherRecord, Summary
from ftfhub.services import Context, hits, identity
from ftfhub.services import dossier as dossier_service
from ftfhub.services.dossier import ReviewPair
from ftfhub.services.identities import Member, PairView
from ftfhub.services.rows import held
from ftfhub.store.models import Hit
from ftfhub.store.records import current_records
from ftfhub.workbench import pages
from ftfhub.workbench.render import sentence
from ftfhub.workbench.sessions import Sessions
from test_screen_hostile import PAXLST
from test_workbench import World, csrf_of, opened_for, owned_hit, signed_in, world  # noqa: F401 (a fixture)


def test_a_search_without_a_purpose_keeps_the_form_and_names_no_cli_option(
    world: World,  # noqa: F811
) -> None:
    client, csrf = signed_in(world, "fr")
    page = client.post(
        "/workbench/search",
        data={"csrf": csrf, "name": "Abdelkarim Zerouali", "birth_date": "1987", "purpose": " "},
    )
    assert page.status_code == 400
    assert "--purpose" not in page.text  # the command line's option: no way to give it here
    assert "purpose: screening needs a stated purpose" in page.text
    # The search form again, filled in as it was sent, not a dead end with a way to the inbox.
    assert 'value="Abdelkarim Zerouali"' in page.text and 'value="1987"' in page.text
    assert "Back to the inbox" not in page.text


def test_the_purpose_page_names_no_cli_option(world: World) -> None:  # noqa: F811
    client, _ = signed_in(world, "fr")
    asked = client.get(f"/workbench/hits/{owned_hit(world.db, 'BE-FP')}")
    assert asked.status_code == 400 and 'name="purpose"' in asked.text
    assert "needs a stated purpose" in asked.text
    assert "--purpose" not in asked.text


def test_a_message_alone_on_a_page_reads_as_a_sentence(world: World) -> None:  # noqa: F811
    """The purpose page began `opening another agency's record needs a stated purpose.` and
    the error page `no record … that you see in full`: the terminal's wording after
    `error:`, in lower case, alone on a page."""
    client, _ = signed_in(world, "fr")
    asked = client.get(f"/workbench/hits/{owned_hit(world.db, 'BE-FP')}")
    assert "<p>Opening another agency&#39;s record needs a stated purpose." in asked.text
    refused = opened_for(client, "/workbench/network/BE-FP:000000000000", "p")
    assert refused.status_code == 404, refused.text
    assert re.search(r'role="alert">No record BE-FP:000000000000 ', refused.text), refused.text
    assert sentence("ftfhub init first") == "ftfhub init first"
    assert sentence("'x' is not a hit number") == "'x' is not a hit number"
    assert sentence("binary.csv: holds NUL bytes") == "binary.csv: holds NUL bytes"


def test_the_file_form_says_how_large_a_file_it_takes(world: World) -> None:  # noqa: F811
    """A PIU's manifest over the server's 5 MB limit came back as the API's raw JSON in the
    browser (`{"error": {"status": 413, …}}`), and the form had not said there was a limit,
    nor that the command line screens a file of any length."""
    from ftfhub.api.app import MAX_BODY

    client, _ = signed_in(world, "fr")
    page = client.get("/workbench/search").text
    assert "up to 5 MB" in page and "<code>ftfhub screen FILE</code>" in page
    assert MAX_BODY == 5 * 2**20  # the figure the form states
    # and a file over it is answered by a page saying so, not the API's JSON
    big = b"x" * (MAX_BODY + 1)
    form = {"content-type": "multipart/form-data; boundary=b"}
    refused = client.post("/workbench/screen", content=big, headers=form)
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("text/html")
    assert "up to 5 MB" in refused.text and "/workbench/search" in refused.text
    api = client.post("/match", content=big, headers={"content-type": "application/json"})
    assert api.status_code == 413 and api.json()["error"]["status"] == 413


def _side(record_id: str, birth: PartialDate) -> OtherRecord:
    record = RecordData(
        record_id=record_id, kind="travel", names=(Name("NADIA BENNANI"),), birth_dates=(birth,)
    )
    return OtherRecord(
        "BE-FP", "desk", f"BE-FP:{record_id:0>12}", Disclosure.FULL, record_id, None, record
    )


def test_the_review_queue_shows_birth_dates_in_one_calendar_and_marks_no_false_difference(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A PAXLST writes 15 Nov 1956 as `561115`, a watchlist as `1956-11-15`: one date. The queue
    # showed the sources' texts and marked the pair 'birth differs'.
    left = _side("a1", PartialDate(1956, 11, 15, original="561115"))
    right = _side("a2", PartialDate(1956, 11, 15, original="1956-11-15"))
    hijri = _side("a3", PartialDate(1956, 11, 15, calendar="hijri", original="1376-04-12"))
    other = _side("a4", PartialDate(1957, 11, 15, original="571115"))
    member = Member("ID-1", "BE-FP", "a1")
    pair = PairView(member, member, 1.0, 0.94, ())
    queue = (
        ReviewPair(pair, left, right, "BE-FP/a1", "BE-FP/a2"),
        ReviewPair(pair, left, hijri, "BE-FP/a1", "BE-FP/a3"),
        ReviewPair(pair, left, other, "BE-FP/a1", "BE-FP/a4"),
    )
    monkeypatch.setattr(dossier_service, "review_queue", lambda ctx: queue)
    client, _ = signed_in(world, "be")
    page = client.get("/workbench/review")
    assert page.status_code == 200
    assert "561115" not in page.text and page.text.count("1956-11-15") >= 3
    assert "1956-11-15 (hijri: 1376-04-12)" in page.text  # the original beside a Hijri date
    rows = re.findall(r'<tr[^>]*><th scope="row">birth(.*?)</tr>', page.text, re.S)
    assert len(rows) == 3
    assert ["differs" in row for row in rows] == [False, False, True]


def test_the_review_queue_marks_no_difference_a_summary_or_a_missing_date_cannot_show(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A partner's record shared in summary shows a birth year only: `1990-07-16` beside
    `1990` was marked 'birth differs', and so was a date beside none at all."""
    own = _side("a1", PartialDate(1990, 7, 16))
    bare = RecordData(record_id="a5", kind="travel", names=(Name("NADIA BENNANI"),))

    def summary(year: int | None) -> OtherRecord:
        shown = Summary(("NADIA BENNANI",), year, ())
        return OtherRecord("HUB", "desk", "HUB:0123456789ab", Disclosure.SUMMARY, None, shown)

    undated = OtherRecord("BE-FP", "desk", "BE-FP:0000000000a5", Disclosure.FULL, "a5", None, bare)
    member = Member("ID-1", "BE-FP", "a1")
    pair = PairView(member, member, 1.0, 0.5, ())
    queue = tuple(
        ReviewPair(pair, own, other, "BE-FP/a1", "X")
        for other in (summary(1990), summary(None), undated, summary(1991))
    )
    monkeypatch.setattr(dossier_service, "review_queue", lambda ctx: queue)
    client, _ = signed_in(world, "be")
    page = opened_for(client, "/workbench/review", "weekly").text
    rows = re.findall(r'<tr[^>]*><th scope="row">birth(.*?)</tr>', page, re.S)
    assert ["differs" in row for row in rows] == [False, False, False, True], rows


def test_a_dropped_paxlst_in_utf16_is_screened_each_traveller_under_their_name(
    world: World,  # noqa: F811
) -> None:
    """A UTF-16 (or byte-order-marked) message was refused with 'load it with --kind travel',
    an option of the command line, which the page does not have; and each traveller was
    headed by an id made of flight, date and a hash."""
    client, csrf = signed_in(world, "fr")
    message = PAXLST.encode("utf-16")
    answer = client.post(
        "/workbench/screen",
        data={"csrf": csrf, "purpose": "flight XQ123"},
        files={"manifest": ("flight.edi", message, "application/octet-stream")},
    )
    assert answer.status_code == 200, answer.text
    assert "--kind" not in answer.text and "Results for flight.edi" in answer.text
    headings = re.findall(r"<h3>(.*?)</h3>", answer.text, re.S)
    assert len(headings) == 2
    assert '<bdi dir="auto">ABDELKARIM ZEROUALI</bdi> <code class="muted">XQ123-2024-03-01-' in (
        headings[0] + headings[1]
    )


def test_an_ended_session_says_so_and_the_log_in_returns_to_the_page_asked_for(
    world: World,  # noqa: F811
) -> None:
    """A session that ended (idle, a restart, a revoked token) sent the analyst to a bare
    log-in page, and after it to the inbox, away from the hit they had opened."""
    client = TestClient(world.app)
    fresh = client.get("/workbench/hits/1", follow_redirects=False)
    assert fresh.headers["location"] == "/workbench/login?next=%2Fworkbench%2Fhits%2F1"
    assert "session has ended" not in client.get(fresh.headers["location"]).text
    client, _ = signed_in(world, "be")
    workbench = next(r for r in world.app.routes if getattr(r, "name", "") == "workbench")
    workbench.app.state.sessions = Sessions()  # as after a restart: the cookie names nothing
    hit_id = owned_hit(world.db, "BE-FP")
    ended = client.get(f"/workbench/hits/{hit_id}", follow_redirects=False)
    assert ended.status_code == 303
    form = client.get(ended.headers["location"])
    assert "Your session has ended" in form.text
    form_next = f"/workbench/hits/{hit_id}"
    assert f'name="next" value="{form_next}"' in form.text
    back = client.post(
        "/workbench/login",
        data={
            "csrf": csrf_of(form.text),
            "token": world.tokens["be"],
            "next": f"/workbench/hits/{hit_id}",
        },
        follow_redirects=False,
    )
    assert back.status_code == 303 and back.headers["location"] == f"/workbench/hits/{hit_id}"
    assert client.get(back.headers["location"]).status_code == 200


@pytest.mark.parametrize(
    "elsewhere", ["//evil.example/x", "https://evil.example/", "/api/hits", "/workbench/../docs"]
)
def test_the_log_in_never_sends_the_browser_outside_the_workbench(
    world: World,  # noqa: F811
    elsewhere: str,
) -> None:
    client = TestClient(world.app)
    form = client.get("/workbench/login", params={"next": elsewhere})
    assert 'name="next"' not in form.text
    answer = client.post(
        "/workbench/login",
        data={"csrf": csrf_of(form.text), "token": world.tokens["be"], "next": elsewhere},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/workbench/"


def test_the_inbox_pages_through_every_hit_and_says_more_follow(
    world: World,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The inbox showed the most urgent 200 and headed them 'To answer (200 open of 200)':
    an agency with 303 hits saw no sign of the other 103, and no way to reach them."""
    with world.db.transaction() as session:
        total = len(session.execute(select(Hit.id).where(Hit.owner_agency == "BE-FP")).all())
    assert total >= 2, "the world must raise two hits for BE-FP"
    monkeypatch.setattr(pages, "INBOX_LIMIT", 1)
    client, _ = signed_in(world, "be")
    seen = []
    for number in range(1, total + 1):
        page = client.get("/workbench/", params={"page": number})
        assert page.status_code == 200
        seen += re.findall(r'id="hit-(H-[0-9a-f]{12})"', page.text)
        assert ('rel="next"' in page.text) is (number < total)
        assert ('rel="prev"' in page.text) is (number > 1)
    assert len(set(seen)) == total
    assert "on this page (more on the next)" in client.get("/workbench/").text
    assert client.get("/workbench/", params={"page": 0}).status_code == 422


def test_a_match_reads_name_comma_born(world: World) -> None:  # noqa: F811
    client, csrf = signed_in(world, "be")
    page = client.post(
        "/workbench/search",
        data={"csrf": csrf, "name": "Youssef Benali", "birth_date": "1991-03-03", "purpose": "p"},
    )
    assert page.status_code == 200
    assert '<bdi dir="auto">Youssef Benali</bdi>, born 1991' in page.text  # not 'Benali , born'


def test_a_hit_is_answered_on_its_own_page_which_says_why_no_terms_are_shown(
    world: World,  # noqa: F811
) -> None:
    """The hit page had no way to answer it (back to an inbox of hundreds), showed an
    acknowledged hit's deadline as still running, and said nothing where the terms were
    withheld."""
    client, csrf = signed_in(world, "be")
    hit_id = owned_hit(world.db, "BE-FP")
    page = client.get(f"/workbench/hits/{hit_id}")
    assert page.status_code == 200
    assert f'action="/workbench/hits/{hit_id}/answer"' in page.text
    assert 'value="acknowledge"' in page.text and "to acknowledge" in page.text
    assert "FR-DGSI shares this record with you at summary level, so the terms" in page.text
    done = client.post(
        f"/workbench/hits/{hit_id}/answer",
        data={"csrf": csrf, "action": "acknowledge", "note": "calling FR"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = client.get(f"/workbench/hits/{hit_id}").text
    assert "Note: calling FR" in after and "to acknowledge" not in after
    assert 'value="acknowledge"' not in after and 'value="actioned"' in after


def test_pages_may_not_be_framed_nor_kept_in_the_browsers_cache(world: World) -> None:  # noqa: F811
    """No page said it may not be framed, and every page (a dossier, a partner's record) was
    left to the browser's cache: after logging out, Back showed it again."""
    client, _ = signed_in(world, "be")
    for path in (
        "/workbench/login",
        "/workbench/",
        f"/workbench/hits/{owned_hit(world.db, 'BE-FP')}",
    ):
        answer = client.get(path)
        assert answer.status_code == 200
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["x-frame-options"] == "DENY"
        assert answer.headers["cache-control"] == "no-store"
    assert client.get("/workbench/hits/x").headers["cache-control"] == "no-store"  # an error page


def test_a_refused_form_leads_back_to_its_page_and_names_no_cli_option(
    world: World,  # noqa: F811
) -> None:
    """A case moved without a reason said 'needs the reason why (--why)', an option of the
    command line, and offered only the inbox, away from the case."""
    client, csrf = signed_in(world, "be")
    opened = client.post(
        "/workbench/cases",
        data={"csrf": csrf, "subject": own_reference(world.db, "BE-FP")},
        follow_redirects=False,
    )
    case_page = opened.headers["location"]
    refused = client.post(
        f"{case_page}/category",
        data={"csrf": csrf, "category": "returning-to-attack", "why": " "},
        headers={"Referer": f"http://testserver{case_page}"},
    )
    assert refused.status_code == 422
    assert "needs the reason why" in refused.text and "--why" not in refused.text
    assert f'<a href="{case_page}">Back to the form</a>' in refused.text
    elsewhere = client.post(
        f"{case_page}/category",
        data={"csrf": csrf, "category": "returning-to-attack", "why": " "},
        headers={"Referer": "https://evil.example/workbench/x"},
    )
    assert "Back to the form" not in elsewhere.text


def test_a_hit_answered_without_a_note_names_no_cli_option(world: World) -> None:  # noqa: F811
    client, csrf = signed_in(world, "be")
    hit_id = owned_hit(world.db, "BE-FP")
    refused = client.post(
        f"/workbench/hits/{hit_id}/answer", data={"csrf": csrf, "action": "acknowledge", "note": ""}
    )
    assert refused.status_code == 422 and "needs a note" in refused.text
    assert "--note" not in refused.text


def test_oversight_lists_as_disclosures_only_reads_of_another_agencys_data(
    world: World,  # noqa: F811
) -> None:
    """'Disclosures between agencies' listed every record an agency opened of its own."""
    own = hits.list_hits(Context(world.db, identity.authenticate(world.db, world.tokens["be"])))
    theirs = own.owned[0].querying.reference  # FR-DGSI's record in a hit BE-FP owns
    be, _ = signed_in(world, "be")
    fr, _ = signed_in(world, "fr")
    with world.db.transaction() as session:
        mine = next(
            held(r).reference for r in current_records(session, "BE-FP") if r.source_id == "BE-1"
        )
    assert be.get(f"/workbench/records/{mine}").status_code == 200
    assert opened_for(be, f"/workbench/records/{theirs}", "hit check").status_code == 200
    assert opened_for(fr, f"/workbench/records/{mine}", "case 7").status_code == 200
    auditor, _ = signed_in(world, "auditor")
    page = auditor.get("/workbench/oversight").text
    table = page[page.find("Disclosures between agencies") : page.find("Latest events")]
    assert f"record:{theirs}" in table and f"record:{mine}" in table  # each read by the other
    opened_own = re.findall(rf"<td>BE-FP</td><td>record.open</td><td><code>record:{mine}", table)
    assert opened_own == []


@pytest.mark.parametrize(
    ("sent", "shown"),
    [("..", "manifest"), (".", "manifest"), ("a" * 300 + ".csv", "a" * 120)],
)
def test_a_file_name_the_disk_cannot_take_is_screened_under_a_name_it_can(
    world: World,  # noqa: F811
    sent: str,
    shown: str,
) -> None:
    """The uploaded file was written to the server's disk under the name the browser sent:
    `..` and `.` named the folder itself, 300 characters were too long for the disk — each a
    500 (hostile pass, 2026-12-01). The file is stored under a name of the server's, and the
    page names it as sent, cut to what can be read."""
    client, csrf = signed_in(world, "fr")
    answer = client.post(
        "/workbench/screen",
        data={"csrf": csrf, "purpose": "flight XQ123"},
        files={"manifest": (sent, b"record_id,name\nq1,Abdelkarim Zerouali\n", "text/csv")},
    )
    assert answer.status_code == 200, answer.text
    assert f"Results for {shown}" in answer.text
