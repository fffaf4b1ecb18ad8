"""Cutting Records, matches and hits down to what one viewer may see: the one need-to-know
function every read in the services goes through."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ftfhub.domain.vocab import Disclosure, Role
from ftfhub.policy.access import Viewer
from ftfhub.policy.levels import seen_level
from ftfhub.policy.views import (
    EscalatedHit,
    HeldRecord,
    HitFacts,
    HitListing,
    MatchView,
    OtherRecord,
    OwnedHit,
    OwnRecord,
    PartnerHit,
    Summary,
    Term,
)

Grants = Mapping[tuple[str, str], Disclosure]  # (owner, grantee) → level

HIT_ONLY_DEPTH = 20
"""How far down a query's ranked matches a hit-only owner may be named: as deep as hits are
raised (the best 20), and never deeper or shallower at the caller's request."""


def search_window(threshold: float, limit: int, hit_floor: float) -> tuple[float, int]:
    """The threshold and limit to search the index with, so that `match_views` can decide
    on hit-only owners without the caller's own threshold and limit."""
    return min(threshold, hit_floor), max(limit, HIT_ONLY_DEPTH)


def terms(explanation: Iterable[Mapping[str, Any]]) -> tuple[Term, ...]:
    out = []
    for t in explanation:
        weight = t.get("weight")
        out.append(
            Term(
                feature=str(t.get("feature", "")),
                level=str(t.get("level", "")),
                weight=float(weight) if isinstance(weight, int | float) else None,
                detail=str(t.get("detail", "")),
            )
        )
    return tuple(out)


def _grants_for(owner: str, grants: Grants) -> dict[str, Disclosure]:
    return {grantee: level for (o, grantee), level in grants.items() if o == owner}


def other_record(
    viewer_agency: str, held: HeldRecord, contacts: Mapping[str, str], grants: Grants
) -> OtherRecord:
    level = seen_level(viewer_agency, held.agency, held.level, _grants_for(held.agency, grants))
    base = OtherRecord(
        agency=held.agency,
        contact=contacts.get(held.agency, ""),
        reference=held.reference,
        level=level,
    )
    if level is Disclosure.HIT_ONLY:
        return base
    record = held.record
    summary = Summary(
        names=tuple(n.full for n in record.names),
        birth_year=record.birth_dates[0].year if record.birth_dates else None,
        nationalities=record.nationalities,
    )
    return OtherRecord(
        agency=base.agency,
        contact=base.contact,
        reference=base.reference,
        level=level,
        record_id=record.record_id,
        summary=summary,
        record=record if level is Disclosure.FULL else None,
    )


def match_views(
    viewer: Viewer,
    matches: Sequence[tuple[HeldRecord, float, Sequence[Mapping[str, Any]]]],
    contacts: Mapping[str, str],
    grants: Grants,
    hit_floor: float,
    threshold: float = 0.0,
    limit: int | None = None,
) -> tuple[MatchView, ...]:
    """Screening matches, best first, at least `threshold` and at most `limit` of them;
    each hit-only owner once, at the end, unscored.

    Whether a hit-only owner is named depends on the query and the holdings only, never on
    the caller's threshold or limit: a match at or above `hit_floor`, the hub's hit
    threshold, within the best HIT_ONLY_DEPTH (`matches` searched with `search_window`).
    Below the floor the owner hears of nothing (no hit is raised), so the caller may not
    either; and a threshold raised step by step, or a limit of one against the caller's own
    records, would otherwise tell the score the owner withholds.
    """
    shown: list[MatchView] = []
    withheld: dict[str, MatchView] = {}
    for rank, (held, score, explanation) in enumerate(matches):
        other = other_record(viewer.agency, held, contacts, grants)
        if other.level is Disclosure.HIT_ONLY:
            if score < hit_floor or rank >= HIT_ONLY_DEPTH:
                continue
            detail = f"{held.agency} holds a matching record: contact {other.contact}"
            term = Term("hit", "withheld", None, detail)
            withheld.setdefault(held.agency, MatchView(other, None, (term,)))
        elif score < threshold or (limit is not None and len(shown) >= limit):
            continue
        elif other.level is Disclosure.SUMMARY:
            shown.append(MatchView(other, round(score, 4), ()))
        else:
            shown.append(MatchView(other, round(score, 4), terms(explanation)))
    return (*shown, *(withheld[a] for a in sorted(withheld)))


def hit_listing(
    viewer: Viewer, hits: Iterable[HitFacts], contacts: Mapping[str, str], grants: Grants
) -> HitListing:
    """Hits as the viewer's role and agency allow: owned (to answer), partner (whom to
    contact, one per record and owner), escalated (the duty officer's, no content)."""
    owned: list[OwnedHit] = []
    partner: list[PartnerHit] = []
    escalated: list[EscalatedHit] = []
    seen: set[tuple[str, str]] = set()
    for hit in hits:
        if viewer.role is Role.DUTY_OFFICER:
            escalated.append(escalated_view(hit, contacts))
        elif hit.matched.agency == viewer.agency:
            owned.append(owned_view(viewer, hit, contacts, grants))
        elif hit.query.agency == viewer.agency:
            key = (hit.query.record.record_id, hit.matched.agency)
            if key not in seen:
                seen.add(key)
                partner.append(partner_view(viewer, hit, contacts, grants, opened=False))
    return HitListing(tuple(owned), tuple(partner), tuple(escalated))


def owned_view(
    viewer: Viewer, hit: HitFacts, contacts: Mapping[str, str], grants: Grants
) -> OwnedHit:
    querying = other_record(viewer.agency, hit.query, contacts, grants)
    return OwnedHit(
        id=hit.id,
        status=hit.status,
        score=round(hit.score, 4),
        escalation_level=hit.escalation_level,
        created_at=hit.created_at,
        deadline=hit.deadline,
        own=OwnRecord(hit.matched.record.record_id, hit.matched.record.primary_name),
        querying=querying,
        explanation=hit.explanation if querying.level is Disclosure.FULL else (),
        note=hit.note,
    )


def partner_view(
    viewer: Viewer,
    hit: HitFacts,
    contacts: Mapping[str, str],
    grants: Grants,
    *,
    opened: bool,
) -> PartnerHit:
    """The querying side's view; in a listing only the reference and contact, the owner's
    record itself (as far as its level allows) only when opened with a purpose."""
    owner = other_record(viewer.agency, hit.matched, contacts, grants)
    if not opened:
        owner = OtherRecord(owner.agency, owner.contact, owner.reference, owner.level)
    return PartnerHit(hit.id, hit.created_at, hit.query.record.record_id, owner)


def escalated_view(hit: HitFacts, contacts: Mapping[str, str]) -> EscalatedHit:
    return EscalatedHit(
        id=hit.id,
        status=hit.status,
        escalation_level=hit.escalation_level,
        deadline=hit.deadline,
        owner_agency=hit.matched.agency,
        owner_contact=contacts.get(hit.matched.agency, ""),
        owner_reference=hit.matched.reference,
        querying_agency=hit.query.agency,
        querying_contact=contacts.get(hit.query.agency, ""),
        querying_reference=hit.query.reference,
    )
