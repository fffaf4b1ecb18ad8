"""The workbench in a real browser: Debian's headless Chromium driven by Playwright against
a uvicorn server on 127.0.0.1, on a small demo hub. One browser and one hub for the module;
each test a fresh browser context (its own cookies). Screenshots of every page are taken;
with FTFHUB_SCREENSHOTS=docs/screenshots they replace the README's."""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ftfhub.api import create_app
from ftfhub.demo_hub import DemoHub, build_demo_hub
from ftfhub.domain.vocab import Role
from ftfhub.services import Database
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file
from ftfhub.services.network import network
from ftfhub.services.records import export_records
from ftfhub.services.rows import held
from ftfhub.services.screening import screen_records
from ftfhub.store.models import Hit
from ftfhub.store.records import current_records

SHOTS = Path(os.environ.get("FTFHUB_SCREENSHOTS") or tempfile.mkdtemp(prefix="ftfhub-shots-"))
"""Where the screenshots go: docs/screenshots when regenerating them
(`FTFHUB_SCREENSHOTS=docs/screenshots`), else a temporary folder (a test run leaves the
repository as it was)."""
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DemoHub, str]]:
    forget_live_indexes()
    demo = build_demo_hub(tmp_path_factory.mktemp("hub") / "demo", fighters=30, travellers=150)
    port = _free_port()
    app = create_app(Database(demo.url), escalate_every=0)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield demo, f"http://127.0.0.1:{port}/workbench"
    server.should_exit = True
    thread.join(10)
    forget_live_indexes()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def log_in(page: Page, base: str, demo: DemoHub, user: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Your token").fill(demo.logins[user].token)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".who")).to_contain_text(user)


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))  # what a laptop screen shows


def give_purpose_if_asked(page: Page, purpose: str) -> None:
    if page.get_by_label("Purpose").count():
        page.get_by_label("Purpose").fill(purpose)
        page.get_by_role("button", name="Open").click()


def raise_hit_on(demo: DemoHub, tmp: Path) -> str:
    """DE-BKA loads a person BE-FP lists: a new hit BE-FP must answer."""
    listed = export_records(demo.context("analyst-be-fp")).records[0]
    born = listed.birth_dates[0].iso() if listed.birth_dates else ""
    path = tmp / "de.csv"
    path.write_text(
        "record_id,name,birth_date,nationality\n"
        f"DE-NEW-1,{listed.primary_name},{born},{'|'.join(listed.nationalities)}\n",
        encoding="utf-8",
    )
    report = ingest_file(demo.context("analyst-de-bka"), path, "watchlist", threshold=0.7)
    assert report.hits_raised >= 1
    db = Database(demo.url)
    with db.transaction() as session:
        newest = session.query(Hit).filter(Hit.owner_agency == "BE-FP").order_by(Hit.id.desc())
        return newest.first().ref  # type: ignore[union-attr]


def test_an_analyst_answers_a_hit_opens_a_dossier_judges_a_pair_and_moves_a_case(
    hub: tuple[DemoHub, str], page: Page, tmp_path: Path
) -> None:
    demo, base = hub
    page.goto(f"{base}/login")
    shot(page, "login")
    log_in(page, base, demo, "analyst-be-fp")
    hit_id = raise_hit_on(demo, tmp_path)
    page.reload()
    card = page.locator(f"#hit-{hit_id}")
    expect(card).to_contain_text("new")
    expect(card.locator("time.countdown")).to_contain_text("in ")
    shot(page, "inbox")
    card.get_by_label(f"Note for hit {hit_id}").fill("checking with DE-BKA")
    card.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text(f"hit {hit_id}: acknowledge")

    page.goto(f"{base}/search")
    page.get_by_label("Name, in any script").fill("Thomas Martin")
    page.get_by_label("Purpose (kept in the audit trail, e.g. a case or hit reference)").fill(
        "case 12"
    )
    page.get_by_role("button", name="Search").click()
    expect(page.locator("section.result")).to_be_visible()
    shot(page, "search")

    page.goto(f"{base}/identities")
    page.locator("table a").first.click()
    give_purpose_if_asked(page, "dossier review for the weekly meeting")
    expect(page.get_by_role("heading", name="Names in every script")).to_be_visible()
    shot(page, "dossier")

    page.goto(f"{base}/review")
    # The purpose stated for the search is the session's (posted, never in an address), so
    # the queue lists partners' pairs for it: the page says so, with a way to clear it.
    expect(page.locator(".purpose-bar")).to_contain_text("case 12")
    page.locator(".purpose-bar").get_by_role("button", name="Clear purpose").click()
    page.get_by_label("Purpose for partners' pairs").fill("adjudication queue")
    page.get_by_role("button", name="Show partners' pairs").click()
    assert "purpose" not in page.url
    pair = page.locator("section.pair").first
    expect(pair).to_be_visible()  # the page with the purpose has loaded
    shot(page, "adjudication")
    pair.get_by_label("Note for pair 1").fill("different mothers on the forms")
    if pair.get_by_label("Purpose (another agency's record)").count():
        pair.get_by_label("Purpose (another agency's record)").fill("adjudication queue")
    pair.get_by_role("button", name="Different people").click()
    expect(page.get_by_role("status")).to_contain_text("different")

    page.goto(f"{base}/cases")
    expect(page.locator(".board")).to_contain_text("review overdue")
    shot(page, "cases")
    page.locator(".column").first.locator("a").first.click()
    page.get_by_label("Category (your judgement)").select_option("reintegration-candidate")
    page.get_by_label("Why (required, kept with your name)").fill("engaged with the programme")
    page.get_by_role("button", name="Set the category").click()
    expect(page.locator("#category")).to_have_text("Disenchanted — reintegration candidate")
    expect(page.locator(".history")).to_contain_text("engaged with the programme")
    shot(page, "case")

    page.goto(f"{base}/capacity")
    expect(page.locator("svg.chart rect").first).to_be_visible()
    shot(page, "capacity")


