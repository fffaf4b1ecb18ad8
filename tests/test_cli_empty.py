"""An empty list is said in words under its table's head: an empty box read as a fault or as
output cut short (seen in a fresh-clone pass: hits overdue, cases list, records overdue,
audit report on a quiet period)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_world import set_up
from ftfhub.cli import app


@pytest.fixture()
def tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("COLUMNS", "200")
    hub = set_up(
        tmp_path,
        {
            "BE-FP": [("fp", "analyst"), ("boss", "supervisor")],
            "HUB": [("duty", "duty-officer"), ("aud", "auditor")],
        },
    )
    return hub.tokens


@pytest.mark.parametrize(
    ("who", "command", "said"),
    [
        ("fp", ["hits", "list"], "none: no hit waits for an answer"),
        ("duty", ["hits", "list"], "none escalated"),
        ("boss", ["hits", "overdue"], "none: no hit is past its deadline"),
        ("duty", ["hits", "overdue"], "none: no hit is past its deadline"),
        ("fp", ["cases", "list"], "none yet: ftfhub cases add SUBJECT opens one"),
        ("fp", ["records", "overdue"], "none: every record is within its review-by date"),
        ("aud", ["audit", "report", "--agency", "BE-FP", "--since", "2999-01-01"], "none in"),
    ],
)
def test_an_empty_list_says_so(
    tokens: dict[str, str], who: str, command: list[str], said: str
) -> None:
    done = CliRunner().invoke(app, command, env={"FTFHUB_TOKEN": tokens[who]})
    assert done.exit_code == 0, done.output
    assert said in done.output
