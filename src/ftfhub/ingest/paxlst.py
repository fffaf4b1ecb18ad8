"""UN/EDIFACT PAXLST (API data): D02B, D05B and the US variant, read leniently.

The grammar we read (segment groups of the IATA/WCO PAXLST implementation guide):

- header: UNB/UNG/UNH (interchange, group, message), BGM (745 passengers, 250 crew),
  RFF+TN, NAD+MS and COM (the reporting party, not a traveller);
- flights: TDT+20 (carrier and number) each followed by LOC and DTM pairs: LOC+125 / DTM+189
  (departure), LOC+87 / DTM+232 (arrival), or LOC+92 / DTM (a leg of a multi-leg flight);
- travellers: NAD+FL (passenger), FM (crew), DDT/DDU (in transit) or COT, each followed by
  ATT+2 (gender), DTM+329 (birth), LOC+178/179 (embarkation, debarkation), LOC+174
  (residence), LOC+180 (birth place), NAT+2, RFF (AVF booking, SEA seat, …), and per
  document DOC (type, number), DTM+36 (expiry) and LOC+91 (issuing country);
- CNT, UNT, UNE, UNZ end it.

A value that cannot be read is reported (segment, element) and the traveller loads without it;
a traveller without a name is reported and left out.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace

from ftfhub.domain import Document, Leg, Name, PartialDate, RecordData, Travel
from ftfhub.ingest.edifact import values
from ftfhub.ingest.edifact.pax_flight import FlightHeader, check_counts, header_segment, same_flight
from ftfhub.ingest.edifact.reading import MessageReading, after_the_end
from ftfhub.ingest.edifact.syntax import Segment, read_interchange
from ftfhub.ingest.errors import FieldError
from ftfhub.ingest.fields import normalise_document_number
from ftfhub.names.script import detect_script

TRAVELLER_ROLES = {
    "FL": "passenger",
    "DDU": "passenger",  # in transit
    "FM": "crew",
    "DDT": "crew",  # in transit
    "COT": "crew",
}
PARTIES = frozenset({"MS", "CA", "MR", "TP"})
"""NAD qualifiers of the message's parties (reporting party, carrier …), never travellers."""
NO_NAME = frozenset({"FNU", "LNU"})
TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "DR"})
TAGS = (
    "UNH", "BGM", "RFF", "NAD", "COM", "TDT", "LOC", "DTM", "ATT", "NAT", "DOC", "CNT", "UNT",
    "GEI", "FTX", "EMP", "QTY", "MEA", "CPI", "CTA",
)  # fmt: skip


@dataclass
class _Traveller:
    """What the segments of one traveller group said, before it becomes a Record."""

    nad: Segment
    role: str
    gender: str | None = None
    birth: PartialDate | None = None
    nationalities: list[str] = field(default_factory=list)  # NAT+2, repeated for a second
    embark: str = ""
    debark: str = ""
    documents: list[Document] = field(default_factory=list)
    extra: list[tuple[str, str]] = field(default_factory=list)
    booking: str = ""
    seat: str = ""


def _document(segment: Segment) -> Document | None:
    number = normalise_document_number(segment.value(1))
    if not number:
        return None
    return Document(values.document_type(segment.value(0)), "", number)


def _patch_document(
    traveller: _Traveller, *, country: str | None = None, expiry: str | None = None
) -> None:
    if not traveller.documents:
        return
    doc = traveller.documents[-1]
    traveller.documents[-1] = replace(
        doc,
        country=country if country is not None else doc.country,
        expiry=expiry if expiry is not None else doc.expiry,
    )


def _born_before(birth: PartialDate | None, value: str, day: str) -> PartialDate | None:
    """A two-digit birth year that lands after the flight (`261215` on a flight of
    2026-12-01) is of the century before: nobody is born after their flight."""
    if birth is None or len(value.strip()) != 6 or not day or birth.iso() <= day:
        return birth
    return replace(birth, year=birth.year - 100)


def _traveller_dtm(
    t: _Traveller, segment: Segment, header: FlightHeader, reading: MessageReading
) -> None:
    qualifier, value = segment.value(0), segment.value(0, 1)
    year = header.year
    try:
        if qualifier == "329":
            birth = values.birth_date(value, "DTM+329", year)
            t.birth = _born_before(birth, value, header.day)
        elif qualifier == "36":
            _patch_document(t, expiry=values.yymmdd(value, "DTM+36", year).isoformat())
        elif qualifier == "182" and t.documents:
            issued = values.yymmdd(value, "DTM+182", year, future=False).isoformat()
            t.extra.append(("document_issued", f"{t.documents[-1].number}:{issued}"))
    except FieldError as exc:
        what = {"329": "birth date", "36": "document expiry"}.get(qualifier, "document issue date")
        reading.field_fault(segment, exc, 1, f"the traveller is loaded without a {what}")


