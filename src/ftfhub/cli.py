"""The `ftfhub` command line: parse arguments, call the core, render the result."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy.orm import Session

from ftfhub.settings import Settings

app = typer.Typer(
    help="ftfhub: share records, resolve identities, screen travel, answer hits.",
    no_args_is_help=True,
    add_completion=False,
)
records_app = typer.Typer(help="Records held by an agency.", no_args_is_help=True)
hits_app = typer.Typer(help="Hits between owners: list, acknowledge, close.", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit trail.", no_args_is_help=True)
app.add_typer(records_app, name="records")
app.add_typer(hits_app, name="hits")
app.add_typer(audit_app, name="audit")
console = Console(stderr=True)


def _settings() -> Settings:
    return Settings.from_env()


def _session() -> Session:
    from ftfhub.store.db import open_session

    return open_session(_settings().database_url)


def _fail(message: str, code: int = 2) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


@app.command()
def ingest(
    file: Path,
    agency: Annotated[str, typer.Option(help="Owner of the records, e.g. BE-FP")],
    kind: Annotated[
        str, typer.Option(help="watchlist, captured_document, travel, notice, deportation")
    ],
    on_error: Annotated[
        str, typer.Option(help="skip: load the good rows; abort: load nothing")
    ] = "skip",
    encoding: Annotated[str | None, typer.Option(help="Force an encoding, e.g. cp1256")] = None,
    hits: Annotated[bool, typer.Option(help="Raise hits against other owners' records")] = True,
    threshold: Annotated[float | None, typer.Option(help="Hit threshold (0-1)")] = None,
) -> None:
    """Load a file for an agency; re-loading the same file changes nothing."""
    from ftfhub.hits.service import raise_hits
    from ftfhub.ingest.errors import IngestError
    from ftfhub.ingest.pipeline import ingest_file

    settings = _settings()
    session = _session()
    try:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task(f"loading {file.name}", total=None)
            report = ingest_file(
                session,
                file,
                agency.upper(),
                kind,
                on_error=on_error,
                encoding=encoding,
                actor=settings.actor,
                progress=lambda n: progress.advance(task, n),
            )
    except IngestError as exc:
        _fail(str(exc))
        return
    for error in report.errors:
        console.print(f"[yellow]rejected:[/yellow] {error}")
    if report.aborted:
        _fail(
            f"stopped at the first bad row (line {report.errors[0].line}); nothing was loaded "
            "(--on-error abort; --on-error skip loads the good rows and lists every bad one)",
            1,
        )
    console.print(
        f"{file.name}: {report.rows_read} rows, {report.added} added, "
        f"{report.new_versions} new versions, {report.unchanged} unchanged, "
        f"{len(report.errors)} rejected ({report.encoding})"
    )
    if hits:
        made = []
        if report.new_record_ids:
            made = raise_hits(
                session,
                report.new_record_ids,
                threshold if threshold is not None else settings.hit_threshold,
                actor=settings.actor,
            )
            session.commit()
        console.print(f"{len(made)} hit(s) raised for other owners")


@app.command()
def screen(
    file: Path,
    agency: Annotated[
        str | None, typer.Option(help="The screening agency (need-to-know applies)")
    ] = None,
    threshold: Annotated[float, typer.Option(help="Lowest score to report (0-1)")] = 0.5,
    limit: Annotated[int, typer.Option(help="Matches per query")] = 10,
    output: Annotated[
        Path | None, typer.Option(help="Write JSON lines here (default stdout)")
    ] = None,
    purpose: Annotated[
        str, typer.Option(help="Stated purpose, kept in the audit trail")
    ] = "screening",
    kind: Annotated[
        str, typer.Option(help="What the queries are: watchlist (default) or travel (a manifest)")
    ] = "watchlist",
    on_error: Annotated[
        str, typer.Option(help="abort: stop at a bad row; skip: report it and go on")
    ] = "abort",
) -> None:
    """Screen every row of a person file against all Records; one JSON line per query.

    Without --agency you act as the hub operator and see every match in full; with it,
    other owners' records are shown only as far as their handling codes allow.
    """
    from ftfhub.ingest.errors import IngestError
    from ftfhub.matching.screen_file import screen_file

    session = _session()
    out = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for result in screen_file(
            session,
            file,
            agency=agency.upper() if agency else None,
            threshold=threshold,
            limit=limit,
            actor=_settings().actor,
            purpose=purpose,
            kind=kind,
            on_error=on_error,
        ):
            if result.get("error"):
                console.print(f"[yellow]skipped:[/yellow] {result['error']}")
                continue
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    except IngestError as exc:
        _fail(str(exc))
    finally:
        if output:
            out.close()


@app.command()
def compare(
    name_a: Annotated[str | None, typer.Argument()] = None,
    name_b: Annotated[str | None, typer.Argument()] = None,
    birth_date: Annotated[
        str, typer.Option(help="Birth date of A, YYYY[-MM[-DD]] (and of B unless --birth-date-b)")
    ] = "",
    birth_date_b: Annotated[str | None, typer.Option(help="Birth date of B")] = None,
    nationality: Annotated[str, typer.Option(help="Nationality of A: ISO codes, e.g. BE|MA")] = "",
    nationality_b: Annotated[str, typer.Option(help="Nationality of B: ISO codes")] = "",
    pairs: Annotated[
        Path | None,
        typer.Option(help="CSV name_a,name_b[,birth_date_a,birth_date_b,nationality_a,...]"),
    ] = None,
) -> None:
    """Score two names and print every term that made the score.

    Without holdings to count in, every name part is taken as fairly common (1 in 200); the
    scores of hits and `screen` use the frequencies of the stored records.
    """
    from ftfhub.ingest.errors import FieldError, IngestError
    from ftfhub.matching.explain import compare_pairs_file, compare_two, render_comparison

    try:
        if pairs is not None:
            for line in compare_pairs_file(pairs):
                print(json.dumps(line, ensure_ascii=False))
            return
        if not name_a or not name_b:
            _fail("give two names, or --pairs FILE")
            return
        bd_b = birth_date if birth_date_b is None else birth_date_b
        result = compare_two(name_a, name_b, birth_date, bd_b, nationality, nationality_b)
    except FieldError as exc:
        _fail(f"--{exc.field.replace('_', '-')}: {exc.message}")
        return
    except IngestError as exc:
        _fail(str(exc))
        return
    render_comparison(result, Console())


@records_app.command("export")
def records_export(
    agency: Annotated[str, typer.Option()],
    kind: Annotated[str | None, typer.Option()] = None,
    output: Annotated[Path | None, typer.Option()] = None,
) -> None:
    """Write an agency's current Records as a generic person file (CSV)."""
    from ftfhub.audit.chain import record_event
    from ftfhub.ingest.export import export_records

    session = _session()
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    count = export_records(session, agency.upper(), out, kind)
    if output:
        out.close()
    record_event(
        session,
        actor=_settings().actor,
        agency=agency.upper(),
        action="records.export",
        object_type="agency",
        object_id=agency.upper(),
        purpose="export own records",
        details={"records": count, "kind": kind},
    )
    session.commit()
    console.print(f"{count} record(s) exported")


