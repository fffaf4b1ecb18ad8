"""An export of the audit trail that an oversight body can check without trusting the hub.

The file is JSON Lines: one line per event of the period, in chain order, carrying every
field the event's hash covers exactly as it was hashed (`chain.canonical`), then one manifest
line (counts, period, the hash of the event before the first one, the chain's head and the
SHA-256 of every byte before the manifest). `tools/verify_audit_export.py`, which imports
nothing of ftfhub, recomputes every hash from it; docs/oversight.md gives the recipe.

An export about one agency keeps the chain checkable across the other agencies' events: each
of those is a `withheld` line with only its position and hashes, so a removed or reordered
event is still found, while what the others did stays out of the file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ftfhub.audit.chain import GENESIS, HASHED_FIELDS, HEAD_ID, canonical, hashed_fields
from ftfhub.clock import iso_utc
from ftfhub.store.models import AuditEvent, AuditHead

FORMAT = "ftfhub-audit-export/1"
RECIPE = (
    "sha256 of the UTF-8 JSON of the fields "
    + ", ".join(HASHED_FIELDS)
    + ' with keys sorted, ", " and ": " as separators, non-ASCII characters unescaped'
)
BATCH = 1000


@dataclass(frozen=True)
class Period:
    """The time an export covers: from `since` (included) to `until` (excluded); open ends
    mean from the first event, and up to the chain's head when the export is made."""

    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Exporter:
    """Who makes the export and why: written into the manifest and into the trail."""

    actor: str
    agency: str
    purpose: str


@dataclass(frozen=True)
class ExportSummary:
    """What was written: ids `first_id`..`last_id` (None when the period holds no event)."""

    first_id: int | None
    last_id: int | None
    events: int
    withheld: int
    prev_hash: str | None
    last_hash: str | None
    head_id: int
    sha256: str
    """SHA-256 of the whole file, manifest included."""
    size: int


class _Hashing:
    """Writes to the sink while hashing what was written."""

    def __init__(self, sink: IO[bytes]) -> None:
        self.sink = sink
        self.digest = hashlib.sha256()
        self.size = 0

    def line(self, fields: dict[str, Any]) -> None:
        data = canonical(fields) + b"\n"
        self.sink.write(data)
        self.digest.update(data)
        self.size += len(data)


def write_export(
    session: Session,
    sink: IO[bytes],
    period: Period,
    by: Exporter,
    *,
    agency: str | None = None,
    include: Callable[[AuditEvent], bool] | None = None,
    now: datetime,
) -> ExportSummary:
    """Write the events of `period` to `sink`, then the manifest; events `include` rejects
    (those not about `agency`) are written as `withheld` lines."""
    head = session.get(AuditHead, HEAD_ID)
    head_id = head.last_id if head else _max_id(session)
    span = _span(session, period, head_id)
    out = _Hashing(sink)
    events = withheld = 0
    last_hash: str | None = None
    if span is not None:
        stmt = (
            select(AuditEvent)
            .where(AuditEvent.id.between(*span))
            .order_by(AuditEvent.id)
            .execution_options(yield_per=BATCH)
        )
        for event in session.execute(stmt).scalars():
            if include is None or include(event):
                out.line({"kind": "event", **hashed_fields(event), "hash": event.hash})
                events += 1
            else:
                out.line(_withheld(event))
                withheld += 1
            last_hash = event.hash
    prev_hash = _before(session, span[0]) if span else None
    manifest = {
        "kind": "manifest",
        "format": FORMAT,
        "recipe": RECIPE,
        "exported_at": iso_utc(now),
        "exported_by": {"actor": by.actor, "agency": by.agency, "purpose": by.purpose},
        "period": {"since": _iso(period.since), "until": _iso(period.until)},
        "agency": agency,
        "first_id": span[0] if span else None,
        "last_id": span[1] if span else None,
        "events": events,
        "withheld": withheld,
        "prev_hash": prev_hash,
        "last_hash": last_hash,
        "chain_head": {
            "id": head_id,
            "hash": head.head_hash if head else None,
            "signature": head.signature if head else "",
        },
        "sha256": out.digest.hexdigest(),
    }
    out.line(manifest)
    return ExportSummary(
        span[0] if span else None,
        span[1] if span else None,
        events,
        withheld,
        prev_hash,
        last_hash,
        head_id,
        out.digest.hexdigest(),
        out.size,
    )


def _withheld(event: AuditEvent) -> dict[str, Any]:
    """Position and hashes only: enough to check the links, nothing of what was done."""
    return {"kind": "withheld", "id": event.id, "prev_hash": event.prev_hash, "hash": event.hash}


def _span(session: Session, period: Period, head_id: int) -> tuple[int, int] | None:
    """The first and last event id of the period, never past the head read before (events
    appended while the export is written belong to the next one)."""
    first = select(func.min(AuditEvent.id)).where(AuditEvent.id <= head_id)
    last = select(func.max(AuditEvent.id)).where(AuditEvent.id <= head_id)
    if period.since is not None:
        first = first.where(AuditEvent.at >= period.since)
    if period.until is not None:
        last = last.where(AuditEvent.at < period.until)
    low, high = session.scalar(first), session.scalar(last)
    if period.since is None and high is not None:
        low = 1  # from the very first event: events missing there are found, not skipped
    if low is None or high is None or low > high:
        return None
    return low, high


def _before(session: Session, first_id: int) -> str | None:
    """The hash the first exported event must link to: the genesis value, or the hash the
    hub holds for the event just before (None if that event is gone: the verifier says so)."""
    if first_id <= 1:
        return GENESIS
    found: str | None = session.scalar(select(AuditEvent.hash).where(AuditEvent.id == first_id - 1))
    return found


def _max_id(session: Session) -> int:
    return session.scalar(select(func.max(AuditEvent.id))) or 0


def _iso(moment: datetime | None) -> str | None:
    return iso_utc(moment) if moment else None
