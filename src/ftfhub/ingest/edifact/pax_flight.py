"""The flight part of a PAXLST message: TDT and its LOC/DTM pairs (the legs), the list's
kind (BGM), and what the message says of itself (CNT control totals, a later part that
does not repeat its flight)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ftfhub.clock import utcnow
from ftfhub.domain import Leg
from ftfhub.ingest.edifact import values
from ftfhub.ingest.edifact.reading import MessageReading
from ftfhub.ingest.edifact.syntax import Segment
from ftfhub.ingest.errors import FieldError

CREW_LISTS = frozenset({"250", "336"})
"""BGM codes of a crew list: 250 crew list declaration, 336 the US master crew list."""


NOT_FLYING = {"XR": "a cancellation of reservations", "RP": "a reduction in party"}
"""BGM functions (US guide) whose travellers are taken off the flight, not put on it."""


@dataclass
class FlightHeader:
    legs: list[Leg] = field(default_factory=list)
    reported: int | None = None  # index of the leg given with LOC+125/87
    role: str = "passenger"
    code: str = ""  # BGM's document code: 745 passengers, 250 / 336 crew, 266 a close-out …
    function: str = ""  # BGM's C106: CP a change, XR cancelled reservations, RP a reduction …
    counted: dict[str, int] = field(default_factory=lambda: {"passenger": 0, "crew": 0})

    @property
    def day(self) -> str:
        """The first leg's departure day (`2026-12-01`), "" when no leg gives one."""
        return next((leg.departure[:10] for leg in self.legs if leg.departure), "")

    @property
    def year(self) -> int:
        for leg in self.legs:
            if leg.departure[:4].isdigit():
                return int(leg.departure[:4])
        return utcnow().year


def _leg_place(header: FlightHeader, segment: Segment) -> None:
    """LOC+125/87/92 in the flight group: the airports of the last TDT's leg."""
    if not header.legs:
        header.legs.append(Leg())
    leg = header.legs[-1]
    qualifier, airport = segment.value(0), segment.value(1).upper()
    if qualifier == "125" or (qualifier == "92" and not leg.origin):
        header.legs[-1] = replace(leg, origin=airport)
        if qualifier == "125":
            header.reported = len(header.legs) - 1
    elif qualifier in ("87", "92"):
        header.legs[-1] = replace(leg, destination=airport)


def _leg_time(header: FlightHeader, segment: Segment, reading: MessageReading) -> None:
    if not header.legs:
        return
    qualifier, when, fmt = segment.value(0), segment.value(0, 1), segment.value(0, 2)
    leg = header.legs[-1]
    try:
        moment = values.edifact_datetime(when, fmt, f"DTM+{qualifier}", 2100)
    except FieldError as exc:
        reading.field_fault(segment, exc, 1, "the flight is read without this time")
        return
    if qualifier == "189":
        header.legs[-1] = replace(leg, departure=moment)
    elif qualifier == "232":
        header.legs[-1] = replace(leg, arrival=moment)


def _flight(segment: Segment) -> Leg:
    number = segment.value(1).replace(" ", "").upper()
    carrier = segment.value(4).upper()
    if carrier and not number.startswith(carrier):
        number = carrier + number
    return Leg(flight=number)


LIST_CODES = {
    "745": "passenger list",
    "250": "crew list",
    "336": "master crew list",
    "266": "flight close-out (who boarded, sent when the doors close)",
}


def _say_list_code(code: str, segment: Segment, reading: MessageReading) -> None:
    """A list that is not one of passengers or crew is still read (its travellers by their
    NAD codes), with the code on every Record and said, never taken for a passenger list."""
    if code in ("745", "250", "336"):
        return
    shown = code or "none"
    what = f"a {LIST_CODES[code]}" if code in LIST_CODES else "not a passenger or crew list"
    reading.warnings.append(
        f"segment {segment.number} (BGM): document code '{shown}' is {what}; its travellers "
        f"are read by their NAD codes and loaded with list_code {shown}"
    )


def header_segment(header: FlightHeader, segment: Segment, reading: MessageReading) -> None:
    if segment.tag == "BGM":
        header.code = segment.value(0)
        header.role = "crew" if header.code in CREW_LISTS else header.role
        header.function = segment.value(1).upper()
        _say_list_code(header.code, segment, reading)
        if header.function in NOT_FLYING:
            reading.warnings.append(
                f"segment {segment.number} (BGM): the list is {NOT_FLYING[header.function]} "
                f"({header.function}); its travellers are loaded with list_function "
                f"{header.function}, they may not fly"
            )
    elif segment.tag == "TDT":
        header.legs.append(_flight(segment))
    elif segment.tag == "LOC":
        _leg_place(header, segment)
    elif segment.tag == "DTM":
        _leg_time(header, segment, reading)


def check_counts(segment: Segment, header: FlightHeader, reading: MessageReading) -> None:
    """CNT+42 (passengers) and CNT+41 (crew) against the travellers of the message: a
    difference is said (a list sent in parts may count the whole flight)."""
    for element in segment.elements:
        parts = [*element, ""]
        role = {"42": "passenger", "41": "crew"}.get(parts[0].strip())
        stated = parts[1].strip()
        if role and stated.isdigit() and int(stated) != header.counted[role]:
            reading.warnings.append(
                f"segment {segment.number} (CNT): CNT+{parts[0].strip()} counts {int(stated)} "
                f"{role} travellers; the message holds {header.counted[role]}"
            )


def same_flight(
    header: FlightHeader, flown: FlightHeader, nad: Segment, reading: MessageReading
) -> None:
    """A later part of a list sent in parts that does not repeat the flight (no TDT before
    its first traveller) is on the flight of the part before, as its sender meant."""
    if header.legs or not flown.legs:
        return
    header.legs, header.reported = list(flown.legs), flown.reported
    reading.warnings.append(
        f"segment {nad.number} (NAD): this message names no flight (TDT); its travellers are "
        "read on the flight of the message before"
    )
