"""`ftfhub records …`: an agency's holdings."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ftfhub.cli.common import acting, console, errors_as_messages, fail, print_table
from ftfhub.rendering.terminal import plain
from ftfhub.services import retention
from ftfhub.services.records import export_records, write_person_file

records_app = typer.Typer(help="Records held by an agency.", no_args_is_help=True)


@records_app.command("export")
def records_export(
    agency: Annotated[
        str | None, typer.Option(help="Another agency's (with --purpose); default your own")
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(help="Only these: watchlist, captured_document, travel, notice, deportation"),
    ] = None,
    output: Annotated[Path | None, typer.Option(help="CSV file (default: standard output)")] = None,
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
    if export.withheld:
        console.print(
            f"{export.withheld} more of {export.agency}'s record(s) are disclosed to you in "
            "summary only, so were left out"
        )
    if export.hit_only_uncounted:
        console.print(
            f"records {export.agency} shares with you as hit-only are neither exported nor "
            "counted: a hit on one names it and whom to contact"
        )


@records_app.command("overdue")
def records_overdue() -> None:
    """Your agency's Records past their review-by date (to review, or purge)."""
    with errors_as_messages():
        due = retention.overdue_records(acting())
    table = Table(title="Records past their review-by date")
    for column in ("record", "reference", "legal basis", "review by"):
        table.add_column(column)
    for d in due:
        table.add_row(plain(d.record_id), d.reference, plain(d.legal_basis), str(d.review_by))
    print_table(table, "none: every record is within its review-by date")


@records_app.command("purge")
def records_purge(
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Delete every Record past its review-by date")
    ] = False,
) -> None:
    """Delete your agency's overdue Records (supervisor); the audit keeps a tombstone."""
    if not overdue:
        fail("say what to purge: --overdue")
    with errors_as_messages():
        count = retention.purge_overdue(acting())
    console.print(f"{count} record(s) purged")


def register(app: typer.Typer) -> None:
    app.add_typer(records_app, name="records")
