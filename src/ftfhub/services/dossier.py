"""A dossier: one Identity as far as the caller may see it — each Record cut by the policy,
the names in every script, a timeline, the evidence that joined the Records, the hits on them
and who looked at them.

Opening goes through `identities.explain_identity` (purpose when other agencies' Records are
in it, audited); the rest is read in the same way every other read is: rows → `held` →
`policy.disclose`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ftfhub.domain import RecordData
from ftfhub.domain.vocab import AuditAction, Disclosure
from ftfhub.policy.disclose import hit_listing, other_record
from ftfhub.policy.views import HitListing, OtherRecord
from ftfhub.services import identities as identity_service
from ftfhub.services.auditing import audit, disclosed_detail
from ftfhub.services.context import Context
from ftfhub.services.denials import guarded
from ftfhub.services.identities import IdentityView
from ftfhub.services.rows import grants, held, hit_facts, hits_where, untold
from ftfhub.store import identities as identity_store
from ftfhub.store.models import AuditEvent, Hit, Record
from ftfhub.store.records import contacts, hash_begins


@dataclass(frozen=True)
class NameForm:
    text: str
    script: str
    type: str
    agency: str


@dataclass(frozen=True)
class TimelineEntry:
    when: str  # ISO date (or year, year-month), as precise as the source was
    what: str
    agency: str
    reference: str


@dataclass(frozen=True)
class Look:
    at: datetime
    actor: str
    agency: str
    action: str
    purpose: str


@dataclass(frozen=True)
class Dossier:
    identity: IdentityView
    records: tuple[OtherRecord, ...]
    names: tuple[NameForm, ...]
    timeline: tuple[TimelineEntry, ...]
    hits: HitListing
    looks: tuple[Look, ...]


@guarded("identity", "identity_id")
def open_dossier(ctx: Context, identity_id: str) -> Dossier:
    """The Identity's dossier; raises PurposeRequired (via explain_identity) before anything
    of another agency's is read."""
    explained = identity_service.explain_identity(ctx, identity_id)
    viewer = ctx.caller.viewer
    with ctx.db.transaction() as session:
        members = identity_store.memberships(session)
        ids = [r for r, i in members.items() if i == identity_id]
        rows = list(
            session.execute(
                select(Record).where(Record.id.in_(ids), Record.superseded.is_(False))
            ).scalars()
        )
        who, shared = contacts(session), grants(session)
        if viewer.agency != identity_service.HUB:  # as explain_identity: never told, not shown
            hidden = untold(session, viewer.agency, rows, shared)
            rows = [r for r in rows if r.id not in hidden]
            ids = [r.id for r in rows]
        views = [other_record(viewer.agency, held(r), who, shared) for r in rows]
        views.sort(key=lambda v: (v.agency != viewer.agency, v.agency, v.reference))
        hits = hits_where(
            session, or_(Hit.query_record_id.in_(ids), Hit.matched_record_id.in_(ids))
        )
        mine = [h for h in hits if viewer.agency in (h.owner_agency, h.querying_agency)]
        listing = hit_listing(viewer, hit_facts(session, mine), who, shared)
        own_refs = [v.reference for v in views if v.agency == viewer.agency]
        looks = _looks(session, identity_id, own_refs, viewer.agency)
        audit(
            session,
            ctx,
            AuditAction.IDENTITY_EXPLAIN,
            "dossier",
            identity_id,
            {
                "records": len(views),
                **disclosed_detail(
                    viewer.agency, ((v.agency, v.level.value, v.reference) for v in views)
                ),
            },
        )
    return Dossier(explained, tuple(views), _names(views), _timeline(views, rows), listing, looks)


def _names(views: list[OtherRecord]) -> tuple[NameForm, ...]:
    seen: dict[str, NameForm] = {}
    for view in views:
        if view.record is not None:
            for name in view.record.names:
                seen.setdefault(name.full, NameForm(name.full, name.script, name.type, view.agency))
        elif view.summary is not None:
            for text in view.summary.names:
                seen.setdefault(text, NameForm(text, "", "", view.agency))
    return tuple(seen.values())


