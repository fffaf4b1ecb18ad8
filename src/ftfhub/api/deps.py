"""What a route needs, as FastAPI dependencies: the database, the acting user (from the
bearer token, through the services' `authenticate`), the purpose, the index."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Query, Request

from ftfhub.api.errors import NotAuthenticated
from ftfhub.services import Caller, Context, Database

Authenticate = Callable[[Database, str | None], Caller]
AUTH_CACHE_SECONDS = 10.0
"""A verified token is trusted this long before it is checked again (a token check hashes
with Argon2, ~0.1 s): a revoked or expired token stops working within this time."""


class TokenCache:
    def __init__(self, authenticate: Authenticate, seconds: float = AUTH_CACHE_SECONDS) -> None:
        self.authenticate, self.seconds = authenticate, seconds
        self._known: dict[str, tuple[Caller, float]] = {}
        self._lock = threading.Lock()

    def caller(self, db: Database, token: str) -> Caller:
        digest = hashlib.sha256(token.encode()).hexdigest()
        with self._lock:
            found = self._known.get(digest)
        if found is not None and found[1] > time.monotonic():
            return found[0]
        caller = self.authenticate(db, token)
        with self._lock:
            if len(self._known) > 10_000:
                self._known.clear()
            self._known[digest] = (caller, time.monotonic() + self.seconds)
        return caller


def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def acting_caller(
    request: Request,
    db: Annotated[Database, Depends(database)],
    authorization: Annotated[str | None, Header(description="Bearer <token>")] = None,
) -> Caller:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("no bearer token: send 'Authorization: Bearer <your token>'")
    cache: TokenCache = request.app.state.tokens
    return cache.caller(db, token.strip())


def context(
    db: Annotated[Database, Depends(database)],
    caller: Annotated[Caller, Depends(acting_caller)],
    purpose: Annotated[
        str, Query(max_length=500, description="Stated purpose, kept in the audit trail")
    ] = "",
    x_purpose: Annotated[str, Header(max_length=500)] = "",
) -> Context:
    return Context(db, caller, purpose or x_purpose)


Ctx = Annotated[Context, Depends(context)]
