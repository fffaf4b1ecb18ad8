"""One audit event per service call, written in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from ftfhub.audit.chain import Entry, record_events
from ftfhub.domain.vocab import AuditAction
from ftfhub.services.context import Context


def audit(
    session: Session,
    ctx: Context,
    action: AuditAction,
    object_type: str,
    object_id: str,
    details: dict[str, Any] | None = None,
    *,
    purpose: str | None = None,
) -> None:
    """Name the user, the agency and the stated purpose of what the caller did."""
    record_events(session, [entry(ctx, action, object_type, object_id, details, purpose)])


def entry(
    ctx: Context,
    action: AuditAction,
    object_type: str,
    object_id: str,
    details: dict[str, Any] | None = None,
    purpose: str | None = None,
) -> Entry:
    """The event `audit` would write, to be committed with other requests' events
    (`group_commit.writer(db).append(…)`, which returns once it is)."""
    return Entry(
        actor=ctx.caller.name,
        agency=ctx.caller.agency,
        action=action.value,
        object_type=object_type,
        object_id=object_id,
        purpose=" ".join((ctx.purpose if purpose is None else purpose).split()),
        details={"role": ctx.caller.role.value, **(details or {}), **token_detail(ctx)},
    )


def token_detail(ctx: Context) -> dict[str, Any]:
    """Which token the caller acted with and, when someone else issued it, who: the admin
    issues tokens and sees each once, so an event done with a token its user did not issue
    (`tokens rotate`) says that another person could have done it. `None` is a token issued
    before migration 0012, by an admin not named."""
    caller = ctx.caller
    if caller.token_id is None:
        return {}
    found: dict[str, Any] = {"token": caller.token_id}
    if caller.issued_by != caller.name:
        found["token_issued_by"] = caller.issued_by
    return found


def disclosed_detail(recipient: str, records: Iterable[tuple[str, str, str]]) -> dict[str, Any]:
    """The `disclosed` detail of a read that showed other agencies' Records: for each owner
    and level, the references of the Records shown (never content), so the oversight report
    can say which of a partner's Records reached `recipient`. `records` are (owner, level,
    reference); the recipient's own are no disclosure."""
    found: dict[str, dict[str, set[str]]] = {}
    for owner, level, reference in records:
        if owner != recipient:
            found.setdefault(owner, {}).setdefault(level, set()).add(reference)
    disclosed = {
        owner: {level: sorted(refs) for level, refs in sorted(levels.items())}
        for owner, levels in sorted(found.items())
    }
    return {"disclosed": disclosed} if disclosed else {}
