"""Hostile input through the command line: content is shown literally, never obeyed, and
every bad input, option or environment value is one message (exit 2), never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cli_world import set_up
from ftfhub.cli import app

MARKUP = "[bold]x[/x] \x1b[31m"
OWNER_LIST = (
    f'record_id,name,birth_date,nationality\nBE-1,"Karim Benhaddou {MARKUP}",1990-01-01,BE\n'
)
PARTNER_LIST = "record_id,name,birth_date,nationality\nFR-1,Karim Benhaddou,1990-01-01,BE\n"


TOKENS: dict[str, str] = {}


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("COLUMNS", "2000")  # messages on one line, whatever the path's length
    (tmp_path / "owner.csv").write_text(OWNER_LIST, encoding="utf-8")
    (tmp_path / "partner.csv").write_text(PARTNER_LIST, encoding="utf-8")
    users = {"BE-FP": "fp", "FR-DGSI": "fr", "TR-EGM": "tr"}
    hub = set_up(tmp_path, {code: [(name, "analyst")] for code, name in users.items()})
    TOKENS.update({code: hub.tokens[name] for code, name in users.items()})
    return tmp_path


def invoke(*args: str, who: str = "BE-FP") -> Result:
    """As an analyst of `who`; screening states a purpose unless the test gives one."""
    if args and args[0] == "screen" and "--purpose" not in args:
        args = (*args, "--purpose", "hostile input test")
    return CliRunner().invoke(app, list(args), env={"FTFHUB_TOKEN": TOKENS.get(who, "")})


def ok(*args: str, who: str = "BE-FP") -> str:
    result = invoke(*args, who=who)
    assert result.exit_code == 0, result.output
    return _unwrapped(result.output)


def _unwrapped(output: str) -> str:
    """Messages with Rich's line wrapping undone (JSON lines are one line each already)."""
    return "\n".join(
        line if line.startswith("{") else " ".join(line.split()) for line in output.splitlines()
    )


