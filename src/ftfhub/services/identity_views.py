"""Who sees which member of an Identity, and how each is named to them: the views the
Identity services hand to faces (`Member`, `PairView`, `IdentityView`) and `Shown`, the
need-to-know cut they all apply (and the audit detail naming what was shown).

Resolution is a hub-wide batch job, but what a caller is shown follows need to know: their
own agency's Records, and other agencies' Records only in Identities that hold one of their
own (as a hit would tell them), by reference unless the owner discloses more. The regional hub
(agency `HUB`), which runs resolution for its members, sees every Identity with the owners'
record ids.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ftfhub.domain.vocab import Disclosure
from ftfhub.policy.disclose import other_record
from ftfhub.services.auditing import disclosed_detail
from ftfhub.services.context import Context
from ftfhub.services.rows import grants, held, untold
from ftfhub.store import identities as store
from ftfhub.store.models import Record
from ftfhub.store.records import contacts, records_by_id
from ftfhub.store.records import reference as record_reference

HUB = "HUB"


@dataclass(frozen=True)
class Member:
    identity_id: str
    agency: str
    record_id: str  # the owner's id when disclosed, else the reference


@dataclass(frozen=True)
class PairView:
    left: Member
    right: Member
    weight: float
    probability: float
    terms: tuple[dict[str, object], ...]
    judged: str = ""  # "same" / "different" when an analyst decided


IdentityRows = tuple[str, list[Member]]
"""An Identity's id and the Members the caller may know of."""


@dataclass(frozen=True)
class IdentityView:
    identity_id: str
    members: tuple[Member, ...]
    pairs: tuple[PairView, ...]


class Shown:
    """How each Record is named to the caller, and which Identities they may open.

    Who may open what is decided from each member's agency alone; a Record's content (for
    the policy's cut of another agency's Record) is read only for the Records about to be
    shown (`load`): before any resolution nothing is read, and a page of Identities reads
    that page's members, not every current Record."""

    def __init__(self, ctx: Context, session: Session, members: dict[int, str]) -> None:
        self.viewer = ctx.caller.viewer
        self.session = session
        self.members = members
        self.current = store.current_members(session)  # id → (agency, source id)
        self.rows: dict[int, Record] = {}
        self.who, self.shared = contacts(session), grants(session)
        own = {members[r] for r, (agency, _) in self.current.items() if agency == self.agency}
        self.open_ids = set(members.values()) if self.agency == HUB else own

    @property
    def agency(self) -> str:
        return self.viewer.agency

    def agency_of(self, record_id: int) -> str:
        return self.current[record_id][0]

    def _plain(self, record_id: int) -> bool:
        """Named by the owner's id without the policy's cut: one's own, or anything (hub)."""
        return self.agency_of(record_id) == self.agency or self.agency == HUB

    def load(self, ids: Iterable[int]) -> None:
        """Read the Records among `ids` that the policy must cut (others' Records)."""
        wanted = {r for r in ids if r not in self.rows and not self._plain(r)}
        self.rows.update(records_by_id(self.session, wanted))

    def told(self, ids: Iterable[int]) -> list[int]:
        """`ids` without the other agencies' Records the caller was never told of (hit-only
        to it and in no hit of its: `untold`). An identity run notifies no owner, so it
        tells no partner of a hit-only Record either — not by listing it, not by counting
        it, and not by asking a purpose for an Identity that would otherwise hold only the
        caller's own Records."""
        wanted = list(ids)
        others = [r for r in wanted if not self._plain(r)]
        self.load(others)
        hidden = untold(self.session, self.agency, [self.rows[r] for r in others], self.shared)
        return [r for r in wanted if r not in hidden]

    def disclosed(self, ids: Iterable[int], counted: bool = False) -> dict[str, Any]:
        """The audit detail naming the other agencies' Records among `ids` that the caller
        is shown, by owner and level, by reference (`auditing.disclosed_detail`). The hub
        exporting the whole resolution (which DESIGN.md gives it) is counted by owner and
        level instead: a list of every Record held would be the holdings in one event."""
        others = [r for r in set(ids) if self.agency_of(r) != self.agency]
        if counted:
            counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
            for r in others:
                counts[self.agency_of(r)][self.level(r).value] += 1
            found = {owner: dict(levels) for owner, levels in sorted(counts.items())}
            return {"disclosed": found} if found else {}
        self.rows.update(records_by_id(self.session, {r for r in others if r not in self.rows}))
        return disclosed_detail(
            self.agency,
            (
                (self.agency_of(r), self.level(r).value, record_reference(self.rows[r]))
                for r in others
            ),
        )

    def member(self, record_id: int) -> Member:
        identity = self.members[record_id]
        agency, source_id = self.current[record_id]
        if self._plain(record_id):
            return Member(identity, agency, source_id)
        self.load((record_id,))
        view = other_record(self.agency, held(self.rows[record_id]), self.who, self.shared)
        shown = view.record_id if view.level is not Disclosure.HIT_ONLY else None
        return Member(identity, agency, shown or view.reference)

    def level(self, record_id: int) -> Disclosure:
        """How far the caller sees one Record: in full their own (and the hub all)."""
        if self._plain(record_id):
            return Disclosure.FULL
        self.load((record_id,))
        row = self.rows[record_id]
        return other_record(self.agency, held(row), self.who, self.shared).level

    def pair_level(self, a: int, b: int) -> Disclosure:
        """A pair's weight is shown as far as its less visible Record is: no weight with a
        hit-only Record (as screening shows no score), no terms unless both are seen in
        full (a term such as 'document same' tells what the other Record holds)."""
        levels = {self.level(a), self.level(b)}
        for level in (Disclosure.HIT_ONLY, Disclosure.SUMMARY):
            if level in levels:
                return level
        return Disclosure.FULL

    def others_shown(self, ids: Iterable[int]) -> bool:
        return any(self.agency_of(i) != self.agency for i in ids)

    def exported(self, purpose: str) -> list[int]:
        """The Records the caller may know of, in export order (by Identity in `ranked`
        order, then agency); without a purpose only their own agency's when others' would be
        among them."""
        ids = [r for r, i in self.members.items() if i in self.open_ids and r in self.current]
        if self.others_shown(ids) and not purpose.strip():
            ids = [r for r in ids if self.agency_of(r) == self.agency]
        rank = {identity: n for n, identity in enumerate(self.ranked(ids))}
        return sorted(ids, key=lambda r: (rank[self.members[r]], self.agency_of(r)))

    def ranked(self, ids: Iterable[int]) -> list[str]:
        """The Identities of `ids`, those holding most of the caller's own Records first
        (the hub: most Records), ties by id. An analyst wants first the person their agency
        met most often; the count is of Records the caller sees whatever else it is told
        (its own, the hub's all), so the order tells nothing of a partner's hidden Record,
        and it is counted without reading any Record. Ids are random, so id order alone
        was arbitrary."""
        own: dict[str, int] = defaultdict(int)
        for r in ids:
            own[self.members[r]] += 1 if self._plain(r) else 0
        return sorted(own, key=lambda identity: (-own[identity], identity))
