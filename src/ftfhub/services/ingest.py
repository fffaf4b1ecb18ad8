"""Loading one file for the caller's agency: records and the hits they raise, one transaction.

Re-loading a file changes nothing: a row whose content is already the current version of its
record is unchanged; a changed row becomes a new version. With `on_error=abort` one bad row
refuses the whole batch; with `skip` bad rows are reported and the rest loads. Either way
nothing is half-written: the records, their hits and the audit events commit together or not
at all, so a crash at any point leaves either the whole load or none of it.

The file is read whole, and on SQLite its new Records are screened on a snapshot of the store
before the write lock is taken (`ingest_plan`): the lock, which every API answer needs for a
moment to commit its audit event, is held only to store the rows and raise the hits found.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from ftfhub.audit.chain import Entry, record_events
from ftfhub.clock import utcnow
from ftfhub.domain import RecordData
from ftfhub.domain.errors import IngestError, RowError
from ftfhub.domain.vocab import AuditAction, OnError, RecordKind
from ftfhub.index import ScreeningIndex
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.reader import read_bytes
from ftfhub.ingest.tables import ParsedRow
from ftfhub.policy import Permission, check
from ftfhub.rules import Rule, RuleHit
from ftfhub.services.auditing import entry
from ftfhub.services.checkpoints import checkpoint
from ftfhub.services.context import Context
from ftfhub.services.denials import guarded
from ftfhub.services.hit_raising import raise_for_rows
from ftfhub.services.ingest_plan import (
    Plan,
    Replay,
    Retention,
    StoreChanged,
    matched_rows,
    records_state,
    screen,
    snapshot,
    store_rows,
    to_raise,
)
from ftfhub.services.rules import configured_rules, rule_hits_for_rows
from ftfhub.services.writing import write_transaction
from ftfhub.store.db import lock_screening
from ftfhub.store.models import Agency, Hit, IngestBatch
from ftfhub.store.records import ensure_agency

ProgressCallback = Callable[[int], None]


@dataclass
class IngestReport:
    file: str
    agency: str
    kind: str
    encoding: str = "utf-8"
    batch_id: int | None = None
    rows_read: int = 0
    added: int = 0
    new_versions: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # What was irregular in rows that still loaded (a value left out, a message's odd
    # trailer): said once each, so nobody takes a loaded row for a perfect one.
    warnings: list[RowError] = field(default_factory=list)
    aborted: bool = False
    new_record_ids: list[int] = field(default_factory=list)
    hits_raised: int = 0
    rule_hits: list[RuleHit] = field(default_factory=list)  # behaviour rules (travel only)


@guarded("file", "path")
def ingest_file(
    ctx: Context,
    path: Path,
    kind: RecordKind | str,
    *,
    on_error: OnError | str = OnError.SKIP,
    encoding: str | None = None,
    threshold: float = 0.7,
    raise_hits: bool = True,
    index: ScreeningIndex | None = None,
    progress: ProgressCallback | None = None,
    rules: Sequence[Rule] | None = None,
) -> IngestReport:
    """Load one file for the caller's agency. `index` may be a long-lived screening index
    that the new records are added to (the demo keeps one across loads). Travel records run
    through the behaviour `rules` (default: the hub's, FTFHUB_RULES) as they load."""
    check(ctx.caller.viewer, Permission.INGEST)
    kind, on_error = _valid(path, kind, on_error)
    if kind is RecordKind.TRAVEL and rules is None:
        rules = configured_rules()
    report = IngestReport(file=str(path), agency=ctx.caller.agency, kind=kind)
    raw = read_bytes(path)
    rows, report.encoding = parse_file(raw, path, kind, encoding)
    lines: list[int] = []
    records = _read_rows(rows, report, on_error, progress, lines)
    checkpoint("ingest.parsed")
    if report.aborted:
        return report
    load = _Load(ctx, path, raw, kind, records, lines, on_error, report, threshold, raise_hits)
    load.index, load.rules = index, rules
    if ctx.db.local:
        for _ in range(PLAN_TRIES):
            with ctx.db.reading() as session:
                plan = snapshot(session, load.agency, records, raise_hits=raise_hits, index=index)
            if plan.refused and on_error is OnError.ABORT:
                load.refuse(plan)
                return report
            try:
                screen(plan, threshold)
                checkpoint("ingest.screened")
                return load.apply(plan)
            except StoreChanged:
                plan.undo()
            except BaseException:
                plan.undo()
                raise
    return load.apply(None)


PLAN_TRIES = 3
"""Loads planned on a snapshot before one is done under the write lock (SQLite): each try
that finds the store changed by another load plans again; the last waits for nobody."""


@dataclass
class _Load:
    """One file's Records, stored with their hits and audit events in one transaction."""

    ctx: Context
    path: Path
    raw: bytes
    kind: RecordKind
    records: list[RecordData]
    lines: list[int]  # the line (or segment) each record came from
    on_error: OnError
    report: IngestReport
    threshold: float
    raise_hits: bool
    index: ScreeningIndex | None = None
    rules: Sequence[Rule] | None = None

    @property
    def agency(self) -> str:
        return self.ctx.caller.agency

    def refuse(self, plan: Plan) -> bool:
        """Report each row that would give a Record of another kind a new version (a
        travel row whose id is a watchlist record's): the stored Record stays as it is.
        True if the load is to stop (`abort`)."""
        for position, stored in plan.refused:
            record = self.records[position]
            message = (
                f"record {record.record_id} is a {stored} record; "
                f"a {self.kind.value} file cannot replace it"
            )
            line = self.lines[position]
            self.report.errors.append(RowError(str(self.path), line, "record_id", message))
        if plan.refused and self.on_error is OnError.ABORT:
            self.report.aborted = True
            return True
        return False

    def apply(self, plan: Plan | None) -> IngestReport:
        """Store the planned rows under the write lock if the store is as `plan` saw it
        (else `StoreChanged`); with no plan, plan now, holding the lock."""
        report = self.report
        with write_transaction(self.ctx.db) as session:
            lock_screening(session)  # PostgreSQL: loads raise hits one after another
            if plan is None:
                plan = snapshot(
                    session, self.agency, self.records, raise_hits=self.raise_hits, index=self.index
                )
                if self.refuse(plan):
                    return report  # before screening: the index holds none of the file
                screen(plan, self.threshold)
            elif records_state(session) != plan.state:
                raise StoreChanged
            else:
                self.refuse(plan)  # to skip: `abort` stopped before screening
            owner = ensure_agency(session, self.agency)
            batch = _batch(session, self.agency, self.kind, self.path, self.raw)
            report.batch_id = batch.id
            report.added, report.new_versions = plan.added, plan.new_versions
            report.unchanged = plan.unchanged
            _count(batch, report)
            store_rows(session, plan, batch, self.raise_hits, _retention(owner))
            report.new_record_ids = [row.id for row in plan.rows]
            checkpoint("ingest.stored")
            hits: list[Hit] = []
            events: list[Entry] = []  # written last: the chain's head is locked only then
            if self.raise_hits:
                raising, queued = to_raise(session, plan)
                matched = matched_rows(session, plan)  # noqa: F841  (kept while raising)
                replay = Replay(plan, self.threshold)
                hits = raise_for_rows(session, self.ctx, raising, replay, self.threshold, events)
                for row in queued:
                    row.screened_at = batch.created_at
                report.hits_raised = len(hits)
                checkpoint("ingest.hits")
            if self.kind is RecordKind.TRAVEL and self.rules:
                report.rule_hits = list(rule_hits_for_rows(plan.rows, hits, self.rules))
            events.append(_batch_event(self.ctx, batch, report))
            record_events(session, events)
            checkpoint("ingest.before_commit")
        checkpoint("ingest.committed")
        return report


def _retention(owner: Agency) -> Retention:
    """Every Record has a legal basis and a review-by date: the owner's defaults where the
    file gave none (kept on the row, not in the content, so re-loading stays idempotent)."""
    review_by = utcnow().date() + timedelta(days=owner.retention_days or 3 * 365)
    return owner.default_legal_basis or "not stated by the owner", review_by


def _valid(path: Path, kind: str, on_error: str) -> tuple[RecordKind, OnError]:
    try:
        valid_kind = RecordKind(kind)
    except ValueError:
        choices = ", ".join(k.value for k in RecordKind)
        raise IngestError(str(path), f"kind '{kind}' is not one of {choices}") from None
    try:
        return valid_kind, OnError(on_error)
    except ValueError:
        raise IngestError(
            str(path), f"--on-error must be skip or abort, not '{on_error}'"
        ) from None


def _batch(session: Session, agency: str, kind: str, path: Path, raw: bytes) -> IngestBatch:
    batch = IngestBatch(
        agency_code=agency,
        kind=kind,
        file_name=path.name,
        file_sha256=hashlib.sha256(raw).hexdigest(),
        created_at=utcnow(),
    )
    session.add(batch)
    session.flush()
    return batch


def _read_rows(
    rows: Iterator[ParsedRow],
    report: IngestReport,
    on_error: OnError,
    progress: ProgressCallback | None,
    lines: list[int],
) -> list[RecordData]:
    """Every good row of the file, read before any transaction begins; the bad ones
    reported (with `abort`, the first one ends the reading)."""
    records: list[RecordData] = []
    for parsed in rows:
        report.rows_read += 1
        if progress:
            progress(1)
        if parsed.error is not None:
            report.errors.append(parsed.error)
            if on_error is OnError.ABORT:
                report.aborted = True
                return records
            continue
        assert parsed.record is not None
        _note(report, parsed.warnings)
        records.append(parsed.record)
        lines.append(parsed.line)
    return records


def _count(batch: IngestBatch, report: IngestReport) -> None:
    batch.rows_read = report.rows_read
    batch.records_added = report.added + report.new_versions
    batch.records_unchanged = report.unchanged
    batch.rows_rejected = len(report.errors)


def _note(report: IngestReport, warnings: tuple[RowError, ...]) -> None:
    for warning in warnings:
        if warning not in report.warnings:  # a message-wide note travels with each row
            report.warnings.append(warning)


def _batch_event(ctx: Context, batch: IngestBatch, report: IngestReport) -> Entry:
    return entry(
        ctx,
        AuditAction.INGEST,
        "batch",
        batch.ref,  # never the row id: it counts every agency's loads
        {
            "file": Path(report.file).name,
            "sha256": batch.file_sha256,
            "added": report.added,
            "new_versions": report.new_versions,
            "unchanged": report.unchanged,
            "hits": report.hits_raised,
            "rule_hits": len(report.rule_hits),
            # Where each rejected row was, never what it held: the trail carries no content.
            "rejected": [f"line {e.line}, field {e.field}" for e in report.errors[:50]],
            "rejected_count": len(report.errors),
            "warnings": [f"line {w.line}, field {w.field}" for w in report.warnings[:50]],
            "warnings_count": len(report.warnings),
        },
        purpose=f"load {batch.kind} records",
    )
