"""`audit export`: the trail as a file an oversight body verifies without trusting the hub.

Only an auditor may export (the role that already reads every agency's trail, never Record
content: the trail's events carry who, what, on which object and why, not what a Record
holds). Every export is itself an event of the trail, naming the user, the stated purpose, the
period, the agency and the SHA-256 of the file written, so the next export shows who took which
file.
"""

from __future__ import annotations

from typing import IO

from ftfhub.audit.export import Exporter, ExportSummary, Period, write_export
from ftfhub.clock import iso_utc, utcnow
from ftfhub.domain.vocab import AuditAction
from ftfhub.policy import Permission, check
from ftfhub.services.audit_report import involves
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context, InvalidRequest, NotFound
from ftfhub.services.denials import guarded
from ftfhub.store.models import AuditEvent
from ftfhub.store.records import contacts

__all__ = ["ExportSummary", "Period", "export_trail"]


@guarded("agency", "agency", unnamed=lambda ctx: ("chain", "*"))
def export_trail(
    ctx: Context, sink: IO[bytes], period: Period, agency: str | None = None
) -> ExportSummary:
    """Write the events of `period` (all agencies', or those about `agency`) to `sink`, then
    record the export. The caller keeps the file only once this returns: an export that was
    not recorded is never handed out."""
    check(ctx.caller.viewer, Permission.AUDIT_EXPORT)
    purpose = ctx.require_purpose("an audit export")
    if period.since and period.until and period.since >= period.until:
        raise InvalidRequest("the period is empty: --since must come before --until")
    scope = agency.strip().upper() if agency is not None else None
    if scope == "":
        raise InvalidRequest("--agency needs an agency code")
    by = Exporter(ctx.caller.name, ctx.caller.agency, purpose)
    with ctx.db.reading() as session:
        if scope is not None and scope not in contacts(session):
            who = ", ".join(sorted(contacts(session)))
            raise NotFound(f"no agency {scope} (agencies: {who})")

        def about(event: AuditEvent) -> bool:
            return scope is None or involves(event, scope)

        summary = write_export(session, sink, period, by, agency=scope, include=about, now=utcnow())
    details = {
        # UTC with its zone, as the manifest's period (older events: without `Z`, as hashed)
        "since": iso_utc(period.since) if period.since else None,
        "until": iso_utc(period.until) if period.until else None,
        "first_id": summary.first_id,
        "last_id": summary.last_id,
        "events": summary.events,
        "withheld": summary.withheld,
        "sha256": summary.sha256,
    }
    with ctx.db.transaction() as session:
        audit(
            session,
            ctx,
            AuditAction.AUDIT_EXPORT,
            "agency" if scope else "chain",
            scope or "*",
            details,
            purpose=purpose,
        )
    return summary
