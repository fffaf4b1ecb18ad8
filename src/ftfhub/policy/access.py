"""Who may do what: permissions per role, checked by every service before it reads or writes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ftfhub.domain.vocab import Role


class Permission(StrEnum):
    INGEST = "ingest"
    SCREEN = "screen"
    EXPORT = "export"
    HITS_READ = "hits.read"  # hits of one's own agency, both directions
    HITS_ANSWER = "hits.answer"  # acknowledge, action, dismiss
    HITS_ESCALATED = "hits.escalated"  # the hub's view of escalated hits
    HITS_OVERDUE = "hits.overdue"
    HITS_ESCALATE = "hits.escalate"  # run a pass of the schedule
    HITS_RAISE = "hits.raise"  # drain the queue of records not yet screened
    RECORDS_REVIEW = "records.review"
    RECORDS_PURGE = "records.purge"
    AUDIT_OWN = "audit.own"  # the events of one's own agency
    AUDIT_ALL = "audit.all"  # the whole trail (oversight), never Record content
    AUDIT_EXPORT = "audit.export"  # the trail as a file an oversight body verifies alone
    RESOLVE = "resolve"  # run identity resolution over every agency's records
    JUDGE = "judge"  # record an analyst's same/different decision on two records
    ADMIN = "admin"  # agencies, users, tokens, grants
    CASES = "cases"  # an agency's own cases: open, triage, review


_WORK = {
    Permission.INGEST,
    Permission.SCREEN,
    Permission.EXPORT,
    Permission.HITS_READ,
    Permission.HITS_ANSWER,
    Permission.HITS_RAISE,
    Permission.RECORDS_REVIEW,
    Permission.AUDIT_OWN,
    Permission.RESOLVE,
    Permission.JUDGE,
    Permission.CASES,
}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ANALYST: frozenset(_WORK),
    Role.SUPERVISOR: frozenset(_WORK | {Permission.HITS_OVERDUE, Permission.RECORDS_PURGE}),
    Role.DUTY_OFFICER: frozenset(
        {
            Permission.SCREEN,
            Permission.HITS_ESCALATED,
            Permission.HITS_OVERDUE,
            Permission.HITS_ESCALATE,
            Permission.HITS_RAISE,
            Permission.AUDIT_OWN,
        }
    ),
    Role.AUDITOR: frozenset({Permission.AUDIT_OWN, Permission.AUDIT_ALL, Permission.AUDIT_EXPORT}),
    Role.ADMIN: frozenset(
        {
            Permission.ADMIN,
            Permission.HITS_ESCALATE,
            Permission.HITS_RAISE,
            Permission.AUDIT_OWN,
            Permission.AUDIT_ALL,
        }
    ),
}


class AccessDenied(Exception):
    """The caller may not do this; the message says why, without revealing what exists.

    `rule` names the rule that refused it (`role:<permission>`, `purpose-required`,
    `need-to-know`, …), for the audit trail's `access.denied` event."""

    rule = "refused"

    def __init__(self, message: str, rule: str | None = None) -> None:
        super().__init__(message)
        if rule is not None:
            self.rule = rule


@dataclass(frozen=True)
class Viewer:
    """The acting user as the policy sees them: a name, an agency and a role."""

    name: str
    agency: str
    role: Role


def may(viewer: Viewer, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(viewer.role, frozenset())


_IN_WORDS = {
    Permission.INGEST: "load records",
    Permission.SCREEN: "screen or open partners' records",
    Permission.EXPORT: "export records",
    Permission.HITS_READ: "read hits",
    Permission.HITS_ANSWER: "answer hits",
    Permission.HITS_ESCALATED: "see escalated hits",
    Permission.HITS_OVERDUE: "see overdue hits",
    Permission.HITS_ESCALATE: "run the escalation pass",
    Permission.HITS_RAISE: "raise pending hits",
    Permission.RECORDS_REVIEW: "review records",
    Permission.RECORDS_PURGE: "purge records",
    Permission.AUDIT_OWN: "read its agency's audit trail",
    Permission.AUDIT_ALL: "read every agency's audit trail",
    Permission.AUDIT_EXPORT: "export the audit trail",
    Permission.RESOLVE: "resolve identities",
    Permission.JUDGE: "judge record pairs",
    Permission.ADMIN: "administer agencies, users and tokens",
    Permission.CASES: "work on cases",
}
"""What each permission lets a user do, for the refusal a user reads ("an auditor may not
read hits", not "may not hits read")."""


def check(viewer: Viewer, permission: Permission) -> None:
    if not may(viewer, permission):
        role = f"{viewer.role}"
        article = "an" if role[:1] in "aeiou" else "a"
        message = f"{article} {role} may not {_IN_WORDS[permission]}"
        raise AccessDenied(message, rule=f"role:{permission.value}")
