"""Hits as a use case: list them, open one, answer them — each call checked and audited."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import case as sql_case
from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction, HitStatus
from ftfhub.hits import lifecycle
from ftfhub.policy import Permission, check, may
from ftfhub.policy.disclose import hit_listing, owned_view, partner_view
from ftfhub.policy.views import HitListing, OwnedHit, PartnerHit
from ftfhub.services.auditing import audit, disclosed_detail
from ftfhub.services.context import Context, InvalidRequest, Refused, Unseen
from ftfhub.services.denials import guarded
from ftfhub.services.rows import grants, hit_facts, hits_where
from ftfhub.store.models import Hit
from ftfhub.store.records import contacts


@guarded()
def list_hits(
    ctx: Context,
    status: HitStatus | str | None = None,
    *,
    open_only: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> HitListing:
    """The caller's agency's hits: those it must answer and those on its records; for the
    hub's duty officer, the hits escalated to the hub. With `limit`, only the most urgent
    (the hits it must answer, then those it raised on partners' records; each earliest
    deadline first), from the `offset`-th on — an inbox of 100,000 hits stays a
    page, not a dump, and says whether `more` follow; with `open_only`, only hits still new
    or acknowledged."""
    viewer = ctx.caller.viewer
    wanted = _status(status)
    with ctx.db.transaction() as session:
        order: list[Any] = list(lifecycle.IN_ORDER)
        if may(viewer, Permission.HITS_ESCALATED):
            conditions = [Hit.escalation_level >= lifecycle.MAX_ESCALATION]
        else:
            check(viewer, Permission.HITS_READ)
            mine = (Hit.owner_agency == viewer.agency) | (Hit.querying_agency == viewer.agency)
            conditions = [mine]
            # The hits to answer first, then those raised on partners' records (waiting on
            # them): paged together by deadline, a page could hold only the latter.
            order.insert(0, sql_case((Hit.owner_agency == viewer.agency, 0), else_=1))
        if wanted is not None:
            conditions.append(Hit.status == wanted.value)
        if open_only:
            conditions.append(Hit.status.in_([s.value for s in lifecycle.OPEN]))
        more, following = False, None
        if limit is None:
            rows = hits_where(session, *conditions)
        else:
            urgent = select(Hit).where(*conditions).order_by(*order)
            rows = list(session.execute(urgent.offset(max(offset, 0)).limit(limit + 1)).scalars())
            more, rows = len(rows) > limit, rows[:limit]
            following = max(offset, 0) + limit if more else None
        listing = hit_listing(viewer, hit_facts(session, rows), contacts(session), grants(session))
        listing = replace(listing, more=more, next_offset=following)
        audit(
            session,
            ctx,
            AuditAction.HIT_LIST,
            "agency",
            viewer.agency,
            {"status": wanted, "owned": len(listing.owned), "partner": len(listing.partner)},
        )
    return listing


@guarded("hit", "ref")
def show_hit(ctx: Context, ref: str) -> OwnedHit | PartnerHit:
    """Open one hit. The querying side sees the owner's record as far as its level allows,
    and only for a stated purpose. A hit is named by its reference (`H-…`); anything else —
    a row number above all — is answered as a hit that does not exist."""
    viewer = ctx.caller.viewer
    check(viewer, Permission.HITS_READ)
    with ctx.db.transaction() as session:
        hit = _hit(session, ref, viewer.agency)
        facts = hit_facts(session, [hit])[0]
        shared, who = grants(session), contacts(session)
        view: OwnedHit | PartnerHit
        if hit.owner_agency == viewer.agency:
            view = owned_view(viewer, facts, who, shared)
        elif hit.querying_agency == viewer.agency:
            ctx.require_purpose("opening another agency's record")
            view = partner_view(viewer, facts, who, shared, opened=True)
        else:
            raise Unseen(f"hit {hit.ref} is not one of {viewer.agency}'s")
        # The other side's Record, as far as it was shown: the event named only the hit, so
        # the owner's report and export never said that a partner had opened its Record.
        other = view.querying if isinstance(view, OwnedHit) else view.owner
        shown = [(other.agency, other.level.value, other.reference)]
        details = disclosed_detail(viewer.agency, shown)
        audit(session, ctx, AuditAction.HIT_OPEN, "hit", hit.ref, details)
    return view


@guarded("hit", "ref")
def acknowledge(ctx: Context, ref: str, note: str) -> None:
    _answer(ctx, ref, None, note)


@guarded("hit", "ref")
def close(ctx: Context, ref: str, status: HitStatus | str, note: str) -> None:
    """Record the analyst's decision on a hit: actioned or dismissed."""
    try:
        decided = HitStatus(status)
    except ValueError:
        raise InvalidRequest(f"status must be actioned or dismissed, not '{status}'") from None
    _answer(ctx, ref, decided, note)


def _answer(ctx: Context, ref: str, decided: HitStatus | None, note: str) -> None:
    viewer = ctx.caller.viewer
    check(viewer, Permission.HITS_ANSWER)
    with ctx.db.transaction() as session:
        hit = _hit(session, ref, viewer.agency)
        if hit.owner_agency != viewer.agency:
            message = f"hit {hit.ref} is answered by its owner, {hit.owner_agency}"
            raise Refused(message, rule="hit-answered-by-owner")
        try:
            if decided is None:
                lifecycle.acknowledge(hit, viewer.name, note, utcnow())
                action = AuditAction.HIT_ACKNOWLEDGE
            else:
                lifecycle.close(hit, decided, note)
                action = AuditAction(f"hit.{decided.value}")
        except lifecycle.HitError as exc:
            raise InvalidRequest(str(exc)) from None
        audit(session, ctx, action, "hit", hit.ref, {"note": note}, purpose="answer a hit")


def _hit(session: Session, ref: str, agency: str) -> Hit:
    """A hit of `agency` (as owner or querying side), by its reference. A hit that does not
    exist and one between other agencies get the same answer, so that no one learns which
    hits exist; a row number is never looked up (it would tell the hub's count)."""
    wanted = typed_ref(ref)
    hit = session.execute(select(Hit).where(Hit.ref == wanted)).scalar_one_or_none()
    if hit is None or agency not in (hit.owner_agency, hit.querying_agency):
        raise Unseen(f"hit {wanted[:40]} is not one of {agency}'s")
    return hit


def typed_ref(asked: str) -> str:
    """A reference as typed (`h-3F9A…`, spaces around it) in the form it is stored."""
    text = str(asked).strip()
    if text[:2].upper() == "H-":
        return "H-" + text[2:].lower()
    return text


def _status(status: HitStatus | str | None) -> HitStatus | None:
    if status is None or status == "":
        return None
    try:
        return HitStatus(status)
    except ValueError:
        choices = ", ".join(s.value for s in HitStatus)
        raise InvalidRequest(f"status '{status}' is not one of {choices}") from None
