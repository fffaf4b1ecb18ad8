"""Refusals, audited: one `access.denied` event for every request the policy refuses.

A refused request's own transaction rolls back (nothing it did is kept), so its refusal is
written after that, in a transaction of its own: who asked (the user, the agency, the role),
for which stated purpose, what was asked (the service and the reference or id it was asked
for — never the content sent with it: a note, a file, a token), which rule refused it and
why, in the hash chain like every other event. Every service a face calls is wrapped in
`guarded`, so the CLI, the API and the workbench record refusals alike without a line of
their own.

Refusals cost the asker next to nothing, so they are bounded: per user and database, at
most `LIMIT` itemised events in `WINDOW` seconds (the last of them says the bound was
reached); further refusals in that window are counted, and the count — how many, of which
rules, from when to when — is written as one event when the window has passed (at the next
refusal of anyone's, or when a server stops: `flush`). The windows are rows of the
database, so the bound holds across every process of the hub, not per process. A flood is
thus in the trail as a count, never silent, and never more than `LIMIT + 1` events a minute
per user (and one more for each server stopping within that minute). A request refused before
anyone is known (no token, a malformed one, an unknown one, a wrong secret) writes nothing:
there is no one to name, and anyone could write to the trail; a token revoked or expired
is its user's refusal.
"""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import PurePath
from typing import Any, ParamSpec, TypeVar, cast

from anyio import to_thread
from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.audit.chain import Entry, lock_head, record_events
from ftfhub.clock import iso_utc, utcnow
from ftfhub.domain.vocab import AuditAction
from ftfhub.policy import AccessDenied
from ftfhub.services.context import Context, Database, Unseen
from ftfhub.store.models import RefusalWindow

log = logging.getLogger("ftfhub.audit")

LIMIT = 30
"""Itemised refusals per user per window; the rest of the window's are counted."""
WINDOW = 60.0
"""Seconds."""
MAX_REASON = 300
MAX_OBJECT = 200  # the audit trail's object_id column (store/models.py)
MAX_ACTOR, MAX_AGENCY = 200, 32  # the refusal windows' key columns

REFUSALS: tuple[type[Exception], ...] = (AccessDenied, Unseen)

P = ParamSpec("P")
R = TypeVar("R")

_DEPTH: ContextVar[int] = ContextVar("ftfhub_guarded_depth", default=0)


@dataclass(frozen=True)
class Asked:
    """Who was refused what, as the event names them."""

    actor: str
    agency: str
    role: str
    purpose: str
    request: str
    object_type: str
    object_id: str


def rule_of(exc: BaseException) -> str:
    return str(getattr(exc, "rule", "refused"))


def _entry(asked: Asked, exc: BaseException, extra: dict[str, Any] | None = None) -> Entry:
    details: dict[str, Any] = {
        "role": asked.role,
        "request": asked.request,
        "rule": rule_of(exc),
        "reason": str(exc)[:MAX_REASON],
    }
    return Entry(
        actor=asked.actor,
        agency=asked.agency,
        action=AuditAction.ACCESS_DENIED.value,
        object_type=asked.object_type,
        object_id=asked.object_id[:MAX_OBJECT],
        purpose=" ".join(asked.purpose.split())[:500],
        details=details | (extra or {}),
    )


@dataclass(frozen=True)
class Bound:
    """The per-user bound on itemised refusals (see the module's docstring). Its state is one
    row per user in the database (`refusal_windows`), read and changed under the audit
    chain's lock in the transaction that writes the refusal: every process of the hub — API
    workers, a command-line process per command — shares one bound per user."""

    limit: int = LIMIT
    seconds: float = WINDOW
    clock: Callable[[], datetime] = utcnow


BOUND = Bound()


def _summary(window: RefusalWindow) -> Entry:
    """The one event that stands for the refusals of a window counted past the bound."""
    return Entry(
        actor=window.actor,
        agency=window.agency,
        action=AuditAction.ACCESS_DENIED.value,
        object_type="refusals",
        object_id=f"{window.suppressed} more",
        purpose="",
        details={
            "role": window.role,
            "rule": "bounded",
            "suppressed": window.suppressed,
            "rules": dict(sorted(window.rules.items())),
            # UTC with its zone (`…Z`): a reader of the trail elsewhere must not take it for
            # their local time (events before this change hold it without `Z`, as hashed).
            "from": iso_utc(window.started_at),
            "to": iso_utc(window.last_at or window.started_at),
        },
    )


def _counted(session: Session, now: datetime | None) -> list[Entry]:
    """The summaries of the windows with refusals counted past the bound — those over by
    `now`, or every one (`now` None: a server stopping) — their counts then reset."""
    stmt = select(RefusalWindow).where(RefusalWindow.suppressed > 0)
    if now is not None:
        stmt = stmt.where(RefusalWindow.started_at <= now - timedelta(seconds=BOUND.seconds))
    order = (RefusalWindow.started_at, RefusalWindow.actor, RefusalWindow.agency)
    entries = []
    for window in session.execute(stmt.order_by(*order)).scalars():
        entries.append(_summary(window))
        window.suppressed, window.rules, window.last_at = 0, {}, None
    return entries


