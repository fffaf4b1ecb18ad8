"""What the PNRGOV grammar collects about one booking before it becomes Records."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ftfhub.domain import Document, Leg, PartialDate, Payment
from ftfhub.ingest.edifact import values
from ftfhub.ingest.edifact.pnr_fields import Docs
from ftfhub.ingest.edifact.syntax import Segment

_LETTERS = re.compile(r"[^A-Z]")


def squeeze(name: str) -> str:
    """A name with only its letters, for comparing a TIF with a DOCS written differently
    (`TESTSURNA MEONE` wrapped, `SEJOONMR` glued)."""
    return _LETTERS.sub("", name.upper())


@dataclass
class Contacts:
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    cards: list[str] = field(default_factory=list)  # link keys of the cards (pnr_links.py)

    def add(self, phones: list[str] = [], emails: list[str] = []) -> None:  # noqa: B006
        self.phones += [p for p in phones if p not in self.phones]
        self.emails += [e for e in emails if e not in self.emails]

    def add_address(self, line: str) -> None:
        if line and line not in self.addresses:
            self.addresses.append(line)


@dataclass
class Passenger:
    """One TIF group: the booking name, and what its SSRs, tickets and payments said."""

    tif: Segment
    surname: str
    given: str
    passenger_type: str  # A adult, IN infant, C child …
    reference: str  # the traveller reference number other segments point to
    contacts: Contacts = field(default_factory=Contacts)
    docs: list[Docs] = field(default_factory=list)
    other_documents: list[Document] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    ticket: str = ""
    fare: str = ""
    seats: dict[int, str] = field(default_factory=dict)  # leg index → seat
    bags: dict[int, int] = field(default_factory=dict)  # leg index → bags checked in
    birth: PartialDate | None = None  # an infant's, from SSR INFT (DOCS says it otherwise)

    @property
    def infant(self) -> bool:
        return self.passenger_type.upper() in ("IN", "INF")

    def named(self, surname: str, given: str = "") -> bool:
        if squeeze(surname) != squeeze(self.surname):
            return False
        return not given or squeeze(given).startswith(squeeze(self.given)[:3])


@dataclass
class Booking:
    """One SRC group: a PNR with its travellers, itinerary, contacts and history."""

    src: Segment
    flight: Leg = field(default_factory=Leg)  # the flight of the message that pushed it
    locator: str = ""
    booked_on: str = ""
    other_locators: list[str] = field(default_factory=list)
    split_locators: list[str] = field(default_factory=list)
    passengers: list[Passenger] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)
    contacts: Contacts = field(default_factory=Contacts)
    loose_docs: list[tuple[Docs, Passenger | None]] = field(default_factory=list)
    seat_requests: list[tuple[int, str, str]] = field(default_factory=list)  # leg, seat, ref
    history: list[str] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    infant_notes: list[tuple[Segment, Passenger | None]] = field(default_factory=list)  # INFT
    nameless: int = 0  # TIFs without a name (each reported where it stands)
    group_name: str = ""  # a group booking's name (TIF qualified G, SSR GRPS)
    group_seats: int = 0  # the seats a group booking holds, named or not

    def free_reference(self, wanted: str) -> str:
        """`wanted`, or `wanted` with a number after it when a traveller has it (two infants
        of one adult): a record id is the locator and this reference."""
        taken = {p.reference for p in self.passengers}
        number = 2
        reference = wanted
        while reference in taken:
            reference, number = f"{wanted}{number}", number + 1
        return reference

    def passenger(self, reference: str, surname: str = "", given: str = "") -> Passenger | None:
        """The traveller a segment points to, by reference number, else by name."""
        if reference:
            for p in self.passengers:
                if p.reference == reference:
                    return p
        if surname:
            named = [p for p in self.passengers if p.named(surname, given)]
            if len(named) == 1:
                return named[0]
        return None


def lap_infants(booking: Booking, adult: Passenger, segment: Segment) -> None:
    """An infant on the adult's lap given in a second traveller composite of the adult's
    TIF (`TIF+DOE+JANE MRS:A:2:1+LUKA:INF`): a traveller of its own, under the adult's
    surname."""
    for index in range(2, len(segment.elements)):
        given = values.strip_title(segment.value(index))
        if not given:
            continue
        kind = segment.value(index, 1) or "IN"
        booking.passengers.append(
            Passenger(
                tif=segment,
                surname=adult.surname,
                given=given,
                passenger_type=kind,
                reference=segment.value(index, 2)
                or booking.free_reference(f"{adult.reference}-INF"),
            )
        )
