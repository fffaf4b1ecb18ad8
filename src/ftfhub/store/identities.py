"""Identities as stored: resolution runs (with the model they used), each Record's Identity,
the scored pairs that joined them, and analysts' judgements on pairs.

Only the latest run's Identities, members and evidence are kept (a run replaces them); runs
themselves and judgements are kept for good.

Identity ids are opaque and stable. They were named after the lowest Record row id among the
members (`ID-00000022`), so a partner shown an Identity learnt the row id — the existence and
the order — of a member it may not see. Now an id is random (`ID-` and 12 hex digits) and
carried from run to run: a cluster keeps the id its lowest previously named Record had, unless
a cluster holding a lower such Record took it first (a split: the part with the old lowest
member keeps it, as before). So an unchanged, grown or merged cluster keeps its id wherever
the old scheme kept it, and a new one draws an id never handed out in the previous run.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from ftfhub.store.models import Base


class ResolutionRun(Base):
    __tablename__ = "resolution_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    engine: Mapped[str] = mapped_column(String(16))
    threshold: Mapped[float] = mapped_column(Float)
    mode: Mapped[str] = mapped_column(String(16))  # full / incremental
    records: Mapped[int] = mapped_column(Integer, default=0)
    identities: Mapped[int] = mapped_column(Integer, default=0)
    model_version: Mapped[str] = mapped_column(String(64))
    model: Mapped[str] = mapped_column(Text)  # the model file's JSON


class IdentityMember(Base):
    __tablename__ = "identity_members"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    identity_id: Mapped[str] = mapped_column(String(32), index=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("resolution_runs.id"))


class PairEvidence(Base):
    __tablename__ = "pair_evidence"

    left_record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    right_record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    run_id: Mapped[int] = mapped_column(ForeignKey("resolution_runs.id"))


class Judgement(Base):
    __tablename__ = "judgements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    left_record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    right_record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    same: Mapped[bool] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200))
    agency_code: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(DateTime)


def fresh_identity_id(taken: set[str]) -> str:
    """A random id no Identity in `taken` has (added to it): nothing of any member in it."""
    while True:
        name = f"ID-{secrets.token_hex(6)}"
        if name not in taken:
            taken.add(name)
            return name


def identity_ids(clusters: Sequence[Sequence[int]], previous: dict[int, str]) -> list[str]:
    """Each cluster's id: the one its lowest Record named in `previous` had, when no cluster
    with a lower such Record claimed it first; else a fresh one."""
    keys = [min((r for r in c if r in previous), default=None) for c in clusters]
    order = sorted(range(len(clusters)), key=lambda i: (keys[i] is None, keys[i] or 0))
    taken = set(previous.values())
    kept: set[str] = set()
    names = [""] * len(clusters)
    for i in order:
        key = keys[i]
        if key is not None and previous[key] not in kept:
            names[i] = previous[key]
            kept.add(names[i])
        else:
            names[i] = fresh_identity_id(taken)
    return names


def latest_run(session: Session) -> ResolutionRun | None:
    stmt = select(ResolutionRun).order_by(ResolutionRun.id.desc()).limit(1)
    return session.execute(stmt).scalars().first()


def save_run(
    session: Session,
    run: ResolutionRun,
    clusters: Sequence[Sequence[int]],
    evidence: Iterable[tuple[int, int, float]],
) -> ResolutionRun:
    """Store a run and replace the Identities, members and evidence with its own."""
    run.identities = len(clusters)
    run.records = sum(len(c) for c in clusters)
    session.add(run)
    session.flush()
    names = identity_ids(clusters, memberships(session))
    session.execute(delete(IdentityMember))
    session.execute(delete(PairEvidence))
    members = [
        {"record_id": r, "identity_id": name, "run_id": run.id}
        for c, name in zip(clusters, names, strict=True)
        for r in c
    ]
    if members:
        session.execute(insert(IdentityMember), members)
    pairs = [
        {"left_record_id": a, "right_record_id": b, "weight": w, "run_id": run.id}
        for a, b, w in evidence
    ]
    if pairs:
        session.execute(insert(PairEvidence), pairs)
    return run


def memberships(session: Session) -> dict[int, str]:
    """Record id → Identity id, as the latest run left them."""
    rows = session.execute(select(IdentityMember.record_id, IdentityMember.identity_id))
    return {r: i for r, i in rows}


def evidence(session: Session) -> list[tuple[int, int, float]]:
    rows = session.execute(
        select(PairEvidence.left_record_id, PairEvidence.right_record_id, PairEvidence.weight)
    )
    return [(a, b, w) for a, b, w in rows]


def judgements(session: Session) -> list[Judgement]:
    """Every judgement, oldest first (a later one on the same pair overrides)."""
    return list(session.execute(select(Judgement).order_by(Judgement.id)).scalars())


def current_members(session: Session) -> dict[int, tuple[str, str]]:
    """Record id → (agency, source id) of each current Record in the latest run's Identities:
    what deciding who may open which Identity needs, without reading any Record's content."""
    from ftfhub.store.models import Record

    stmt = (
        select(Record.id, Record.agency_code, Record.source_id)
        .join(IdentityMember, IdentityMember.record_id == Record.id)
        .where(Record.superseded.is_(False))
    )
    return {r: (a, s) for r, a, s in session.execute(stmt)}
