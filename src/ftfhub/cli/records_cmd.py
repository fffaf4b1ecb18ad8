"""`ftfhub records …`: an agency's holdings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ftfhub.cli.common import acting, console, errors_as_messages
from ftfhub.services.records import export_records, write_person_file

records_app = typer.Typer(help="Records held by an agency.", no_args_is_help=True)


@records_app.command("export")
def records_export(
    agency: Annotated[
        str | None, typer.Option(help="Another agency's (with --purpose); default your own")
    ] = None,
    kind: Annotated[str | None, typer.Option()] = None,
    output: Annotated[Path | None, typer.Option()] = None,
    purpose: Annotated[str, typer.Option(help="Why (required for another agency's)")] = "",
) -> None:
    """Write your agency's current Records (or what another's lets you see in full) as CSV."""
    ctx = acting(purpose)
    with errors_as_messages():
        export = export_records(ctx, agency, kind)
    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        write_person_file(export.records, handle)
    finally:
        if output:
            handle.close()
    console.print(f"{len(export.records)} record(s) exported")


def register(app: typer.Typer) -> None:
    app.add_typer(records_app, name="records")
