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
refusal, or when the server stops: `flush`). A flood is thus in the trail as a count, never
silent, and never more than `LIMIT + 1` events a minute per user. A request refused before
anyone is known (no token, a malformed one, an unknown one, a wrong secret) writes nothing:
there is no one to name, and anyone could write to the trail; a token revoked or expired
is its user's refusal.
"""

from __future__ import annotations

import functools
import inspect
import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any, ParamSpec, TypeVar, cast

from anyio import to_thread

from ftfhub.audit.chain import Entry, record_events
from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction
from ftfhub.policy import AccessDenied
from ftfhub.services.context import Context, Database, Unseen

log = logging.getLogger("ftfhub.audit")

LIMIT = 30
"""Itemised refusals per user per window; the rest of the window's are counted."""
WINDOW = 60.0
"""Seconds."""
MAX_REASON = 300
MAX_OBJECT = 200  # the audit trail's object_id column (store/models.py)

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


@dataclass
class _Window:
    db: Database
    asked: Asked
    start: float
    started_at: datetime
    written: int = 0
    suppressed: int = 0
    rules: Counter[str] = field(default_factory=Counter)
    last_at: datetime | None = None

    def summary(self) -> Entry:
        a = self.asked
        return Entry(
            actor=a.actor,
            agency=a.agency,
            action=AuditAction.ACCESS_DENIED.value,
            object_type="refusals",
            object_id=f"{self.suppressed} more",
            purpose="",
            details={
                "role": a.role,
                "rule": "bounded",
                "suppressed": self.suppressed,
                "rules": dict(sorted(self.rules.items())),
                "from": self.started_at.isoformat(timespec="seconds"),
                "to": (self.last_at or self.started_at).isoformat(timespec="seconds"),
            },
        )


class Bound:
    """The per-user bound on itemised refusals (see the module's docstring); per process."""

    def __init__(
        self,
        limit: int = LIMIT,
        seconds: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.seconds, self.clock = limit, seconds, clock
        self._windows: dict[tuple[str, str, str], _Window] = {}
        self._lock = threading.Lock()

    def admit(self, db: Database, asked: Asked, rule: str) -> tuple[bool, bool, list[_Window]]:
        """(write this refusal itemised?, is it the last one itemised?, windows now over
        with refusals counted in them, to write)."""
        now = self.clock()
        with self._lock:
            over = self._take_over(now)
            key = (db.url, asked.actor, asked.agency)
            window = self._windows.get(key)
            if window is None:
                window = self._windows[key] = _Window(db, asked, now, utcnow())
            if window.written < self.limit:
                window.written += 1
                return True, window.written == self.limit, over
            window.suppressed += 1
            window.rules[rule] += 1
            window.last_at = utcnow()
            return False, False, over

    def take_all(self) -> list[_Window]:
        with self._lock:
            return self._take_over(None)

    def _take_over(self, now: float | None) -> list[_Window]:
        over = [k for k, w in self._windows.items() if now is None or now - w.start >= self.seconds]
        return [w for w in (self._windows.pop(k) for k in over) if w.suppressed]


BOUND = Bound()


def _write(db: Database, entries: list[Entry]) -> None:
    if not entries:
        return
    try:
        with db.transaction() as session:
            record_events(session, entries)
    except Exception:  # a refusal stays a refusal even if its event cannot be written
        log.exception("a refusal could not be written to the audit trail")


def _write_windows(windows: list[_Window]) -> None:
    by_db: dict[int, tuple[Database, list[Entry]]] = {}
    for w in windows:
        by_db.setdefault(id(w.db), (w.db, []))[1].append(w.summary())
    for db, entries in by_db.values():
        _write(db, entries)


def record_refusal(db: Database, asked: Asked, exc: BaseException) -> None:
    """Write one refusal (or count it, past the bound) in a transaction of its own."""
    rule = rule_of(exc)
    itemised, last, over = BOUND.admit(db, asked, rule)
    _write_windows(over)
    if itemised:
        bound = f"{BOUND.limit} per {BOUND.seconds:g} s: the rest of the window counted"
        _write(db, [_entry(asked, exc, {"bound": bound} if last else None)])


def flush() -> None:
    """Write the counts of every window still open (a server stopping)."""
    _write_windows(BOUND.take_all())


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


def guarded(
    object_type: str = "service", *arguments: str
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """A service whose refusals are audited: `object_type` and the call's `arguments` (the
    reference or id the caller asked for, by parameter name) name what was asked; without
    them, the service's own name. Only the outermost guarded call of a request writes (a
    service calling another is one request)."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        signature = inspect.signature(fn)
        request = f"{fn.__module__.rsplit('.', 1)[-1]}.{fn.__name__}"

        def refused(args: tuple[Any, ...], kwargs: dict[str, Any], exc: BaseException) -> None:
            bound = signature.bind_partial(*args, **kwargs)
            ctx = bound.arguments.get("ctx")
            if not isinstance(ctx, Context):
                return
            named = [_named(bound.arguments.get(a)) for a in arguments]
            what = " ".join(n for n in named if n) or request
            record_refusal(ctx.db, _asked_of(ctx, request, object_type, what), exc)

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
