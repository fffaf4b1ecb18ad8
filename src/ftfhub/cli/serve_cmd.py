"""`ftfhub serve`: the REST API (and the escalation schedule) under uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port")] = 8000,
    escalate_every: Annotated[
        float, typer.Option(min=0.0, help="Seconds between escalation passes (0: none)")
    ] = 300.0,
) -> None:
    """Serve the API and the workbench on the hub database (FTFHUB_DATABASE_URL); users send
    their token as `Authorization: Bearer …`, or paste it at /workbench/. OpenAPI at /docs."""
    import os

    import uvicorn

    from ftfhub.cli.common import fail, no_hub_at, require_free_port, settings

    # Served on a file that is not there, an empty hub was made and served: every token
    # pasted at /workbench/ was then 'not valid', and the server said nothing of why.
    missing = no_hub_at(settings().database_url)
    if missing:
        fail(missing)
    require_free_port(host, port)
    # uvicorn is told to say nothing but warnings: without this line a started server looked
    # exactly like a hung command.
    root = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    typer.echo(
        f"serving {root}/ — the workbench at {root}/workbench/, the API's documentation at "
        f"{root}/docs; Ctrl-C stops",
        err=True,
    )
    # Faces do not import each other: uvicorn builds the app from its factory's name.
    os.environ["FTFHUB_ESCALATE_SECONDS"] = str(escalate_every)
    uvicorn.run(
        "ftfhub.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
    )


def register(app: typer.Typer) -> None:
    app.command()(serve)
