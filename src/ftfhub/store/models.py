"""SQLAlchemy 2 tables: agencies, ingest batches, records (versioned), hits, audit events.

A Record row is immutable: a correction from the owner becomes a new version and the old row
is marked superseded. The full canonical content lives in `data` (JSON); the columns beside it
are the ones we filter and join on.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Agency(Base):
    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    ack_hours: Mapped[int] = mapped_column(Integer, default=48)
    urgent_ack_hours: Mapped[int] = mapped_column(Integer, default=4)
    retention_days: Mapped[int] = mapped_column(Integer, default=3 * 365)
    default_legal_basis: Mapped[str] = mapped_column(String(200), default="")


def new_batch_ref() -> str:
    return f"B-{secrets.token_hex(6)}"


class IngestBatch(Base):
    __tablename__ = "ingest_batches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16), unique=True, default=new_batch_ref)
    """The batch's name wherever it is shown (`B-` and 12 random hex digits, drawn when the
    batch is made; one in 2^48 collides and fails the load, which can be run again): the
    row id counts the files the hub has loaded, and stays the internal key."""
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    kind: Mapped[str] = mapped_column(String(32))
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    records_added: Mapped[int] = mapped_column(Integer, default=0)
    records_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)


class Record(Base):
    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("agency_code", "source_id", "version", name="uq_record_version"),
        Index("ix_records_current", "agency_code", "source_id", "superseded"),
        Index("ix_records_reference", "agency_code", "content_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"))
    source_id: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, default=1)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    kind: Mapped[str] = mapped_column(String(32))
    primary_name: Mapped[str] = mapped_column(String(500))
    birth_date: Mapped[str] = mapped_column(String(10), default="")
    nationalities: Mapped[str] = mapped_column(String(100), default="")
    handling_code: Mapped[str] = mapped_column(String(4), default="H0")
    source_grade: Mapped[str] = mapped_column(String(1), default="B")
    information_grade: Mapped[str] = mapped_column(String(1), default="2")
    legal_basis: Mapped[str] = mapped_column(String(200), default="")
    review_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    batch_id: Mapped[int] = mapped_column(ForeignKey("ingest_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    screened_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    """When hits were raised for this version; None: still in the queue of `hits raise
    --pending` (loaded with --no-hits, or stored before the queue existed)."""


class Hit(Base):
    """A match between Records of different owners; the owner must acknowledge it.

    `ref` (`H-` and 12 random hex digits) is the hit's one public name, on every face and in
    the audit trail; the row id is the internal key and is never handed out: numbers in
    order would tell a partner how many hits the hub raised between two of its own."""

    __tablename__ = "hits"
    __table_args__ = (
        UniqueConstraint("query_record_id", "matched_record_id", name="uq_hit_pair"),
        UniqueConstraint("ref", name="uq_hit_ref"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(16))
    query_record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    matched_record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    owner_agency: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    querying_agency: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="new")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    deadline: Mapped[datetime] = mapped_column(DateTime)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    acknowledged_by: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")


class HubInstance(Base):
    """A random identifier made when this database was created (one row). Files kept beside
    the database carry it, so they are never taken for another database's."""

    __tablename__ = "hub_instance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    instance: Mapped[str] = mapped_column(String(36))


class AuditHead(Base):
    """The chain's newest position, kept apart from the events and updated in the same
    transaction as each append: emptying or cutting the events table no longer leaves a
    chain that looks whole. Appenders lock this row, so concurrent writers never fork the
    chain. `signature` is an HMAC of the head under a key the database does not hold."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    head_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(64), default="")


class AuditEvent(Base):
    """One audited action; `hash` covers the event and the previous event's hash."""

    __tablename__ = "audit_events"
    # An agency's events in chain order: `audit list` counts those before the newest it
    # shows, to number them within the agency (docs/oversight.md §8.2).
    __table_args__ = (Index("ix_audit_events_agency_id", "agency", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    agency: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(50), index=True)
    object_type: Mapped[str] = mapped_column(String(50))
    object_id: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(500), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class User(Base):
    """A person acting in the hub: one agency, one role."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Token(Base):
    """A bearer token: only its hash is kept; it expires and can be revoked."""

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(12), unique=True)
    """The token's name, in the token itself (`ftf_<public_id>_<secret>`) and wherever it is
    shown: 12 random hex digits (the row id counts the tokens the hub has issued); a token
    issued before migration 0009 keeps its row id, in decimal, which its holder knew."""
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    issued_by: Mapped[str | None] = mapped_column(String(100), nullable=True)
    """The user who issued it and so has seen it: an admin, or the user themselves after
    `tokens rotate`; NULL for a token issued before migration 0012 (by an admin)."""


class DisclosureGrant(Base):
    """An owner lets one partner agency see its Records at a higher level than their own."""

    __tablename__ = "disclosure_grants"

    owner_agency: Mapped[str] = mapped_column(ForeignKey("agencies.code"), primary_key=True)
    grantee_agency: Mapped[str] = mapped_column(ForeignKey("agencies.code"), primary_key=True)
    level: Mapped[str] = mapped_column(String(16))


class Case(Base):
    """An agency's work on one Identity: the analyst's category (with who set it and why),
    priority, assigned officer and next review date. Never visible to another agency.

    `number` counts the agency's own cases (1, 2, 3 …) and is the case's public name; the
    row id, a count over every agency's cases, is never handed out."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("agency_code", "number", name="uq_case_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_code: Mapped[str] = mapped_column(ForeignKey("agencies.code"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(200))  # an Identity id or a Record reference
    title: Mapped[str] = mapped_column(String(200), default="")
    category: Mapped[str] = mapped_column(String(40), default="unassessed")
    category_by: Mapped[str] = mapped_column(String(100), default="")
    category_why: Mapped[str] = mapped_column(Text, default="")
    category_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    priority: Mapped[str] = mapped_column(String(10), default="medium")
    officer: Mapped[str] = mapped_column(String(100), default="")
    next_review: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    closed: Mapped[bool] = mapped_column(Boolean, default=False)


class CaseEntry(Base):
    """One line of a case's history: a note, or a change with who made it and why."""

    __tablename__ = "case_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))  # note, category, priority, officer, review
    text: Mapped[str] = mapped_column(Text, default="")


class RefusalWindow(Base):
    """One user's current window of the bound on itemised refusals (services/denials.py):
    kept in the database, under the audit chain's lock, so that every process of the hub
    shares it. No content of any refused request is in it: counts, rules and times."""

    __tablename__ = "refusal_windows"

    actor: Mapped[str] = mapped_column(String(200), primary_key=True)
    agency: Mapped[str] = mapped_column(String(32), primary_key=True)
    role: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(DateTime)
    written: Mapped[int] = mapped_column(Integer, default=0)
    suppressed: Mapped[int] = mapped_column(Integer, default=0)
    rules: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    last_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