@hits_app.command("list")
def hits_list(
    agency: Annotated[str, typer.Option()],
    status: Annotated[
        str | None, typer.Option(help="new, acknowledged, actioned or dismissed")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per hit")] = False,
    explain: Annotated[bool, typer.Option(help="Print why each owned hit matched")] = False,
) -> None:
    """Hits you own (full) and hits on your records (hit/no-hit); overdue ones escalate first."""
    from ftfhub.hits.service import escalate_overdue, hit_rows
    from ftfhub.sharing.policy import hit_views
    from ftfhub.store.models import Agency

    if status and status not in ("new", "acknowledged", "actioned", "dismissed"):
        _fail(f"--status '{status}' is not new, acknowledged, actioned or dismissed")
    session = _session()
    if session.get(Agency, agency.upper()) is None:
        _fail(f"no agency {agency.upper()} in this hub (agencies are added by their first load)")
    escalated = escalate_overdue(session, actor=_settings().actor)
    session.commit()
    if escalated:
        console.print(f"[yellow]{escalated} overdue hit(s) escalated[/yellow]")
    views = hit_views(hit_rows(session, agency.upper(), status), agency.upper())
    if as_json:
        for view in views:
            print(json.dumps(view, ensure_ascii=False))
        return
    _render_hits(views, agency.upper())
    if explain:
        for view in views:
            for term in view.get("explanation", []):
                print(f"hit {view['id']}: {term['detail']} ({term['weight']:+})")


def _render_hits(views: list[dict[str, Any]], agency: str) -> None:
    owned = [v for v in views if "matched_source_id" in v]
    partners = [v for v in views if "matched_source_id" not in v]
    console_out = Console()
    if owned or not partners:
        table = Table(title=f"Hits {agency} must answer")
        for column in ("id", "status", "esc", "score", "your record", "their record", "deadline"):
            table.add_column(column)
        for v in owned:
            table.add_row(
                str(v["id"]),
                v["status"],
                str(v["escalation_level"]),
                f"{v['score']:.2f}",
                f"{v['matched_source_id']} {v['matched_name']}",
                f"{v['querying_agency']} {v['query_source_id']} {v['query_name']}",
                v["deadline"][:16],
            )
        console_out.print(table)
    if partners:
        table = Table(title=f"Partners holding a record that matches one of {agency}'s")
        for column in ("id", "your record", "held by", "contact"):
            table.add_column(column)
        for v in partners:
            table.add_row(str(v["id"]), v["your_record"], v["owner_agency"], v["contact"])
        console_out.print(table)


@hits_app.command("ack")
def hits_ack(
    hit_id: int,
    agency: Annotated[str, typer.Option()],
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Acknowledge a hit you own."""
    from ftfhub.hits.service import HitError, acknowledge

    session = _session()
    try:
        acknowledge(session, hit_id, agency.upper(), note, _settings().actor)
    except HitError as exc:
        _fail(str(exc))
    session.commit()
    console.print(f"hit {hit_id} acknowledged")


@hits_app.command("close")
def hits_close(
    hit_id: int,
    agency: Annotated[str, typer.Option()],
    status: Annotated[str, typer.Option(help="actioned or dismissed")],
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Record the analyst's decision on a hit: actioned or dismissed."""
    from ftfhub.hits.service import HitError, close

    session = _session()
    try:
        close(session, hit_id, agency.upper(), status, note, _settings().actor)
    except HitError as exc:
        _fail(str(exc))
    session.commit()
    console.print(f"hit {hit_id} {status}")


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
    from ftfhub.audit.chain import verify_chain

    kept = head or (
        anchor.read_text(encoding="utf-8").split()[0] if anchor and anchor.exists() else None
    )
    result = verify_chain(_session(), expected_head=kept)
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
) -> None:
    """The most recent audit events, oldest first, with their full hashes."""
    from sqlalchemy import select

    from ftfhub.store.models import AuditEvent

    session = _session()
    events = session.execute(
        select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    ).scalars()
    for e in reversed(list(events)):
        print(
            json.dumps(
                {
                    "id": e.id,
                    "at": e.at.isoformat(timespec="seconds"),
                    "actor": e.actor,
                    "agency": e.agency,
                    "action": e.action,
                    "object": f"{e.object_type}:{e.object_id}",
                    "purpose": e.purpose,
                    "hash": e.hash,
                },
                ensure_ascii=False,
            )
        )


@app.command()
def demo(
    fighters: Annotated[int, typer.Option()] = 300,
    travellers: Annotated[int, typer.Option()] = 20000,
    seed: Annotated[int, typer.Option()] = 7,
    workdir: Annotated[Path, typer.Option(help="Where the world's files and database go")] = Path(
        "ftfhub-demo"
    ),
) -> None:
    """Build the synthetic world, run the whole loop on a fresh SQLite file, print a report."""
    from ftfhub.demo import run_demo

    report = run_demo(workdir, fighters=fighters, travellers=travellers, seed=seed, console=console)
    report.render(Console())


def main() -> None:
    app()
