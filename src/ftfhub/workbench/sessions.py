"""Log-in sessions kept on the server: the cookie holds only a random id, never the token.

Each session carries its own CSRF secret; every form posts it back. A session ends on
log-out, after `IDLE_SECONDS` without a request, or as soon as its token stops working.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from ftfhub.services import Caller

IDLE_SECONDS = 8 * 3600.0
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

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle = idle_seconds
        self._by_id: dict[str, WebSession] = {}
        self._lock = threading.Lock()

    def new(self, token: str | None = None, caller: Caller | None = None) -> WebSession:
        """A fresh session id (a log-in never keeps the id it arrived with)."""
        session = WebSession(
            secrets.token_urlsafe(32), secrets.token_urlsafe(32), token, caller, 0.0
        )
        session.expires = time.monotonic() + self.idle
        with self._lock:
            if len(self._by_id) > 50_000:
                self._sweep()
            self._by_id[session.id] = session
        return session

    def get(self, session_id: str | None) -> WebSession | None:
        if not session_id:
            return None
        with self._lock:
            session = self._by_id.get(session_id)
            if session is None:
                return None
            if session.expires < time.monotonic():
                del self._by_id[session_id]
                return None
            session.expires = time.monotonic() + self.idle
            return session

    def drop(self, session_id: str) -> None:
        with self._lock:
            self._by_id.pop(session_id, None)

    def _sweep(self) -> None:
        now = time.monotonic()
        for key in [k for k, s in self._by_id.items() if s.expires < now]:
            del self._by_id[key]
