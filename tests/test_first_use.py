"""What a first-time user meets when a step is missed or a link is mangled: a message that
says what is wrong in words, never a wrong diagnosis or a developer's message."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from ftfhub.cli import app


def test_a_command_on_a_hub_file_that_is_not_there_says_so_and_makes_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user who had not exported FTFHUB_DATABASE_URL after `make demo` (or ran in another
    folder) was told `refused: the token is not valid`, and an empty ftfhub.db was left
    behind, so the next try failed the same way."""
    monkeypatch.setenv("COLUMNS", "2000")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FTFHUB_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["whoami"], env={"FTFHUB_TOKEN": "ftf_4_abc"})
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "no hub at ftfhub.db (FTFHUB_DATABASE_URL is not set)" in said, said
    assert "sqlite:///ftfhub-demo/ftfhub.db" in said and "ftfhub init" in said
    assert "token" not in said
    assert not (tmp_path / "ftfhub.db").exists()

    elsewhere = tmp_path / "hub.db"
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{elsewhere}")
    result = CliRunner().invoke(app, ["hits", "list"], env={"FTFHUB_TOKEN": "ftf_4_abc"})
    assert result.exit_code == 2
    assert f"FTFHUB_DATABASE_URL=sqlite:///{elsewhere}" in " ".join(result.output.split())
    assert not elsewhere.exists()


def test_init_still_sets_up_a_hub_where_none_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'new.db'}")
    result = CliRunner().invoke(app, ["init"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    result = CliRunner().invoke(app, ["whoami"], env={"FTFHUB_TOKEN": token})
    assert result.exit_code == 0 and "admin" in result.output, result.output
