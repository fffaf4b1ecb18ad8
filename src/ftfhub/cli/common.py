"""What every command shares: the app, the consoles, who acts, and errors as messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from ftfhub.domain.errors import IngestError
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database, Refused, ServiceError
from ftfhub.settings import Settings

app = typer.Typer(
    help="ftfhub: share records, resolve identities, screen travel, answer hits.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)
out = Console()


def settings() -> Settings:
    return Settings.from_env()


def database() -> Database:
    return Database(settings().database_url)


def context(agency: str | None, purpose: str = "", role: Role = Role.ANALYST) -> Context:
    """The acting user: the agency given, the name from FTFHUB_ACTOR."""
    caller = Caller(name=settings().actor, agency=(agency or "HUB").upper(), role=role)
    return Context(database(), caller, purpose)


def fail(message: str, code: int = 2) -> None:
    console.print(f"[red]error:[/red] {message}", markup=True, highlight=False)
    raise typer.Exit(code)


@contextmanager
def errors_as_messages() -> Iterator[None]:
    """A refused or impossible request is one line on stderr and exit 2, never a traceback."""
    try:
        yield
    except Refused as exc:
        fail(f"refused: {exc}")
    except ServiceError as exc:
        fail(str(exc))
    except IngestError as exc:
        fail(str(exc))