def test_the_network_expands_around_a_person(hub: tuple[DemoHub, str], page: Page) -> None:
    demo, base = hub
    ctx = demo.context("analyst-hub")
    db = Database(demo.url)
    with db.transaction() as session:
        refs = [held(r).reference for r in current_records(session, "HUB")]
    linked = next(n for n in (network(ctx, r) for r in refs) if len(n.nodes) > 1)
    log_in(page, base, demo, "analyst-hub")
    page.goto(f"{base}/network/{linked.centre}")
    expect(page.locator("svg.net circle")).to_have_count(len(linked.nodes))
    drawn, frame = page.locator("svg.net").bounding_box(), page.locator("figure").bounding_box()
    assert drawn and frame
    # in the middle of its frame, not pushed to the left of a wide screen (the centre person
    # of a network with few links stood a third of the way across)
    assert abs(drawn["x"] + drawn["width"] / 2 - (frame["x"] + frame["width"] / 2)) < 2
    shot(page, "network")
    other = next(n for n in linked.nodes if n.hop == 1)
    page.locator("svg.net a").nth(1).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(other.reference)


def test_another_agency_sees_only_what_the_policy_allows_and_nothing_without_a_purpose(
    hub: tuple[DemoHub, str], page: Page
) -> None:
    demo, base = hub
    db = Database(demo.url)
    with db.transaction() as session:
        hit = (
            session.query(Hit)
            .filter(Hit.owner_agency == "BE-FP", Hit.querying_agency != "BE-FP")
            .first()
        )
        assert hit is not None
        asker, hit_id = hit.querying_agency, hit.ref
    user = next(
        u
        for u, login in demo.logins.items()
        if login.agency == asker and login.role is Role.ANALYST
    )
    log_in(page, base, demo, user)
    page.goto(f"{base}/hits/{hit_id}")
    expect(page.get_by_label("Purpose")).to_be_visible()
    assert "BE-FP-" not in page.content()
    page.get_by_label("Purpose").fill("checking our traveller")
    page.get_by_role("button", name="Open").click()
    expect(page.locator("dl.record")).to_contain_text("BE-FP")
    if asker != "GB-CTP":
        expect(page.locator("dl.record")).to_contain_text("hit-only")
    page.goto(f"{base}/cases")
    assert "Subject 1" not in page.content()  # BE-FP's cases
    be_fp = demo.context("analyst-be-fp")
    first_listed = export_records(be_fp).records[0]
    with db.transaction() as session:
        reference = next(
            held(r).reference
            for r in current_records(session, "BE-FP")
            if r.source_id == first_listed.record_id
        )
    page.goto(f"{base}/network/{reference}")  # for the purpose stated for the hit
    expect(page.get_by_role("alert")).to_contain_text("that you see in full")
    assert first_listed.primary_name not in page.content()
    page.goto(f"{base}/identities")
    assert first_listed.record_id not in page.content()


def test_the_auditor_reads_oversight_without_record_content(
    hub: tuple[DemoHub, str], page: Page
) -> None:
    demo, base = hub
    listed = export_records(demo.context("analyst-be-fp")).records[0]
    asker = demo.context("analyst-de-bka", "oversight drill 7")
    screen_records(asker, {"q": listed})
    log_in(page, base, demo, "auditor")
    expect(page.get_by_role("status")).to_contain_text("intact")
    expect(page.locator("table").first).to_contain_text("oversight drill 7")
    shot(page, "oversight")
    assert listed.primary_name not in page.content()


def test_a_hit_is_opened_by_its_reference_and_its_row_number_reads_as_missing(
    hub: tuple[DemoHub, str], page: Page
) -> None:
    demo, base = hub
    log_in(page, base, demo, "analyst-be-fp")
    links = page.locator("ul.hits a[href*='/hits/']")
    expect(links.first).to_be_visible()
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        assert re.search(r"/hits/H-[0-9a-f]{12}$", href), href
    with Database(demo.url).reading() as session:
        hit = session.query(Hit).filter(Hit.owner_agency == "BE-FP").first()
        assert hit is not None
        ref, row = hit.ref, str(hit.id)
    opened = page.goto(f"{base}/hits/{ref}")
    assert opened is not None and opened.status == 200
    expect(page.get_by_role("heading", name=f"Hit {ref}")).to_be_visible()
    texts = []
    for asked in (row, "H-000000000000"):
        answer = page.goto(f"{base}/hits/{asked}")
        assert answer is not None and answer.status == 404
        texts.append(page.locator("main").inner_text().replace(asked, "N"))
    assert texts[0] == texts[1] and "not one of BE-FP's" in texts[0]
