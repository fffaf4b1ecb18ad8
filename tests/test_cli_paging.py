"""`ftfhub hits list` and `ftfhub cases list` come a page at a time, as `GET /hits` and
`GET /cases` do: `--limit` (default 100, at most 1,000) and `--offset`, most urgent first, and a
line on stderr while more follow. They printed every hit and case of the agency at once (real
SQLite, the real CLI)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from acting import as_user
from ftfhub.cli import app as cli
from ftfhub.cli import hits_cmd
from ftfhub.domain.vocab import Role
from ftfhub.services import Context, Database, identity
from ftfhub.services.cases import open_case
from partner_world import refs, two_agencies
from test_partner_holes import FIVE


def _list(agency: str, spelled: str) -> str:
    rows = "".join(f"{agency}-{i},{n}{spelled},{d}\n" for i, (n, d) in enumerate(FIVE))
    return "record_id,name,birth_date\n" + rows


@pytest.fixture()
def token(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Database, str]]:
    """FR-DGSI's near spellings of BE-FP's five raise five hits BE-FP must answer."""
    lists = {"BE-FP": _list("BE-FP", ""), "FR-DGSI": _list("FR-DGSI", "e")}
    for db in two_agencies(tmp_path / "paging.db", lists):
        admin = Context(db, identity.authenticate(db, identity.init_hub(db).token))
        monkeypatch.setenv("FTFHUB_DATABASE_URL", db.url)
        monkeypatch.setenv(
            "FTFHUB_TOKEN", identity.add_user(admin, "ana", "BE-FP", Role.ANALYST).token
        )
        yield db, "ana"


def _run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _ids(result: Result) -> list[int]:
    assert result.exit_code == 0, result.output
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def test_hits_list_pages_most_urgent_first_and_says_what_follows(
    token: tuple[Database, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = _ids(_run("hits", "list", "--json", "--limit", "1000"))
    assert len(whole) == 5
    seen, offset = [], 0
    while True:
        page = _run("hits", "list", "--json", "--limit", "2", "--offset", str(offset))
        ids = _ids(page)  # stdout is JSON lines only: the note is on stderr
        assert len(ids) <= 2
        seen += ids
        if "more hits follow" not in page.stderr:
            break
        offset += 2
        assert f"--offset {offset} --limit 2" in page.stderr
    assert seen == whole and offset == 4  # the same order, none twice, three pages
    table = _run("hits", "list", "--limit", "2")
    assert table.exit_code == 0 and "more hits follow: ask for the next page with --offset 2" in (
        table.stderr
    )
    for bad in (("--limit", "0"), ("--limit", "1001"), ("--offset", "-1"), ("--offset", "9" * 23)):
        assert _run("hits", "list", *bad).exit_code == 2
        assert _run("cases", "list", *bad).exit_code == 2
    asked: dict[str, object] = {}
    real = hits_cmd.hit_service.list_hits
    monkeypatch.setattr(
        hits_cmd.hit_service,
        "list_hits",
        lambda ctx, status, **kw: asked.update(kw) or real(ctx, status, **kw),
    )
    assert _run("hits", "list").exit_code == 0
    assert asked == {"limit": 100, "offset": 0}  # bounded unless asked


def _case_ids(result: Result) -> list[int]:
    cells = (line.split("│")[1].strip() for line in result.stdout.splitlines() if "│" in line)
    return [int(c) for c in cells if c.isdigit()]


def test_cases_list_pages_by_priority_then_review_and_is_bounded_by_default(
    token: tuple[Database, str],
) -> None:
    db, _ = token
    be = as_user(db, "BE-FP")
    own = [r for r in refs(db).values() if r.startswith("BE-FP:")]
    low = open_case(be, own[0], priority="low", title="low one").id
    later = open_case(be, own[1], title="later", next_review=date(2027, 3, 1)).id
    high = open_case(be, own[2], priority="high", title="high one").id
    sooner = open_case(be, own[3], title="sooner", next_review=date(2027, 1, 1)).id
    first = _run("cases", "list", "--limit", "3")
    assert first.exit_code == 0, first.output
    assert _case_ids(first) == [high, sooner, later]
    assert "more cases follow: ask for the next page with --offset 3 --limit 3" in first.stderr
    rest = _run("cases", "list", "--limit", "3", "--offset", "3")
    assert _case_ids(rest) == [low] and "more cases follow" not in rest.stderr
    for n in range(100):
        open_case(be, own[4], title=f"extra {n}")
    whole = _run("cases", "list")
    assert whole.exit_code == 0
    assert "more cases follow: ask for the next page with --offset 100" in whole.stderr
    assert _run("cases", "list", "--limit", "1001").exit_code == 2