def _traveller_loc(t: _Traveller, segment: Segment, reading: MessageReading) -> None:
    qualifier, place = segment.value(0), segment.value(1).upper()
    if qualifier == "178":
        t.embark = place
    elif qualifier == "179":
        t.debark = place
    elif qualifier == "180":
        t.extra.append(("birth_place", segment.text(1)))
    elif qualifier in ("174", "91"):
        try:
            code = values.country(place, f"LOC+{qualifier}")
        except FieldError as exc:
            reading.field_fault(segment, exc, 2, "the traveller is loaded without it")
            return
        if qualifier == "91":
            _patch_document(t, country=code or "")
        elif code:
            t.extra.append(("residence", code))
    elif qualifier == "22" and place:
        t.extra.append(("clearance_airport", place))


def _traveller_segment(
    t: _Traveller, segment: Segment, header: FlightHeader, reading: MessageReading
) -> None:
    tag = segment.tag
    if tag == "ATT":
        code = segment.value(2).upper()
        t.gender = values.GENDERS.get(code)
        if code and code not in values.GENDERS and code not in ("U", "X"):
            reading.fault(
                segment,
                f"'{code}' is not a gender M, F, X or U; the traveller is loaded without it",
                3,
            )
    elif tag == "DTM":
        _traveller_dtm(t, segment, header, reading)
    elif tag == "LOC":
        _traveller_loc(t, segment, reading)
    elif tag == "NAT":
        try:
            nation = values.country(segment.value(1), "NAT+2")
            if nation and nation not in t.nationalities:
                t.nationalities.append(nation)
        except FieldError as exc:
            reading.field_fault(segment, exc, 2, "the traveller is loaded without a nationality")
    elif tag == "DOC":
        document = _document(segment)
        if document is None:
            reading.fault(segment, "document without a number", 2)
        else:
            t.documents.append(document)
    elif tag == "EMP" and segment.value(1):
        t.extra.append(("crew_function", segment.value(1).upper()))  # CR1 cockpit … CR5
    elif tag == "RFF":
        qualifier, reference = segment.value(0), segment.value(0, 1)
        if qualifier == "AVF":
            t.booking = reference
        elif qualifier == "SEA":
            t.seat = reference
        elif reference:
            t.extra.append((f"reference_{qualifier.lower()}", reference))


def name_parts(nad: Segment) -> tuple[str, str]:
    """(surname, given names) of a traveller's NAD: the name composite C080 (element 4:
    surname:given:middle…), else the free-text name C058 (element 3) that some carriers fill
    instead; one component holding `SURNAME/GIVEN NAMES` (the AIRIMP way) is split at the
    slash, and a name format code (digits) is not a name."""
    parts = [p.strip() for p in nad.element(3) if p.strip()]
    parts = parts or [p.strip() for p in nad.element(2) if p.strip()]
    parts = [p for p in parts if not p.isdigit()]
    # FNU / LNU: "first (last) name unknown", the US guide's placeholder, is no name
    parts = [p for p in parts if p.upper() not in NO_NAME]
    if len(parts) == 1 and "/" in parts[0].strip("/"):
        surname, _, given = parts[0].strip("/").partition("/")
        parts = [surname.strip(), " ".join(given.replace("/", " ").split())]
    return (parts[0].strip("/ ") if parts else ""), " ".join(parts[1:])


def _without_title(given: str) -> str:
    """Given names without a title some carriers add as a word of its own (`HUGO MR`); a
    title glued to the name is left, since API names come from the document (`AMR` is a
    name)."""
    words = given.split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1].upper() in TITLES else given


def _names(nad: Segment) -> tuple[tuple[Name, ...], list[tuple[str, str]]]:
    surname, given = name_parts(nad)
    given = _without_title(given)
    if not surname and not given:
        raise FieldError("NAD", "has no name (element 4: surname:given names)")
    full = f"{given} {surname}".strip()
    extra = [("surname", surname), ("given_names", given)]
    return (Name(full, "primary", detect_script(full)),), extra


def _route(t: _Traveller, header: FlightHeader) -> tuple[Leg, ...]:
    """The legs of this traveller's journey: from embarkation to debarkation if both are on
    the manifest, else every leg."""
    legs = header.legs
    start = next((i for i, leg in enumerate(legs) if leg.origin == t.embark), 0)
    end = next((i for i, leg in enumerate(legs) if leg.destination == t.debark), len(legs) - 1)
    chosen = legs[start : end + 1] if start <= end else legs
    if t.seat and chosen:
        chosen = [*chosen[:-1], replace(chosen[-1], seat=t.seat)]
    return tuple(chosen)


def traveller_key(names: tuple[Name, ...], t: _Traveller) -> str:
    """A short, stable key for one traveller on one flight: the same person in a resent or
    split manifest gets the same record id, and the id reveals nothing about them (other
    agencies may see it in a hit-only answer)."""
    parts = [
        names[0].full.upper(),
        t.birth.iso() if t.birth else "",
        *(d.number for d in t.documents),
        t.role,
    ]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:12]


