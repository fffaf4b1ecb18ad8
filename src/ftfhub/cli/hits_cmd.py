"""`ftfhub hits …`: the hits an agency must answer, the partners to contact, the schedule."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from ftfhub.cli.common import acting, console, errors_as_messages, out, print_table
from ftfhub.cli.paging import PAGE, Limit, Offset, say_more
from ftfhub.cli.render import escalated_json, minutes_utc, owned_json, partner_json
from ftfhub.domain.vocab import Role
from ftfhub.policy.views import EscalatedHit, HitListing, OwnedHit
from ftfhub.rendering.jsonl import json_line
from ftfhub.rendering.terminal import plain
from ftfhub.services import hits as hit_service
from ftfhub.services import schedule

HitRef = Annotated[str, typer.Argument(metavar="REF", show_default=False)]
"""A hit by the reference `hits list` shows (`H-` and 12 hex digits). A row number is
answered as a hit that does not exist."""

WHOLE = ("ref", "their reference")
"""Columns never folded: a reference split over two lines is one nobody can copy whole."""

hits_app = typer.Typer(help="Hits between owners: list, answer, escalate.", no_args_is_help=True)


@hits_app.command("list")
def hits_list(
    status: Annotated[
        str | None, typer.Option(help="new, acknowledged, actioned or dismissed")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit")] = False,
    explain: Annotated[bool, typer.Option(help="Print why each owned hit matched")] = False,
    limit: Limit = PAGE,
    offset: Offset = 0,
) -> None:
    """Hits your agency must answer, and hits on its records (whom to contact): a page at a
    time, those to answer first, each side earliest deadline first."""
    ctx = acting()
    with errors_as_messages():
        listing = hit_service.list_hits(ctx, status, limit=limit, offset=offset)
    if as_json:
        for item in (
            *(owned_json(h) for h in listing.owned),
            *(partner_json(h) for h in listing.partner),
            *(escalated_json(h) for h in listing.escalated),
        ):
            print(json_line(item))
    else:
        _render(listing, ctx.caller.agency, ctx.caller.role is Role.DUTY_OFFICER)
    if explain and not as_json:
        for hit in listing.owned:
            for term in hit.explanation:
                weight = "" if term.weight is None else f" ({term.weight:+})"
                out.print(plain(f"hit {hit.id}: {term.detail}{weight}"))
    say_more("hits", listing.next_offset, limit)


def _render(listing: HitListing, agency: str, hub_view: bool) -> None:
    # Columns fold rather than cut: a reference cut to `DE-BKA:da9c…` is one nobody can
    # quote to the partner, look up or judge, and a contact cut short reaches no one.
    if hub_view:
        _render_escalated(listing.escalated, "Hits escalated to the hub", "none escalated")
        return
    if listing.owned or not listing.partner:
        table = Table(title=f"Hits {agency} must answer")
        for column in ("ref", "status", "esc", "score", "your record", "their record", "deadline"):
            table.add_column(column, overflow="fold", no_wrap=column in WHOLE)
        for h in listing.owned:
            q = h.querying
            theirs = f"{q.agency} {q.record_id or q.reference}"
            if q.summary is not None and q.summary.names:
                theirs += f" {q.summary.names[0]}"
            table.add_row(
                h.id,
                h.status.value,
                str(h.escalation_level),
                f"{h.score:.2f}",
                plain(f"{h.own.record_id} {h.own.name}"),
                plain(theirs),
                _when(h.deadline),
            )
        print_table(table, "none: no hit waits for an answer")
    if listing.partner:
        table = Table(title=f"Partners holding a record that matches one of {agency}'s")
        for column in ("ref", "your record", "held by", "their reference", "contact"):
            table.add_column(column, overflow="fold", no_wrap=column in WHOLE)
        for p in listing.partner:
            table.add_row(
                p.id,
                plain(p.your_record),
                plain(p.owner.agency),
                plain(p.owner.reference),
                plain(p.owner.contact),
            )
        out.print(table)


def _render_escalated(hits: tuple[EscalatedHit, ...], title: str, empty: str) -> None:
    table = Table(title=title)
    for column in ("ref", "esc", "deadline", "owner", "owner contact", "querying", "contact"):
        table.add_column(column, overflow="fold", no_wrap=column in WHOLE)
    for h in hits:
        table.add_row(
            h.id,
            str(h.escalation_level),
            _when(h.deadline),
            f"{h.owner_agency} {h.owner_reference}",
            h.owner_contact,
            f"{h.querying_agency} {h.querying_reference}",
            h.querying_contact,
        )
    print_table(table, empty)


def _when(at: datetime) -> str:
    return minutes_utc(at)


@hits_app.command("show")
def hits_show(
    ref: HitRef,
    purpose: Annotated[str, typer.Option(help="Why (required to open a partner's record)")] = "",
) -> None:
    """Open one hit as JSON: yours in full, a partner's as far as its owner allows."""
    with errors_as_messages():
        view = hit_service.show_hit(acting(purpose), ref)
    data = owned_json(view) if isinstance(view, OwnedHit) else partner_json(view)
    print(json_line(data))


@hits_app.command("ack")
def hits_ack(
    ref: HitRef,
    note: Annotated[str, typer.Option(help="What you will do (required)")] = "",
) -> None:
    """Acknowledge a hit your agency owns."""
    with errors_as_messages():
        hit_service.acknowledge(acting(), ref, note)
    console.print(f"hit {hit_service.typed_ref(ref)} acknowledged")


@hits_app.command("close")
def hits_close(
    ref: HitRef,
    status: Annotated[str, typer.Option(help="actioned or dismissed")],
    note: Annotated[str, typer.Option(help="The decision and why (required)")] = "",
) -> None:
    """Record the analyst's decision on a hit: actioned or dismissed."""
    with errors_as_messages():
        hit_service.close(acting(), ref, status, note)
    console.print(f"hit {hit_service.typed_ref(ref)} {status}")


@hits_app.command("escalate")
def hits_escalate() -> None:
    """One pass of the schedule (for cron): every overdue unacknowledged hit goes up a level."""
    with errors_as_messages():
        done = schedule.escalate(acting())
    for step in done:
        console.print(f"hit {step.hit}: level {step.level}, {step.notified} notified")
    console.print(f"{len(done)} hit(s) escalated")


@hits_app.command("overdue")
def hits_overdue(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit")] = False,
) -> None:
    """Unacknowledged hits past their deadline (supervisors: their agency's; hub: all)."""
    with errors_as_messages():
        late = schedule.overdue(acting())
    if as_json:
        for hit in late:
            print(json_line(escalated_json(hit)))
        return
    _render_escalated(late, "Overdue hits", "none: no hit is past its deadline")


@hits_app.command("raise")
def hits_raise(
    pending: Annotated[
        bool, typer.Option("--pending", help="Screen every stored record not yet screened")
    ] = False,
) -> None:
    """Raise the hits of records that were stored but never screened (the queue)."""
    if not pending:
        console.print("nothing to do: give --pending")
        raise typer.Exit(2)
    from ftfhub.cli.common import settings
    from ftfhub.services.pending import raise_pending

    with errors_as_messages():
        done = raise_pending(acting(), settings().hit_threshold)
    console.print(f"{done.records} record(s) screened, {done.hits} hit(s) raised")


def register(app: typer.Typer) -> None:
    app.add_typer(hits_app, name="hits")
