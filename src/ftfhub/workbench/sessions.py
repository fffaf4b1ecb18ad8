"""Log-in sessions kept on the server: the cookie holds only a random id, never the token.

Each session carries its own CSRF secret; every form posts it back. A session ends on
log-out, after `IDLE_SECONDS` without a request, or as soon as its token stops working.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

from ftfhub.services import Caller

IDLE_SECONDS = 8 * 3600.0
PENDING_SECONDS = 900.0
"""How long a log-in form's session waits for its token."""
MAX_PENDING = 10_000
"""Log-in forms held at once; past it the oldest is forgotten (its form says to try again).
Anyone may ask for the form, with no token: each was a session kept for `IDLE_SECONDS`, so a
flood of anonymous requests grew the server's memory without bound and, past 50,000, made
every new session sweep them all under the lock every request takes (1.3 ms each)."""
COOKIE = "ftfhub_session"


@dataclass
class WebSession:
    id: str
    csrf: str
    token: str | None = None
    caller: Caller | None = None
    expires: float = field(default=0.0)
    purpose: str = ""
    """The purpose the user stated (a form posted, never an address: a URL's query lands in
    server logs, browser history and Referer headers); every read of the session states it
    in its audit event until the user changes or clears it."""


class Sessions:
    """Sessions of one workbench process (a restart logs everyone out)."""

    def __init__(
        self,
        idle_seconds: float = IDLE_SECONDS,
        pending_seconds: float = PENDING_SECONDS,
        max_pending: int = MAX_PENDING,
    ) -> None:
        self.idle, self.pending_idle, self.max_pending = idle_seconds, pending_seconds, max_pending
        self._by_id: dict[str, WebSession] = {}
        self._pending: OrderedDict[str, WebSession] = OrderedDict()
        """Sessions not signed in (a log-in form's), oldest first."""
        self._lock = threading.Lock()

    def new(self, token: str | None = None, caller: Caller | None = None) -> WebSession:
        """A fresh session id (a log-in never keeps the id it arrived with)."""
        session = WebSession(
            secrets.token_urlsafe(32), secrets.token_urlsafe(32), token, caller, 0.0
        )
        with self._lock:
            if token is None:
                session.expires = time.monotonic() + self.pending_idle
                while len(self._pending) >= self.max_pending:
                    self._pending.popitem(last=False)
                self._pending[session.id] = session
                return session
            session.expires = time.monotonic() + self.idle
            if len(self._by_id) > 50_000:
                self._sweep()  # signed in: each took a valid token
            self._by_id[session.id] = session
        return session

    def get(self, session_id: str | None) -> WebSession | None:
        if not session_id:
            return None
        with self._lock:
            pending = session_id in self._pending
            held = self._pending if pending else self._by_id
            session = held.get(session_id)
            if session is None:
                return None
            if session.expires < time.monotonic():
                del held[session_id]
                return None
            session.expires = time.monotonic() + (self.pending_idle if pending else self.idle)
            return session

    def drop(self, session_id: str) -> None:
        with self._lock:
            self._by_id.pop(session_id, None)
            self._pending.pop(session_id, None)

    def __len__(self) -> int:
        with self._lock:
            return len(self._by_id) + len(self._pending)

    def _sweep(self) -> None:
        now = time.monotonic()
        for key in [k for k, s in self._by_id.items() if s.expires < now]:
            del self._by_id[key]