def _admitted(session: Session, asked: Asked, rule: str, now: datetime) -> bool | None:
    """Count one refusal in its user's window: True if it is written itemised and is the
    last so written, False if itemised, None if only counted (past the bound)."""
    key = (asked.actor[:MAX_ACTOR], asked.agency[:MAX_AGENCY])
    window = session.get(RefusalWindow, key)
    if window is None:
        window = RefusalWindow(
            actor=key[0], agency=key[1], role=asked.role[:32], started_at=now, written=0
        )
        window.suppressed, window.rules = 0, {}
        session.add(window)
    elif window.started_at <= now - timedelta(seconds=BOUND.seconds):
        window.started_at, window.written, window.role = now, 0, asked.role[:32]
    if window.written < BOUND.limit:
        window.written += 1
        return window.written == BOUND.limit
    window.suppressed += 1
    window.rules = {**window.rules, rule: window.rules.get(rule, 0) + 1}
    window.last_at = now
    return None


def _write(db: Database, entries: Callable[[Session], list[Entry]]) -> None:
    """Under the chain's lock (so that every process sees one window per user), work out
    the events and append them, in a transaction of the refusal's own."""
    try:
        with db.transaction() as session:
            lock_head(session)
            record_events(session, entries(session))
    except Exception:  # a refusal stays a refusal even if its event cannot be written
        log.exception("a refusal could not be written to the audit trail")


def record_refusal(db: Database, asked: Asked, exc: BaseException) -> None:
    """Write one refusal (or count it, past the bound) in a transaction of its own, with
    the counts of any window now over (anyone's)."""
    rule = rule_of(exc)

    def entries(session: Session) -> list[Entry]:
        now = BOUND.clock()
        out = _counted(session, now)
        last = _admitted(session, asked, rule, now)
        if last is not None:
            bound = f"{BOUND.limit} per {BOUND.seconds:g} s: the rest of the window counted"
            out.append(_entry(asked, exc, {"bound": bound} if last else None))
        return out

    _write(db, entries)


def flush(db: Database) -> None:
    """Write the counts of every window still holding some (a server stopping)."""
    _write(db, lambda session: _counted(session, None))


def _asked_of(ctx: Context, request: str, object_type: str, object_id: str) -> Asked:
    caller = ctx.caller
    return Asked(
        caller.name,
        caller.agency,
        caller.role.value,
        ctx.purpose,
        request,
        object_type,
        object_id,
    )


def _named(value: Any) -> str:
    """What was asked, as the trail names it: a file by its name, never its content."""
    if value is None:
        return ""
    return value.name if isinstance(value, PurePath) else str(value)


Unnamed = Callable[[Context], tuple[str, str]]
"""What a call that names no object asks for, as its own event would name it."""


def guarded(
    object_type: str = "service", *arguments: str, unnamed: Unnamed | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A service whose refusals are audited: `object_type` and the call's `arguments` (the
    reference or id the caller asked for, by parameter name) name what was asked. A call
    whose arguments name nothing (an optional agency left out) is named by `unnamed` — as
    the event of the same call allowed would name it (the whole chain `chain:*`, the
    caller's own agency) — never by the name of a function of the code; a service that
    takes no object is named by its service. Only the outermost guarded call of a request
    writes (a service calling another is one request)."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(fn)
        request = f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"

        def refused(args: tuple[Any, ...], kwargs: dict[str, Any], exc: BaseException) -> None:
            bound = signature.bind_partial(*args, **kwargs)
            ctx = bound.arguments.get("ctx")
            if not isinstance(ctx, Context):
                return
            named = [_named(bound.arguments.get(a)) for a in arguments]
            kind, what = object_type, " ".join(n for n in named if n)
            if not what:
                kind, what = unnamed(ctx) if unnamed else ("service", request)
            record_refusal(ctx.db, _asked_of(ctx, request, kind, what), exc)

        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                outer = _DEPTH.get() == 0
                depth = _DEPTH.set(_DEPTH.get() + 1)
                try:
                    return await fn(*args, **kwargs)
                except REFUSALS as exc:
                    if outer:
                        await to_thread.run_sync(refused, args, kwargs, exc)
                    raise
                finally:
                    _DEPTH.reset(depth)

            run_async.__guarded__ = True  # type: ignore[attr-defined]
            return cast(Callable[P, R], run_async)

        if inspect.isgeneratorfunction(fn):

            @functools.wraps(fn)
            def run_generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
                outer = _DEPTH.get() == 0  # a generator runs between its caller's steps
                try:
                    yield from fn(*args, **kwargs)
                except REFUSALS as exc:
                    if outer:
                        refused(args, kwargs, exc)
                    raise

            run_generator.__guarded__ = True  # type: ignore[attr-defined]
            return cast(Callable[P, R], run_generator)

        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            outer = _DEPTH.get() == 0
            depth = _DEPTH.set(_DEPTH.get() + 1)
            try:
                return fn(*args, **kwargs)
            except REFUSALS as exc:
                if outer:
                    refused(args, kwargs, exc)
                raise
            finally:
                _DEPTH.reset(depth)

        run.__guarded__ = True  # type: ignore[attr-defined]
        return run

    return wrap


def is_guarded(fn: Callable[..., Any]) -> bool:
    """For the test that every service a face may call is guarded."""
    return bool(getattr(fn, "__guarded__", False))
