"""PNR bookings → travel Records, with the links the network view draws.

Every traveller of a booking `travelled_with` every other one. Across the bookings of one
message, travellers whose bookings give the same telephone number, e-mail, address or card
are linked by `same_phone`, `same_email`, `same_address` or `same_payment` (pnr_links.py
says when two values are the same): the booking behaviour an analyst follows, never anything
about who the people are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ftfhub.domain import Document, Leg, Name, Payment, RecordData, Relation, Travel
from ftfhub.ingest.edifact.pnr_fields import Docs, read_inft
from ftfhub.ingest.edifact.pnr_links import Contactable
from ftfhub.ingest.edifact.pnr_links import links as link_travellers
from ftfhub.ingest.edifact.pnr_model import Booking, Passenger, squeeze
from ftfhub.ingest.edifact.reading import MessageReading
from ftfhub.ingest.errors import FieldError
from ftfhub.names.script import detect_script

HISTORY_LINES = 20
"""How many history entries a Record keeps (the rest of a long history stays in the file)."""


@dataclass
class _Draft:
    """One traveller on the way to a Record: its id is known before its relations are."""

    booking: Booking
    passenger: Passenger
    record_id: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    addresses: tuple[str, ...]
    payments: tuple[Payment, ...]
    cards: tuple[str, ...]


def _owner(booking: Booking, docs: Docs, holder: Passenger | None) -> Passenger | None:
    """The traveller an SSR DOCS belongs to: by name first (DOCS is often in the wrong group,
    an infant's DOCS sits under the adult), then by reference, then the group it is in."""
    named = [p for p in booking.passengers if p.named(docs.surname, docs.given)]
    if len(named) > 1:
        named = [p for p in named if p.infant == docs.infant] or named
    if len(named) == 1:
        return named[0]
    if named:
        return holder if holder in named else named[0]
    by_reference = booking.passenger(docs.reference)
    if by_reference is not None:
        return by_reference
    sole = booking.passengers[0] if len(booking.passengers) == 1 else None
    return holder or sole


def _attach_docs(booking: Booking, reading: MessageReading) -> None:
    for docs, holder in booking.loose_docs:
        owner = _owner(booking, docs, holder)
        if owner is None:
            who = "/".join(x for x in (docs.surname, docs.given) if x) or "no name"
            reading.fault(
                docs.segment,
                f"SSR DOCS for {who} matches no traveller of booking "
                f"{booking.locator or '?'}; not attached",
                1,
            )
            continue
        if (
            docs.infant
            and not owner.infant
            and docs.given
            and not owner.named(docs.surname, docs.given)
        ):
            owner = _infant_of_docs(booking, owner, docs, reading)
        owner.docs.append(docs)


def _infant_of_docs(
    booking: Booking, adult: Passenger, docs: Docs, reading: MessageReading
) -> Passenger:
    """An infant's DOCS (gender MI/FI, another name) under an adult, with no TIF or INFT of
    its own: the infant is a traveller of its own, never the adult's second passport."""
    infant = Passenger(
        docs.segment,
        docs.surname or adult.surname,
        docs.given,
        "IN",
        booking.free_reference(f"{adult.reference}-INF"),
    )
    booking.passengers.append(infant)
    reading.warnings.append(
        f"segment {docs.segment.number} (SSR DOCS): infant {docs.given} {infant.surname} has "
        "no TIF of its own; loaded from the DOCS"
    )
    return infant


def _add_infants(booking: Booking, reading: MessageReading, year: int) -> None:
    """An infant named only in SSR INFT (no TIF of its own) is still a traveller: loaded
    from the INFT (name, birth date) under its adult, and said. One already a traveller of
    the booking by name is not added again (INFT is repeated per leg)."""
    for segment, adult in booking.infant_notes:
        try:
            surname, given, birth = read_inft(segment, year)
        except FieldError as exc:
            reading.field_fault(segment, exc, 1, "the infant is read without a birth date")
            surname, given, birth = "", "", None
        surname = surname or (adult.surname if adult else "")
        if not given or any(p.named(surname, given) for p in booking.passengers):
            continue
        reference = booking.free_reference(f"{adult.reference}-INF" if adult else "INF")
        infant = Passenger(segment, surname, given, "IN", reference, birth=birth)
        booking.passengers.append(infant)
        reading.warnings.append(
            f"segment {segment.number} (SSR INFT): infant {given} {surname} has no TIF of its "
            "own; loaded from the SSR"
        )


def _say_group(booking: Booking, reading: MessageReading) -> None:
    """A group booking's travellers are those named; seats it holds beyond them (names not
    given yet) are said, since the flight will carry people this message does not name."""
    if not booking.group_name and not booking.group_seats:
        return
    booking.extra += [("group_name", booking.group_name)]
    booking.extra += [("group_seats", str(booking.group_seats))] if booking.group_seats else []
    named = len([p for p in booking.passengers if not p.infant])
    if booking.group_seats > named or not named:
        reading.warnings.append(
            f"segment {booking.src.number} (SRC): group booking {booking.locator or '?'} "
            f"({booking.group_name or 'no name'}) holds {booking.group_seats} seats and names "
            f"{named} traveller(s); the {booking.group_seats - named} not yet named are not "
            "in this message"
        )


def _apply_seats(booking: Booking) -> None:
    for leg, seat, reference in booking.seat_requests:
        passenger = booking.passenger(reference)
        if passenger is not None:
            passenger.seats.setdefault(leg, seat)


def _legs(booking: Booking, passenger: Passenger) -> tuple[Leg, ...]:
    return tuple(
        replace(leg, seat=passenger.seats.get(index, "")) for index, leg in enumerate(booking.legs)
    )


def _documents(passenger: Passenger) -> tuple[Document, ...]:
    found: dict[tuple[str, str], Document] = {}
    for doc in [d.document for d in passenger.docs if d.document] + passenger.other_documents:
        assert doc is not None
        found.setdefault((doc.type, doc.number), doc)
    return tuple(found.values())


def _names(passenger: Passenger) -> tuple[Name, ...]:
    """The booking name, and the document's name beside it when it is written otherwise.
    When the document's name holds every word of the booking name and more (the middle
    names a booking leaves out), it is the one name: it is the same name in full, and the
    shorter form kept beside it would let a middle name that disagrees with a listed
    person's go unseen (the matcher takes the best pair of names)."""
    full = f"{passenger.given} {passenger.surname}".strip()
    written = [f"{d.given} {d.surname}".strip() for d in passenger.docs]
    fuller = next((w for w in written if _extends(w, full)), None)
    names = [Name(fuller or full, "primary", detect_script(fuller or full))]
    for text in written:
        known = any(squeeze(text) == squeeze(n.full) for n in names)
        if text and not known and not _extends(names[0].full, text):
            names.append(Name(text, "alias", detect_script(text)))
    return tuple(names)


def _extends(longer: str, shorter: str) -> bool:
    """Whether `longer` has every word of `shorter` and more (`ANNA MARIA DOE` of `ANNA
    DOE`)."""
    words, wanted = longer.upper().split(), shorter.upper().split()
    return len(words) > len(wanted) > 0 and all(words.count(w) >= wanted.count(w) for w in wanted)


def _first(values: list[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _draft(booking: Booking, passenger: Passenger, number: int) -> _Draft:
    locator = booking.locator or f"PNR{number}"
    own, shared = passenger.contacts, booking.contacts
    return _Draft(
        booking=booking,
        passenger=passenger,
        record_id=f"{locator}-{passenger.reference}",
        phones=tuple(dict.fromkeys(own.phones + shared.phones)),
        emails=tuple(dict.fromkeys(own.emails + shared.emails)),
        addresses=tuple(dict.fromkeys(own.addresses + shared.addresses)),
        payments=tuple(dict.fromkeys(own.payments + shared.payments)),
        cards=tuple(dict.fromkeys(own.cards + shared.cards)),
    )


def _contactable(draft: _Draft) -> Contactable:
    p = draft.passenger
    return Contactable(
        draft.record_id,
        f"{p.given} {p.surname}".strip(),
        draft.booking,
        draft.booking.src.number,
        draft.phones,
        draft.emails,
        draft.addresses,
        draft.cards,
    )


def _extra(draft: _Draft) -> tuple[tuple[str, str], ...]:
    booking, passenger = draft.booking, draft.passenger
    extra = [("surname", passenger.surname), ("given_names", passenger.given)]
    extra += [(k, v) for k, v in booking.extra + passenger.extra if v]
    extra += [("other_locator", x) for x in booking.other_locators]
    extra += [("split_locator", x) for x in booking.split_locators]
    extra += [("history", line) for line in booking.history[:HISTORY_LINES] if line]
    return tuple(dict.fromkeys(extra))


def _record(draft: _Draft, flight: Leg, relations: list[Relation], kind: str) -> RecordData:
    p, booking = draft.passenger, draft.booking
    legs = _legs(booking, p)
    main = flight if flight.origin else (legs[0] if legs else Leg())
    travel = Travel(
        flight=main.flight,
        origin=main.origin,
        destination=main.destination,
        date=main.departure[:10],
        role="passenger",
        infant=p.infant or any(d.infant for d in p.docs),
        legs=legs,
        booking_reference=booking.locator,
        booked_on=booking.booked_on,
        ticket_number=p.ticket,
        fare=p.fare,
        phones=draft.phones,
        emails=draft.emails,
        addresses=draft.addresses,
        payments=draft.payments,
        checked_bags=max(p.bags.values()) if p.bags else None,
    )
    nationality = _first([d.nationality for d in p.docs])
    birth = next((d.birth for d in p.docs if d.birth), p.birth)
    return RecordData(
        record_id=draft.record_id,
        kind=kind,
        names=_names(p),
        birth_dates=(birth,) if birth else (),
        nationalities=(nationality,) if nationality else (),
        gender=_first([d.gender for d in p.docs]),
        documents=_documents(p),
        relations=tuple(relations),
        travel=travel,
        extra=_extra(draft),
    )


def booking_records(
    bookings: list[Booking], reading: MessageReading, kind: str, year: int
) -> list[tuple[int, RecordData]]:
    """(segment number of the TIF, Record) for every traveller of every booking."""
    drafts: list[_Draft] = []
    for number, booking in enumerate(bookings, start=1):
        _add_infants(booking, reading, year)
        grouped = booking.group_name or booking.group_seats
        if not booking.passengers and not booking.nameless and not grouped:
            reading.fault(
                booking.src,
                f"booking {booking.locator or '?'} names no traveller (no TIF); "
                "nothing of it is loaded",
            )
        _say_group(booking, reading)
        _attach_docs(booking, reading)
        _apply_seats(booking)
        drafts += [_draft(booking, p, number) for p in booking.passengers]
    links, warnings = link_travellers([_contactable(d) for d in drafts])
    reading.warnings += warnings
    return [
        (d.passenger.tif.number, _record(d, d.booking.flight, links[d.record_id], kind))
        for d in drafts
    ]
