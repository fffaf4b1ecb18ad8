"""What every command shares: the app, the consoles, who acts, and errors as messages."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from ftfhub.domain.errors import FieldError, IngestError
from ftfhub.domain.validation import MAX_ROW_ID
from ftfhub.rendering.terminal import labelled
from ftfhub.services import Context, Database, Refused, ServiceError, TryAgainLater
from ftfhub.services.identity import authenticate
from ftfhub.settings import Settings, SettingsError


def _message_for(exc: Exception) -> str | None:
    """The one-line message for an error a user can cause (bad input, option, environment,
    database URL or file), or None for a bug, which keeps its traceback."""
    from sqlalchemy.exc import ArgumentError, DataError, NoSuchModuleError, OperationalError

    from ftfhub.store.db import DatabaseError

    if isinstance(exc, Refused):
        return f"refused: {exc}"
    if isinstance(exc, (SettingsError, IngestError, FieldError, DatabaseError, ServiceError)):
        return str(exc)
    if isinstance(exc, DataError):
        return f"a value does not fit the database: {exc.orig}"
    if isinstance(exc, (ArgumentError, NoSuchModuleError)):
        return f"FTFHUB_DATABASE_URL is not a database URL ftfhub can use ({exc})"
    if isinstance(exc, OperationalError):
        said = " ".join(str(exc.orig).split())  # the driver's message spans lines
        return f"the database cannot be opened: {said} (is FTFHUB_DATABASE_URL right?)"
    if isinstance(exc, ModuleNotFoundError):
        return f"the database driver is not installed: {exc.name} (see README)"
    if isinstance(exc, OSError):
        where = f" {exc.filename}" if exc.filename else ""
        return f"cannot use{where}: {exc.strerror or exc}"
    return None


class _MessagesGroup(TyperGroup):
    """Every command's user-caused errors become `error: …` on stderr and exit 2."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError:
            # The reader went away (`… | head`): what it saw is already in the audit trail.
            # Point stdout at nothing so the exit flush cannot fail again, and stop quietly.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise typer.Exit(1) from None
        except Exception as exc:
            message = _message_for(exc)
            if message is None:
                raise
            console.print(labelled("error:", message, "red"))
            raise typer.Exit(EX_TEMPFAIL if isinstance(exc, TryAgainLater) else 2) from None


def _flags_shown_bare() -> None:
    """Typer labels every option with its type in help, flags too (`--help <bool>`,
    `records purge --overdue <bool>`), which reads as an option that takes a true or false
    (`--overdue true` is then 'unexpected extra argument'). A flag is shown bare, as it is
    typed; options that take a value keep their type."""
    from typer.core import TyperOption

    typed = getattr(TyperOption, "display_type_rich", None)
    if typed is None:  # a Typer that labels no type at all
        return

    def display_type_rich(self: TyperOption, ctx: Any) -> str | None:
        return None if self.is_flag else typed(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_flags_shown_bare()

app = typer.Typer(
    cls=_MessagesGroup,
    help="ftfhub: share records, resolve identities, screen travel, answer hits.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
)


class _Console(Console):
    """A console whose lines of text are not broken at 80 columns when it writes to a file,
    a pipe or a log (where `always one error: line` must hold, and a script greps a summary);
    on a terminal they wrap between words. Tables and progress bars render as before."""

    def print(self, *objects: Any, soft_wrap: bool | None = None, **options: Any) -> None:
        if soft_wrap is None and not self.is_terminal:
            soft_wrap = all(isinstance(o, (str, Text)) for o in objects) or None
        super().print(*objects, soft_wrap=soft_wrap, **options)


console = _Console(stderr=True)
out = _Console()


def _row_id(value: int) -> int:
    """A number no stored row can have is bad input (exit 2), not a traceback; checked here
    rather than with `max=`, which printed `[x<=9223372036854775807]` in every help."""
    if not 0 < value <= MAX_ROW_ID:
        raise typer.BadParameter(f"{value} is not a case number that cases list shows")
    return value


RowId = Annotated[int, typer.Argument(metavar="NUMBER", callback=_row_id, show_default=False)]
"""A case's number in its agency, as `cases list` shows it (a hit is named by its reference,
`H-…`, never by a number)."""
_TOKEN: ContextVar[str | None] = ContextVar("ftfhub_token", default=None)


@app.callback()
def _root(
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="FTFHUB_TOKEN",
            show_envvar=True,
            show_default=False,
            help="Your token (printed once by `users add`); better in FTFHUB_TOKEN",
        ),
    ] = None,
) -> None:
    """Every command but `init`, `compare` and `demo` acts as the user whose token is given."""
    _TOKEN.set(token)


def token() -> str | None:
    """The token given (--token or FTFHUB_TOKEN), unchecked."""
    return _TOKEN.get()


def settings() -> Settings:
    return Settings.from_env()


def database() -> Database:
    current = settings()
    return Database(current.database_url, audit_key=current.audit_key or None)


def no_hub_at(url: str) -> str | None:
    """Why a user's command cannot run on `url`, when it names a SQLite file that does not
    exist; else None. Opening it made an empty hub there, and the command then said only
    that the token was not valid: a user who had not exported FTFHUB_DATABASE_URL (or was
    in another folder) was told their token was wrong, and left a stray ftfhub.db behind."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return None  # said when the database is opened
    if parsed.get_backend_name() != "sqlite" or parsed.query.get("uri"):
        return None
    if parsed.database in (None, "", ":memory:") or Path(parsed.database).expanduser().exists():
        return None
    given = os.environ.get("FTFHUB_DATABASE_URL", "").strip()
    named = f"FTFHUB_DATABASE_URL={given}" if given else "FTFHUB_DATABASE_URL is not set"
    return (
        f"no hub at {parsed.database} ({named}): point FTFHUB_DATABASE_URL at your hub's"
        " database (after make demo: export FTFHUB_DATABASE_URL=sqlite:///ftfhub-demo/ftfhub.db),"
        " or run ftfhub init to set up a new hub there"
    )


def acting(purpose: str = "") -> Context:
    """The user of the token, on the configured database, with the stated purpose."""
    missing = no_hub_at(settings().database_url)
    if missing:
        fail(missing)
    db = database()
    with errors_as_messages():
        caller = authenticate(db, _TOKEN.get())
    return Context(db, caller, purpose)


def print_table(table: Table, empty: str) -> None:
    """A table; with no rows, its head and a caption saying in words what is empty (an empty
    box beneath a title read as a fault, or as output cut short)."""
    if table.row_count == 0:
        table.caption = empty
    out.print(table)


def require_free_port(host: str, port: int) -> None:
    """Fail with a plain message, before any work, when `host:port` cannot be listened on
    (another server holds it, or the address is not this machine's)."""
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}")


EX_TEMPFAIL = 75
"""Exit code of a command that could not be done now but may be later (sysexits.h)."""


def fail(message: str, code: int = 2) -> None:
    """`error: message` on stderr (shown literally: it may quote a file's content), exit."""
    console.print(labelled("error:", message, "red"))
    raise typer.Exit(code)


@contextmanager
def errors_as_messages() -> Iterator[None]:
    """A refused or impossible request is one line on stderr and exit 2, never a traceback."""
    try:
        yield
    except Refused as exc:
        fail(f"refused: {exc}")
    except TryAgainLater as exc:  # not bad input: the same command later may succeed
        fail(str(exc), EX_TEMPFAIL)
    except ServiceError as exc:
        fail(str(exc))
    except IngestError as exc:
        fail(str(exc))
