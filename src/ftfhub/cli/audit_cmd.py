"""`ftfhub audit …`: verify and read the hash-chained trail."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ftfhub.cli.common import acting, console, errors_as_messages, fail, out, print_table
from ftfhub.clock import iso_utc
from ftfhub.rendering.jsonl import json_line
from ftfhub.rendering.terminal import plain
from ftfhub.services import audit_queries
from ftfhub.services.audit_export import ExportSummary, Period, export_trail
from ftfhub.services.audit_report import audit_report as build_audit_report

audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)


def _moment(text: str) -> datetime:
    """A day or a moment as people write them (`2026-11-30`, `2026-11-30T12:10`, `… 12:10`,
    with seconds or an offset), in UTC; typer's own formats took only two of them and said
    so in strftime codes ('does not match the formats '%Y-%m-%d', …')."""
    try:
        found = datetime.fromisoformat(text.strip())
    except ValueError:
        raise typer.BadParameter(
            f"'{text}' is not a date or moment: give YYYY-MM-DD, or YYYY-MM-DDTHH:MM in UTC"
        ) from None
    return found.astimezone(UTC).replace(tzinfo=None) if found.tzinfo else found


DAY = "YYYY-MM-DD"
MOMENT = "YYYY-MM-DD[THH:MM]"


def _head_hash(given: str, where: str) -> str:
    """The hash of a kept head, in either form this command prints it: the bare hash after
    `head:`, or `EVENTS:HASH` after `keep for an export's check: --head`, in any case. The
    second form, or a mistyped hash, was looked for in the chain as it stood, not found, and
    reported as `audit chain broken at the end` (exit 1): a false alarm of tampering."""
    digest = given.strip().rsplit(":", 1)[-1].lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        fail(
            f"{where}: {given!r} is not a head this command printed: give the 64 hexadecimal"
            " characters after `head:` (or the EVENTS:HASH form it prints for an export's check)"
        )
    return digest


def _anchored(anchor: Path) -> str:
    """The head an anchor file keeps (its first word). An empty file or one that is not text
    (the database itself named by mistake) was a Python traceback."""
    try:
        words = anchor.read_text(encoding="utf-8").split()
    except UnicodeDecodeError:
        words = []
    if not words:
        fail(
            f"{anchor} holds no head: an anchor file is one this command wrote (--anchor names"
            " a file outside the database; a new name starts one)"
        )
    return words[0]


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
    kept = head or (_anchored(anchor) if anchor and anchor.exists() else None)
    if kept is not None:
        kept = _head_hash(kept, "--head" if head else str(anchor))
    with errors_as_messages():
        result = audit_queries.verify(acting(), expected_head=kept)
    if not result.ok:
        where = f"event {result.first_bad_id}" if result.first_bad_id else "the end"
        console.print(f"[red]audit chain broken at {where}:[/red] {result.reason}")
        raise typer.Exit(1)
    new_anchor = anchor is not None and not anchor.exists()
    if anchor is not None:
        anchor.write_text(f"{result.head} {result.events_checked}\n", encoding="utf-8")
    console.print(f"audit chain intact: {result.events_checked} events")
    console.print(f"head: {result.head}")
    # The same head in the form the standalone verifier takes (docs/oversight.md).
    console.print(
        f"keep for an export's check: --head {result.events_checked}:{result.head}",
        soft_wrap=True,
    )
    if new_anchor and kept is None:
        # Said aloud: a moved or deleted anchor must not pass for a check against it.
        console.print(
            plain(
                f"note: {anchor} did not exist, so nothing was checked against an earlier "
                "head; it now holds this one for the next check"
            ),
            style="yellow",
        )


@audit_app.command("list")
def audit_list(
    limit: Annotated[int, typer.Option(min=1, help="How many of the newest events")] = 20,
    agency: Annotated[
        str | None, typer.Option(help="Only this agency's (auditor, admin); others see their own")
    ] = None,
) -> None:
    """The most recent audit events, oldest first, with their full hashes.

    An auditor or admin reads each event's position in the hub's chain (`id`, as exports
    name it); anyone else reads its place among their own agency's events (`number`, 1 the
    agency's first), never the chain's position, which counts every agency's work."""
    with errors_as_messages():
        events = audit_queries.list_events(acting(), limit, agency)
    for e in events:
        line: dict[str, object] = {
            "id" if e.in_chain else "number": e.number,
            "at": iso_utc(e.at),
            "actor": e.actor,
            "agency": e.agency,
            "action": e.action,
            "object": e.object,
            "purpose": e.purpose,
            "hash": e.hash,
        }
        if e.refused_by:  # a refusal: the rule that refused it
            line["refused_by"] = e.refused_by
        print(json_line(line))


