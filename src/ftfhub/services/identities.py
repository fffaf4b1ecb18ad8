"""Identities as use cases: resolve every current Record, export, explain, judge, review.

Resolution is a hub-wide batch job, but what a caller is shown follows need to know: their
own agency's Records, and other agencies' Records only in Identities that hold one of their
own (as a hit would tell them), by reference unless the owner discloses more. The regional hub
(agency `HUB`), which runs resolution for its members, sees every Identity with the owners'
record ids, so that `ftfhub identities export` gives the whole resolution as DESIGN.md's
contract says; opening one (explain) still takes a purpose and is audited.
Analysts' judgements are stored here and given to every later run, full or incremental.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction, Disclosure
from ftfhub.linkage import LinkageModel
from ftfhub.linkage.resolve import weight_of
from ftfhub.linkage.score import score_rows
from ftfhub.linkage.table import build_rows, with_frequencies
from ftfhub.policy import Permission, check
from ftfhub.policy.disclose import other_record
from ftfhub.services.auditing import audit, disclosed_detail
from ftfhub.services.context import Context, InvalidRequest, Refused, Unseen
from ftfhub.services.denials import guarded
from ftfhub.services.records import reference_parts, unseen_record
from ftfhub.services.resolution import RunSummary as RunSummary
from ftfhub.services.resolution import judged
from ftfhub.services.resolution import resolve_identities as resolve_identities
from ftfhub.services.rows import grants, held, told_of, untold
from ftfhub.store import identities as store
from ftfhub.store.models import Record
from ftfhub.store.records import contacts, record_data, records_by_id
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


class _Shown:
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
        """The Records the caller may know of, in export order (by Identity, then agency);
        without a purpose only their own agency's when others' would be among them."""
        ids = [r for r, i in self.members.items() if i in self.open_ids and r in self.current]
        if self.others_shown(ids) and not purpose.strip():
            ids = [r for r in ids if self.agency_of(r) == self.agency]
        return sorted(ids, key=lambda r: (self.members[r], self.agency_of(r)))


@guarded()
def export_identities(ctx: Context) -> list[Member]:
    """One row per Record the caller may know of, by Identity (others' need a purpose)."""
    check(ctx.caller.viewer, Permission.EXPORT)
    with ctx.db.transaction() as session:
        shown = _Shown(ctx, session, store.memberships(session))
        ids = shown.told(shown.exported(ctx.purpose))
        result = [shown.member(r) for r in ids]
        _audit_export(session, ctx, len(result), shown.disclosed(ids, shown.agency == HUB))
    return result


def _audit_export(session: Session, ctx: Context, rows: int, disclosed: dict[str, Any]) -> None:
    audit(
        session,
        ctx,
        AuditAction.IDENTITIES_EXPORT,
        "identities",
        "*",
        {"rows": rows, **disclosed},
        purpose=ctx.purpose or "export own identities",
    )


@guarded()
def identities_page(ctx: Context, start: int, count: int) -> tuple[int, list[IdentityRows]]:
    """One page of `identities_of` (Identities in id order): how many there are, and the
    `count` from the `start`-th (from 0) with their Members. Only that page's members are
    read; the export is audited as `export_identities` audits it."""
    check(ctx.caller.viewer, Permission.EXPORT)
    with ctx.db.transaction() as session:
        shown = _Shown(ctx, session, store.memberships(session))
        ids = shown.exported(ctx.purpose)
        grouped: dict[str, list[int]] = defaultdict(list)
        for r in ids:
            grouped[shown.members[r]].append(r)
        order = sorted(grouped)
        page = order[start : start + count] if start >= 0 and count > 0 else []
        told = [(i, shown.told(grouped[i])) for i in page]
        result = [(i, [shown.member(r) for r in members]) for i, members in told]
        on_page = [r for _, members in told for r in members]
        _audit_export(session, ctx, len(ids), shown.disclosed(on_page, shown.agency == HUB))
    return len(order), result


@guarded("identity", "identity_id")
def explain_identity(ctx: Context, identity_id: str) -> IdentityView:
    """The Records of one Identity and the evidence that joined them, term by term."""
    check(ctx.caller.viewer, Permission.SCREEN)
    with ctx.db.transaction() as session:
        members = store.memberships(session)
        shown = _Shown(ctx, session, members)
        if identity_id not in shown.open_ids:
            raise Unseen(f"no identity {identity_id} that you may open")
        current = (r for r, i in members.items() if i == identity_id and r in shown.current)
        ids = shown.told(sorted(current))
        if shown.others_shown(ids):
            ctx.require_purpose("opening an identity with other agencies' records")
        rows = records_by_id(session, ids)
        run = store.latest_run(session)
        assert run is not None
        model = LinkageModel.from_json(json.loads(run.model))
        items = [(str(r), rows[r].agency_code, record_data(rows[r])) for r in ids]
        shown.rows.update(rows)
        scored = {
            str(r["unique_id"]): with_frequencies(r, model.frequencies) for r in build_rows(items)
        }
        decided = {frozenset((j.left, j.right)): j.same for j in judged(session)}
        inside = {str(r) for r in ids}
        pairs = []
        for a, b, _ in store.evidence(session):
            if str(a) in inside and str(b) in inside:
                level = shown.pair_level(a, b)
                if level is Disclosure.HIT_ONLY:
                    continue
                score = score_rows(model, scored[str(a)], scored[str(b)])
                same = decided.get(frozenset((str(a), str(b))))
                pairs.append(
                    PairView(
                        shown.member(a),
                        shown.member(b),
                        score.weight,
                        score.probability,
                        tuple(score.explanation()) if level is Disclosure.FULL else (),
                        "" if same is None else ("same" if same else "different"),
                    )
                )
        pairs.sort(key=lambda p: -p.weight)
        audit(
            session,
            ctx,
            AuditAction.IDENTITY_EXPLAIN,
            "identity",
            identity_id,
            shown.disclosed(ids),
        )
    return IdentityView(identity_id, tuple(shown.member(r) for r in ids), tuple(pairs))


def _find(session: Session, ctx: Context, text: str) -> Record:
    """A current Record by `AGENCY:reference` (as hits quote it) or, one's own (the hub: any),
    `AGENCY/record_id`, if the caller may know of it (`told_of`); any other is answered as
    missing."""
    if ":" in text:
        agency, digest = reference_parts(text)
        stmt = select(Record).where(
            Record.agency_code == agency.upper(),
            Record.content_hash.startswith(digest, autoescape=True),
        )
    elif "/" in text:
        agency, _, source = text.partition("/")
        stmt = select(Record).where(
            Record.agency_code == agency.upper(), Record.source_id == source
        )
    else:
        raise InvalidRequest(f"'{text}': name a record as AGENCY:reference or AGENCY/record_id")
    row = session.execute(stmt.where(Record.superseded.is_(False))).scalars().first()
    if row is None or ctx.caller.agency == HUB:
        if row is None:
            raise Unseen(unseen_record(text))
        return row
    if not told_of(session, ctx.caller.agency, row):
        raise Unseen(unseen_record(text))  # a partner's reference tried: answered as missing
    if row.agency_code != ctx.caller.agency and "/" in text:
        # Another agency's record by its owner's id is a guess (ids such as `BE-3` run in
        # order): walking them found which records a partner holds in summary, and judged
        # them. A partner's record is named by its reference, as hits and matches quote it.
        raise Unseen(unseen_record(text))
    return row


def _readable(session: Session, ctx: Context, pair: Iterable[tuple[str, Record]]) -> None:
    """A pair is judged only on Records the caller can read: a partner's Record shared as a
    hit only is not (its content is withheld, so a verdict on it would be blind — as
    `review_pairs` never offers such a pair — and it would override the model on the
    owner's Record for every later run). The caller knows it exists (`told_of`: a hit), so
    saying so tells nothing new; one never told of is answered as missing before this."""
    if ctx.caller.agency == HUB:
        return
    who, shared = contacts(session), grants(session)
    for text, row in pair:
        if row.agency_code == ctx.caller.agency:
            continue
        view = other_record(ctx.caller.agency, held(row), who, shared)
        if view.level is Disclosure.HIT_ONLY:
            message = (
                f"{text} is shared with you as a hit only: a pair is judged on records you can "
                f"read; ask its owner ({view.agency}, {view.contact or 'no contact'}) to judge it"
            )
            raise Refused(message, rule="judge-hit-only")


@guarded("record_pair", "first", "second")
def judge(ctx: Context, first: str, second: str, same: bool, note: str = "") -> tuple[str, str]:
    """Store an analyst's decision that two Records are (not) one person; it wins over the
    model in every later run. One of the two must be the caller's own (or the caller the hub).
    """
    check(ctx.caller.viewer, Permission.JUDGE)
    with ctx.db.transaction() as session:
        a, b = _find(session, ctx, first), _find(session, ctx, second)
        if a.id == b.id:
            raise InvalidRequest("a record is always the same person as itself")
        if ctx.caller.agency not in (a.agency_code, b.agency_code, HUB):
            message = "judge pairs that include one of your own agency's records"
            raise Refused(message, rule="judge-own-records")
        if a.agency_code != b.agency_code:
            ctx.require_purpose("judging another agency's record")
        _readable(session, ctx, ((first, a), (second, b)))
        left, right = sorted((a.id, b.id))
        session.add(
            store.Judgement(
                left_record_id=left,
                right_record_id=right,
                same=same,
                note=note,
                actor=ctx.caller.name,
                agency_code=ctx.caller.agency,
                at=utcnow(),
            )
        )
        verdict = "same" if same else "different"
        audit(
            session,
            ctx,
            AuditAction.IDENTITY_JUDGE,
            "record_pair",
            f"{first} {second}",
            {"verdict": verdict, "note": note},
            purpose=ctx.purpose or "adjudication",
        )
    return first, verdict


@guarded()
def review_pairs(ctx: Context, limit: int = 20, low: float = 0.2) -> list[PairView]:
    """Scored pairs the model is least sure of (closest to even odds first), not yet judged,
    that include one of the caller's Records (every pair for the hub), and no Record the
    caller may see only as a hit. A pair with another agency's Record is a read of that
    Record, so needs a purpose: without one only pairs of the caller's own are listed (as
    `export_identities` does)."""
    check(ctx.caller.viewer, Permission.JUDGE)
    purpose = " ".join(ctx.purpose.split())
    with ctx.db.transaction() as session:
        members = store.memberships(session)
        shown = _Shown(ctx, session, members)
        decided = {frozenset((j.left, j.right)) for j in judged(session)}
        high = weight_of(0.98)
        candidates = []
        for a, b, w in store.evidence(session):
            if not weight_of(low) <= w <= high or frozenset((str(a), str(b))) in decided:
                continue
            if a not in shown.current or b not in shown.current:
                continue
            agencies = {shown.agency_of(a), shown.agency_of(b)}
            if ctx.caller.agency != HUB and ctx.caller.agency not in agencies:
                continue
            if not purpose and shown.others_shown((a, b)):
                continue
            candidates.append((abs(w), a, b, w))
        candidates.sort()
        result, seen = _least_sure(shown, candidates, limit)
        audit(
            session,
            ctx,
            AuditAction.IDENTITIES_REVIEW,
            "identities",
            "*",
            {"pairs": len(result), **shown.disclosed(seen)},
            purpose=purpose or "review own pairs",
        )
    return result


def _least_sure(
    shown: _Shown, candidates: list[tuple[float, int, int, float]], limit: int
) -> tuple[list[PairView], list[int]]:
    """The first `limit` candidates (least sure first) without a Record the caller may see
    only as a hit, reading others' Records a chunk of pairs at a time (not every one); with
    the Records the pairs show (for the audit)."""
    result: list[PairView] = []
    seen: list[int] = []
    step = max(limit, 1) * 2
    for start in range(0, len(candidates), step):
        if len(result) >= limit:
            break
        chunk = candidates[start : start + step]
        shown.load(r for _, a, b, _ in chunk for r in (a, b))
        for _, a, b, w in chunk:
            if len(result) >= limit:
                break
            if shown.pair_level(a, b) is Disclosure.HIT_ONLY:
                continue  # judged blind, and its probability is a withheld score
            result.append(PairView(shown.member(a), shown.member(b), w, _prob(w), ()))
            seen.extend((a, b))
    return result, seen


def _prob(weight: float) -> float:
    from ftfhub.matching.parameters import probability

    return probability(weight)


@guarded()
def identities_of(ctx: Context) -> dict[str, list[Member]]:
    """The caller's view of every Identity they may open (for tests and the workbench)."""
    grouped: dict[str, list[Member]] = defaultdict(list)
    for member in export_identities(ctx):
        grouped[member.identity_id].append(member)
    return dict(grouped)
