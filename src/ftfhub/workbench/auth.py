"""Who is signed in, and the checks every page and form goes through.

A page acts as the user of the session's token, re-checked through the same token check as
the API (cached for seconds), so a revoked token ends the session. A form is accepted only
with the session's CSRF secret; the cookie is HttpOnly and SameSite=Strict besides.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Protocol

from fastapi import Depends, Path, Request

from ftfhub.domain.validation import MAX_ROW_ID
from ftfhub.services import Caller, Context, Database
from ftfhub.workbench.sessions import COOKIE, Sessions, WebSession


class TokenCheck(Protocol):
    """The API's token cache (`ftfhub.api.deps.TokenCache`), as the workbench uses it."""

    def caller(self, db: Database, token: str) -> Caller: ...


class SignInNeeded(Exception):
    """No session, or its token no longer works: back to the log-in page. `ended` when the
    browser had a session that is gone (idle too long, a restart, a revoked token), which
    the log-in page says, rather than greeting the user as if they had never logged in."""

    def __init__(self, ended: bool = False) -> None:
        super().__init__("sign in")
        self.ended = ended


class BadForm(Exception):
    """A form without the session's CSRF secret (or with a stale one)."""


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def sessions(request: Request) -> Sessions:
    found: Sessions = request.app.state.sessions
    return found


def current_session(request: Request) -> WebSession | None:
    return sessions(request).get(request.cookies.get(COOKIE))


def is_not_authenticated(exc: BaseException) -> bool:
    """The services' NotAuthenticated, or an injected checker's of the same name."""
    return type(exc).__name__ == "NotAuthenticated"


def signed_in(request: Request) -> WebSession:
    session = current_session(request)
    if session is None or session.token is None:
        raise SignInNeeded(ended=session is None and bool(request.cookies.get(COOKIE)))
    tokens: TokenCheck = request.app.state.tokens
    try:
        session.caller = tokens.caller(database(request), session.token)
    except Exception as exc:
        if is_not_authenticated(exc):
            sessions(request).drop(session.id)
            raise SignInNeeded(ended=True) from None
        raise
    return session


def context(request: Request, session: Annotated[WebSession, Depends(signed_in)]) -> Context:
    """The signed-in user's context, with the purpose stated in this session (posted by a
    form, kept on the server: `purpose_pages`). A `?purpose=` in an address is not read: a
    purpose travelling in URLs lands in server logs and browser history."""
    assert session.caller is not None
    return Context(database(request), session.caller, session.purpose)


def spoken(purpose: object) -> str:
    """A purpose as typed into a form: one line, at most 500 characters."""
    return " ".join(str(purpose or "").split())[:500]


async def checked_form(
    request: Request, session: Annotated[WebSession, Depends(signed_in)]
) -> dict[str, str]:
    """The posted form's text fields, once its CSRF secret matches the session's."""
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not hmac.compare_digest(sent, session.csrf):
        raise BadForm
    request.state.form = form
    return {k: v for k, v in form.items() if isinstance(v, str)}


Signed = Annotated[WebSession, Depends(signed_in)]
Ctx = Annotated[Context, Depends(context)]
RowId = Annotated[int, Path(le=MAX_ROW_ID)]
HitRef = Annotated[str, Path(max_length=64)]
"""A hit by its reference (`H-…`); a row number is answered as a hit that does not exist."""
Form = Annotated[dict[str, str], Depends(checked_form)]
