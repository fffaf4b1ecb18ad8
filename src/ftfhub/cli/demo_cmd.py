"""`ftfhub demo`: the synthetic world through the whole loop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ftfhub.cli.common import console, out


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
    report.render(out)


def register(app: typer.Typer) -> None:
    app.command()(demo)
