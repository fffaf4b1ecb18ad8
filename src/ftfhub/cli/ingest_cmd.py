"""`ftfhub ingest`: load a file for the acting agency (records and their hits together)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ftfhub.cli.common import acting, console, errors_as_messages, fail, settings
from ftfhub.rendering.terminal import labelled, plain
from ftfhub.services.ingest import ingest_file

SHOWN_WARNINGS = 50


def ingest(
    file: Path,
    kind: Annotated[
        str, typer.Option(help="watchlist, captured_document, travel, notice, deportation")
    ],
    on_error: Annotated[
        str, typer.Option(help="skip: load the good rows; abort: load nothing")
    ] = "skip",
    encoding: Annotated[str | None, typer.Option(help="Force an encoding, e.g. cp1256")] = None,
    hits: Annotated[
        bool, typer.Option(help="Raise hits now; --no-hits queues them for `hits raise --pending`")
    ] = True,
) -> None:
    """Load a file for your agency; re-loading the same file changes nothing.

    Hits are raised at the hub's hit threshold (FTFHUB_HIT_THRESHOLD), never one the loading
    agency picks: a lower one would flood partners with hits on weak matches and tell the
    loader of matches the hub withholds; a higher one would keep owners from hearing of a
    match at all."""
    ctx = acting()
    with errors_as_messages(), _progress() as progress:
        task = progress.add_task(f"loading {file.name}", total=None)
        report = ingest_file(
            ctx,
            file,
            kind,
            on_error=on_error,
            encoding=encoding,
            threshold=settings().hit_threshold,
            raise_hits=hits,
            progress=lambda n: progress.advance(task, n),
        )
    for error in report.errors:
        console.print(labelled("rejected:", error, "yellow"))
    for warning in report.warnings[:SHOWN_WARNINGS]:
        console.print(labelled("loaded, but:", warning, "cyan"))
    if len(report.warnings) > SHOWN_WARNINGS:
        console.print(f"… and {len(report.warnings) - SHOWN_WARNINGS} more such notes")
    if report.aborted:
        fail(
            f"stopped at the first bad row (line {report.errors[0].line}); nothing was loaded "
            "(--on-error abort; --on-error skip loads the good rows and lists every bad one)",
            1,
        )
    console.print(
        plain(
            f"{file.name}: {report.rows_read} rows, {report.added} added, "
            f"{report.new_versions} new versions, {report.unchanged} unchanged, "
            f"{len(report.errors)} rejected, {len(report.warnings)} loaded with a note "
            f"({report.encoding})"
        )
    )
    if hits:
        console.print(f"{report.hits_raised} hit(s) raised for other owners")
    for rule_hit in report.rule_hits:  # behaviour rules (FTFHUB_RULES), travel files only
        reasons = "; ".join(rule_hit.reasons)
        console.print(plain(f"rule hit: {rule_hit.record_id}: {rule_hit.rule} ({reasons})"))


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        # a bar in a pipe or a log is no bar: it left a blank first line on stderr
        disable=not console.is_terminal,
    )


def register(app: typer.Typer) -> None:
    app.command()(ingest)
