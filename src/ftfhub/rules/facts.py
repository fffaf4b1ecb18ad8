"""The facts a rule may read: what a traveller does, never who they are.

Each fact is computed from a travel Record's journey, booking, payment and documents' status,
and from what the hub already knows (which travellers are listed, which documents are
reported stolen). This registry is the whole vocabulary of the rule language: a rule can name
nothing else, so a rule cannot read a name, a nationality, a birth date, a gender, a place of
birth, a document's issuing country — or anything derived from them. Tests check that two
travellers who differ only in who they are get the same facts.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from ftfhub.domain import Leg, RecordData

FactValue = bool | int | str | tuple[str, ...] | None
"""A fact is a yes/no, a whole number, a code, a set of codes, or unknown (None: a rule
condition on an unknown fact is never met)."""


@dataclass(frozen=True)
class Knowledge:
    """What the hub knows besides the manifest: ids of travel Records that screening found
    listed, and document numbers reported stolen or lost."""

    listed_record_ids: frozenset[str] = frozenset()
    stolen_documents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Fact:
    name: str
    kind: type  # bool, int, str or tuple (a set of codes)
    description: str
    read: Callable[[RecordData, Knowledge], FactValue]


def _moment(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text if "T" in text else f"{text}T00:00")
    except ValueError:
        return None


def _legs(r: RecordData) -> tuple[Leg, ...]:
    if r.travel is None:
        return ()
    if r.travel.legs:
        return r.travel.legs
    if r.travel.origin or r.travel.destination:
        t = r.travel
        return (Leg(t.flight, t.origin, t.destination, t.date),)
    return ()


def _first_departure(r: RecordData) -> date | None:
    legs = _legs(r)
    moment = _moment(legs[0].departure) if legs else None
    if moment is None and r.travel is not None:
        moment = _moment(r.travel.date)
    return moment.date() if moment else None


def _airports(r: RecordData, _: Knowledge) -> tuple[str, ...]:
    codes = [code for leg in _legs(r) for code in (leg.origin, leg.destination) if code]
    return tuple(dict.fromkeys(codes))


def _via(r: RecordData, _: Knowledge) -> tuple[str, ...]:
    legs = _legs(r)
    inner = [leg.destination for leg in legs[:-1]] + [leg.origin for leg in legs[1:]]
    ends = {legs[0].origin, legs[-1].destination} if legs else set()
    return tuple(dict.fromkeys(code for code in inner if code and code not in ends))


def _one_way(r: RecordData, _: Knowledge) -> bool | None:
    legs = _legs(r)
    return legs[-1].destination != legs[0].origin if legs else None


def _stay_days(r: RecordData, _: Knowledge) -> int | None:
    """Days between arriving and leaving again on a round trip: the longest time on the
    ground between two legs (a connection is hours, a stay is days)."""
    legs = _legs(r)
    if len(legs) < 2 or legs[-1].destination != legs[0].origin:
        return None
    gaps = []
    for before, after in itertools.pairwise(legs):
        landed = _moment(before.arrival or before.departure)
        leaves = _moment(after.departure)
        if landed and leaves:
            gaps.append((leaves.date() - landed.date()).days)
    return max(gaps) if gaps else None


def _days_before(r: RecordData, _: Knowledge) -> int | None:
    booked = _moment(r.travel.booked_on) if r.travel else None
    departs = _first_departure(r)
    return (departs - booked.date()).days if booked and departs else None


def _party(r: RecordData, _: Knowledge) -> int:
    return 1 + sum(1 for rel in r.relations if rel.kind == "travelled_with")


def _bags(r: RecordData, _: Knowledge) -> int | None:
    return r.travel.checked_bags if r.travel else None


def _methods(r: RecordData, _: Knowledge) -> tuple[str, ...]:
    payments = r.travel.payments if r.travel else ()
    return tuple(dict.fromkeys(p.method for p in payments))


def _linked(kinds: tuple[str, ...]) -> Callable[[RecordData, Knowledge], bool]:
    def read(r: RecordData, _: Knowledge) -> bool:
        return any(rel.kind in kinds for rel in r.relations)

    return read


def _companion_listed(r: RecordData, k: Knowledge) -> bool:
    return any(
        rel.kind == "travelled_with" and rel.target_record_id in k.listed_record_ids
        for rel in r.relations
    )


def _stolen(r: RecordData, k: Knowledge) -> bool:
    return any(doc.number.upper() in k.stolen_documents for doc in r.documents)


def _expired(r: RecordData, _: Knowledge) -> bool | None:
    departs = _first_departure(r)
    expiries = [_moment(d.expiry) for d in r.documents if d.expiry]
    if departs is None or not expiries:
        return None
    return any(e is not None and e.date() < departs for e in expiries)


def _role(r: RecordData, _: Knowledge) -> str | None:
    return r.travel.role or None if r.travel else None


FACTS: dict[str, Fact] = {
    f.name: f
    for f in (
        Fact("route.airports", tuple, "airports on the journey", _airports),
        Fact("route.via", tuple, "airports changed at on the way", _via),
        Fact("route.origin", str, "airport the journey starts at", lambda r, k: _ends(r)[0]),
        Fact("route.destination", str, "airport the journey ends at", lambda r, k: _ends(r)[1]),
        Fact("route.legs", int, "number of flights", lambda r, k: len(_legs(r))),
        Fact("trip.one_way", bool, "no flight back to where the journey started", _one_way),
        Fact("trip.stay_days", int, "days stayed before flying back", _stay_days),
        Fact("booking.days_before_departure", int, "days between booking and departure",
             _days_before),
        Fact("booking.party_size", int, "travellers on the booking", _party),
        Fact("booking.checked_bags", int, "bags checked in", _bags),
        Fact("payment.methods", tuple, "forms of payment", _methods),
        Fact("payment.cash", bool, "paid in cash", lambda r, k: "cash" in _methods(r, k)),
        Fact("payment.shared_with_other_booking", bool,
             "the same card paid another booking", _linked(("same_payment",))),
        Fact("contact.shared_with_other_booking", bool,
             "the same phone, e-mail or address is on another booking",
             _linked(("same_phone", "same_email", "same_address"))),
        Fact("companion.listed", bool, "travels on one booking with a listed person",
             _companion_listed),
        Fact("document.stolen", bool, "a document reported stolen or lost", _stolen),
        Fact("document.expired", bool, "a document expired before departure", _expired),
        Fact("traveller.role", str, "passenger or crew", _role),
    )
}  # fmt: skip


def _ends(r: RecordData) -> tuple[str | None, str | None]:
    legs = _legs(r)
    return (legs[0].origin or None, legs[-1].destination or None) if legs else (None, None)


def facts_of(record: RecordData, knowledge: Knowledge, names: set[str]) -> dict[str, FactValue]:
    """The named facts of one Record (only those the rules use are computed)."""
    return {name: FACTS[name].read(record, knowledge) for name in names}