def _record(t: _Traveller, header: FlightHeader, kind: str) -> RecordData:
    names, extra = _names(t.nad)
    legs = _route(t, header)
    reported = header.legs[header.reported] if header.reported is not None else None
    main = reported or (legs[-1] if legs else Leg())
    first = legs[0] if legs else main
    day = first.departure[:10]
    travel = Travel(
        flight=main.flight,
        origin=t.embark or first.origin,
        destination=t.debark or (legs[-1].destination if legs else ""),
        date=day,
        role=t.role,
        legs=legs,
        booking_reference=t.booking,
    )
    record_id = f"{main.flight or 'unknown'}-{day or 'unknown'}-{traveller_key(names, t)}"
    qualifier = t.nad.value(0).upper()
    if qualifier not in ("FL", "FM"):
        extra.append(("traveller_code", qualifier))
    if header.function:
        extra.append(("list_function", header.function))
    if header.code not in ("745", "250"):
        extra.append(("list_code", header.code or "none"))
    return RecordData(
        record_id=record_id,
        kind=kind,
        names=names,
        birth_dates=(t.birth,) if t.birth else (),
        nationalities=tuple(t.nationalities),
        gender=t.gender,
        documents=tuple(t.documents),
        travel=travel,
        extra=tuple(extra + t.extra),
    )


def _finish(t: _Traveller | None, header: FlightHeader, reading: MessageReading, kind: str) -> None:
    if t is None:
        return
    if not any(p.strip() for p in t.nad.element(3)) and any(p.strip() for p in t.nad.element(2)):
        reading.warnings.append(
            f"segment {t.nad.number} (NAD): the name is in element 3 (C058), not in the name "
            "composite (element 4); read from there"
        )
    try:
        record = _record(t, header, kind)
    except FieldError as exc:
        reading.fault(t.nad, f"{exc.message}; the traveller is left out", 4)
        return
    reading.records.append((t.nad.number, record))


def _cut_short(
    traveller: _Traveller | None,
    opened: Segment | None,
    following: Segment | None,
    reading: MessageReading,
) -> None:
    """A message that ends (at the next UNH or the end of the file) without its UNT was cut
    short in transfer: the traveller being read when it ends may have lost its document,
    birth date or nationality, and storing it would put a half traveller on the record
    beside the full one when the message is resent. It is left out and reported; the
    travellers before it are complete (their group ended at the next NAD)."""
    if opened is None:
        return
    where = f"before segment {following.number} ({following.tag})" if following else "at the end"
    if traveller is None:
        reading.warnings.append(
            f"segment {opened.number} (UNH): the message ends {where} without UNT; "
            "it may be cut short"
        )
        return
    reading.fault(
        traveller.nad,
        f"the message ends {where} without UNT (cut short): this traveller may be "
        "incomplete and is left out; load the full message again",
        4,
    )


def _traveller_role(segment: Segment, header: FlightHeader, reading: MessageReading) -> str | None:
    """The role of a NAD that starts a traveller, None for a party of the message. A NAD
    with a qualifier no guide lists, after the flight and with a person's name, is read as a
    traveller of the list's kind (and said), never dropped."""
    qualifier = segment.value(0).upper()
    if qualifier in TRAVELLER_ROLES:
        return TRAVELLER_ROLES[qualifier]
    if qualifier in PARTIES or not header.legs or not any(name_parts(segment)):
        return None
    reading.warnings.append(
        f"segment {segment.number} (NAD): '{qualifier}' is not a traveller code (FL, FM, DDU, "
        f"DDT, COT); read as a {header.role} of this {header.role} list"
    )
    return header.role


def read_paxlst_text(text: str, file: str, kind: str = "travel") -> MessageReading:
    """Every traveller of a PAXLST interchange (one or more UNH messages)."""
    interchange = read_interchange(text, tags=TAGS)
    reading = MessageReading.of(file, interchange)
    header = flown = FlightHeader()
    traveller: _Traveller | None = None
    ended: list[Segment] = []  # segments after a message's UNT and before the next UNH
    inside = True
    opened: Segment | None = None  # the UNH of a message whose UNT has not come yet
    for segment in interchange.segments:
        tag = segment.tag
        role = _traveller_role(segment, header, reading) if tag == "NAD" and inside else None
        if tag == "UNH":
            _cut_short(traveller, opened, segment, reading)
            flown = header if header.legs else flown
            header, traveller, inside, opened = FlightHeader(), None, True, segment
        elif tag in ("UNB", "UNG", "UNE", "UNZ"):
            continue
        elif not inside:
            ended.append(segment)
        elif role is not None:
            same_flight(header, flown, segment, reading)
            _finish(traveller, header, reading, kind)
            traveller = _Traveller(segment, role)
            header.counted[role] += 1
        elif tag in ("CNT", "UNT"):
            _finish(traveller, header, reading, kind)
            if tag == "CNT":
                check_counts(segment, header, reading)
            traveller, inside = None, tag != "UNT"
            opened = None if tag == "UNT" else opened
        elif traveller is not None:
            _traveller_segment(traveller, segment, header, reading)
        else:
            header_segment(header, segment, reading)
    if opened is not None:
        _cut_short(traveller, opened, None, reading)
    else:
        _finish(traveller, header, reading, kind)
    if ended:
        reading.warnings.append(after_the_end(ended))
    return reading
