"""Who is who: the first admin, agencies, users with roles, and their tokens.

Every face turns a token into a `Caller` here (`authenticate`); nothing else makes one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction, Disclosure, Role
from ftfhub.policy import Permission, check
from ftfhub.services import tokens
from ftfhub.services.auditing import audit
from ftfhub.services.context import (
    Caller,
    Context,
    Database,
    InvalidRequest,
    NotFound,
    Refused,
)
from ftfhub.services.denials import Asked, guarded, record_refusal
from ftfhub.store.models import Agency, DisclosureGrant, Token, User

log = logging.getLogger("ftfhub.auth")
HUB = "HUB"
TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 3660
_BOUNDS = {
    "ack_hours": (8760, "a year"),
    "urgent_ack_hours": (8760, "a year"),
    "retention_days": (36525, "a hundred years"),
}
"""What an agency's and a token's periods may be: far past any policy, and short of the
year 9999, past which a deadline or an expiry cannot be stored — a stored 99,999,999,999
hours to acknowledge failed every later load that raised a hit on the agency's records."""
_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,31}$")
_NAME = re.compile(r"^[\w.@-]{2,100}$")


class NotAuthenticated(Refused):
    """No token, or one that is unknown, expired or revoked."""

    rule = "token"


@dataclass(frozen=True)
class IssuedToken:
    """A token as it is shown once; only its hash is kept."""

    user: str
    agency: str
    role: Role
    token_id: str
    """The token's public id (the part of the token before its secret)."""
    token: str
    expires_at: datetime


def authenticate(db: Database, token: str | None) -> Caller:
    """The user of a token, its secret checked (Argon2)."""
    if not token or not token.strip():
        raise NotAuthenticated("no token: set FTFHUB_TOKEN or pass --token")
    return _token_caller(db, token, verify=True)


def recheck(db: Database, token: str | None) -> Caller:
    """The caller of a token whose secret this process has already verified (`authenticate`):
    revocation, expiry and the user's agency and role read again from the database, without
    hashing the secret again (a cache keyed by the whole token's digest calls this)."""
    return _token_caller(db, token or "", verify=False)


def _token_caller(db: Database, token: str, *, verify: bool) -> Caller:
    """The token's user, or NotAuthenticated. A revoked or expired token — its secret right,
    so its user known — is audited as that user's refusal (`denials`), once the read has
    ended. A malformed token, an unknown id or a wrong secret names no one and writes
    nothing to the trail (else anyone could write to it); a wrong secret for a real token
    id is logged for the operator."""
    parts = tokens.split(token)
    if parts is None:
        raise NotAuthenticated("the token is not valid")
    with db.reading() as session:
        row = session.scalar(select(Token).where(Token.public_id == parts[0]))
        if row is None:
            raise NotAuthenticated("the token is not valid")
        user = session.get(User, row.user_id)
        assert user is not None
        if verify and not tokens.secret_matches(parts[1], row.secret_hash):
            log.warning("a wrong secret for token %s (user %s)", row.public_id, user.name)
            raise NotAuthenticated("the token is not valid")
        if row.revoked_at is not None:
            refused = NotAuthenticated("the token was revoked", "token-revoked")
        elif row.expires_at <= utcnow():
            refused = NotAuthenticated("the token has expired", "token-expired")
        else:
            return Caller(
                user.name,
                user.agency_code,
                Role(user.role),
                user.id,
                token_id=row.public_id,
                issued_by=row.issued_by,
            )
    asked = Asked(
        user.name, user.agency_code, user.role, "", "authenticate", "token", row.public_id
    )
    record_refusal(db, asked, refused)
    raise refused


def init_hub(db: Database, admin: str = "admin", contact: str = "") -> IssuedToken:
    """Create the hub's agency and its first admin; refused once any user exists."""
    with db.transaction() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise Refused("this hub is already set up: an admin adds users")
        _agency(session, HUB, "Regional hub", contact or "duty-officer@hub.example")
        issued = _new_user(session, _valid_name(admin), HUB, Role.ADMIN, TOKEN_DAYS, admin)
        ctx = Context(db, Caller(admin, HUB, Role.ADMIN, None))
        audit(session, ctx, AuditAction.HUB_INIT, "user", admin, purpose="set up the hub")
    return issued


