"""`ftfhub demo`: the synthetic world through the whole loop."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ftfhub.cli.common import console, out, require_free_port

WORKDIR = Path("ftfhub-demo")
SERVED_WORKDIR = Path("ftfhub-demo-workbench")
"""The small served hub's own folder: building it empties its folder, which in
`ftfhub-demo` deleted the world (and the users' tokens) `make demo` had just printed."""


def demo(
    fighters: Annotated[
        int, typer.Option(help="Listed people in the world (--serve builds a small one)")
    ] = 300,
    travellers: Annotated[
        int, typer.Option(help="Innocent travellers on the manifests (not with --serve)")
    ] = 20000,
    seed: Annotated[int, typer.Option(help="The same seed builds the same world")] = 7,
    workdir: Annotated[
        Path | None,
        typer.Option(
            help="Where the world's files and database go, emptied first (default: ftfhub-demo;"
            " with --serve ftfhub-demo-workbench, so that make demo's world is kept)"
        ),
    ] = None,
    serve: Annotated[
        bool, typer.Option(help="Serve the workbench on a small demo hub, logins printed")
    ] = False,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port for --serve")] = 8000,
) -> None:
    """Build the synthetic world, run the whole loop on a fresh SQLite file, print a report;
    with --serve, load a small world as real users and serve the workbench on it."""
    if serve:
        _serve(workdir or SERVED_WORKDIR, seed, port)
        return
    workdir = workdir or WORKDIR
    from ftfhub.demo import run_demo

    report = run_demo(workdir, fighters=fighters, travellers=travellers, seed=seed, console=console)
    report.render(out)


def _serve(workdir: Path, seed: int, port: int) -> None:
    import logging
    import os

    import uvicorn

    from ftfhub.demo_hub import build_demo_hub

    require_free_port("127.0.0.1", port)  # before half a minute of building, not after
    logging.getLogger("splink").setLevel(logging.ERROR)  # training chatter, not the user's
    console.print("building a small demo hub (about half a minute)…")
    hub = build_demo_hub(workdir, seed=seed)
    typer.echo(f"{hub.records} records, {hub.hits} hits, {hub.identities} identities: {hub.url}")
    typer.echo(f"open http://127.0.0.1:{port}/workbench/ and log in with one of these tokens:")
    for login in hub.logins.values():
        typer.echo(f"  {login.user:18} {login.agency:7} {login.role.value:13} {login.token}")
    os.environ["FTFHUB_DATABASE_URL"] = hub.url
    os.environ["FTFHUB_ESCALATE_SECONDS"] = "300"
    uvicorn.run(
        "ftfhub.api.app:create_app",
        factory=True,
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )


def register(app: typer.Typer) -> None:
    app.command()(demo)
