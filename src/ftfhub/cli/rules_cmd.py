"""`ftfhub rules check`: run behaviour rules over a manifest (leads, never decisions)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ftfhub.cli.common import acting, console, errors_as_messages
from ftfhub.ingest.reader import read_text
from ftfhub.rendering.jsonl import json_line
from ftfhub.rendering.terminal import labelled
from ftfhub.rendering.text import safe_text
from ftfhub.services.rules import check_manifest, read_rules_file

rules_app = typer.Typer(help="Behaviour rules over travel data (never about who someone is)")


@rules_app.command("check")
def check(
    file: Path,
    rules: Annotated[Path, typer.Option(help="The rules file (YAML, docs/rules.md)")],
    stolen: Annotated[
        Path | None, typer.Option(help="Document numbers reported stolen, one a line")
    ] = None,
    purpose: Annotated[str, typer.Option(help="Stated purpose, kept in the audit trail")] = (
        "behaviour rules"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="One JSON line per rule hit")] = False,
    encoding: Annotated[
        str | None, typer.Option(help="Encoding of a manifest CSV, e.g. cp1254 (else detected)")
    ] = None,
) -> None:
    """Run every rule over every traveller of a PAXLST, PNRGOV or manifest CSV file; a
    traveller is listed when a partner holds a match at the hub's hit threshold."""
    ctx = acting(purpose)
    with errors_as_messages():
        loaded = read_rules_file(rules)
        numbers = read_text(stolen)[0].split() if stolen else []
        result = check_manifest(ctx, file, loaded, stolen_documents=numbers, encoding=encoding)
    for error in result.skipped:
        console.print(labelled("not read:", error, "yellow"))
    for hit in result.hits:
        if as_json:
            line = {"rule": hit.rule, "record_id": hit.record_id, "reasons": list(hit.reasons)}
            typer.echo(json_line(line))
        else:
            typer.echo(safe_text(f"{hit.record_id}: {hit.rule}"))
            for reason in hit.reasons:
                typer.echo(safe_text(f"  - {reason}"))
    console.print(
        f"{len(result.hits)} rule hit(s) among {result.travellers} traveller(s)", highlight=False
    )


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")