@guarded("agency", "code")
def add_agency(
    ctx: Context,
    code: str,
    name: str,
    contact: str = "",
    *,
    ack_hours: int | None = None,
    urgent_ack_hours: int | None = None,
    retention_days: int | None = None,
    legal_basis: str = "",
) -> str:
    check(ctx.caller.viewer, Permission.ADMIN)
    code = code.strip().upper()
    if not _CODE.match(code):
        raise InvalidRequest(f"agency code '{code}' must be letters, digits and '-' (e.g. BE-FP)")
    with ctx.db.transaction() as session:
        if session.get(Agency, code) is not None:
            raise InvalidRequest(f"agency {code} already exists")
        agency = _agency(session, code, name, contact or f"duty-officer@{code.lower()}.example")
        for field, value in (
            ("ack_hours", ack_hours),
            ("urgent_ack_hours", urgent_ack_hours),
            ("retention_days", retention_days),
        ):
            if value is not None:
                if value <= 0:
                    raise InvalidRequest(f"{field.replace('_', '-')} must be positive")
                bound, unit = _BOUNDS[field]
                if value > bound:
                    raise InvalidRequest(f"{field.replace('_', '-')} is at most {bound:,} ({unit})")
                setattr(agency, field, value)
        agency.default_legal_basis = legal_basis
        audit(session, ctx, AuditAction.AGENCY_ADD, "agency", code, {"name": name})
    return code


@guarded("user", "name")
def add_user(
    ctx: Context, name: str, agency: str, role: Role | str, days: int = TOKEN_DAYS
) -> IssuedToken:
    check(ctx.caller.viewer, Permission.ADMIN)
    try:
        valid_role = Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InvalidRequest(f"role '{role}' is not one of {choices}") from None
    agency = agency.strip().upper()
    with ctx.db.transaction() as session:
        if session.get(Agency, agency) is None:
            raise NotFound(f"no agency {agency}: add it first (ftfhub agencies add)")
        if valid_role is Role.DUTY_OFFICER and agency != HUB:
            raise InvalidRequest("a duty officer belongs to the hub (--agency HUB)")
        if session.scalar(select(User).where(User.name == name)) is not None:
            raise InvalidRequest(f"user {name} already exists")
        issued = _new_user(session, _valid_name(name), agency, valid_role, days, ctx.caller.name)
        details = {"user": name, "user_agency": agency, "user_role": valid_role.value}
        audit(session, ctx, AuditAction.USER_ADD, "user", name, details)
    return issued


@guarded("user", "user")
def issue_token(ctx: Context, user: str, days: int = TOKEN_DAYS) -> IssuedToken:
    check(ctx.caller.viewer, Permission.ADMIN)
    with ctx.db.transaction() as session:
        row = session.scalar(select(User).where(User.name == user))
        if row is None:
            raise NotFound(f"no user {user}")
        issued = _token(session, row, days, ctx.caller.name)
        # Named as what it is, with whose token it is: written as `user.add` naming the user
        # only, an agency's oversight export withheld that someone could act as its user.
        details = {"days": days, **_whose(row)}
        audit(session, ctx, AuditAction.TOKEN_ISSUE, "token", issued.token_id, details)
    return issued


@guarded()
def rotate_token(ctx: Context, days: int = TOKEN_DAYS) -> IssuedToken:
    """A new token for the caller, issued by the caller and shown to no one else, for the one
    it was called with, which is revoked: a token the admin issued (and so has seen) is
    exchanged for one only its user holds, and events done with it no longer say that
    another person issued it. Any role; the caller must have acted with a token."""
    old = ctx.caller.token_id
    if old is None:
        raise InvalidRequest("only a token can be rotated: set FTFHUB_TOKEN or pass --token")
    with ctx.db.transaction() as session:
        current = session.scalar(
            select(Token).where(Token.public_id == old, Token.revoked_at.is_(None))
        )
        user = session.get(User, current.user_id) if current is not None else None
        if current is None or user is None or user.name != ctx.caller.name:
            raise InvalidRequest("this token is no longer active")
        issued = _token(session, user, days, user.name)
        current.revoked_at = utcnow()
        details = {"days": days, "replaces": old, **_whose(user)}
        audit(session, ctx, AuditAction.TOKEN_ISSUE, "token", issued.token_id, details)
    return issued


