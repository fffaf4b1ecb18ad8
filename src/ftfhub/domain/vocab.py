"""The hub's vocabularies as enums: a typo is a type error, and a face lists the choices.

StrEnum members compare equal to their text, so values stored as strings (rows, JSON, audit
details) read back into the same member with `Kind(text)`.
"""

from __future__ import annotations

from enum import StrEnum


class RecordKind(StrEnum):
    WATCHLIST = "watchlist"
    CAPTURED_DOCUMENT = "captured_document"
    TRAVEL = "travel"
    NOTICE = "notice"
    DEPORTATION = "deportation"


class HandlingCode(StrEnum):
    """The owner's handling code as agencies write it (kept on ingest for compatibility)."""

    H0 = "H0"  # hit/no-hit only
    H1 = "H1"  # owner may share identity fields on request: still hit/no-hit by default
    H2 = "H2"  # identity fields visible to partners
    H3 = "H3"  # the whole record visible to partners


class Disclosure(StrEnum):
    """How far others may see a Record: the one scale the need-to-know policy works on."""

    HIT_ONLY = "hit-only"  # that the owner holds a match, its reference and whom to contact
    SUMMARY = "summary"  # names, birth year, nationality
    FULL = "full"  # everything

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Disclosure.HIT_ONLY: 0, Disclosure.SUMMARY: 1, Disclosure.FULL: 2}


class HitStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    ACTIONED = "actioned"
    DISMISSED = "dismissed"


class Role(StrEnum):
    ANALYST = "analyst"
    SUPERVISOR = "supervisor"
    DUTY_OFFICER = "duty-officer"
    AUDITOR = "auditor"
    ADMIN = "admin"


class OnError(StrEnum):
    SKIP = "skip"
    ABORT = "abort"


class AuditAction(StrEnum):
    INGEST = "ingest"
    SCREEN = "screen"
    RECORDS_EXPORT = "records.export"
    RECORDS_PURGE = "records.purge"
    RECORDS_REVIEW = "records.review"
    RECORD_OPEN = "record.open"
    HIT_CREATE = "hit.create"
    HIT_LIST = "hit.list"
    HIT_OPEN = "hit.open"
    HIT_ACKNOWLEDGE = "hit.acknowledge"
    HIT_ACTIONED = "hit.actioned"
    HIT_DISMISSED = "hit.dismissed"
    HIT_ESCALATE = "hit.escalate"
    HIT_OVERDUE = "hit.overdue"
    HITS_RAISE_PENDING = "hits.raise_pending"
    AUDIT_LIST = "audit.list"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_REPORT = "audit.report"
    AUDIT_EXPORT = "audit.export"
    AGENCY_ADD = "agency.add"
    AGENCY_GRANT = "agency.grant"
    USER_ADD = "user.add"
    TOKEN_ISSUE = "token.issue"
    TOKEN_REVOKE = "token.revoke"
    HUB_INIT = "hub.init"
    ACCESS_DENIED = "access.denied"
    IDENTITIES_RESOLVE = "identities.resolve"
    IDENTITIES_EXPORT = "identities.export"
    IDENTITY_EXPLAIN = "identity.explain"
    IDENTITY_JUDGE = "identity.judge"
    IDENTITIES_REVIEW = "identities.review"
    CASE_OPEN = "case.open"
    CASE_LIST = "case.list"
    CASE_SHOW = "case.show"
    CASE_CATEGORY = "case.category"
    CASE_UPDATE = "case.update"
    CASE_NOTE = "case.note"


class CaseCategory(StrEnum):
    """The UN's three broad returnee groups, or not yet assessed. Always an analyst's
    judgement, recorded with who set it and why; the system never proposes one."""

    UNASSESSED = "unassessed"
    REINTEGRATION = "reintegration-candidate"  # disenchanted; a candidate for reintegration
    ATTACK = "returning-to-attack"
    RADICALISED = "still-radicalised"  # disillusioned but still radicalised

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    CaseCategory.UNASSESSED: "Unassessed",
    CaseCategory.REINTEGRATION: "Disenchanted — reintegration candidate",
    CaseCategory.ATTACK: "Returning to attack",
    CaseCategory.RADICALISED: "Disillusioned but still radicalised",
}


class CasePriority(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