def refused(*args: str, who: str = "BE-FP") -> str:
    """The command fails with exit 2 and one `error:` message, never an exception."""
    result = invoke(*args, who=who)
    assert result.exit_code == 2, (result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return _unwrapped(result.output)


def _literal(output: str) -> None:
    assert "[bold]x[/x]" in output
    assert "\x1b" not in output


def test_hits_list_shows_markup_literally(env: Path) -> None:
    ok("ingest", str(env / "owner.csv"), "--kind", "watchlist", who="BE-FP")
    loaded = ok("ingest", str(env / "partner.csv"), "--kind", "watchlist", who="FR-DGSI")
    assert "1 hit(s)" in loaded
    _literal(ok("hits", "list"))
    as_json = ok("hits", "list", "--json")
    assert json.loads(as_json.splitlines()[0])["own"]["name"].startswith("Karim Benhaddou [bold]")


def test_compare_shows_markup_and_escapes_literally() -> None:
    output = ok("compare", f"Karim Benhaddou {MARKUP}", "Karim Benhaddou")
    _literal(output)
    assert "\\x1b" in output or "[31m" in output


def test_screen_output_and_its_messages_show_content_literally(env: Path) -> None:
    ok("ingest", str(env / "owner.csv"), "--kind", "watchlist", who="BE-FP")
    queries = env / "queries.csv"
    queries.write_text(
        "record_id,name,birth_date\n"
        f'"q1 {MARKUP}",Karim Benhaddou,[/x]\n'
        "q2,\u202eKarim Benhaddou,1990-01-01\n",
        encoding="utf-8",
    )
    output = ok("screen", str(queries))
    assert "'[/x]'" in output and "ignored" in output  # the warning, shown as written
    lines = [json.loads(x) for x in output.splitlines() if x.startswith("{")]
    assert [x["query_id"] for x in lines] == ["q1 [bold]x[/x] [31m", "q2"]
    assert all(x["matches"] for x in lines)  # both still screened
    assert "\x1b" not in output and "\u202e" not in output


def test_ingest_rejection_with_markup_is_a_message(env: Path) -> None:
    bad = env / "bad.csv"
    bad.write_text("record_id,name,birth_date\nB-1,Karim,[/x]\nB-2,Samir,1980\n", "utf-8")
    output = ok("ingest", str(bad), "--kind", "watchlist", who="BE-FP")
    assert "'[/x]'" in output and "1 added" in output


def test_stray_quote_through_the_cli(env: Path) -> None:
    stray = env / "stray.csv"
    rows = [f"S-{i},Karim Test {i},1980\n" for i in range(100)]
    rows[5] = 'S-5,"Karim Test 5,1980\n'
    stray.write_text("record_id,name,birth_date\n" + "".join(rows), "utf-8")
    output = ok("ingest", str(stray), "--kind", "watchlist", who="BE-FP")
    flat = " ".join(output.split())  # the console wraps long temporary paths
    assert "line 7" in flat and "99 added" in flat and "1 rejected" in flat


def test_screen_reads_the_encoding_it_is_given(env: Path) -> None:
    ok("ingest", str(env / "owner.csv"), "--kind", "watchlist", who="BE-FP")
    queries = env / "q.csv"
    queries.write_bytes("record_id,name\nq1,Karim Benhaddou\n".encode("utf-16-le"))
    assert '"q1"' in ok("screen", str(queries))
    assert '"q1"' in ok("screen", str(queries), "--encoding", "utf-16-le")


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("FTFHUB_HIT_THRESHOLD", "abc"),
        ("FTFHUB_HIT_THRESHOLD", "7"),
        ("FTFHUB_ACK_HOURS", "-1"),
        ("FTFHUB_DATABASE_URL", "not a url"),
        ("FTFHUB_DATABASE_URL", "nosuchdb://x/y"),
        ("FTFHUB_DATABASE_URL", "sqlite:////nonexistent-dir/sub/x.db"),
    ],
)
def test_bad_environment_is_a_message(
    env: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    output = refused("ingest", str(env / "owner.csv"), "--kind", "watchlist")
    assert "error:" in output


def test_bad_options_are_messages(env: Path) -> None:
    ok("ingest", str(env / "owner.csv"), "--kind", "watchlist", who="BE-FP")
    queries = str(env / "partner.csv")
    for args in (
        ("screen", queries, "--threshold", "7"),
        ("screen", queries, "--limit", "-1"),
        ("screen", queries, "--kind", "bogus"),
        ("screen", queries, "--encoding", "klingon"),
        ("screen", str(env / "missing.csv")),
        ("screen", queries, "--output", str(env / "no-dir" / "out.jsonl")),
        ("ingest", queries, "--agency", "FR", "--kind", "watchlist"),  # the agency is the user's
        ("ingest", queries, "--kind", "bogus"),
        ("ingest", queries, "--kind", "watchlist", "--threshold", "2"),
        ("records", "export", "--output", str(env / "no-dir" / "x.csv")),
        ("audit", "verify", "--anchor", str(env)),  # a directory, not a file
    ):
        refused(*args)


def test_huge_cell_in_compare_pairs_is_a_message(env: Path) -> None:
    pairs = env / "pairs.csv"
    pairs.write_text(f"name_a,name_b\n{'x' * 200_000},Karim\n", "utf-8")
    assert "line 2" in refused("compare", "--pairs", str(pairs))
    assert "limit" in refused("compare", "y" * 200_000, "Karim")


def test_deep_json_in_screen_is_a_message(env: Path) -> None:
    deep = env / "deep.jsonl"
    deep.write_text('{"record_id": "d", "name": ' + "[" * 20_000 + "]" * 20_000 + "}\n")
    assert "nested deeper" in refused("screen", str(deep))


def test_real_process_prints_no_traceback(env: Path) -> None:
    """Through the installed entry point, as a user runs it: stderr holds the message only."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from ftfhub.cli import main; main()",
            "hits",
            "list",
        ],
        capture_output=True,
        text=True,
        env={
            "FTFHUB_HIT_THRESHOLD": "abc",
            "FTFHUB_DATABASE_URL": f"sqlite:///{env}/p.db",
            "FTFHUB_TOKEN": TOKENS["BE-FP"],
            "PATH": "/usr/bin:/bin",
        },
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "FTFHUB_HIT_THRESHOLD='abc' is not a number" in result.stderr


def test_turkish_file_read_right_is_found_by_its_name(env: Path) -> None:
    turkish = Path(__file__).parent / "fixtures" / "hostile" / "turkish_cp1254.csv"
    ok("ingest", str(turkish), "--kind", "watchlist", who="TR-EGM")
    queries = env / "q.csv"
    queries.write_text("record_id,name,birth_date\nq1,Yıldız Ağaoğlu,1980\n", "utf-8")
    (line,) = [json.loads(x) for x in ok("screen", str(queries)).splitlines() if x[:1] == "{"]
    assert line["matches"] and line["matches"][0]["agency"] == "TR-EGM"


def test_overlong_purpose_is_a_message(env: Path) -> None:
    queries = str(env / "partner.csv")
    assert "at most 500 characters" in refused("screen", queries, "--purpose", "p" * 600)


def test_a_row_that_stops_screening_says_how_to_screen_the_others(env: Path) -> None:
    """One traveller without a name stopped `ftfhub screen` with no word of
    `--on-error skip`: the rest of the flight stayed unscreened."""
    (env / "flight.csv").write_text(
        "record_id,name\nT-1,Karim Benhaddou\nT-2,\nT-3,Anna Lindqvist\n", encoding="utf-8"
    )
    message = refused("screen", str(env / "flight.csv"))
    assert "line 3" in message and "--on-error skip" in message
    skipped = invoke("screen", str(env / "flight.csv"), "--on-error", "skip")
    assert skipped.exit_code == 0 and skipped.output.count('"query_id"') == 2


def test_screening_into_the_file_being_screened_is_refused_and_keeps_it(env: Path) -> None:
    """`screen manifest.csv --output manifest.csv` opened the output first, which emptied
    the manifest, then said only that the file was empty: the PIU's file was gone."""
    manifest = env / "partner.csv"
    before = manifest.read_bytes()
    said = refused("screen", str(manifest), "--output", str(manifest))
    assert "is the file being screened" in said
    assert manifest.read_bytes() == before
    linked = env / "link.csv"
    linked.symlink_to(manifest)  # the same file under another name
    assert "is the file being screened" in refused("screen", str(manifest), "--output", str(linked))
    assert manifest.read_bytes() == before
    ok("screen", str(manifest), "--output", str(env / "out.jsonl"))
    assert (env / "out.jsonl").read_text(encoding="utf-8").startswith('{"query_id"')
