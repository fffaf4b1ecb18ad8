"""`ftfhub screen` (stored Records, need to know applied) and `ftfhub compare` (two names)."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from ftfhub.cli.common import acting, console, errors_as_messages, fail, out, token
from ftfhub.cli.render import screen_json, term_json
from ftfhub.cli.screen_remote import screen_remote
from ftfhub.domain.errors import FieldError, IngestError
from ftfhub.matching.compare import Comparison
from ftfhub.policy.views import ScreenResult
from ftfhub.rendering.jsonl import json_line
from ftfhub.rendering.terminal import labelled, plain
from ftfhub.services.compare import compare_pairs_file, compare_two
from ftfhub.services.screen_stream import ScreenedBlock, screen_stream


def screen(
    file: Annotated[
        Path,
        typer.Argument(help="A person file, manifest CSV, PAXLST or PNRGOV; - for standard input"),
    ],
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Lowest score to report (0-1)")
    ] = 0.5,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="Matches per query")] = 10,
    output: Annotated[
        Path | None, typer.Option(help="Write JSON lines here (default stdout)")
    ] = None,
    purpose: Annotated[
        str, typer.Option(help="Why you screen (required; a case or hit reference if any)")
    ] = "",
    kind: Annotated[
        str, typer.Option(help="What the queries are: watchlist (default) or travel (a manifest)")
    ] = "watchlist",
    on_error: Annotated[
        str, typer.Option(help="abort: stop at a bad row; skip: report it and go on")
    ] = "abort",
    encoding: Annotated[str | None, typer.Option(help="Force an encoding, e.g. cp1254")] = None,
    server: Annotated[
        str | None,
        typer.Option(help="Screen on a running `ftfhub serve` (e.g. http://127.0.0.1:8000)"),
    ] = None,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="A progress bar on stderr (default: when stderr is a terminal)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Screen every row of a person file against all Records; one JSON line per query.

    The file is read and screened in blocks, so its length does not matter. Other owners'
    records are shown only as far as their disclosure levels allow. With --server, the
    rows are sent to a running `ftfhub serve` as the user of your token, and the output is
    the same.
    """
    if str(file) == "-":  # the shell's name for standard input, as `/dev/stdin` is
        file = Path("/dev/stdin")
    if output is not None and _same_file(file, output):
        # Opening the output for writing emptied the file before a row was read: the
        # manifest was lost and the command said only that the file was empty.
        fail(f"--output {output} is the file being screened: writing there would erase it first")
    if server is not None:
        if not purpose.strip():
            fail('screening needs a stated purpose (--purpose "…")')
        if not token():
            fail("no token: set FTFHUB_TOKEN or pass --token")
        blocks = screen_remote(
            server,
            token() or "",
            file,
            purpose=purpose,
            threshold=threshold,
            limit=limit,
            kind=kind,
            on_error=on_error,
            encoding=encoding,
        )
    else:
        ctx = acting(purpose)
        blocks = screen_stream(
            ctx,
            file,
            threshold=threshold,
            limit=limit,
            kind=kind,
            on_error=on_error,
            encoding=encoding,
        )
    show = console.is_terminal if progress is None else progress
    with errors_as_messages():
        try:
            tally = _write(blocks, output, show)
        except IngestError as exc:
            if exc.line is None or on_error != "abort":
                raise
            # A manifest with one traveller unreadable must not leave the others unscreened
            # without the user learning how to screen them.
            fail(
                f"{exc}; stopped there (--on-error skip screens every other row "
                "and lists each one left out)"
            )
    if output is not None:  # else the JSON lines themselves are on the screen
        console.print(tally.said(output))


@dataclass
class _Tally:
    """What a screening found, said once at the end on stderr when the JSON lines went to
    --output: the terminal showed nothing else (at most a progress bar), and a PIU asks first
    how many travellers matched and whose holdings they matched."""

    screened: int = 0
    left_out: int = 0
    matched: int = 0
    by_owner: Counter[str] = field(default_factory=Counter)

    def add(self, result: ScreenResult) -> None:
        self.screened += 1
        self.matched += bool(result.matches)
        self.by_owner.update({m.held.agency for m in result.matches})

    def said(self, output: Path) -> Text:
        left = f" ({self.left_out:,} row(s) left out)" if self.left_out else ""
        owners = ", ".join(f"{a} {n:,}" for a, n in sorted(self.by_owner.items()))
        by = f"; queries matched per owner: {owners}" if owners else ""
        line = f"{self.screened:,} queries screened{left}: {self.matched:,} with a match{by}"
        return plain(f"{line}; written to {output}")


def _same_file(file: Path, output: Path) -> bool:
    try:
        return output.exists() and file.exists() and file.samefile(output)
    except OSError:
        return False


def _write(blocks: Iterator[ScreenedBlock], output: Path | None, show: bool) -> _Tally:
    tally = _Tally()
    handle = output.open("w", encoding="utf-8") if output else sys.stdout
    bar = Progress(
        TextColumn("screening"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[queries]:,} queries"),
        TimeRemainingColumn(),
        console=console,
        disable=not show,
        transient=False,
    )
    try:
        with bar:
            task = bar.add_task("screen", total=None, queries=0)
            for block in blocks:
                for warning in block.warnings:
                    bar.console.print(labelled("warning:", warning, "yellow"))
                for result in block.results:
                    if not isinstance(result, ScreenResult):
                        bar.console.print(labelled("skipped:", result.message, "yellow"))
                        tally.left_out += 1
                        continue
                    handle.write(json_line(screen_json(result)) + "\n")
                    tally.add(result)
                handle.flush()
                bar.update(task, total=block.size, completed=block.position, queries=tally.screened)
    finally:
        if output:
            handle.close()
    return tally


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
    encoding: Annotated[
        str | None, typer.Option(help="Encoding of --pairs, e.g. cp1254 (else detected)")
    ] = None,
) -> None:
    """Score two names and print every term that made the score.

    Without holdings to count in, every name part is taken as fairly common (1 in 200); the
    scores of hits and `screen` use the frequencies of the stored records.
    """
    with errors_as_messages():
        try:
            if pairs is not None:
                for pair in compare_pairs_file(pairs, encoding):
                    c = pair.comparison
                    line = {
                        "name_a": pair.name_a,
                        "name_b": pair.name_b,
                        "score": round(c.score, 4),
                        "weight": round(c.weight, 2),
                        "explanation": c.explanation(),
                    }
                    print(json_line(line))
                return
            if not name_a or not name_b:
                fail("give two names, or --pairs FILE")
                return
            bd_b = birth_date if birth_date_b is None else birth_date_b
            result = compare_two(name_a, name_b, birth_date, bd_b, nationality, nationality_b)
        except FieldError as exc:
            # the names are arguments, not options: `--name` named an option there is not
            names = {"name": "NAME A", "names": "NAME A", "name_b": "NAME B", "names_b": "NAME B"}
            fail(f"{names.get(exc.field) or '--' + exc.field.replace('_', '-')}: {exc.message}")
            return
    _render_comparison(result)


def _render_comparison(result: Comparison) -> None:
    table = Table(title=f"score {result.score:.3f}  (match weight {result.weight:+.1f} bits)")
    table.add_column("evidence")
    table.add_column("bits", justify="right")
    for term in result.terms:
        bits = "" if term.level in ("names",) else f"{term.weight:+.1f}"
        table.add_row(plain(term.detail), bits)
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command()(screen)
    app.command()(compare)


__all__ = ["register", "term_json"]
