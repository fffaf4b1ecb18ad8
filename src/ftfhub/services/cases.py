"""Cases as a use case: an agency's triage of the people it monitors.

A Case belongs to one agency and is never shown to another. Its category is one of the UN's
returnee groups (or unassessed) and is only ever set by a person, with a reason, recorded in
the case's history and the audit trail: nothing here proposes or infers one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction, CaseCategory, CasePriority
from ftfhub.policy import Permission, check
from ftfhub.services.auditing import audit, disclosed_detail
from ftfhub.services.context import Context, InvalidRequest, Unseen
from ftfhub.services.denials import guarded
from ftfhub.services.rows import grants, known, seen_by
from ftfhub.store.identities import IdentityMember
from ftfhub.store.models import Agency, Case, CaseEntry, Record
from ftfhub.store.records import ensure_agency, hash_begins, reference

HUB = "HUB"
AGENCY_CODE = re.compile(r"[A-Za-z][A-Za-z0-9-]{1,31}")
PRIORITY_ORDER = {CasePriority.HIGH: 0, CasePriority.MEDIUM: 1, CasePriority.LOW: 2}


@dataclass(frozen=True)
class CaseView:
    id: int  # the case's number in its agency (1, 2, 3 …), never its row id
    agency: str
    subject: str
    title: str
    category: CaseCategory
    category_by: str
    category_why: str
    category_at: datetime | None
    priority: CasePriority
    officer: str
    next_review: date | None
    created_at: datetime
    created_by: str
    closed: bool

    def review_overdue(self, today: date) -> bool:
        return not self.closed and self.next_review is not None and self.next_review < today


@dataclass(frozen=True)
class CaseEntryView:
    at: datetime
    actor: str
    kind: str
    text: str


@dataclass(frozen=True)
class CaseDetail:
    case: CaseView
    history: tuple[CaseEntryView, ...]


def _view(row: Case) -> CaseView:
    return CaseView(
        id=row.number,
        agency=row.agency_code,
        subject=row.subject,
        title=row.title,
        category=CaseCategory(row.category),
        category_by=row.category_by,
        category_why=row.category_why,
        category_at=row.category_at,
        priority=CasePriority(row.priority),
        officer=row.officer,
        next_review=row.next_review,
        created_at=row.created_at,
        created_by=row.created_by,
        closed=row.closed,
    )


def _priority(value: CasePriority | str) -> CasePriority:
    try:
        return CasePriority(value)
    except ValueError:
        choices = ", ".join(p.value for p in CasePriority)
        raise InvalidRequest(f"priority '{value}' is not one of {choices}") from None


def _category(value: CaseCategory | str) -> CaseCategory:
    try:
        return CaseCategory(value)
    except ValueError:
        choices = ", ".join(c.value for c in CaseCategory)
        raise InvalidRequest(f"category '{value}' is not one of {choices}") from None


MAX_WRITING = 5000
"""A note or a reason an analyst writes (kept on the case and, a reason, in the trail): the
API's bound, the service's too — the workbench's forms and the command line stored
megabytes of a category's reason in the case and in the audit trail."""


def _writing(value: str, what: str) -> str:
    text = value.strip()
    if len(text) > MAX_WRITING:
        raise InvalidRequest(f"{what} is at most {MAX_WRITING:,} characters ({len(text):,} sent)")
    return text


def _text(value: str, what: str, limit: int = 200) -> str:
    text = " ".join(value.split())
    if len(text) > limit:
        raise InvalidRequest(f"{what} is longer than {limit} characters")
    return text


def _own_case(session: Session, ctx: Context, number: int) -> Case:
    """The caller's agency's case by its number in the agency: another agency's numbers are
    not looked at (a case is never shown to another agency)."""
    agency = ctx.caller.agency
    stmt = select(Case).where(Case.agency_code == agency, Case.number == number)
    row = session.execute(stmt).scalar_one_or_none()
    if row is None:
        raise Unseen(f"case {number} is not one of {agency}'s")
    return row


def _next_number(session: Session, agency: str) -> int:
    """The agency's next case number, taken under its row's lock (on PostgreSQL; SQLite has
    one writer) so that two cases opened at once never draw the same."""
    session.execute(select(Agency.code).where(Agency.code == agency).with_for_update())
    last = session.execute(select(func.max(Case.number)).where(Case.agency_code == agency))
    return (last.scalar() or 0) + 1


def unseen_subject(subject: str) -> str:
    """The one answer for a subject that does not exist and one the caller may not open."""
    return (
        f"no subject {subject} that you may open: give an Identity id holding one of your "
        "agency's records, a record reference you were told of (by a hit, or your own), or "
        "one of your own records as AGENCY/record_id"
    )


