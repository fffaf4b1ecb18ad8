"""Raising hits: a new Record screened against every other owner's current Records."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ftfhub.domain import RecordData
from ftfhub.domain.vocab import HitStatus
from ftfhub.store.models import Hit, Record


class Found(Protocol):
    """A match as the screening index gives it."""

    @property
    def key(self) -> str: ...
    @property
    def owner(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def explanation(self) -> list[dict[str, object]]: ...


class Screener(Protocol):
    """The screening index (ftfhub.index), seen from here: hits may not import it."""

    def screen(
        self,
        query: RecordData,
        limit: int = 10,
        threshold: float = 0.0,
        exclude_owner: str | None = None,
    ) -> Sequence[Found]: ...


Deadline = Callable[[Record, int, str, datetime], datetime]
"""(query record, matched record id, owner agency, now) → the owner's deadline."""


def raise_hits(
    session: Session,
    rows: Iterable[Record],
    index: Screener,
    threshold: float,
    now: datetime,
    deadline: Deadline,
) -> list[Hit]:
    """Screen each row against the other owners in `index`; add a Hit per match not already
    stored (so raising twice, after a crash or from the queue, adds nothing)."""
    hits: list[Hit] = []
    for row in rows:
        if row.superseded:
            continue
        existing = set(
            session.execute(
                select(Hit.matched_record_id).where(Hit.query_record_id == row.id)
            ).scalars()
        )
        query = RecordData.from_json(row.data)
        for match in index.screen(
            query, limit=20, threshold=threshold, exclude_owner=row.agency_code
        ):
            matched_id = int(match.key)
            if matched_id in existing:
                continue
            hit = Hit(
                ref=hit_ref(),
                query_record_id=row.id,
                matched_record_id=matched_id,
                owner_agency=match.owner,
                querying_agency=row.agency_code,
                score=match.score,
                explanation=match.explanation,
                status=HitStatus.NEW.value,
                created_at=now,
                deadline=deadline(row, matched_id, match.owner, now),
                escalation_level=0,
            )
            hits.append(hit)
    _insert(session, hits)
    return hits


DRAWS = 5
"""Tries at inserting a batch of hits whose references another writer took meanwhile."""


def _insert(session: Session, hits: list[Hit]) -> None:
    """Insert `hits` with references no stored hit holds. The check before inserting cannot
    see another writer's hits not yet committed: one drawn by both at the same moment meets
    the unique constraint, and the batch is drawn again (in a savepoint, so the caller's
    transaction — the load — goes on) rather than failing the whole load."""
    if not hits:
        return
    for attempt in range(DRAWS):
        _unique_refs(session, hits)
        try:
            with session.begin_nested():
                session.add_all(hits)
                session.flush()
            return
        except IntegrityError:
            if attempt == DRAWS - 1 or not _taken(session, hits):
                raise  # not a reference drawn twice: the caller's error
            for hit in hits:
                hit.id = None  # type: ignore[assignment]  # rolled back: inserted anew


def _taken(session: Session, hits: Sequence[Hit]) -> bool:
    """Whether a stored hit (now committed by another writer) holds one of `hits`' refs."""
    drawn = [h.ref for h in hits]
    return any(
        session.execute(select(Hit.ref).where(Hit.ref.in_(drawn[i : i + 500]))).first()
        for i in range(0, len(drawn), 500)
    )


def hit_ref() -> str:
    """A hit's public reference: `H-` and 48 random bits, nothing of the hub's count."""
    return f"H-{secrets.token_hex(6)}"


def _unique_refs(session: Session, hits: Sequence[Hit]) -> None:
    """Draw again the reference of any new hit that another hit already holds (one chance
    in 2^48 a draw): checked against the stored hits before they are inserted. Two writers
    drawing the same one at the same moment meet the unique constraint (`_insert`)."""
    while True:
        drawn = [h.ref for h in hits]
        taken: set[str] = set()
        for start in range(0, len(drawn), 500):
            part = drawn[start : start + 500]
            taken.update(session.execute(select(Hit.ref).where(Hit.ref.in_(part))).scalars())
        seen: set[str] = set()
        again = False
        for hit in hits:
            if hit.ref in taken or hit.ref in seen:
                hit.ref, again = hit_ref(), True
            seen.add(hit.ref)
        if not again:
            return
