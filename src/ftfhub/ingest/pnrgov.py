"""UN/EDIFACT PNRGOV (PNR data, versions 11.1 to 17.1), read leniently.

The grammar we read:

- header: UNB/UNG/UNH, MSG, ORG (sender), TVL (the flight this push is for), EQN (number of
  PNRs);
- per PNR, the SRC group: RCI (record locator, creation date; a second locator of a codeshare
  partner), SSR, DAT, IFT (CTC contact lines: phones and e-mails), ORG, ADD (address);
- per traveller, the TIF group: TIF (surname, given names with title, passenger type,
  reference number), FTI, IFT, REF, FAR, SSR DOCS / DOCO / DOCA (split per AIRIMP), TKT, MON,
  PTK, TXD, DAT, FOP (form of payment) with its IFT and ADD;
- the itinerary, TVL groups: TVL (dates, airports, marketing and operating carrier, flight
  and class), RPI, APD, SSR SEAT (seat per traveller reference), DAT, and the check-in data
  TRI / TIF / SSD (seat) / TBD;
- EQN with RCI inside a PNR: the locators it was split from or into;
- ABI / DAT / SAC / … and LTS: the PNR history, kept as text and never read as the current
  booking (a TIF in the history is a changed name, not a traveller); MSG inside a PNR starts
  non-air segments (a hotel TVL), which are skipped.

Real messages are messy: an SSR DOCS in the wrong group is attached to its traveller by name
or reference; a DOCS without document number still gives birth date and gender; a value that
cannot be read is reported with its segment and the traveller loads without it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ftfhub.clock import utcnow
from ftfhub.domain import Leg
from ftfhub.ingest.edifact import pnr_fields, values
from ftfhub.ingest.edifact.pnr_model import Booking, Passenger, lap_infants
from ftfhub.ingest.edifact.pnr_records import booking_records
from ftfhub.ingest.edifact.reading import MessageReading, after_the_end
from ftfhub.ingest.edifact.syntax import Interchange, Segment, read_interchange
from ftfhub.ingest.errors import FieldError

TAGS = frozenset({
    "SRC", "RCI", "TIF", "TVL", "SSR", "IFT", "REF", "FAR", "TKT", "MON", "PTK", "TXD", "FOP",
    "DAT", "ADD", "ORG", "EBD", "FTI", "RPI", "APD", "TRI", "SSD", "TBD", "ABI", "SAC", "LTS",
    "EQN", "MSG", "UNT",
})  # fmt: skip
FREE_TEXT = frozenset({"IFT", "LTS"})


@dataclass
class _State:
    """Where the walk through the segments is."""

    reading: MessageReading
    separator: str
    flight: Leg = field(default_factory=Leg)
    bookings: list[Booking] = field(default_factory=list)
    mode: str = "header"  # header, pnr, passenger, itinerary, split, other, history
    passenger: Passenger | None = None
    checkin: Passenger | None = None
    counted: tuple[Segment, int, int] | None = None  # EQN: its segment, PNRs, bookings before

    @property
    def booking(self) -> Booking | None:
        return self.bookings[-1] if self.bookings else None

    @property
    def year(self) -> int:
        return int(self.flight.departure[:4]) if self.flight.departure else utcnow().year


def free_text(segment: Segment, start: int, separator: str) -> str:
    """Free text from element `start` on; a data separator the sender left unreleased inside
    the text splits it into more elements, so they are joined again with that separator."""
    return separator.join(":".join(e) for e in segment.elements[start:]).strip()


def _day(text: str, segment: Segment, reading: MessageReading) -> date | None:
    if not text:
        return None
    try:
        return values.ddmmyy(text, "TVL date")
    except FieldError as exc:
        reading.field_fault(segment, exc, 1, "the leg is read without this date")
        return None


def _times(segment: Segment, reading: MessageReading) -> tuple[str, str]:
    """(departure, arrival) from `DDMMYY:HHMM:DDMMYY:HHMM`, any part missing; an arrival time
    without its own date (`230220:1010:1422`) is on the departure day."""
    texts = [p.strip() for p in segment.element(0)] + ["", "", "", ""]
    dep_date, dep_time, arr_date, arr_time = texts[:4]
    if len(arr_date) == 4 and not arr_time:
        arr_date, arr_time = "", arr_date
    dep_day = _day(dep_date, segment, reading)
    arr_day = _day(arr_date, segment, reading) or dep_day
    departure = values.with_time(dep_day, dep_time) if dep_day else ""
    arrival = values.with_time(arr_day, arr_time) if arr_day and (arr_date or arr_time) else ""
    return departure, arrival


def read_leg(segment: Segment, reading: MessageReading) -> Leg | None:
    """A TVL as a leg, or None when it names no airports (a continuation of the last)."""
    origin, destination = segment.value(1).upper(), segment.value(2).upper()
    if not origin or not destination:
        return None
    departure, arrival = _times(segment, reading)
    marketing, operating = segment.value(3).upper(), segment.value(3, 1).upper()
    return Leg(
        flight=f"{marketing}{segment.value(4).upper()}",
        origin=origin[:3],
        destination=destination[:3],
        departure=departure,
        arrival=arrival,
        operating_carrier=operating if operating and operating != marketing else "",
        booking_class=segment.value(4, 1).upper(),
    )


def _seat(text: str) -> str:
    """`039G` → `39G`; `XXX` (no seat given) → ""."""
    seat = text.strip().upper().lstrip("0")
    return "" if not seat or seat.strip("X") == "" else seat


# --- the segments of each part of the message ---------------------------------------------


def _header(state: _State, segment: Segment) -> None:
    if segment.tag == "TVL":
        leg = read_leg(segment, state.reading)
        if leg is not None:
            state.flight = leg
    elif segment.tag == "EQN" and segment.value(0).isdigit():
        state.counted = (segment, int(segment.value(0)), len(state.bookings))


def _check_count(state: _State) -> None:
    """The number of PNRs the header's EQN gives against the bookings of the message: a
    difference is said (a booking may have been lost in transfer)."""
    if state.counted is None:
        return
    segment, stated, before = state.counted
    held = len(state.bookings) - before
    if held != stated:
        state.reading.warnings.append(
            f"segment {segment.number} (EQN): counts {stated} PNRs; the message holds {held}"
        )
    state.counted = None


def _rci(booking: Booking, segment: Segment, reading: MessageReading, split: bool) -> None:
    for index, element in enumerate(segment.elements):
        parts = [*element, "", "", "", ""]
        locator = parts[1].strip()
        if not locator:
            continue
        tagged = f"{parts[0].strip()}:{locator}" if parts[0].strip() else locator
        if split:
            booking.split_locators.append(tagged)
        elif not booking.locator:
            booking.locator = locator
            booking.extra.append(("booking_system", parts[0].strip()))
            # the creation date is the 4th component; some systems leave out the 3rd
            when = next((x.strip() for x in parts[2:4] if len(x.strip()) == 6), parts[3].strip())
            if when:
                try:
                    booking.booked_on = values.ddmmyy(when, "RCI date").isoformat()
                except FieldError as exc:
                    reading.field_fault(segment, exc, index + 1, "read without a booking date")
        elif locator != booking.locator and tagged not in booking.other_locators:
            booking.other_locators.append(tagged)


def _ssr(state: _State, booking: Booking, segment: Segment, leg: int | None) -> None:
    code = pnr_fields.ssr_code(segment)
    holder = state.passenger if state.mode == "passenger" else None
    if code in ("DOCS", "DOCO", "DOCA", "INFT") and not pnr_fields.ssr_text(segment).strip():
        state.reading.warnings.append(
            f"segment {segment.number} (SSR {code}): no free text (/…/…); nothing to read"
        )
        return
    try:
        if code == "DOCS":
            docs, faults = pnr_fields.read_docs(segment, state.year, state.flight.departure[:10])
            for exc in faults:
                state.reading.field_fault(segment, exc, 1, "the traveller is loaded without it")
            if docs.realigned:
                state.reading.warnings.append(
                    f"segment {segment.number} (SSR DOCS): the fields are not in AIRIMP order "
                    "(a slash left out or doubled); read by their form"
                )
            booking.loose_docs.append((docs, holder))
        elif code == "INFT":
            adult = holder or booking.passenger(pnr_fields.ssr_reference(segment))
            booking.infant_notes.append((segment, adult))
        elif code == "GRPS":
            name, seats = pnr_fields.read_grps(segment)
            booking.group_name = booking.group_name or name
            booking.group_seats = booking.group_seats or seats
        elif code in ("DOCO", "DOCA"):
            target = holder or booking.passenger(pnr_fields.ssr_reference(segment))
            if target is None:
                state.reading.fault(segment, f"SSR {code} points to no traveller; not read", 1)
            elif code == "DOCO":
                document, extra = pnr_fields.read_doco(segment, state.year)
                target.other_documents += [document] if document else []
                target.extra += extra
            else:
                line, country = pnr_fields.read_doca(segment)
                target.contacts.add_address(line)
                target.extra += [("residence", country)] if country else []
        elif code == "SEAT" and leg is not None:
            for element in segment.elements[1:]:
                parts = [*element, "", "", ""]
                seat = _seat(parts[0])
                if seat:
                    booking.seat_requests.append((leg, seat, parts[2].strip()))
    except FieldError as exc:
        state.reading.field_fault(segment, exc, 1, f"SSR {code} is not read")


def _contact(state: _State, segment: Segment, holder: Passenger | None) -> None:
    booking = state.booking
    assert booking is not None
    contacts = holder.contacts if holder else booking.contacts
    if segment.value(0, 1) == "43" and len(segment.elements) > 2:  # sponsor: name, address, phone
        contacts.add_address(segment.text(2) if len(segment.elements) < 4 else segment.value(2))
        contacts.add(phones=pnr_fields.phones(segment.text(3)))
        return
    text = free_text(segment, 1, state.separator)
    phones, emails = pnr_fields.contact(text)
    contacts.add(phones, emails)


def _pnr_segment(state: _State, booking: Booking, segment: Segment) -> None:
    tag = segment.tag
    if tag == "RCI":
        _rci(booking, segment, state.reading, split=False)
    elif tag == "SSR":
        _ssr(state, booking, segment, None)
    elif tag == "IFT":
        _contact(state, segment, None)
    elif tag == "ADD":
        line, phones = pnr_fields.address(segment)
        booking.contacts.add_address(line)
        booking.contacts.add(phones=phones)
    elif tag == "FOP":
        booking.contacts.payments += pnr_fields.payments(segment, "")
        booking.contacts.cards += pnr_fields.card_keys(segment)
    elif tag == "DAT" and segment.value(0) == "700":
        booking.extra.append(("last_changed", _dat(segment, state.reading)))


def _dat(segment: Segment, reading: MessageReading) -> str:
    try:
        day = values.ddmmyy(segment.value(0, 1), f"DAT+{segment.value(0)}")
    except FieldError as exc:
        reading.field_fault(segment, exc, 1, "read without this date")
        return ""
    return values.with_time(day, segment.value(0, 2))


def _passenger_segment(state: _State, p: Passenger, segment: Segment) -> None:
    booking = state.booking
    assert booking is not None
    tag = segment.tag
    if tag == "SSR":
        _ssr(state, booking, segment, None)
    elif tag == "IFT":
        _contact(state, segment, p)
    elif tag == "ADD":
        line, phones = pnr_fields.address(segment)
        p.contacts.add_address(line)
        p.contacts.add(phones=phones)
    elif tag == "TKT":
        p.ticket = p.ticket or segment.value(0)
    elif tag == "MON":
        for element in segment.elements:
            if element and element[0].strip() == "T" and len(element) > 1:
                p.fare = " ".join(x.strip() for x in element[1:3] if x.strip())
    elif tag == "FOP":
        currency = p.fare.split()[-1] if " " in p.fare else ""
        p.contacts.payments += pnr_fields.payments(segment, currency)
        p.contacts.cards += pnr_fields.card_keys(segment)
    elif tag == "DAT" and segment.value(0) == "710":
        p.extra.append(("ticket_issued", _dat(segment, state.reading)))
    elif tag == "FTI":
        p.extra.append(("frequent_flyer", f"{segment.value(0)} {segment.value(0, 1)}".strip()))


def _itinerary_segment(state: _State, booking: Booking, segment: Segment) -> None:
    tag, leg = segment.tag, len(booking.legs) - 1 if booking.legs else None
    if tag == "SSR":
        _ssr(state, booking, segment, leg)
    elif tag == "TIF":  # check-in data of one traveller on this leg
        state.checkin = booking.passenger(segment.value(1, 2), segment.value(0), segment.value(1))
    elif tag == "SSD" and state.checkin is not None and leg is not None:
        seat = _seat(segment.value(0))
        if seat:
            state.checkin.seats[leg] = seat
    elif tag == "TBD" and state.checkin is not None and leg is not None:
        count = segment.value(1)
        if count.isdigit():
            state.checkin.bags[leg] = int(count)
    elif tag == "RCI":
        _rci(booking, segment, state.reading, split=False)


def _new_passenger(state: _State, booking: Booking, segment: Segment) -> None:
    surname = segment.value(0)
    given = segment.value(1)
    if segment.value(0, 1).upper() == "G" or segment.value(1, 1).upper() == "G":
        _group_name(state, booking, segment)
        return
    if not surname and not given:
        state.reading.fault(segment, "TIF without a name; the traveller is left out", 1)
        booking.nameless += 1
        state.passenger = None
        state.mode = "skip"
        return
    passenger = Passenger(
        tif=segment,
        surname=surname,
        given=values.strip_title(given),
        passenger_type=segment.value(1, 1),
        reference=segment.value(1, 2) or str(len(booking.passengers) + 1),
    )
    taken = booking.passenger(passenger.reference)
    if taken is not None:
        same = _same_traveller(booking, passenger)
        if same is not None:
            state.reading.warnings.append(
                f"segment {segment.number} (TIF): repeats traveller {passenger.reference} "
                f"({passenger.given} {passenger.surname}); read once"
            )
            state.passenger, state.mode = same, "passenger"
            return
        passenger.reference = _other_reference(booking, passenger.reference)
        state.reading.warnings.append(
            f"segment {segment.number} (TIF): reference {taken.reference} is already "
            f"{taken.given} {taken.surname}'s; {passenger.given} {passenger.surname} is read "
            f"as traveller {passenger.reference}"
        )
    booking.passengers.append(passenger)
    lap_infants(booking, passenger, segment)
    state.passenger, state.mode = passenger, "passenger"


def _group_name(state: _State, booking: Booking, segment: Segment) -> None:
    """A TIF whose surname is qualified G (`TIF+ZZTOURS:G:25`) is a group booking's name and
    its number of seats, not a traveller: a traveller named ZZTOURS would be screened."""
    booking.group_name = segment.value(0) or booking.group_name
    seats = segment.value(0, 2)
    booking.group_seats = int(seats) if seats.isdigit() else booking.group_seats
    state.passenger, state.mode = None, "pnr"


def _same_traveller(booking: Booking, new: Passenger) -> Passenger | None:
    """The traveller a TIF repeats whole: the same reference (or one given it for a clash)
    and the same name."""
    for p in booking.passengers:
        numbered = p.reference == new.reference or p.reference.startswith(f"{new.reference}-")
        if numbered and (p.surname, p.given) == (new.surname, new.given):
            return p
    return None


def _other_reference(booking: Booking, wanted: str) -> str:
    """`1-2`, `1-3` … for a second traveller given a reference already taken (a record id is
    the locator and the reference: two travellers must not share one)."""
    number = 2
    while booking.passenger(f"{wanted}-{number}") is not None:
        number += 1
    return f"{wanted}-{number}"


def _step(state: _State, segment: Segment) -> None:
    """Move through one segment: a group-starting tag changes the mode, others are read in
    the mode they belong to."""
    tag, booking = segment.tag, state.booking
    if tag == "SRC":
        state.bookings.append(Booking(segment, flight=state.flight))
        state.mode, state.passenger = "pnr", None
        return
    if booking is None or state.mode == "header":
        _header(state, segment)
        return
    if tag in ("ABI", "LTS") or state.mode == "history":
        state.mode = "history"
        booking.history.append(free_text(segment, 0, " ") if tag == "LTS" else segment.text())
        return
    if tag == "MSG":
        state.mode = "other"
    elif tag == "EQN":
        state.mode = "split"
    elif state.mode == "split" and tag == "RCI":
        _rci(booking, segment, state.reading, split=True)
    elif state.mode == "other":
        return
    elif tag == "TVL":
        leg = read_leg(segment, state.reading)
        if leg is not None:
            booking.legs.append(leg)
        state.mode, state.checkin = "itinerary", None
    elif state.mode == "itinerary":
        _itinerary_segment(state, booking, segment)
    elif tag == "TIF":
        _new_passenger(state, booking, segment)
    elif state.mode == "passenger" and state.passenger is not None:
        _passenger_segment(state, state.passenger, segment)
    elif state.mode == "pnr":
        _pnr_segment(state, booking, segment)


def _check_trailer(interchange: Interchange, reading: MessageReading) -> None:
    """Text after the end of the interchange (UNZ's reference running on past UNB's) cannot
    be read; a reference that merely differs is a warning."""
    unb = next((s for s in interchange.segments if s.tag == "UNB"), None)
    unz = next((s for s in interchange.segments if s.tag == "UNZ"), None)
    if unb is None or unz is None:
        return
    opened, closed = unb.value(4), unz.value(1)
    if opened and closed.startswith(opened) and len(closed) > len(opened):
        reading.fault(unz, f"text after the end of the interchange: '{closed[len(opened) :]}'", 2)
    elif opened and closed != opened:
        reading.warnings.append(
            f"segment {unz.number} (UNZ): reference '{closed}' does not match UNB's '{opened}'"
        )


def _cut_short(state: _State, opened: Segment | None, following: Segment | None) -> None:
    """A message that ends (at the next UNH or the end of the file) without its UNT was cut
    short in transfer: the booking being read when it ends may have lost travellers,
    documents or legs, and storing it would put half travellers on the record beside the
    full ones when the push is resent. That booking is left out and reported; the bookings
    before it are complete (each ended at the next SRC)."""
    if opened is None:
        return
    where = f"before segment {following.number} ({following.tag})" if following else "at the end"
    last = state.booking
    if last is None or last.src.number < opened.number:
        state.reading.warnings.append(
            f"segment {opened.number} (UNH): the message ends {where} without UNT; "
            "it may be cut short"
        )
        return
    state.bookings.pop()
    state.passenger = state.checkin = None
    state.reading.fault(
        last.src,
        f"the message ends {where} without UNT (cut short): this booking may be incomplete "
        f"and its {len(last.passengers)} traveller(s) are left out; load the full message again",
    )


def read_pnrgov_text(text: str, file: str, kind: str = "travel") -> MessageReading:
    """Every traveller of every PNR in a PNRGOV interchange, with the booking's links."""
    interchange = read_interchange(text, tags=TAGS, free_text=FREE_TEXT)
    reading = MessageReading.of(file, interchange)
    reading.traveller_tag = "TIF"
    state = _State(reading, interchange.characters.data_separator)
    ended: list[Segment] = []  # segments after a message's UNT and before the next UNH
    inside = True
    opened: Segment | None = None  # the UNH of a message whose UNT has not come yet
    for segment in interchange.segments:
        if segment.tag == "UNH":
            _cut_short(state, opened, segment)
            state.mode, state.flight, inside, opened = "header", Leg(), True, segment
        elif segment.tag == "UNT":
            _check_count(state)
            inside, opened = False, None
        elif segment.tag in ("UNB", "UNG", "UNE", "UNZ"):
            continue
        elif not inside:
            ended.append(segment)
        else:
            _step(state, segment)
    _cut_short(state, opened, None)
    if ended:
        reading.warnings.append(after_the_end(ended))
    _check_trailer(interchange, reading)
    reading.records += booking_records(state.bookings, reading, kind, state.year)
    return reading
