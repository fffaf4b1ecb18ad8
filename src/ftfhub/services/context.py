"""Who acts, on which database, for which purpose; and the errors a face turns into a message."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from ftfhub.domain.vocab import Role
from ftfhub.policy import AccessDenied, Viewer
from ftfhub.store.db import AUDIT_KEY_INFO, TxMode, make_engine, mode_engine, upgrade


class ServiceError(Exception):
    """A request the service cannot carry out; the message is safe to show the caller."""


class NotFound(ServiceError):
    pass


class Unseen(NotFound):
    """Something the caller asked for by its id or reference that does not exist, or exists
    but is not the caller's to see: both are answered alike, with the same message, so that
    no one learns what another agency holds by asking. Audited as a refusal (rule
    `need-to-know`) — alike too."""

    rule = "need-to-know"


class InvalidRequest(ServiceError):
    pass


class TryAgainLater(ServiceError):
    """Nothing was wrong with the request, but the hub could not do it now (a resolution
    whose data kept changing while it scored): the same request later may succeed. Faces
    say so apart from bad input — the command line exits 75 (EX_TEMPFAIL), the API answers
    503 — so that a scheduler retries it instead of paging someone about their input."""


Refused = AccessDenied
MAX_PURPOSE = 500


class PurposeRequired(AccessDenied):
    """A read of other agencies' data without a stated purpose: no purpose, no access."""

    rule = "purpose-required"


@dataclass
class Database:
    """One hub database: migrated on first use, one engine for the process."""

    url: str
    migrate: bool = True
    audit_key: bytes | None = None
    """A secret the database does not hold, signing the audit chain's head (FTFHUB_AUDIT_KEY)."""
    _engine: Engine | None = field(default=None, init=False, repr=False)
    _sessions: dict[TxMode, sessionmaker[Session]] = field(
        default_factory=dict, init=False, repr=False
    )

    def _factory(self, mode: TxMode) -> sessionmaker[Session]:
        if self._engine is None:
            if self.migrate:
                upgrade(self.url)
            self._engine = make_engine(self.url)
        found = self._sessions.get(mode)
        if found is None:
            info = {AUDIT_KEY_INFO: self.audit_key} if self.audit_key else {}
            engine = mode_engine(self._engine, mode)
            found = self._sessions[mode] = sessionmaker(engine, expire_on_commit=False, info=info)
        return found

    @property
    def local(self) -> bool:
        """A file on this machine (SQLite): a short read or commit costs no network round
        trip, and a server may do it on its event loop."""
        return self.url.startswith("sqlite")

    def reading(self) -> AbstractContextManager[Session]:
        """A transaction that only reads: on SQLite it takes no lock and so never waits for a
        writer (it sees the last committed state); a write in it fails."""
        return self.transaction(TxMode.READ)

    @contextmanager
    def transaction(self, mode: TxMode = TxMode.WRITE) -> Iterator[Session]:
        """A session whose work commits as one transaction, or rolls back on any error."""
        session = self._factory(mode)()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


@dataclass(frozen=True)
class Caller:
    """The authenticated user: who, of which agency, in which role."""

    name: str
    agency: str
    role: Role
    user_id: int | None = None
    token_id: str | None = None
    """The public id of the token the caller acted with (None: no token, e.g. the demo)."""
    issued_by: str | None = None
    """Who issued that token and so has seen it (None: issued before migration 0012)."""

    @property
    def viewer(self) -> Viewer:
        return Viewer(self.name, self.agency, self.role)


@dataclass(frozen=True)
class Context:
    """Everything a service call needs to know about its caller."""

    db: Database
    caller: Caller
    purpose: str = ""

    def __post_init__(self) -> None:
        # A purpose of blanks is no purpose: kept as written, it passed `ctx.purpose or
        # "<default>"` and reached the trail as "" (an export of one's own records with
        # --purpose "   " was audited with an empty purpose, the default one without it).
        object.__setattr__(self, "purpose", " ".join(self.purpose.split()))
        if len(self.purpose) > MAX_PURPOSE:  # the audit trail's column (store/models.py)
            raise InvalidRequest(f"a stated purpose is at most {MAX_PURPOSE} characters")

    def with_purpose(self, purpose: str) -> Context:
        return replace(self, purpose=purpose)

    def require_purpose(self, what: str) -> str:
        purpose = " ".join(self.purpose.split())
        if not purpose:
            raise PurposeRequired(f'{what} needs a stated purpose (--purpose "…")')
        return purpose
