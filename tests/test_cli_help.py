"""What a new user reads first: every command's help, as a terminal shows it."""

from __future__ import annotations

from pathlib import Path

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


def test_serve_says_where_it_listens_and_names_the_workbench(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`ftfhub serve` printed nothing at all (uvicorn is kept to warnings), so a started
    server looked like a hung command, and its help named only the API."""
    import uvicorn

    started: list[int] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: started.append(k["port"]))
    monkeypatch.setattr("ftfhub.cli.common.require_free_port", lambda host, port: None)
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    monkeypatch.setenv("COLUMNS", "2000")
    result = CliRunner().invoke(app, ["serve", "--port", "8765"])
    # Served on a file that is not there, an empty hub was made and served, and every token
    # pasted at /workbench/ was then 'not valid'.
    assert result.exit_code == 2 and started == [] and "no hub at" in result.output
    assert not (tmp_path / "hub.db").exists()
    assert CliRunner().invoke(app, ["init"]).exit_code == 0
    result = CliRunner().invoke(app, ["serve", "--port", "8765"])
    assert result.exit_code == 0, result.output
    assert started == [8765]
    assert "serving http://127.0.0.1:8765/" in result.output
    assert "http://127.0.0.1:8765/workbench/" in result.output
    helped = " ".join(CliRunner().invoke(app, ["serve", "--help"]).output.split())
    assert "the API and the workbench" in helped


def test_every_option_of_every_command_says_what_it_is_and_ids_show_no_machine_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`records export --kind`, `cases add --title/--note` and `cases set --officer` had no
    help at all, and every hit or case number read `<int range> [x<=9223372036854775807]`."""
    import typer.main

    monkeypatch.setenv("COLUMNS", "200")
    group = typer.main.get_command(app)
    bare: list[str] = []
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", {name: command})
        for sub_name, sub in subcommands.items():
            path = [name] if sub is command else [name, sub_name]
            for param in sub.params:
                helpless = not getattr(param, "help", None) and param.name != "help"
                if param.param_type_name == "option" and helpless:
                    bare.append(f"{' '.join(path)} --{param.name}")
            helped = CliRunner().invoke(app, [*path, "--help"]).output
            assert "9223372036854775807" not in helped, path
    assert bare == []
    shown = CliRunner().invoke(app, ["cases", "show", "9223372036854775808"])
    assert shown.exit_code == 2
    assert "not a case number that cases list shows" in " ".join(shown.output.split())


def test_demo_serve_keeps_the_world_make_demo_built(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`ftfhub demo --serve` built its small hub in ftfhub-demo, emptying it first: the world
    `make demo` had just built, and the tokens it printed, were gone."""
    import uvicorn

    import ftfhub.demo_hub

    built: list[Path] = []

    def build(workdir: Path, seed: int) -> ftfhub.demo_hub.DemoHub:
        built.append(workdir)
        return ftfhub.demo_hub.DemoHub("sqlite://", workdir)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ftfhub.demo_hub, "build_demo_hub", build)
    monkeypatch.setattr("ftfhub.cli.common.require_free_port", lambda host, port: None)
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: None)
    result = CliRunner().invoke(app, ["demo", "--serve"])
    assert result.exit_code == 0, result.output
    assert built == [Path("ftfhub-demo-workbench")]
    CliRunner().invoke(app, ["demo", "--serve", "--workdir", "elsewhere"])
    assert built[-1] == Path("elsewhere")


def test_every_command_line_the_readme_shows_exists_with_the_options_it_shows(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The README's command table is what a new user types: each command it names must be
    one, and each option it shows one that command takes."""
    import re

    monkeypatch.setenv("COLUMNS", "200")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"`(ftfhub [^`]+)`", readme))
    assert len(shown) > 30
    missing = []
    for line in sorted(shown):
        words = line.split()[1:]
        command = []
        for word in words:
            if not re.fullmatch(r"[a-z][a-z-]*(/[a-z]+)*", word):
                break
            command.append(word)
        options = set(re.findall(r"--[a-z][a-z-]*", line))
        for name in command[-1].split("/") if command else []:
            helped = CliRunner().invoke(app, [*command[:-1], name, "--help"])
            if helped.exit_code != 0:
                missing.append(f"{line}: no command {' '.join([*command[:-1], name])}")
                continue
            missing += [f"{line}: {o}" for o in sorted(options) if o not in helped.output]
    assert missing == []
    # `--token` belongs to ftfhub itself: `ftfhub hits list --token …` is "No such option"
    assert "`ftfhub --token … hits list`" in readme
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    assert CliRunner().invoke(app, ["init"]).exit_code == 0  # a hub, so the token is read
    placed = CliRunner().invoke(app, ["--token", "ftf_1_" + "x" * 43, "whoami"])
    assert "No such option" not in placed.output and "token" in placed.output


def test_compare_names_the_argument_a_too_long_name_was_given_in() -> None:
    """A name over the limit was blamed on `--name`, an option compare does not have."""
    for args, named in ((["A" * 600, "B"], "NAME A"), (["B", "A" * 600], "NAME B")):
        result = CliRunner().invoke(app, ["compare", *args])
        assert result.exit_code == 2
        assert f"error: {named}: is 600 characters long" in result.output
        assert "--name" not in result.output
