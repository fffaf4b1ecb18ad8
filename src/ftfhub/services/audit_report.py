"""The oversight report: who searched what for which purpose, and what was disclosed to whom.

Read from the audit trail alone (never from Record content), for an auditor or admin about any
agency, or for an agency's own users about their agency. Each disclosure is a line: which
agency's data reached which agency, through which action, at which level of the need-to-know
policy, and how many Records; where the event names them, which Records by the owner's
reference (never their content).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ftfhub.clock import iso_utc
from ftfhub.domain.vocab import AuditAction
from ftfhub.policy import Permission, check, may
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context, NotFound, Refused
from ftfhub.services.denials import guarded
from ftfhub.store.models import AuditEvent
from ftfhub.store.records import contacts

SEARCHES = frozenset(
    {
        AuditAction.SCREEN,
        AuditAction.RECORD_OPEN,
        AuditAction.RECORDS_EXPORT,
        AuditAction.HIT_OPEN,
        AuditAction.HIT_LIST,
        AuditAction.HIT_OVERDUE,
        AuditAction.AUDIT_LIST,
        AuditAction.AUDIT_REPORT,
        AuditAction.AUDIT_EXPORT,
        AuditAction.IDENTITY_EXPLAIN,  # an Identity or its dossier opened
        AuditAction.IDENTITIES_EXPORT,
        AuditAction.IDENTITIES_REVIEW,
        AuditAction.CASE_LIST,  # a case's subject may be a partner's Record reference
        AuditAction.CASE_SHOW,
        AuditAction.ACCESS_DENIED,  # what was asked and refused is a search too
    }
)


# Reads whose events say, under `disclosed`, which owners' data they showed at which level.
_SHOWING = frozenset(
    {
        AuditAction.SCREEN,
        AuditAction.IDENTITY_EXPLAIN,
        AuditAction.IDENTITIES_EXPORT,
        AuditAction.IDENTITIES_REVIEW,
        AuditAction.CASE_LIST,
        AuditAction.CASE_SHOW,
    }
)


@dataclass(frozen=True)
class AccessLine:
    """One read by a user of the agency: when, who, what, for which stated purpose.

    `event_id` is the event's position in the hub's chain for a reader with `audit.all`;
    for the agency's own users, its place among the agency's events (as `audit list`
    numbers them), and None for another agency's event: the chain's positions count every
    agency's work (docs/oversight.md §8)."""

    event_id: int | None
    at: datetime
    user: str
    action: str
    object: str
    purpose: str
    refused: str = ""
    """For a refusal, the rule that refused it and the reason the user was given (what was
    asked, never what was sent); past the bound, how many more were counted, by which rules."""


@dataclass(frozen=True)
class DisclosureLine:
    """Data of `source` that reached `recipient`, at `level`, in `records` Records; which
    ones by reference where the read names them (an Identity, its dossier, a review list).
    `event_id` as in `AccessLine`."""

    event_id: int | None
    at: datetime
    action: str
    source: str
    recipient: str
    level: str
    records: int
    references: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuditReport:
    agency: str
    since: datetime
    accesses: tuple[AccessLine, ...]
    disclosures: tuple[DisclosureLine, ...]
    actions: tuple[tuple[str, int], ...]
    """Every action of the agency's users in the period, with how often."""


@guarded("agency", "agency")
def audit_report(ctx: Context, agency: str, since: datetime) -> AuditReport:
    """The report about `agency` from `since` on; audited itself."""
    viewer = ctx.caller.viewer
    check(viewer, Permission.AUDIT_OWN)
    agency = agency.strip().upper()
    if agency != viewer.agency and not may(viewer, Permission.AUDIT_ALL):
        message = f"the audit report of {agency} is for auditors and {agency}'s own users"
        raise Refused(message, rule="audit-own-agency")
    with ctx.db.transaction() as session:
        if agency not in contacts(session):
            # a typo (BE-FB) read as an agency that did nothing: an empty report, exit 0
            who = ", ".join(sorted(contacts(session)))
            raise NotFound(f"no agency {agency} (agencies: {who})")
        stmt = select(AuditEvent).where(AuditEvent.at >= since).order_by(AuditEvent.id)
        events = list(session.execute(stmt).scalars())
        report = build_report(agency, since, events)
        if not may(viewer, Permission.AUDIT_ALL):
            own = [e.id for e in events if e.agency == agency]
            report = _placed(report, places_in_agency(session, agency, own))
        audit(
            session,
            ctx,
            AuditAction.AUDIT_REPORT,
            "agency",
            agency,
            {"since": iso_utc(since), "events": len(events)},  # UTC with its zone
            purpose=ctx.purpose or "oversight",
        )
    return report


