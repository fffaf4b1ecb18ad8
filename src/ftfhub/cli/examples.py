"""One worked example at the end of every command's help.

A first-time user read what each option is but never a whole command line, and had to
assemble one from the README's table. The examples use the demo world's agencies and users
(`make demo`), and `tests/test_cli_examples.py` checks that every option they use exists.
"""

from __future__ import annotations

import typer
from typer.models import CommandInfo

EXAMPLES: dict[str, tuple[str, ...]] = {
    "init": ("ftfhub init --admin hub-admin --contact duty-officer@hub.example",),
    "whoami": ("FTFHUB_TOKEN=ftf_… ftfhub whoami",),
    "ingest": (
        "ftfhub ingest be-fp-watchlist.csv --kind watchlist",
        "ftfhub ingest flight.edi --kind travel --on-error abort",
    ),
    "screen": (
        'ftfhub screen manifest.csv --kind travel --purpose "flight TK1827 check"'
        " --output matches.jsonl",
        'ftfhub screen names.csv --purpose "case 12" --threshold 0.7 --limit 3',
    ),
    "compare": (
        'ftfhub compare "Karim Benhaddou" "BENHADDOU<<KARIM" --birth-date 1990-01-01',
        "ftfhub compare --pairs pairs.csv",
    ),
    "demo": ("ftfhub demo --fighters 100 --travellers 5000", "ftfhub demo --serve --port 8000"),
    "serve": ("FTFHUB_DATABASE_URL=sqlite:///ftfhub-demo/ftfhub.db ftfhub serve --port 8000",),
    "resolve": ("ftfhub resolve", "ftfhub resolve --full --threshold 0.95"),
    "judge": (
        "ftfhub judge BE-FP/BE-FP-01095 BE-FP/BE-FP-01200 different"
        ' --note "brothers: two birth dates"',
    ),
    "review": ('ftfhub review --limit 10 --purpose "weekly adjudication"',),
    "agencies add": (
        'ftfhub agencies add BE-FP --name "Belgian Federal Police"'
        " --contact duty-desk@be-fp.example --ack-hours 48",
    ),
    "agencies grant": ("ftfhub agencies grant DE-BKA --level summary",),
    "users add": ("ftfhub users add analyst-be-fp --agency BE-FP --role analyst",),
    "tokens issue": ("ftfhub tokens issue analyst-be-fp --days 30",),
    "tokens revoke": ("ftfhub tokens revoke 4", "ftfhub tokens revoke --user analyst-be-fp"),
    "tokens rotate": ("ftfhub tokens rotate", "ftfhub tokens rotate --days 30"),
    "records export": (
        "ftfhub records export --output be-fp.csv",
        'ftfhub records export --agency DE-BKA --purpose "case 12" --kind watchlist',
    ),
    "records overdue": ("ftfhub records overdue",),
    "records purge": ("ftfhub records purge --overdue",),
    "hits list": ("ftfhub hits list --status new", "ftfhub hits list --json --explain"),
    "hits show": ('ftfhub hits show H-3f9a2c7b1e04 --purpose "the hit before the flight lands"',),
    "hits ack": ('ftfhub hits ack H-3f9a2c7b1e04 --note "seen, checking with DE-BKA"',),
    "hits close": (
        'ftfhub hits close H-3f9a2c7b1e04 --status actioned --note "same person, case 12 opened"',
    ),
    "hits escalate": ("ftfhub hits escalate",),
    "hits overdue": ("ftfhub hits overdue --json",),
    "hits raise": ("ftfhub hits raise --pending",),
    "audit verify": ("ftfhub audit verify --anchor /secure/ftfhub-head.txt",),
    "audit list": ("ftfhub audit list --agency BE-FP --limit 50",),
    "audit report": ("ftfhub audit report --agency BE-FP --since 2026-11-01",),
    "audit export": (
        'ftfhub audit export --purpose "annual review" --since 2026-01-01 --output trail.jsonl',
    ),
    "cases add": (
        "ftfhub cases add ID-3f9a2c7b1e04 --priority high --officer o.seven --review 2026-12-15",
    ),
    "cases list": ("ftfhub cases list --closed",),
    "cases show": ("ftfhub cases show 3",),
    "cases move": (
        'ftfhub cases move 3 --category reintegration-candidate --why "left the group in 2016"',
    ),
    "cases set": ("ftfhub cases set 3 --priority low --review 2027-03-01",),
    "cases note": ('ftfhub cases note 3 "met the probation officer"',),
    "identities export": ('ftfhub identities export --output identities.csv --purpose "case 12"',),
    "identities explain": ('ftfhub identities explain ID-3f9a2c7b1e04 --purpose "case 12"',),
    "rules check": ("ftfhub rules check manifest.csv --rules rules.yaml --stolen stolen.txt",),
}

START = (
    "export FTFHUB_DATABASE_URL=sqlite:///ftfhub-demo/ftfhub.db FTFHUB_TOKEN=ftf_…"
    " (after make demo; its last lines print each user's token), then ftfhub hits list"
)


def _name(info: CommandInfo) -> str:
    """The command's name as typed: Typer's own rule for a function's name."""
    if info.name:
        return info.name
    assert info.callback is not None
    return info.callback.__name__.lower().replace("_", "-")


def _epilog(lines: tuple[str, ...]) -> str:
    heading = "Example" if len(lines) == 1 else "Examples"
    return f"**{heading}:**  \n" + "  \n".join(f"`{line}`" for line in lines)


def add_examples(app: typer.Typer) -> None:
    """Put each command's example under its help, once every command is registered."""
    app.info.epilog = f"**Start:** {START}"
    for info in app.registered_commands:
        if lines := EXAMPLES.get(_name(info)):
            info.epilog = _epilog(lines)
    for group in app.registered_groups:
        assert group.typer_instance is not None
        for info in group.typer_instance.registered_commands:
            if lines := EXAMPLES.get(f"{group.name} {_name(info)}"):
                info.epilog = _epilog(lines)
