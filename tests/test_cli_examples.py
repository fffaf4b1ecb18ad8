"""Every command's help ends with a command line a new user can copy, and it is one the
command takes: its options exist (a renamed option fails here, not in a user's terminal)."""

from __future__ import annotations

import shlex
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from ftfhub.cli import app
from ftfhub.cli.examples import EXAMPLES


def _leaves() -> dict[str, Any]:
    """Every command a user can run, by the words typed after `ftfhub`."""
    root: Any = typer.main.get_command(app)
    found: dict[str, Any] = {}
    for name, command in root.commands.items():
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            found[name] = command
        else:
            found.update({f"{name} {sub}": c for sub, c in subcommands.items()})
    return found


def test_every_command_has_an_example_and_every_example_a_command() -> None:
    """No command's help showed a whole command line: a user assembled one from the option
    list, or went to the README's table."""
    assert sorted(_leaves()) == sorted(EXAMPLES)


@pytest.mark.parametrize("path", sorted(EXAMPLES))
def test_an_example_uses_only_the_commands_own_options(path: str) -> None:
    command = _leaves()[path]
    known = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    for line in EXAMPLES[path]:
        words = [w for w in shlex.split(line) if "=" not in w or w.startswith("-")]
        assert words[: 1 + len(path.split())] == ["ftfhub", *path.split()], line
        options = [w.split("=")[0] for w in words if w.startswith("--")]
        assert [o for o in options if o not in known] == [], line


def test_the_example_is_at_the_end_of_the_help(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    shown = CliRunner().invoke(app, ["records", "export", "--help"]).output
    said = " ".join(shown.split())
    assert "Examples: ftfhub records export --output be-fp.csv" in said, shown
    top = " ".join(CliRunner().invoke(app, ["--help"]).output.split())
    assert "Start: export FTFHUB_DATABASE_URL=sqlite:///ftfhub-demo/ftfhub.db" in top


def test_a_flag_is_shown_as_it_is_typed_and_a_value_with_its_type(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every flag read `--overdue <bool>`, `--help <bool>`: as if it took a true or false,
    and `records purge --overdue true` is then `unexpected extra argument`."""
    monkeypatch.setenv("COLUMNS", "200")
    for path in _leaves():
        shown = CliRunner().invoke(app, [*path.split(), "--help"]).output
        assert "<bool>" not in shown, path
    screen = CliRunner().invoke(app, ["screen", "--help"]).output
    assert "<float range>" in screen and "<path>" in screen
