"""`ftfhub hits …`: the hits an agency must answer and the partners to contact."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from ftfhub.cli.common import console, context, errors_as_messages, out
from ftfhub.cli.render import escalated_json, owned_json, partner_json
from ftfhub.policy.views import HitListing
from ftfhub.rendering.jsonl import json_line
from ftfhub.rendering.terminal import plain
from ftfhub.services import hits as hit_service

hits_app = typer.Typer(help="Hits between owners: list, acknowledge, close.", no_args_is_help=True)


@hits_app.command("list")
def hits_list(
    agency: Annotated[str, typer.Option()],
    status: Annotated[
        str | None, typer.Option(help="new, acknowledged, actioned or dismissed")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit")] = False,
    explain: Annotated[bool, typer.Option(help="Print why each owned hit matched")] = False,
) -> None:
    """Hits you must answer and hits on your records (whom to contact)."""
    ctx = context(agency)
    with errors_as_messages():
        listing = hit_service.list_hits(ctx, status)
    if as_json:
        for item in (
            *(owned_json(h) for h in listing.owned),
            *(partner_json(h) for h in listing.partner),
            *(escalated_json(h) for h in listing.escalated),
        ):
            print(json_line(item))
        return
    _render(listing, ctx.caller.agency)
    if explain:
        for hit in listing.owned:
            for term in hit.explanation:
                out.print(plain(f"hit {hit.id}: {term.detail} ({term.weight:+})"))


def _render(listing: HitListing, agency: str) -> None:
    if listing.owned or not listing.partner:
        table = Table(title=f"Hits {agency} must answer")
        for column in ("id", "status", "esc", "score", "your record", "their record", "deadline"):
            table.add_column(column)
        for h in listing.owned:
            q = h.querying
            theirs = " ".join(x for x in (q.agency, q.record_id or q.reference) if x)
            if q.summary is not None:
                theirs += " " + (q.summary.names[0] if q.summary.names else "")
            table.add_row(
                str(h.id),
                h.status.value,
                str(h.escalation_level),
                f"{h.score:.2f}",
                plain(f"{h.own.record_id} {h.own.name}"),
                plain(theirs),
                h.deadline.isoformat(timespec="minutes"),
            )
        out.print(table)
    if listing.partner:
        table = Table(title=f"Partners holding a record that matches one of {agency}'s")
        for column in ("id", "your record", "held by", "their reference", "contact"):
            table.add_column(column)
        for p in listing.partner:
            table.add_row(
                str(p.id),
                plain(p.your_record),
                plain(p.owner.agency),
                plain(p.owner.reference),
                plain(p.owner.contact),
            )
        out.print(table)


@hits_app.command("ack")
def hits_ack(
    hit_id: int,
    agency: Annotated[str, typer.Option()],
    note: Annotated[str, typer.Option(help="What you will do (required)")] = "",
) -> None:
    """Acknowledge a hit you own."""
    with errors_as_messages():
        hit_service.acknowledge(context(agency), hit_id, note)
    console.print(f"hit {hit_id} acknowledged")


@hits_app.command("close")
def hits_close(
    hit_id: int,
    agency: Annotated[str, typer.Option()],
    status: Annotated[str, typer.Option(help="actioned or dismissed")],
    note: Annotated[str, typer.Option(help="The decision and why (required)")] = "",
) -> None:
    """Record the analyst's decision on a hit: actioned or dismissed."""
    with errors_as_messages():
        hit_service.close(context(agency), hit_id, status, note)
    console.print(f"hit {hit_id} {status}")


def register(app: typer.Typer) -> None:
    app.add_typer(hits_app, name="hits")