def _timeline(views: list[OtherRecord], rows: list[Record]) -> tuple[TimelineEntry, ...]:
    """What the Records tell, dated: each holding's entry, journeys, dated facts (entry into
    Syria on a Hijri date keeps its original), in order."""
    created = {f"{r.agency_code}:{r.content_hash[:12]}": r.created_at for r in rows}
    entries: list[TimelineEntry] = []
    for view in views:
        if view.level is Disclosure.HIT_ONLY:
            continue
        at = created.get(view.reference)
        if at is not None:
            entries.append(
                TimelineEntry(
                    at.date().isoformat(), "held by the owner", view.agency, view.reference
                )
            )
        if view.record is not None:
            entries.extend(_facts(view.record, view.agency, view.reference))
    return tuple(sorted(entries, key=lambda e: (e.when, e.agency)))


def _facts(record: RecordData, agency: str, reference: str) -> list[TimelineEntry]:
    found: list[TimelineEntry] = []
    kind = record.kind.replace("_", " ")
    extra = dict(record.extra)
    for key, value in record.extra:
        if "date" not in key or key.endswith("_original") or not value:
            continue
        what = f"{kind}: {key.replace('_', ' ')}"
        if key == "entry_date" and extra.get("entry_point"):
            what = f"{kind}: entered at {extra['entry_point']}"
        if extra.get(f"{key}_original"):
            what += f" (written {extra[f'{key}_original']})"
        found.append(TimelineEntry(value[:10], what, agency, reference))
    if record.travel is not None and record.travel.date:
        t = record.travel
        found.append(
            TimelineEntry(
                t.date,
                f"travelled {t.origin}→{t.destination} {t.flight}".strip(),
                agency,
                reference,
            )
        )
    return [f for f in found if f.when]


def _looks(
    session: Session, identity_id: str, own_refs: list[str], agency: str
) -> tuple[Look, ...]:
    """Who opened this Identity (one's own agency's users) and who opened one's own Records
    in it (anyone: an owner learns who looked at its data)."""
    stmt = (
        select(AuditEvent)
        .where(
            or_(
                (AuditEvent.object_id == identity_id) & (AuditEvent.agency == agency),
                (AuditEvent.object_type == "record") & AuditEvent.object_id.in_(own_refs),
            )
        )
        .order_by(AuditEvent.id.desc())
        .limit(50)
    )
    return tuple(
        Look(e.at, e.actor, e.agency, e.action, e.purpose) for e in session.execute(stmt).scalars()
    )


@dataclass(frozen=True)
class ReviewPair:
    """An uncertain pair side by side, each Record as far as the caller may see it, and the
    handles `judge` takes for each."""

    pair: identity_service.PairView
    left: OtherRecord
    right: OtherRecord
    left_handle: str
    right_handle: str


@guarded()
def review_queue(ctx: Context, limit: int = 20) -> tuple[ReviewPair, ...]:
    """The pairs the model is least sure of (`identities.review_pairs`), with both Records
    cut by the policy for a side-by-side view."""
    pairs = identity_service.review_pairs(ctx, limit=limit)
    viewer = ctx.caller.viewer
    with ctx.db.transaction() as session:
        who, shared = contacts(session), grants(session)
        shown = []
        for pair in pairs:
            found = [_member_row(session, m) for m in (pair.left, pair.right)]
            sides = [r for r in found if r is not None]
            if len(sides) != 2:
                continue
            views = [other_record(viewer.agency, held(r), who, shared) for r in sides]
            # By the owner's id only one's own (judge takes a partner's by its reference).
            handles = [
                f"{r.agency_code}/{r.source_id}"
                if viewer.agency in (r.agency_code, identity_service.HUB)
                else v.reference
                for r, v in zip(sides, views, strict=True)
            ]
            shown.append(ReviewPair(pair, views[0], views[1], handles[0], handles[1]))
    return tuple(shown)


def _member_row(session: Session, member: identity_service.Member) -> Record | None:
    """The current Record a Member names: by the owner's id, or by the reference."""
    stmt = select(Record).where(Record.agency_code == member.agency, Record.superseded.is_(False))
    if ":" in member.record_id:
        digest = member.record_id.partition(":")[2]
        stmt = stmt.where(hash_begins(digest))
    else:
        stmt = stmt.where(Record.source_id == member.record_id)
    return session.execute(stmt).scalars().first()
