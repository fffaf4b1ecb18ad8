"""`--limit` and `--offset` for the list commands: a page, most urgent first, as the API's
`GET /hits` and `GET /cases` give it, and a line saying where the next begins."""

from __future__ import annotations

from typing import Annotated

import typer

from ftfhub.cli.common import console
from ftfhub.domain.validation import MAX_ROW_ID

PAGE = 100
"""Items a list prints unless asked for fewer (or more, up to MAX_PAGE): as the API."""
MAX_PAGE = 1000

Limit = Annotated[
    int,
    typer.Option(min=1, max=MAX_PAGE, help=f"How many, most urgent first (at most {MAX_PAGE})"),
]


def _offset(value: int) -> int:
    """Past the database's largest integer an offset overflowed it (a traceback); checked
    here rather than with `max=`, which would print the machine's limit in every help."""
    if value > MAX_ROW_ID:
        raise typer.BadParameter(f"{value} is past any list's end")
    return value


Offset = Annotated[
    int,
    typer.Option(min=0, callback=_offset, help="How many to skip (the next page's start)"),
]


def say_more(what: str, next_offset: int | None, limit: int) -> None:
    """On stderr (so `--json` output stays one object a line): that more follow, and how to
    ask for them."""
    if next_offset is not None:
        console.print(
            f"more {what} follow: ask for the next page with --offset {next_offset}"
            + (f" --limit {limit}" if limit != PAGE else "")
        )