def own_source_subject(session: Session, ctx: Context, subject: str) -> str:
    """A subject named by the agency's own source id (`AGENCY/record_id`, as `records show`,
    `identities judge` and the files it loads name it) is stored as the Record's reference,
    the form every case event and every other face uses. Only the caller's own Records (the
    hub's: any): another agency's by its owner's id is a guess at an id that runs in order,
    and is answered as one that does not exist. Any other subject is returned unchanged."""
    if subject.startswith("ID-") or ":" in subject or "/" not in subject:
        return subject
    owner, _, source = subject.partition("/")
    if not AGENCY_CODE.fullmatch(owner):
        return subject  # not a record by its id: refused as any unknown subject is
    agency = ctx.caller.agency
    if owner.upper() != agency and agency != HUB:
        raise Unseen(unseen_subject(subject))
    found = select(Record).where(
        Record.agency_code == owner.upper(),
        Record.source_id == source,
        Record.superseded.is_(False),
    )
    row = session.execute(found).scalars().first()
    if row is None:
        raise Unseen(unseen_subject(subject))
    return reference(row)


def readable_subject(session: Session, ctx: Context, subject: str) -> None:
    """A case holds only a subject its agency may open: an Identity with one of its current
    Records (any, for the hub), or a Record it was told of (`told_of`: its own, one shared
    beyond hit-only, one in a hit of its). Anything else — made up, or a partner's Record or
    Identity it was never told of — is one answer, one `need-to-know` refusal: a case is not
    a way to ask what exists."""
    agency = ctx.caller.agency
    if subject.startswith("ID-"):
        stmt = (
            select(IdentityMember.record_id)
            .join(Record, Record.id == IdentityMember.record_id)
            .where(IdentityMember.identity_id == subject, Record.superseded.is_(False))
        )
        if agency != HUB:
            stmt = stmt.where(Record.agency_code == agency)
        if session.execute(stmt.limit(1)).first() is not None:
            return
    else:
        owner = subject.partition(":")[0]
        if known(session, agency, _referenced(session, subject), owner) is not None:
            return
    raise Unseen(unseen_subject(subject))


def _referenced(session: Session, subject: str) -> Record | None:
    """The current Record a subject names by its owner's reference (a whole one, never a
    prefix), if any."""
    owner, colon, digest = subject.partition(":")
    if not colon or len(digest) != 12 or not digest.isalnum():
        return None
    found = select(Record).where(
        Record.agency_code == owner,
        Record.superseded.is_(False),
        hash_begins(digest),
    )
    return session.execute(found).scalars().first()


def _disclosed(session: Session, agency: str, subjects: Iterable[str]) -> dict[str, Any]:
    """The audit detail of a case read: the partners' Records its page showed, by owner's
    reference and the level the caller sees each at (`auditing.disclosed_detail`) — the
    subjects that name one (an Identity id names none of its members). A Record since
    corrected or purged is still named, at level `reference`: its reference was shown."""
    shared = grants(session)
    shown = []
    for subject in sorted(set(subjects)):
        owner = subject.partition(":")[0]
        if subject.startswith("ID-") or ":" not in subject or owner == agency:
            continue
        row = _referenced(session, subject)
        level = seen_by(agency, row, shared).value if row is not None else "reference"
        shown.append((owner, level, subject))
    return disclosed_detail(agency, shown)


def _entry(session: Session, ctx: Context, case: Case, kind: str, text: str) -> None:
    session.add(
        CaseEntry(case_id=case.id, at=utcnow(), actor=ctx.caller.name, kind=kind, text=text)
    )


@guarded("case_subject", "subject")
def open_case(
    ctx: Context,
    subject: str,
    *,
    title: str = "",
    priority: CasePriority | str = CasePriority.MEDIUM,
    officer: str = "",
    next_review: date | None = None,
    note: str = "",
) -> CaseView:
    """A new case of the caller's agency, unassessed until an analyst says otherwise."""
    check(ctx.caller.viewer, Permission.CASES)
    subject = _text(subject, "the subject")
    note = _writing(note, "a note")
    if not subject:
        raise InvalidRequest(
            "a case needs a subject (an Identity id, a Record reference or AGENCY/record_id)"
        )
    with ctx.db.transaction() as session:
        ensure_agency(session, ctx.caller.agency)
        subject = own_source_subject(session, ctx, subject)
        readable_subject(session, ctx, subject)
        row = Case(
            agency_code=ctx.caller.agency,
            number=_next_number(session, ctx.caller.agency),
            subject=subject,
            title=_text(title, "the title"),
            category=CaseCategory.UNASSESSED.value,
            category_by="",
            category_why="",
            priority=_priority(priority).value,
            officer=_text(officer, "the officer", 100),
            next_review=next_review,
            created_at=utcnow(),
            created_by=ctx.caller.name,
            closed=False,
        )
        session.add(row)
        session.flush()
        if note.strip():
            _entry(session, ctx, row, "note", note.strip())
        audit(session, ctx, AuditAction.CASE_OPEN, "case", str(row.number), {"subject": subject})
        return _view(row)


@dataclass(frozen=True)
class CasePage:
    """A page of an agency's cases, most urgent first, and where the next begins."""

    cases: tuple[CaseView, ...]
    more: bool = False
    next_offset: int | None = None