def _whose(user: User) -> dict[str, str]:
    """The audit details naming a user, so the event is in that agency's export too."""
    return {"user": user.name, "user_agency": user.agency_code, "user_role": user.role}


@guarded("token", "token_id", "user")
def revoke(ctx: Context, token_id: str | None = None, user: str | None = None) -> int:
    """Revoke one token, or every token of a user; returns how many."""
    check(ctx.caller.viewer, Permission.ADMIN)
    now = utcnow()
    with ctx.db.transaction() as session:
        stmt = select(Token).where(Token.revoked_at.is_(None))
        if token_id is not None:
            stmt = stmt.where(Token.public_id == token_id.strip().lower())
        elif user is not None:
            stmt = stmt.join(User, User.id == Token.user_id).where(User.name == user)
        else:
            raise InvalidRequest("name a token id or --user")
        rows = list(session.execute(stmt).scalars())
        if not rows:
            raise NotFound("no such active token")
        for row in rows:
            row.revoked_at = now
        ids = [r.public_id for r in rows]
        owners = {r.user_id for r in rows}
        owner = session.get(User, owners.pop()) if len(owners) == 1 else None
        details = _whose(owner) if owner is not None else {}
        audit(session, ctx, AuditAction.TOKEN_REVOKE, "token", ",".join(ids), details)
    return len(rows)


@guarded("agency", "grantee")
def grant(ctx: Context, grantee: str, level: Disclosure | str) -> None:
    """The caller's agency lets `grantee` see its Records at `level` at least."""
    viewer = ctx.caller.viewer
    if viewer.role is not Role.SUPERVISOR:
        message = "only a supervisor of the owning agency grants more disclosure"
        raise Refused(message, rule="grant-by-supervisor")
    try:
        valid = Disclosure(level)
    except ValueError:
        raise InvalidRequest(f"level '{level}' is not hit-only, summary or full") from None
    grantee = grantee.upper()
    with ctx.db.transaction() as session:
        if session.get(Agency, grantee) is None:
            raise NotFound(f"no agency {grantee}")
        row = session.get(DisclosureGrant, (viewer.agency, grantee))
        if row is None:
            session.add(
                DisclosureGrant(
                    owner_agency=viewer.agency, grantee_agency=grantee, level=valid.value
                )
            )
        else:
            row.level = valid.value
        audit(session, ctx, AuditAction.AGENCY_GRANT, "agency", grantee, {"level": valid.value})


def _agency(session: Session, code: str, name: str, contact: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        agency = Agency(code=code, name=name, contact=contact)
        session.add(agency)
        session.flush()
    return agency


def _valid_name(name: str) -> str:
    if not _NAME.match(name):
        raise InvalidRequest(
            f"user name '{name}' must be 2-100 letters, digits, '.', '@', '-' or '_'"
        )
    return name


def _new_user(
    session: Session, name: str, agency: str, role: Role, days: int, issuer: str
) -> IssuedToken:
    user = User(name=name, agency_code=agency, role=role.value, created_at=utcnow())
    session.add(user)
    session.flush()
    return _token(session, user, days, issuer)


def _token(session: Session, user: User, days: int, issuer: str) -> IssuedToken:
    """A new token of `user`, shown once to `issuer` (the admin, or the user rotating)."""
    if days <= 0:
        raise InvalidRequest("a token must be valid for at least one day")
    if days > MAX_TOKEN_DAYS:
        raise InvalidRequest(f"a token is valid for at most {MAX_TOKEN_DAYS:,} days (ten years)")
    secret = tokens.new_secret()
    now = utcnow()
    public_id = tokens.new_public_id()
    while session.scalar(select(Token.id).where(Token.public_id == public_id)) is not None:
        public_id = tokens.new_public_id()  # one in 2^48
    row = Token(
        public_id=public_id,
        user_id=user.id,
        secret_hash=tokens.hash_secret(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
        issued_by=issuer,
    )
    session.add(row)
    session.flush()
    return IssuedToken(
        user.name,
        user.agency_code,
        Role(user.role),
        row.public_id,
        tokens.compose(row.public_id, secret),
        row.expires_at,
    )
