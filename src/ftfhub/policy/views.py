"""The typed views a face receives: what a caller may see, and nothing told apart by which
keys happen to be present. Built only by `ftfhub.policy.disclose`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ftfhub.domain import RecordData
from ftfhub.domain.vocab import Disclosure, HitStatus


@dataclass(frozen=True)
class Term:
    """One piece of evidence behind a score (weight in bits; None for a withheld term)."""

    feature: str
    level: str
    weight: float | None
    detail: str


@dataclass(frozen=True)
class Summary:
    """The `summary` level: names, birth year, nationality."""

    names: tuple[str, ...]
    birth_year: int | None
    nationalities: tuple[str, ...]


@dataclass(frozen=True)
class OtherRecord:
    """Another agency's Record as far as the viewer may see it. At `hit-only`: that it
    exists, the owner's reference to quote, and whom to contact."""

    agency: str
    contact: str
    reference: str
    level: Disclosure
    record_id: str | None = None
    summary: Summary | None = None
    record: RecordData | None = None


@dataclass(frozen=True)
class MatchView:
    """One screening match. A `hit-only` owner appears once, without score or explanation:
    never how many of its records matched, nor how strongly."""

    held: OtherRecord
    score: float | None
    explanation: tuple[Term, ...]


@dataclass(frozen=True)
class ScreenResult:
    query_id: str
    matches: tuple[MatchView, ...]


@dataclass(frozen=True)
class SkippedRow:
    line: int
    message: str


@dataclass(frozen=True)
class OwnRecord:
    record_id: str
    name: str


@dataclass(frozen=True)
class OwnedHit:
    """A hit the viewer's agency must answer: its own record in full, the querying record
    only as far as the querying side's level allows (the explanation only at `full`)."""

    id: str  # the hit's reference (H-…), never its row id
    status: HitStatus
    score: float
    escalation_level: int
    created_at: datetime
    deadline: datetime
    own: OwnRecord
    querying: OtherRecord
    explanation: tuple[Term, ...]
    note: str


@dataclass(frozen=True)
class PartnerHit:
    """A hit on one of the viewer's records, held by another owner: whom to contact, and the
    owner's record only as far as its level allows."""

    id: str  # the hit's reference (H-…), never its row id
    created_at: datetime
    your_record: str
    owner: OtherRecord

    @property
    def message(self) -> str:
        return (
            f"{self.owner.agency} holds a record matching yours: quote {self.owner.reference}, "
            f"contact {self.owner.contact}"
        )


@dataclass(frozen=True)
class EscalatedHit:
    """What the hub's duty officer needs to chase a late hit: who, whom, since when. No
    Record content."""

    id: str  # the hit's reference (H-…), never its row id
    status: HitStatus
    escalation_level: int
    deadline: datetime
    owner_agency: str
    owner_contact: str
    owner_reference: str
    querying_agency: str
    querying_contact: str
    querying_reference: str


@dataclass(frozen=True)
class HitListing:
    owned: tuple[OwnedHit, ...] = ()
    partner: tuple[PartnerHit, ...] = ()
    escalated: tuple[EscalatedHit, ...] = ()
    more: bool = False  # a page of a longer list: more hits follow the ones listed
    next_offset: int | None = None  # where the next page starts, when `more`


@dataclass(frozen=True)
class HeldRecord:
    """A stored Record as the policy needs to know it (built by services from a row)."""

    row_id: int
    agency: str
    reference: str
    level: Disclosure
    record: RecordData
    review_by: date | None = None


@dataclass(frozen=True)
class HitFacts:
    """A stored hit with both Records, for the policy to cut down."""

    id: str  # the hit's reference (H-…), never its row id
    status: HitStatus
    score: float
    explanation: tuple[Term, ...]
    created_at: datetime
    deadline: datetime
    escalation_level: int
    note: str
    query: HeldRecord
    matched: HeldRecord
