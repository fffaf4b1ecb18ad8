"""The API application: `create_app()` builds it, `ftfhub serve` runs it under uvicorn.

One app per hub database. At start-up the screening index is loaded beside the database (or
built) in the background — `/ready` answers 503 until it is — and the escalation pass runs on
a schedule inside the server. Every request acts as the user of its bearer token, through the
same services (policy, purpose, audit) as the command line.
"""

from __future__ import annotations

import gc
import html
import importlib
import logging
import os
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from ftfhub.api import errors
from ftfhub.api.cases import router as cases_router
from ftfhub.api.deps import Authenticate, TokenCache
from ftfhub.api.errors import TooLarge, error_body
from ftfhub.api.routes import MAX_QUERIES, router
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Context, Database, denials
from ftfhub.services.index_access import screening_index

log = logging.getLogger("ftfhub.api")
MAX_BODY = 5 * 2**20
ESCALATE_EVERY = 300.0
SWITCH_SECONDS = 0.0005
"""How long a thread may hold the interpreter before another may run (Python's default is
5 ms): the audit writer hands each request back its committed event, and every hand-over
between it and the event loop waited up to the default interval, most of a request's
latency at a few hundred requests a second."""

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def services_token_cache() -> TokenCache:
    """The services' token check (users and tokens of the hub), and its cheap re-check."""
    module = importlib.import_module("ftfhub.services.identity")
    check: Authenticate = module.authenticate
    recheck: Authenticate = module.recheck
    return TokenCache(check, recheck)


class BodyLimit:
    """Refuse a body over `limit` bytes with 413 before reading it (by its Content-Length)
    or as soon as it grows past the limit (a chunked body)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            if str(scope.get("path", "")).startswith("/workbench/"):
                await _refuse_page(send, self.limit, str(scope.get("root_path", "")))
            else:
                await _refuse(send, self.limit)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise TooLarge(f"the body is over {self.limit:,} bytes")
            return message

        await self.app(scope, counted, send)


API_HEADERS = [(b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff")]
"""On every answer of the API: a record, a hit, a case is personal data no browser or proxy
cache may keep (the Swagger page at /docs calls the API from a browser), and a JSON error that
repeats what was asked is never read as a page."""


class ApiHeaders:
    """`API_HEADERS` on every answer outside the workbench (whose pages set their own)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or str(scope.get("path", "")).startswith("/workbench/"):
            await self.app(scope, receive, send)
            return

        async def guarded(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *API_HEADERS]
            await send(message)

        await self.app(scope, receive, guarded)


async def _refuse(send: Send, limit: int) -> None:
    import json

    body = json.dumps(error_body(413, f"the body is over {limit:,} bytes")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse_page(send: Send, limit: int, root: str) -> None:
    """The same refusal as a page: a browser posting a file over the limit to the workbench
    showed the API's JSON, with no word of what to do instead."""
    size = f"{limit / 2**20:.0f} MB"
    body = (
        "<!doctype html><html lang='en'><meta charset='utf-8'><title>File too large</title>"
        "<h1>This file is too large</h1>"
        f"<p role='alert'>The workbench takes files of up to {size} (about 50,000 travellers). "
        "For a longer file use <code>ftfhub screen FILE</code> on the command line, which "
        "reads a file of any length.</p>"
        f"<p><a href='{html.escape(root)}/workbench/search'>Back to search and screen</a></p>"
        "</html>"
    ).encode()
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _load_index(app: FastAPI, db: Database) -> None:
    try:
        with db.reading() as session:
            app.state.index = screening_index(session)
        # The index's millions of objects live as long as the process: keep them out of
        # the collector's full passes (a pause of tens of milliseconds at a million).
        gc.collect()
        gc.freeze()
    except Exception:  # the server stays up and says it is not ready
        log.exception("the screening index could not be loaded")


def _escalation_loop(db: Database, every: float, stop: threading.Event) -> None:
    from ftfhub.services.schedule import escalate

    ctx = Context(db, Caller("scheduler", "HUB", Role.DUTY_OFFICER), "escalation schedule")
    while not stop.wait(every):
        try:
            escalate(ctx)
        except Exception:
            log.exception("escalation pass failed")


def create_app(
    db: Database | None = None,
    *,
    authenticate: Authenticate | None = None,
    max_body: int = MAX_BODY,
    max_queries: int = MAX_QUERIES,
    escalate_every: float | None = None,
) -> FastAPI:
    """The API for one hub database (default: FTFHUB_DATABASE_URL); the escalation pass every
    `escalate_every` seconds (default FTFHUB_ESCALATE_SECONDS or 300; 0: never)."""
    if escalate_every is None:
        escalate_every = float(os.environ.get("FTFHUB_ESCALATE_SECONDS", ESCALATE_EVERY))
    if db is None:
        from ftfhub.settings import Settings

        db = Database(Settings.from_env().database_url)
    stop = threading.Event()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        sys.setswitchinterval(SWITCH_SECONDS)
        threading.Thread(target=_load_index, args=(app, db), daemon=True).start()
        if escalate_every:
            args = (db, escalate_every, stop)
            threading.Thread(target=_escalation_loop, args=args, daemon=True).start()
        yield
        stop.set()
        denials.flush(db)  # refusals counted past the bound are written, not lost

    app = FastAPIOffline(  # /docs and /redoc with no script from the internet
        title="ftfhub",
        summary="Share records, screen travellers, answer hits: the hub's REST API.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.index = None
    app.state.tokens = TokenCache(authenticate) if authenticate else services_token_cache()
    app.state.max_queries = max_queries
    app.include_router(router)
    app.include_router(cases_router)
    # The workbench (pages at /workbench) over the same services; faces do not import each
    # other, so it is found by name as the services' token check is.
    importlib.import_module("ftfhub.workbench").mount(app)
    errors.install(app)
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(ApiHeaders)
    return app