def build_report(agency: str, since: datetime, events: Iterable[AuditEvent]) -> AuditReport:
    accesses: list[AccessLine] = []
    disclosures: list[DisclosureLine] = []
    actions: Counter[str] = Counter()
    for event in events:
        if event.agency == agency:
            actions[event.action] += 1
            if event.action in SEARCHES:
                accesses.append(
                    AccessLine(
                        event.id,
                        event.at,
                        event.actor,
                        event.action,
                        f"{event.object_type}:{event.object_id}",
                        event.purpose,
                        refused_by(event, reason=True),
                    )
                )
        disclosures.extend(
            line for line in disclosures_of(event) if agency in (line.source, line.recipient)
        )
    return AuditReport(
        agency, since, tuple(accesses), tuple(disclosures), tuple(sorted(actions.items()))
    )


def places_in_agency(session: Session, agency: str, ids: list[int]) -> dict[int, int]:
    """The places of some of an agency's events among all its events (1 its first ever),
    by chain position: `ids` are the agency's, oldest first, with none of its own left out
    in between. The ones before are counted; then one more each."""
    if not ids:
        return {}
    before = session.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.agency == agency, AuditEvent.id < ids[0])
    )
    start = int(before or 0) + 1
    return {event_id: start + i for i, event_id in enumerate(ids)}


def _placed(report: AuditReport, places: dict[int, int]) -> AuditReport:
    """The report with the agency's places for its own events and no number for others'."""

    def place(event_id: int | None) -> int | None:
        return places.get(event_id) if event_id is not None else None

    return replace(
        report,
        accesses=tuple(replace(a, event_id=place(a.event_id)) for a in report.accesses),
        disclosures=tuple(replace(d, event_id=place(d.event_id)) for d in report.disclosures),
    )


def refused_by(event: AuditEvent, *, reason: bool = False) -> str:
    """For a refusal (`access.denied`), the rule that refused it (and, with `reason`, what the
    user was told); for the one event standing for refusals past the bound, how many more
    were counted, when, and by which rules. Empty for any other event."""
    if event.action != AuditAction.ACCESS_DENIED:
        return ""
    details = event.details or {}
    if "suppressed" in details:
        since, until = details.get("from"), details.get("to")
        rules = details.get("rules") or {}
        by = ", ".join(f"{rule} {n}" for rule, n in sorted(dict(rules).items()))
        counted = f"{details['suppressed']} more refusals counted ({since} to {until})"
        return f"{counted}: {by}" if reason and by else counted
    rule = str(details.get("rule", ""))
    told = str(details.get("reason", "")) if reason else ""
    return f"{rule}: {told}" if told else rule


def disclosures_of(event: AuditEvent) -> Iterator[DisclosureLine]:
    """What an event let one agency learn of another's data, as the services record it."""
    details: dict[str, Any] = event.details or {}

    def line(
        source: str, recipient: str, level: str, records: int = 1, refs: Iterable[str] = ()
    ) -> DisclosureLine:
        return DisclosureLine(
            event.id, event.at, event.action, source, recipient, level, records, tuple(refs)
        )

    if event.action in _SHOWING or "disclosed" in details:
        # by owner and level: a count (screening, the hub's export) or the references shown
        for owner, levels in (details.get("disclosed") or {}).items():
            for level, shown in levels.items():
                if isinstance(shown, list):
                    yield line(str(owner), event.agency, str(level), len(shown), map(str, shown))
                else:
                    yield line(str(owner), event.agency, str(level), int(shown))
    elif event.action == AuditAction.HIT_CREATE and details.get("owner"):
        owner = str(details["owner"])
        # The owner is told of the querying side's record; the querying side learns only
        # that the owner holds a match and whom to contact.
        # Each side's record by its reference, which the other side's hit names (events
        # written before 2026-11-30 held row ids there, which name nothing: left out).
        query, matched = (
            _reference(details.get("query_record")),
            _reference(details.get("matched_record")),
        )
        query_level = str(details.get("query_level", "as its level allows"))
        yield line(event.agency, owner, query_level, refs=query)
        yield line(owner, event.agency, str(details.get("matched_level", "hit-only")), refs=matched)
    elif event.action == AuditAction.RECORD_OPEN:
        owner = event.object_id.split(":", 1)[0]
        if owner != event.agency:
            yield line(owner, event.agency, str(details.get("level", "")))
    elif event.action == AuditAction.RECORDS_EXPORT and event.object_id != event.agency:
        yield line(event.object_id, event.agency, "export", int(details.get("records", 0)))


def _reference(value: Any) -> tuple[str, ...]:
    """A Record's reference (`AGENCY:digest`) as an event names it, or none."""
    return (value,) if isinstance(value, str) and ":" in value else ()


def involves(event: AuditEvent, agency: str) -> bool:
    """An event about `agency`: done by its users, done to it (an agency added, its trail
    read, a user of it added, one of its hits escalated), or one through which its data
    reached another agency or another's reached it."""
    if event.agency == agency or (event.object_type == "agency" and event.object_id == agency):
        return True
    details = event.details or {}
    if agency in (details.get("owner"), details.get("user_agency")):
        return True
    if event.action == AuditAction.ACCESS_DENIED and event.object_type in ("record", "network"):
        return event.object_id.split(":", 1)[0] == agency  # its record was asked for
    return any(agency in (line.source, line.recipient) for line in disclosures_of(event))
