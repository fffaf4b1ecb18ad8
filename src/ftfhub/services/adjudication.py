"""Adjudication as use cases: an analyst's decision that two Records are (not) one person,
which wins over the model in every later run, and the queue of pairs the model is least sure
of. Both apply the need-to-know cut of `services/identity_views.py`: a pair is judged and
offered only on Records the caller may know of and read.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.clock import utcnow
from ftfhub.domain.vocab import AuditAction, Disclosure
from ftfhub.linkage.resolve import weight_of
from ftfhub.policy import Permission, check
from ftfhub.policy.disclose import other_record
from ftfhub.services.auditing import audit, disclosed_detail
from ftfhub.services.context import Context, InvalidRequest, Refused, Unseen
from ftfhub.services.denials import guarded
from ftfhub.services.identity_views import HUB, PairView, Shown
from ftfhub.services.records import reference_parts, unseen_record
from ftfhub.services.resolution import judged
from ftfhub.services.rows import grants, held, known
from ftfhub.store import identities as store
from ftfhub.store.models import Record
from ftfhub.store.records import contacts, hash_begins, reference

MAX_NOTE = 5000


def _find(session: Session, ctx: Context, text: str) -> Record:
    """A current Record by `AGENCY:reference` (as hits quote it) or, one's own (the hub: any),
    `AGENCY/record_id`, if the caller may know of it (`told_of`); any other is answered as
    missing."""
    caller = ctx.caller.agency
    if ":" in text:
        agency, digest = reference_parts(text)
        stmt = select(Record).where(
            Record.agency_code == agency.upper(),
            hash_begins(digest),
        )
    elif "/" in text:
        agency, _, source = text.partition("/")
        if caller not in (HUB, agency.upper()):
            # Another agency's record by its owner's id is a guess (ids such as `BE-3` run
            # in order): walking them found which records a partner holds in summary, and
            # judged them; looked up, one that exists took longer to refuse. A partner's
            # record is named by its reference, as hits and matches quote it.
            raise Unseen(unseen_record(text))
        stmt = select(Record).where(
            Record.agency_code == agency.upper(), Record.source_id == source
        )
    else:
        raise InvalidRequest(f"'{text}': name a record as AGENCY:reference or AGENCY/record_id")
    row = session.execute(stmt.where(Record.superseded.is_(False))).scalars().first()
    if caller == HUB:
        if row is None:
            raise Unseen(unseen_record(text))
        return row
    found = known(session, caller, row, agency.upper())  # a made-up one costs the same
    if found is None:
        raise Unseen(unseen_record(text))  # a partner's reference tried: answered as missing
    return found


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
    if len(note) > MAX_NOTE:  # kept with the verdict and in the trail, as a case's reason
        raise InvalidRequest(f"a note is at most {MAX_NOTE:,} characters ({len(note):,} sent)")
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
        # The owners of the Records judged: a verdict read them and overrides the model on
        # them in every later run, yet a partner's (or the hub's) judgement on an agency's
        # Record named it only in `object_id`, as typed, so the owner's report and
        # `--agency` export never showed it.
        who, shared = contacts(session), grants(session)
        caller = ctx.caller.agency
        seen = [(r, other_record(caller, held(r), who, shared).level.value) for r in (a, b)]
        shown = disclosed_detail(caller, ((r.agency_code, lv, reference(r)) for r, lv in seen))
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
            {"verdict": verdict, "note": note, **shown},
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
        shown = Shown(ctx, session, members)
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
    shown: Shown, candidates: list[tuple[float, int, int, float]], limit: int
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
