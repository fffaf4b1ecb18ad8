"""`ftfhub init`, `agencies …`, `users …`, `tokens …`, `whoami`: who is who."""

from __future__ import annotations

from typing import Annotated

import typer

from ftfhub.cli.common import acting, console, database, errors_as_messages, out
from ftfhub.rendering.terminal import plain
from ftfhub.services import identity
from ftfhub.services.identity import IssuedToken

agencies_app = typer.Typer(help="Agencies of the hub (admin).", no_args_is_help=True)
users_app = typer.Typer(help="Users and their roles (admin).", no_args_is_help=True)
tokens_app = typer.Typer(
    help="Tokens: issue and revoke (admin); rotate your own (anyone).", no_args_is_help=True
)


def _show(issued: IssuedToken) -> None:
    console.print(
        plain(
            f"user {issued.user} ({issued.role.value}, {issued.agency}); token "
            f"{issued.token_id} valid until {issued.expires_at:%Y-%m-%d}. It is shown once; "
            "keep it secret:"
        )
    )
    out.print(plain(issued.token))


def init(
    admin: Annotated[str, typer.Option(help="Name of the first admin")] = "admin",
    contact: Annotated[str, typer.Option(help="The hub duty officer's contact")] = "",
) -> None:
    """Set up a new hub: the HUB agency and its first admin, whose token is printed once."""
    with errors_as_messages():
        issued = identity.init_hub(database(), admin, contact)
    _show(issued)


@agencies_app.command("add")
def agencies_add(
    code: str,
    name: Annotated[str, typer.Option(help="Full name")],
    contact: Annotated[str, typer.Option(help="Whom partners contact about a hit")] = "",
    ack_hours: Annotated[int | None, typer.Option(help="Hours to acknowledge a hit")] = None,
    urgent_ack_hours: Annotated[
        int | None, typer.Option(help="Hours when the traveller arrives within a day")
    ] = None,
    retention_days: Annotated[
        int | None, typer.Option(help="Review-by, in days after loading, if a file gives none")
    ] = None,
    legal_basis: Annotated[str, typer.Option(help="Legal basis if a file gives none")] = "",
) -> None:
    """Add an agency."""
    with errors_as_messages():
        added = identity.add_agency(
            acting(),
            code,
            name,
            contact,
            ack_hours=ack_hours,
            urgent_ack_hours=urgent_ack_hours,
            retention_days=retention_days,
            legal_basis=legal_basis,
        )
    console.print(f"agency {added} added")


@agencies_app.command("grant")
def agencies_grant(
    grantee: str,
    level: Annotated[str, typer.Option(help="summary or full")],
) -> None:
    """Let a partner see your agency's Records at a higher level (supervisor)."""
    with errors_as_messages():
        identity.grant(acting(), grantee, level)
    console.print(f"{grantee.upper()} now sees your records at {level} at least")


@users_app.command("add")
def users_add(
    name: str,
    agency: Annotated[str, typer.Option(help="The user's agency code")],
    role: Annotated[str, typer.Option(help="analyst, supervisor, duty-officer, auditor, admin")],
    days: Annotated[int, typer.Option(help="Days the token is valid")] = identity.TOKEN_DAYS,
) -> None:
    """Add a user; their token is printed once."""
    with errors_as_messages():
        issued = identity.add_user(acting(), name, agency, role, days)
    _show(issued)


@tokens_app.command("issue")
def tokens_issue(
    user: str,
    days: Annotated[int, typer.Option(help="Days the token is valid")] = identity.TOKEN_DAYS,
) -> None:
    """Issue a new token to a user (printed once)."""
    with errors_as_messages():
        issued = identity.issue_token(acting(), user, days)
    _show(issued)


@tokens_app.command("rotate")
def tokens_rotate(
    days: Annotated[int, typer.Option(help="Days the new token is valid")] = identity.TOKEN_DAYS,
) -> None:
    """Exchange your token for a new one only you have seen; the old one stops working.

    The admin issued the token you were given and saw it once; until you rotate it, every
    event done with it says so (`token_issued_by`)."""
    with errors_as_messages():
        issued = identity.rotate_token(acting(), days)
    _show(issued)


@tokens_app.command("revoke")
def tokens_revoke(
    token_id: Annotated[
        str | None,
        typer.Argument(help="The token's id: the part between `ftf_` and the secret"),
    ] = None,
    user: Annotated[str | None, typer.Option(help="Revoke every token of this user")] = None,
) -> None:
    """Revoke a token (or all of a user's): it stops working at once."""
    with errors_as_messages():
        count = identity.revoke(acting(), token_id, user)
    console.print(f"{count} token(s) revoked")


def whoami() -> None:
    """The user, agency and role your token acts as."""
    caller = acting().caller
    out.print(
        f"{caller.name} ({caller.role.value}, {caller.agency})", highlight=False, markup=False
    )


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(whoami)
    app.add_typer(agencies_app, name="agencies")
    app.add_typer(users_app, name="users")
    app.add_typer(tokens_app, name="tokens")
