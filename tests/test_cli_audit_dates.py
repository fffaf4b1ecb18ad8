"""The oversight commands take a day or a moment as people write them, and say in words
what they take when they cannot read one (seen in a fresh-clone pass as an oversight body)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli_world import set_up
from ftfhub.cli import app


@pytest.fixture()
def auditor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'dates.db'}")
    monkeypatch.setenv("COLUMNS", "2000")
    hub = set_up(tmp_path, {"BE-FP": [("fp", "analyst")], "HUB": [("aud", "auditor")]})
    return {"FTFHUB_TOKEN": hub.tokens["aud"]}


@pytest.mark.parametrize(
    "moment", ["2020-01-01T00:00", "2020-01-01 00:00", "2020-01-01T01:00+01:00", "2020-01-01"]
)
def test_an_export_takes_a_moment_in_the_forms_people_write(
    auditor: dict[str, str], tmp_path: Path, moment: str
) -> None:
    """'2026-11-30T12:10' was refused: only '%Y-%m-%d' and '%Y-%m-%dT%H:%M:%S' were read."""
    target = tmp_path / "trail.jsonl"
    args = ["audit", "export", "--purpose", "review", "--since", moment, "--output", str(target)]
    done = CliRunner().invoke(app, args, env=auditor)
    assert done.exit_code == 0, done.output
    assert target.read_text("utf-8").count('"hash"') >= 1


def test_a_date_that_cannot_be_read_is_said_in_words_not_strftime_codes(
    auditor: dict[str, str],
) -> None:
    for command in (
        ["audit", "export", "--purpose", "review", "--since", "yesterday"],
        ["audit", "report", "--agency", "BE-FP", "--since", "2026-13-01"],
    ):
        done = CliRunner().invoke(app, command, env=auditor)
        assert done.exit_code == 2
        said = " ".join(done.output.replace("│", " ").split())
        assert "give YYYY-MM-DD, or YYYY-MM-DDTHH:MM in UTC" in said, said
        assert "%Y" not in said and "Traceback" not in said


def test_a_report_from_a_moment_says_the_moment_not_only_its_day(
    auditor: dict[str, str],
) -> None:
    args = ["audit", "report", "--agency", "BE-FP", "--since", "2020-01-01T09:30"]
    done = CliRunner().invoke(app, args, env=auditor)
    assert done.exit_code == 0, done.output
    assert "since 2020-01-01 09:30 UTC" in " ".join(done.output.split())
