"""`ftfhub resolve`, `ftfhub identities export|explain`, `ftfhub judge`, `ftfhub review`."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ftfhub.cli.common import acting, console, errors_as_messages, fail, out
from ftfhub.rendering.spreadsheet import neutralise
from ftfhub.rendering.terminal import plain
from ftfhub.services.identities import (
    explain_identity,
    export_identities,
    judge,
    resolve_identities,
    review_pairs,
)
from ftfhub.services.resolution import Retry

identities_app = typer.Typer(
    help="Identities: Records resolved into persons.", no_args_is_help=True
)
Purpose = Annotated[str, typer.Option(help="Why (required to see other agencies' records)")]


def resolve_cmd(
    engine: Annotated[str, typer.Option(help="duckdb (embedded) or spark")] = "duckdb",
    threshold: Annotated[
        float, typer.Option(help="Match probability that joins two records")
    ] = 0.9,
    full: Annotated[bool, typer.Option("--full", help="Score every pair again")] = False,
    retrain: Annotated[bool, typer.Option("--retrain", help="Estimate a new model")] = False,
) -> None:
    """Cluster every current Record into Identities (new Records only, when a run exists).

    Exits 75 (try again later) when it gave up because records or judgements kept changing
    while it scored: nothing was saved; 2 on bad input."""
    if engine not in ("duckdb", "spark"):
        fail(f"--engine {engine!r}: choose duckdb or spark")
    ctx = acting()
    # Said before the wait: a run reads and scores every current Record (tens of CPU
    # seconds at make demo's scale) and printed nothing until it ended.
    scope = "every record" if full or retrain else "new records (every record on a first run)"
    console.print(f"resolving {scope} with {engine}…")
    with errors_as_messages():
        try:
            summary = resolve_identities(ctx, engine, threshold, full, retrain, on_retry=_again)
        except RuntimeError as exc:  # an engine that cannot start (library or Java missing)
            fail(str(exc))
    console.print(
        f"run {summary.run_id} ({summary.mode}, {summary.engine}): {summary.records} records, "
        f"{summary.new_records} scored anew, {summary.identities} identities "
        f"(model {summary.model_version})"
    )


def _again(retry: Retry) -> None:
    """Said while it happens: a run waiting and scoring again looked like a hung one."""
    console.print(
        f"not saved: {'; '.join(retry.changed)} while it scored; reading and scoring again "
        f"in {retry.wait:.1f} s (try {retry.attempt} of {retry.attempts})"
    )


@identities_app.command("export")
def export_cmd(
    output: Annotated[Path | None, typer.Option(help="CSV file (default: standard output)")] = None,
    purpose: Purpose = "",
) -> None:
    """Write `identity_id,agency,record_id`, one row per Record you may know of.

    Identities holding most of your agency's own Records come first (the hub's: most
    Records), then by id; within one, its rows by agency."""
    ctx = acting(purpose)
    with errors_as_messages():
        rows = export_identities(ctx)
    handle = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["identity_id", "agency", "record_id"])
        writer.writerows([r.identity_id, r.agency, neutralise(r.record_id)] for r in rows)
    finally:
        if output:
            handle.close()
    console.print(f"{len(rows)} row(s) exported")


@identities_app.command("explain")
def explain_cmd(
    identity_id: str,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of text")] = False,
    purpose: Purpose = "",
) -> None:
    """The Records of one Identity and the pairwise evidence that joined them."""
    ctx = acting(purpose)
    with errors_as_messages():
        view = explain_identity(ctx, identity_id)
    if as_json:
        out.print_json(json.dumps(asdict(view), ensure_ascii=False))
        return
    out.print(plain(f"identity {view.identity_id}: {len(view.members)} record(s)"))
    for m in view.members:
        out.print(plain(f"  {m.agency} {m.record_id}"))
    for pair in view.pairs:
        verdict = f" — judged {pair.judged}" if pair.judged else ""
        head = f"{pair.left.agency} {pair.left.record_id} ~ {pair.right.agency} "
        tail = f"{pair.right.record_id}: {pair.probability:.3f} ({pair.weight:+.1f}){verdict}"
        out.print(plain(head + tail))
        for term in pair.terms:
            out.print(plain(f"    {float(term['weight']):+6.1f}  {term['detail']}"))  # type: ignore[arg-type]


def judge_cmd(
    record_a: Annotated[str, typer.Argument(help="AGENCY/record_id or AGENCY:reference")],
    record_b: Annotated[str, typer.Argument(help="AGENCY/record_id or AGENCY:reference")],
    verdict: Annotated[str, typer.Argument(help="same or different")],
    note: Annotated[str, typer.Option(help="Why (kept with the decision)")] = "",
    purpose: Purpose = "",
) -> None:
    """Record that two Records are (not) one person; it wins over the model in later runs."""
    if verdict not in ("same", "different"):
        fail(f"'{verdict}': say same or different")
    ctx = acting(purpose)
    with errors_as_messages():
        judge(ctx, record_a, record_b, verdict == "same", note)
    console.print(plain(f"judged {verdict}: {record_a} ~ {record_b}"))


def review_cmd(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many pairs")] = 20,
    purpose: Purpose = "",
) -> None:
    """Scored pairs the model is least sure of, most informative first."""
    ctx = acting(purpose)
    with errors_as_messages():
        pairs = review_pairs(ctx, limit)
    for p in pairs:
        out.print(
            plain(
                f"{p.probability:.3f}  {p.left.agency} {p.left.record_id} ~ "
                f"{p.right.agency} {p.right.record_id}"
            )
        )
    console.print(f"{len(pairs)} pair(s) to review")
    if not purpose.strip():
        console.print("(pairs with partners' records are listed only with --purpose)")


def register(app: typer.Typer) -> None:
    app.command("resolve")(resolve_cmd)
    app.command("judge")(judge_cmd)
    app.command("review")(review_cmd)
    app.add_typer(identities_app, name="identities")