@guarded()
def list_cases(ctx: Context, *, include_closed: bool = False) -> tuple[CaseView, ...]:
    """The caller's agency's cases: highest priority first, then the earliest review."""
    return _cases(ctx, include_closed, None, 0).cases


@guarded()
def cases_page(
    ctx: Context, *, include_closed: bool = False, limit: int = 100, offset: int = 0
) -> CasePage:
    """`limit` of the caller's agency's cases from the `offset`-th (from 0), most urgent
    first, and whether more follow: a list of 100,000 cases stays a page, not a dump."""
    return _cases(ctx, include_closed, max(limit, 1), max(offset, 0))


def _cases(ctx: Context, include_closed: bool, limit: int | None, offset: int) -> CasePage:
    """Sorted by the database (priority, then review date, no date last, then number), and
    audited as the page read, with the partners' references among its subjects."""
    check(ctx.caller.viewer, Permission.CASES)
    urgency = sql_case(*((Case.priority == p.value, n) for p, n in PRIORITY_ORDER.items()))
    with ctx.db.transaction() as session:
        stmt = select(Case).where(Case.agency_code == ctx.caller.agency)
        if not include_closed:
            stmt = stmt.where(Case.closed.is_(False))
        stmt = stmt.order_by(urgency, Case.next_review.is_(None), Case.next_review, Case.number)
        if limit is not None:
            stmt = stmt.offset(offset).limit(limit + 1)
        views = [_view(r) for r in session.execute(stmt).scalars()]
        more = limit is not None and len(views) > limit
        views = views[:limit] if limit is not None else views
        details = {"cases": len(views)} | _disclosed(
            session, ctx.caller.agency, (v.subject for v in views)
        )
        audit(session, ctx, AuditAction.CASE_LIST, "agency", ctx.caller.agency, details)
    return CasePage(tuple(views), more, offset + len(views) if more else None)


@guarded("case", "number")
def show_case(ctx: Context, number: int) -> CaseDetail:
    check(ctx.caller.viewer, Permission.CASES)
    with ctx.db.transaction() as session:
        row = _own_case(session, ctx, number)
        stmt = select(CaseEntry).where(CaseEntry.case_id == row.id).order_by(CaseEntry.id)
        history = tuple(
            CaseEntryView(e.at, e.actor, e.kind, e.text) for e in session.execute(stmt).scalars()
        )
        details = _disclosed(session, ctx.caller.agency, (row.subject,))
        audit(session, ctx, AuditAction.CASE_SHOW, "case", str(number), details)
        return CaseDetail(_view(row), history)


@guarded("case", "number")
def set_category(ctx: Context, number: int, category: CaseCategory | str, why: str) -> CaseView:
    """The analyst's judgement of which group a person belongs to, with the reason."""
    check(ctx.caller.viewer, Permission.CASES)
    chosen = _category(category)
    reason = _writing(why, "the reason why")
    if not reason:
        raise InvalidRequest("setting a category needs the reason why (--why)")
    with ctx.db.transaction() as session:
        row = _own_case(session, ctx, number)
        before = row.category
        row.category, row.category_why = chosen.value, reason
        row.category_by, row.category_at = ctx.caller.name, utcnow()
        _entry(session, ctx, row, "category", f"{before} → {chosen.value}: {reason}")
        details = {"from": before, "to": chosen.value, "why": reason}
        audit(session, ctx, AuditAction.CASE_CATEGORY, "case", str(number), details)
        return _view(row)


@guarded("case", "number")
def update_case(
    ctx: Context,
    number: int,
    *,
    priority: CasePriority | str | None = None,
    officer: str | None = None,
    next_review: date | None = None,
    closed: bool | None = None,
) -> CaseView:
    """Change the priority, the assigned officer, the next review date or close the case;
    each change is a line in the history."""
    check(ctx.caller.viewer, Permission.CASES)
    with ctx.db.transaction() as session:
        row = _own_case(session, ctx, number)
        changes: dict[str, str] = {}
        if priority is not None and _priority(priority).value != row.priority:
            row.priority = changes["priority"] = _priority(priority).value
        if officer is not None and _text(officer, "the officer", 100) != row.officer:
            row.officer = changes["officer"] = _text(officer, "the officer", 100)
        if next_review is not None and next_review != row.next_review:
            row.next_review = next_review
            changes["review"] = next_review.isoformat()
        if closed is not None and closed != row.closed:
            row.closed = closed
            changes["closed"] = "yes" if closed else "no"
        for kind, value in changes.items():
            _entry(session, ctx, row, kind, value)
        audit(session, ctx, AuditAction.CASE_UPDATE, "case", str(number), dict(changes))
        return _view(row)


@guarded("case", "number")
def add_note(ctx: Context, number: int, text: str) -> None:
    check(ctx.caller.viewer, Permission.CASES)
    note = _writing(text, "a note")
    if not note:
        raise InvalidRequest("a note cannot be empty")
    with ctx.db.transaction() as session:
        row = _own_case(session, ctx, number)
        _entry(session, ctx, row, "note", note)
        audit(session, ctx, AuditAction.CASE_NOTE, "case", str(number))
