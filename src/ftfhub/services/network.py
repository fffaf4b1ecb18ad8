"""The network around one person: links between Records drawn from what they say — the same
recommender or entry (date and crossing) on captured forms, travelled together on one booking,
the same phone, email, address or payment, family — two hops out from one Record.

Only Records the caller sees in full take part (a link's evidence is the Record's content);
every link names the Record it came from and its owner. Opening another agency's Record as
the centre takes a stated purpose, like opening it; so does drawing partners' Records into
the network around one's own (without a purpose it holds only one's own Records), and the
event names each partner's Record shown, as every read that shows one does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from ftfhub.domain import RecordData
from ftfhub.domain.vocab import AuditAction, Disclosure
from ftfhub.policy import Permission, check
from ftfhub.policy.disclose import Grants, other_record
from ftfhub.services.auditing import audit, disclosed_detail
from ftfhub.services.context import Context, Unseen
from ftfhub.services.denials import guarded
from ftfhub.services.rows import grants, held, stand_in
from ftfhub.store.models import Record
from ftfhub.store.records import contacts, hash_begins

MAX_NODES = 80
TRAVEL_KEYS = ("booking_reference", "phones", "emails", "addresses", "payments")
"""The travel fields `link_keys` reads (payments last: a link only by a card number)."""


@dataclass(frozen=True)
class Node:
    reference: str
    agency: str
    label: str
    hop: int


@dataclass(frozen=True)
class Link:
    left: str  # references
    right: str
    kind: str  # recommender, entry, booking, phone, email, address, payment, family, travelled
    value: str
    sources: tuple[str, ...]  # the references of the Records that state it


@dataclass(frozen=True)
class Network:
    centre: str
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    truncated: bool
    partners: bool = False
    """Whether partners' Records could join (a purpose was stated): said on the page either
    way, never whether any would have."""


def link_keys(record: RecordData) -> set[tuple[str, str]]:
    """What a Record says that another may say too (normalised for comparison)."""
    keys: set[tuple[str, str]] = set()
    extra = dict(record.extra)
    for relation in record.relations:
        kind = "family" if relation.kind in ("family", "mother") else relation.kind
        if kind in ("recommender", "family") and relation.name.strip():
            keys.add((kind, " ".join(relation.name.lower().split())))
    if extra.get("entry_date") and extra.get("entry_point"):
        keys.add(("entry", f"{extra['entry_date']} at {extra['entry_point']}"))
    if extra.get("recommender"):
        keys.add(("recommender", " ".join(extra["recommender"].lower().split())))
    travel = record.travel
    if travel is not None:
        if travel.booking_reference:
            keys.add(("booking", travel.booking_reference.upper()))
        keys.update(("phone", "".join(c for c in p if c.isdigit())) for p in travel.phones)
        keys.update(("email", e.strip().lower()) for e in travel.emails)
        keys.update(("address", " ".join(a.lower().split())) for a in travel.addresses)
        keys.update(("payment", p.card_number) for p in travel.payments if p.card_number)
    return {k for k in keys if k[1]}


@guarded("record", "reference")
def network(ctx: Context, reference: str, hops: int = 2) -> Network:
    viewer = ctx.caller.viewer
    check(viewer, Permission.SCREEN)
    agency = reference.partition(":")[0]
    if agency != viewer.agency:
        ctx.require_purpose("opening another agency's record")
    # Partners' Records are other agencies' data: drawn in only for a stated purpose. Before,
    # the network around one's own Record showed them with none, and its event named none.
    partners = bool(ctx.purpose.strip())
    with ctx.db.transaction() as session:
        who, shared = contacts(session), grants(session)
        centre = _centre(session, viewer.agency, reference, who, shared)
        if centre is None:
            raise Unseen(f"no record {reference} that you see in full")
        full = {reference: centre}
        if link_keys(centre[1]):  # a Record that says nothing shared links to no other
            linkable = _linkable(session, viewer.agency, who, shared)
            full |= {
                ref: seen for ref, seen in linkable.items() if partners or seen[0] == viewer.agency
            }
        result = replace(_walk(reference, full, hops), partners=partners)
        shown = [(n.agency, Disclosure.FULL.value, n.reference) for n in result.nodes]
        audit(
            session,
            ctx,
            AuditAction.RECORD_OPEN,
            "network",
            reference,
            {
                "nodes": len(result.nodes),
                "links": len(result.links),
                **disclosed_detail(viewer.agency, shown),
            },
        )
    return result


def _seen_in_full(
    viewer_agency: str, row: Record, who: dict[str, str], shared: Grants
) -> tuple[str, tuple[str, RecordData]] | None:
    view = other_record(viewer_agency, held(row), who, shared)
    if view.level is Disclosure.FULL and view.record is not None:
        return view.reference, (view.agency, view.record)
    return None


def _centre(
    session: Session, viewer_agency: str, reference: str, who: dict[str, str], shared: Grants
) -> tuple[str, RecordData] | None:
    """The current Record named by `reference`, if the caller sees it in full; read by its
    owner and content hash, not by reading every Record. A whole reference only: a prefix
    found every Record it began with and took longer the more there were, so timing
    prefixes walked a partner's references. None found is cut down as a stand-in hit-only
    Record, so a missing reference costs what an unseen one does."""
    agency, _, digest = reference.partition(":")
    if len(digest) != 12 or not digest.isalnum():
        return None  # not a whole reference: none looked up, answered as missing
    stmt = select(Record).where(
        Record.agency_code == agency,
        Record.superseded.is_(False),
        hash_begins(digest),
    )
    rows = list(session.execute(stmt.order_by(Record.id)).scalars()) or [stand_in(agency)]
    found = None
    for row in rows:
        seen = _seen_in_full(viewer_agency, row, who, shared)
        if seen is not None and seen[0] == reference:
            found = seen[1]  # the last, as when every Record was read in id order
    return found


def _linkable(
    session: Session, viewer_agency: str, who: dict[str, str], shared: Grants
) -> dict[str, tuple[str, RecordData]]:
    """Every current Record the caller sees in full that says something another may say too
    (a Record with no link keys never joins a network, so is not decoded nor cut)."""
    full: dict[str, tuple[str, RecordData]] = {}
    for row in _candidates(session):
        if _may_link(row.data):
            seen = _seen_in_full(viewer_agency, row, who, shared)
            if seen is not None:
                full[seen[0]] = seen[1]
    return full


def _candidates(session: Session) -> list[Record]:
    """The current Records whose stored JSON may give a link key, found by the database (a
    Record with nothing of the kind is not even read): a superset of `_may_link`, in id
    order. JSON paths read the same on SQLite and PostgreSQL; an empty list reads '[]'."""

    def text(*path: str) -> ColumnElement[str]:
        return func.coalesce(Record.data[path].as_string(), "")

    empty = ("", "[]")
    maybe = or_(
        text("relations").not_in(empty),
        text("extra").contains('"recommender"'),
        text("extra").contains('"entry_date"'),
        *(text("travel", f).not_in(empty) for f in TRAVEL_KEYS),
    )
    ids = select(Record.id).where(Record.superseded.is_(False), maybe)
    stmt = select(Record).where(Record.id.in_(ids)).order_by(Record.id)
    return list(session.execute(stmt).scalars())


def _may_link(data: Mapping[str, Any]) -> bool:
    """Whether a stored Record's content may give `link_keys` (a cheap look at its JSON,
    never false when it does: every field `link_keys` reads, present and not empty)."""
    if data.get("relations"):
        return True
    extra = {str(k): v for k, v in data.get("extra") or ()}
    if extra.get("recommender") or (extra.get("entry_date") and extra.get("entry_point")):
        return True
    travel = data.get("travel") or {}
    if any(travel.get(f) for f in TRAVEL_KEYS[:-1]):
        return True
    return any(p.get("card_number") for p in travel.get("payments") or ())


def _walk(centre: str, full: dict[str, tuple[str, RecordData]], hops: int) -> Network:
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    keys_of = {ref: link_keys(record) for ref, (_, record) in full.items()}
    for ref, keys in keys_of.items():
        for key in keys:
            by_key[key].append(ref)
    hop_of = {centre: 0}
    frontier = [centre]
    links: dict[tuple[str, str, str, str], Link] = {}
    truncated = False
    for hop in range(1, hops + 1):
        following: list[str] = []
        for ref in frontier:
            for key in sorted(keys_of[ref]):
                for other in by_key[key]:
                    if other == ref:
                        continue
                    if other not in hop_of:
                        if len(hop_of) >= MAX_NODES:
                            truncated = True
                            continue
                        hop_of[other] = hop
                        following.append(other)
                    left, right = sorted((ref, other))
                    link = Link(left, right, key[0], key[1], (left, right))
                    links.setdefault((left, right, *key), link)
        frontier = following
    nodes = tuple(
        Node(ref, full[ref][0], full[ref][1].primary_name, hop)
        for ref, hop in sorted(hop_of.items(), key=lambda item: (item[1], item[0]))
    )
    return Network(centre, nodes, tuple(links.values()), truncated)