@audit_app.command("report")
def audit_report(
    agency: Annotated[str, typer.Option(help="The agency the report is about, e.g. BE-FP")],
    since: Annotated[
        datetime,
        typer.Option(parser=_moment, metavar=DAY, help="First day (or moment, UTC) covered"),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line")] = False,
    purpose: Annotated[str, typer.Option(help="Why the report is read")] = "oversight",
) -> None:
    """Who of an agency searched what, for which purpose, and what was disclosed to whom."""
    with errors_as_messages():
        report = build_audit_report(acting(purpose), agency, since)
    if as_json:
        for access in report.accesses:
            print(json_line({"kind": "access", **_plain(access)}))
        for disclosure in report.disclosures:
            print(json_line({"kind": "disclosure", **_plain(disclosure)}))
        return
    midnight = since == since.replace(hour=0, minute=0, second=0)
    start = f"{since:%Y-%m-%d}" if midnight else f"{since:%Y-%m-%d %H:%M} UTC"
    accesses = Table(title=f"Searches and reads by {report.agency} since {start}")
    # folded, never cut: an oversight body must read which record was opened, and why
    refusals = any(a.refused for a in report.accesses)  # its column only when there are some
    columns = ("event", "at (UTC)", "user", "action", "object", "purpose")
    for column in columns + (("refused by",) if refusals else ()):
        accesses.add_column(column, overflow="fold")
    for a in report.accesses:
        accesses.add_row(
            _place(a.event_id),
            f"{a.at:%Y-%m-%d %H:%M}",
            plain(a.user),
            a.action,
            plain(a.object),
            plain(a.purpose),
            *((plain(a.refused),) if refusals else ()),
        )
    print_table(accesses, "none in this period")
    shared = Table(title=f"Disclosures to and from {report.agency}")
    for column in ("event", "at (UTC)", "action", "from", "to", "level", "records", "references"):
        shared.add_column(column, overflow="fold")
    for d in report.disclosures:
        shared.add_row(
            _place(d.event_id),
            f"{d.at:%Y-%m-%d %H:%M}",
            d.action,
            d.source,
            d.recipient,
            d.level,
            str(d.records),
            " ".join(d.references),
        )
    print_table(shared, "none in this period")
    counts = ", ".join(f"{action} {n}" for action, n in report.actions) or "none"
    out.print(plain(f"actions by {report.agency}'s users: {counts}"))


@audit_app.command("export")
def audit_export(
    purpose: Annotated[str, typer.Option(help="Why the trail is exported (kept in the trail)")],
    since: Annotated[
        datetime | None,
        typer.Option(parser=_moment, metavar=MOMENT, help="First moment covered (UTC)"),
    ] = None,
    until: Annotated[
        datetime | None,
        typer.Option(
            parser=_moment, metavar=MOMENT, help="First moment NOT covered (UTC); default: now"
        ),
    ] = None,
    agency: Annotated[
        str | None,
        typer.Option(help="Only events about this agency (the others' are withheld lines)"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="File to write (default: standard output)")
    ] = None,
) -> None:
    """Write the trail as JSON Lines that anyone can verify without ftfhub (auditor only).

    Every hashed field of every event, then a manifest line; check it with
    `python3 tools/verify_audit_export.py FILE` (docs/oversight.md). The export is itself
    recorded in the trail, with your purpose and the file's SHA-256.
    """
    ctx = acting(purpose)
    period = Period(since, until)
    if output is None:
        with tempfile.TemporaryFile() as spool, errors_as_messages():
            summary = export_trail(ctx, spool, period, agency)
            spool.seek(0)
            shutil.copyfileobj(spool, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    else:
        # Written beside the target and moved into place once the export is recorded: no
        # half-written file, and no file the trail does not know of.
        folder = output.resolve().parent
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".export-", delete=False) as part:
            try:
                with errors_as_messages():
                    summary = export_trail(ctx, part, period, agency)
            except BaseException:
                part.close()
                os.unlink(part.name)
                raise
        os.replace(part.name, output)
    console.print(plain(_exported(summary, output)), soft_wrap=True)
    console.print("check it without ftfhub: python3 tools/verify_audit_export.py FILE")


def _exported(summary: ExportSummary, output: Path | None) -> str:
    where = f" to {output}" if output else ""
    span = (
        f"events {summary.first_id}-{summary.last_id}"
        if summary.first_id is not None
        else "no event in the period"
    )
    return (
        f"exported {span}{where}: {summary.events:,} event line(s), "
        f"{summary.withheld:,} withheld; chain head at event {summary.head_id}; "
        f"file sha256 {summary.sha256}"
    )


def _place(event_id: int | None) -> str:
    """An event's number in a report; none for another agency's event, read by an agency."""
    return "—" if event_id is None else str(event_id)


def _plain(line: object) -> dict[str, object]:
    values = dict(vars(line))
    return {k: iso_utc(v) if isinstance(v, datetime) else v for k, v in values.items()}


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
