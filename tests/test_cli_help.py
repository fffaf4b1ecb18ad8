"""What a new user reads first: every command's help, as a terminal shows it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ftfhub.cli import app


def test_help_paragraphs_flow_instead_of_breaking_where_the_source_did(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A docstring's line breaks were kept inside paragraphs, so on an 80-column terminal
    every long help read as ragged half-lines ("Other owners'" / "records are shown…")."""
    monkeypatch.setenv("COLUMNS", "200")
    result = CliRunner().invoke(app, ["screen", "--help"])
    assert result.exit_code == 0
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert any(
        "Other owners' records are shown only as far as their disclosure levels allow" in line
        for line in lines
    ), result.output
    demo = CliRunner().invoke(app, ["--help"]).output
    assert "print a report; with --serve" in " ".join(demo.split())
