"""Records as a use case: an agency's holdings written back as a person file."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ftfhub.domain import RecordData
from ftfhub.domain.vocab import AuditAction, Disclosure, RecordKind
from ftfhub.ingest.export import write_person_file
from ftfhub.policy import Permission, check
from ftfhub.policy.disclose import other_record
from ftfhub.policy.views import OtherRecord
from ftfhub.services.auditing import audit
from ftfhub.services.context import Context, InvalidRequest, NotFound, Unseen
from ftfhub.services.denials import guarded
from ftfhub.services.rows import grants, held, known
from ftfhub.services.screening import record_kind
from ftfhub.store.models import Record
from ftfhub.store.records import contacts, current_records, hash_begins


@dataclass(frozen=True)
class Export:
    agency: str
    records: tuple[RecordData, ...]
    withheld: int  # the other agency's records the caller sees in summary only
    hit_only_uncounted: bool = False  # another agency's: its hit-only records go uncounted


@guarded("agency", "agency", unnamed=lambda ctx: ("agency", ctx.caller.agency))
def export_records(
    ctx: Context, agency: str | None = None, kind: RecordKind | str | None = None
) -> Export:
    """The caller's agency's current Records, or (with a purpose) another agency's as far
    as they are disclosed in full to the caller."""
    viewer = ctx.caller.viewer
    check(viewer, Permission.EXPORT)
    owner = (agency or viewer.agency).strip().upper()
    wanted = record_kind(kind) if kind else None
    with ctx.db.transaction() as session:
        who, shared = contacts(session), grants(session)
        if owner not in who:
            # Said, not answered with an empty export that reads as "they hold nothing".
            raise NotFound(f"no agency {owner} (agencies: {', '.join(sorted(who))})")
        purpose = (
            ctx.require_purpose("exporting another agency's records")
            if owner != viewer.agency
            else (ctx.purpose or "export own records")
        )
        rows = [r for r in current_records(session, owner) if wanted is None or r.kind == wanted]
        levels = [(h, other_record(viewer.agency, h, who, shared).level) for h in map(held, rows)]
        visible = tuple(h.record for h, level in levels if level is Disclosure.FULL)
        # Records shared in summary are counted (the caller may know they exist); a hit-only
        # record is not even counted: 'no score, no count' — a partner who exported was told
        # how many records the owner holds, and of which kind.
        summary = sum(level is Disclosure.SUMMARY for _, level in levels)
        result = Export(owner, visible, summary, owner != viewer.agency)
        audit(
            session,
            ctx,
            AuditAction.RECORDS_EXPORT,
            "agency",
            owner,
            {"records": len(visible), "kind": wanted.value if wanted else None},
            purpose=purpose,
        )
    return result


__all__ = ["Export", "export_records", "reference_parts", "write_person_file"]


def unseen_record(reference: str) -> str:
    """The one answer for a Record that does not exist and one the caller may not know of."""
    return (
        f"no record {reference} that you may open (none exists, or its owner shares it only "
        "as a hit: ask the owner)"
    )


def reference_parts(reference: str) -> tuple[str, str]:
    """`AGENCY:xxxxxxxxxxxx` as (agency, digest), or InvalidRequest. Whole references only:
    a prefix would find the first Record it begins with, and walking prefixes would list a
    partner's references and count its holdings."""
    agency, _, digest = reference.partition(":")
    if not agency or len(digest) != 12 or not digest.isalnum():
        raise InvalidRequest(f"'{reference}' is not a record reference (AGENCY:xxxxxxxxxxxx)")
    return agency, digest


@guarded("record", "reference")
def show_record(ctx: Context, reference: str) -> OtherRecord:
    """One current Record by its owner's reference (`AGENCY:xxxxxxxxxxxx`, as matches and
    hits quote it), cut down to what the caller may see; another agency's takes a stated
    purpose, and every opening is audited. An unknown reference and one the caller was never
    told of (another agency's hit-only Record outside any hit of the caller's) are answered
    alike, and audited alike: no one learns what a partner holds by trying references."""
    viewer = ctx.caller.viewer
    check(viewer, Permission.SCREEN)
    agency, digest = reference_parts(reference)
    if agency != viewer.agency:
        ctx.require_purpose("opening another agency's record")
    with ctx.db.transaction() as session:
        stmt = select(Record).where(
            Record.agency_code == agency,
            Record.superseded.is_(False),
            hash_begins(digest),
        )
        row = known(session, viewer.agency, session.execute(stmt).scalars().first(), agency)
        if row is None:
            raise Unseen(unseen_record(reference))
        view = other_record(viewer.agency, held(row), contacts(session), grants(session))
        audit(session, ctx, AuditAction.RECORD_OPEN, "record", reference, {"level": view.level})
    return view
