"""`ftfhub audit …`: verify and read the hash-chained trail."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ftfhub.cli.common import acting, console, errors_as_messages
from ftfhub.rendering.jsonl import json_line
from ftfhub.services import audit_queries

audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)


@audit_app.command("verify")
def audit_verify(
    head: Annotated[str | None, typer.Option(help="A head hash kept from an earlier check")] = None,
    anchor: Annotated[
        Path | None,
        typer.Option(help="File outside the database holding the head seen last; updated"),
    ] = None,
) -> None:
    """Recompute the hash chain; exit 1 and name the first bad event if anything was altered.

    A chain cut short at its end is still consistent by itself: keep the printed head (or an
    --anchor file) outside the database, and pass it next time to detect that too.
    """
    kept = head or (
        anchor.read_text(encoding="utf-8").split()[0] if anchor and anchor.exists() else None
    )
    with errors_as_messages():
        result = audit_queries.verify(acting(), expected_head=kept)
    if not result.ok:
        where = f"event {result.first_bad_id}" if result.first_bad_id else "the end"
        console.print(f"[red]audit chain broken at {where}:[/red] {result.reason}")
        raise typer.Exit(1)
    if anchor is not None:
        anchor.write_text(f"{result.head} {result.events_checked}\n", encoding="utf-8")
    console.print(f"audit chain intact: {result.events_checked} events")
    console.print(f"head: {result.head}")


@audit_app.command("list")
def audit_list(
    limit: Annotated[int, typer.Option(min=1, help="How many of the newest events")] = 20,
    agency: Annotated[
        str | None, typer.Option(help="Only this agency's (auditor, admin); others see their own")
    ] = None,
) -> None:
    """The most recent audit events, oldest first, with their full hashes."""
    with errors_as_messages():
        events = audit_queries.list_events(acting(), limit, agency)
    for e in events:
        line = {
            "id": e.id,
            "at": e.at.isoformat(timespec="seconds"),
            "actor": e.actor,
            "agency": e.agency,
            "action": e.action,
            "object": e.object,
            "purpose": e.purpose,
            "hash": e.hash,
        }
        print(json_line(line))


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
