"""What a route needs, as FastAPI dependencies: the database, the acting user (from the
bearer token, through the services' `authenticate`), the purpose, the index."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from ftfhub.api.errors import NotAuthenticated, PurposeInAddress
from ftfhub.domain.validation import MAX_ROW_ID
from ftfhub.services import Caller, Context, Database

Authenticate = Callable[[Database, str | None], Caller]
RECHECK_SECONDS = 1.0
"""How long a verified token is trusted before its row is read again: a revoked or expired
token, or a user moved to another role, stops working within this time."""
STALE_SECONDS = 5.0
"""While one request re-reads a token's row, others with the same token go on with what was
read last, for at most this long."""


class TokenCache:
    """Bearer tokens verified once per process, then re-checked cheaply.

    A token's secret is checked with Argon2 (tens of milliseconds of CPU, by design) the first
    time this process sees it; the entry is keyed by the SHA-256 of the whole token, so only
    the very same secret finds it. After that, every `RECHECK_SECONDS` one request re-reads
    the token's row and its user (`recheck`: revoked? expired? which agency and role?) —
    a primary-key read, no hashing — while concurrent requests with that token use the last
    answer. A token that fails is dropped at once.
    """

    def __init__(
        self,
        authenticate: Authenticate,
        recheck: Authenticate | None = None,
        seconds: float = RECHECK_SECONDS,
    ) -> None:
        self.authenticate, self.seconds = authenticate, seconds
        self.recheck = recheck or authenticate
        self._known: dict[str, tuple[Caller, float]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def known(self, token: str) -> Caller | None:
        """The token's caller if it was checked within `seconds` (no database, no hashing
        beyond one SHA-256), else None."""
        found = self._known.get(hashlib.sha256(token.encode()).hexdigest())
        if found is not None and time.monotonic() - found[1] < self.seconds:
            return found[0]
        return None

    def caller(self, db: Database, token: str) -> Caller:
        digest = hashlib.sha256(token.encode()).hexdigest()
        found = self._known.get(digest)
        now = time.monotonic()
        if found is not None and now - found[1] < self.seconds:
            return found[0]
        with self._lock:
            if len(self._locks) > 10_000:
                self._locks.clear()
            lock = self._locks.setdefault(digest, threading.Lock())
        if found is not None and now - found[1] < STALE_SECONDS:
            if not lock.acquire(blocking=False):
                return found[0]  # another request is re-reading this token's row right now
        else:
            lock.acquire()
        try:
            again = self._known.get(digest)
            if again is not None and time.monotonic() - again[1] < self.seconds:
                return again[0]  # checked by the request we waited for
            check = self.recheck if again is not None else self.authenticate
            try:
                caller = check(db, token)
            except BaseException:
                self._known.pop(digest, None)
                raise
            if len(self._known) > 10_000:
                self._known.clear()
            self._known[digest] = (caller, time.monotonic())
            return caller
        finally:
            lock.release()


async def database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def acting_caller(
    request: Request,
    db: Annotated[Database, Depends(database)],
    authorization: Annotated[str | None, Header(description="Bearer <token>")] = None,
) -> Caller:
    """The token's user: from the cache at once when it was checked within the second
    (dependencies are coroutines, so a request costs no hop to a worker thread for them),
    else checked on a worker thread (Argon2, or the token's row)."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("no bearer token: send 'Authorization: Bearer <your token>'")
    cache: TokenCache = request.app.state.tokens
    known = cache.known(token.strip())
    if known is not None:
        return known
    return await run_in_threadpool(cache.caller, db, token.strip())


async def purpose_not_in_address(request: Request) -> None:
    """A purpose says why a person is looked at: in the address (`?purpose=`) it would be
    kept by access logs, proxies and browser histories. Refused, never ignored (a client
    that put it there would be answered as if it had stated none) nor taken."""
    if any(key.strip().lower() == "purpose" for key in request.query_params):
        raise PurposeInAddress(
            "send the purpose as the X-Purpose header, not in the address (?purpose=):"
            " an address is kept by access logs, proxies and browser histories"
        )


async def context(
    _: Annotated[None, Depends(purpose_not_in_address)],
    db: Annotated[Database, Depends(database)],
    caller: Annotated[Caller, Depends(acting_caller)],
    x_purpose: Annotated[
        str,
        Header(
            max_length=500,
            description="Why you look (e.g. 'flight check', 'case 12'), kept in the audit"
            " trail; needed for another agency's data. Only as this header (UTF-8): a"
            " `purpose` in the address is refused with 400.",
        ),
    ] = "",
) -> Context:
    return Context(db, caller, _as_sent(x_purpose))


def _as_sent(header: str) -> str:
    """A header as its sender wrote it. HTTP headers arrive read as Latin-1, and curl (or
    `ftfhub screen --server`) sends a UTF-8 purpose's bytes as they are: read them as UTF-8,
    so the audit trail keeps "contrôle", not "contrÃ´le". A header that is not UTF-8 (a
    client that really sent Latin-1) stays as it was read."""
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return header


Ctx = Annotated[Context, Depends(context)]
RowId = Annotated[int, Path(le=MAX_ROW_ID)]
"""A hit's or case's number in a path: one no row can have is a 422, not a 500."""


PAGE = 100
"""How many items a list endpoint returns unless asked for fewer (or more, up to MAX_PAGE)."""
MAX_PAGE = 1000
Limit = Annotated[
    int, Query(ge=1, le=MAX_PAGE, description=f"page size (default {PAGE}, at most {MAX_PAGE})")
]
Offset = Annotated[
    int,
    Query(ge=0, le=MAX_ROW_ID, description="how many to skip: the previous page's next_offset"),
]
"""Past the database's largest integer an offset overflowed it (a 500); it is a 422."""
