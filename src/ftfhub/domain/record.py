"""The canonical Record: one agency's statement about one person.

Every ingest adapter turns its input into a :class:`RecordData`; the store keeps it as JSON
beside indexed columns, and the matcher reads only this shape. Plain frozen dataclasses: they
are values, compared and hashed by content, so re-ingesting the same row is recognisable.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any

from ftfhub.domain.vocab import HandlingCode, RecordKind

OPTIONAL = {"optional": True}
"""Marks a field added after records were first stored: left out of the JSON while it holds
its default, so a record stored before the field existed keeps its content hash (re-loading
the same file stays idempotent across versions)."""

RECORD_KINDS = tuple(k.value for k in RecordKind)
NAME_TYPES = ("primary", "alias", "kunya", "birth", "mrz", "mother")
HANDLING_CODES = tuple(c.value for c in HandlingCode)
"""H0: hit/no-hit only (default); H1: owner may share identity fields on request;
H2: identity fields visible to partners; H3: full record visible to partners."""


@dataclass(frozen=True)
class Name:
    """One written form of a person's name, as the source wrote it."""

    full: str
    type: str = "primary"
    script: str = ""  # "latin", "arabic", "cyrillic", … filled in by the adapter or matcher


@dataclass(frozen=True)
class PartialDate:
    """A birth date as precise as the source knew it; the original text and calendar kept."""

    year: int
    month: int | None = None
    day: int | None = None
    calendar: str = "gregorian"  # the calendar the source used ("gregorian" or "hijri")
    original: str = ""

    def iso(self) -> str:
        """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` in the Gregorian calendar."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True)
class Document:
    """An identity document: `passport:BE:EH123456`."""

    type: str
    country: str
    number: str
    expiry: str = field(default="", metadata=OPTIONAL)  # ISO date, as the document says

    def text(self) -> str:
        return f"{self.type}:{self.country}:{self.number}"


@dataclass(frozen=True)
class Relation:
    """A link to another person: recommender, travelled_with, family, mother."""

    kind: str
    name: str
    target_record_id: str | None = None


@dataclass(frozen=True)
class Leg:
    """One flight of a journey, as the airline reported it (API or PNR itinerary)."""

    flight: str = ""  # marketing carrier and number, `DL324`
    origin: str = ""  # IATA airport
    destination: str = ""
    departure: str = ""  # ISO date or date-time (`2010-12-12T09:15`), local to the airport
    arrival: str = ""
    operating_carrier: str = ""  # codeshare: the carrier that flies it, if another
    booking_class: str = ""
    seat: str = ""


@dataclass(frozen=True)
class Payment:
    """How a booking was paid (PNR form of payment): behaviour, never identity."""

    method: str  # "card", "cash", "miscellaneous", "invoice", … or the airline's code
    card_type: str = ""  # VI, CA, DC, …
    card_number: str = ""  # as sent (airlines mask most digits)
    amount: str = ""
    currency: str = ""


@dataclass(frozen=True)
class Travel:
    """The journey a travel Record describes."""

    flight: str = ""
    origin: str = ""
    destination: str = ""
    date: str = ""  # ISO date of departure
    role: str = field(default="", metadata=OPTIONAL)  # "passenger" or "crew"
    infant: bool = field(default=False, metadata=OPTIONAL)
    legs: tuple[Leg, ...] = field(default=(), metadata=OPTIONAL)
    booking_reference: str = field(default="", metadata=OPTIONAL)  # PNR record locator
    booked_on: str = field(default="", metadata=OPTIONAL)  # ISO date the booking was made
    ticket_number: str = field(default="", metadata=OPTIONAL)
    fare: str = field(default="", metadata=OPTIONAL)  # total, `2957.94 GBP`
    phones: tuple[str, ...] = field(default=(), metadata=OPTIONAL)
    emails: tuple[str, ...] = field(default=(), metadata=OPTIONAL)
    addresses: tuple[str, ...] = field(default=(), metadata=OPTIONAL)
    payments: tuple[Payment, ...] = field(default=(), metadata=OPTIONAL)
    checked_bags: int | None = field(default=None, metadata=OPTIONAL)  # None: not known

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Travel:
        values = dict(data)
        values["legs"] = tuple(Leg(**leg) for leg in data.get("legs", ()))
        values["payments"] = tuple(Payment(**p) for p in data.get("payments", ()))
        for name in ("phones", "emails", "addresses"):
            values[name] = tuple(data.get(name, ()))
        return cls(**values)


def _plain(value: Any) -> Any:
    """What `_without_unset_optionals(value, asdict(value))` gives, made in one pass:
    `asdict` deep-copies every value before the optional fields are taken out again, which
    was most of the cost of storing a Record (a 300-traveller manifest: 300 of them)."""
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in fields(value):
            item = getattr(value, f.name)
            if f.metadata.get("optional") and item == f.default:
                continue
            out[f.name] = _plain(item)
        return out
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, list | dict):  # not a Record's types; as `asdict` copies them
        return _copied(value)
    return value


def _copied(value: Any) -> Any:
    return asdict(_Box(value))["value"]


@dataclass(frozen=True)
class _Box:
    value: Any


def _without_unset_optionals(value: Any, data: Any) -> Any:
    """`asdict` output with OPTIONAL fields left out while they hold their default."""
    if isinstance(data, dict) and hasattr(value, "__dataclass_fields__"):
        for f in fields(value):
            if f.metadata.get("optional") and getattr(value, f.name) == f.default:
                data.pop(f.name, None)
            elif f.name in data:
                data[f.name] = _without_unset_optionals(getattr(value, f.name), data[f.name])
    elif isinstance(value, tuple) and isinstance(data, list | tuple):
        return [_without_unset_optionals(v, d) for v, d in zip(value, data, strict=True)]
    return data


@dataclass(frozen=True)
class RecordData:
    """What an adapter read about one person; immutable once ingested."""

    record_id: str
    kind: str
    names: tuple[Name, ...]
    birth_dates: tuple[PartialDate, ...] = ()
    nationalities: tuple[str, ...] = ()
    gender: str | None = None
    documents: tuple[Document, ...] = ()
    places: tuple[str, ...] = ()
    remarks: str = ""
    relations: tuple[Relation, ...] = ()
    travel: Travel | None = None
    handling_code: str = "H0"
    source_grade: str = "B"
    information_grade: str = "2"
    legal_basis: str = ""
    review_by: date | None = None
    extra: tuple[tuple[str, str], ...] = field(default=())

    @property
    def primary_name(self) -> str:
        for name in self.names:
            if name.type == "primary":
                return name.full
        return self.names[0].full if self.names else ""

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(self)
        data["review_by"] = self.review_by.isoformat() if self.review_by else None
        return data

    def content_hash(self, data: dict[str, Any] | None = None) -> str:
        """A stable hash of the content (pass `to_json()` if already made), used to make
        re-ingest idempotent."""
        text = json.dumps(data or self.to_json(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RecordData:
        travel = data.get("travel")
        review = data.get("review_by")
        return cls(
            record_id=data["record_id"],
            kind=data["kind"],
            names=tuple(Name(**n) for n in data.get("names", ())),
            birth_dates=tuple(PartialDate(**d) for d in data.get("birth_dates", ())),
            nationalities=tuple(data.get("nationalities", ())),
            gender=data.get("gender"),
            documents=tuple(Document(**d) for d in data.get("documents", ())),
            places=tuple(data.get("places", ())),
            remarks=data.get("remarks", ""),
            relations=tuple(Relation(**r) for r in data.get("relations", ())),
            travel=Travel.from_json(travel) if travel else None,
            handling_code=data.get("handling_code", "H0"),
            source_grade=data.get("source_grade", "B"),
            information_grade=data.get("information_grade", "2"),
            legal_basis=data.get("legal_basis", ""),
            review_by=date.fromisoformat(review) if review else None,
            extra=tuple((str(k), str(v)) for k, v in data.get("extra", ())),
        )
