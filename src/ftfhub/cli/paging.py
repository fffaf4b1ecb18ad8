"""`--limit` and `--offset` for the list commands: a page, most urgent first, as the API's
`GET /hits` and `GET /cases` give it, and a line saying where the next begins."""

from __future__ import annotations

from typing import Annotated

import typer

from ftfhub.cli.common import console

PAGE = 100
"""Items a list prints unless asked for fewer (or more, up to MAX_PAGE): as the API."""
MAX_PAGE = 1000

Limit = Annotated[
    int,
    typer.Option(min=1, max=MAX_PAGE, help=f"How many, most urgent first (at most {MAX_PAGE})"),
]
Offset = Annotated[int, typer.Option(min=0, help="How many to skip (the next page's start)")]


def say_more(what: str, next_offset: int | None, limit: int) -> None:
    """On stderr (so `--json` output stays one object a line): that more follow, and how to
    ask for them."""
    if next_offset is not None:
        console.print(
            f"more {what} follow: ask for the next page with --offset {next_offset}"
            + (f" --limit {limit}" if limit != PAGE else "")
        )
