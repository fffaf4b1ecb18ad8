"""Loading one file for the caller's agency: records and the hits they raise, one transaction.

Re-loading a file changes nothing: a row whose content is already the current version of its
record is unchanged; a changed row becomes a new version. With `on_error=abort` one bad row
refuses the whole batch; with `skip` bad rows are reported and the rest loads. Either way
nothing is half-written: the records, their hits and the audit events commit together or not
at all, so a crash at any point leaves either the whole load or none of it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session

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
from ftfhub.services.auditing import audit
from ftfhub.services.checkpoints import checkpoint
from ftfhub.services.context import Context
from ftfhub.services.pending import drain
from ftfhub.services.rules import configured_rules, rule_hits_for_rows
from ftfhub.services.writing import write_transaction
from ftfhub.store.models import Agency, Hit, IngestBatch, Record
from ftfhub.store.records import current_by_source, ensure_agency, new_row

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
    agency = ctx.caller.agency
    report = IngestReport(file=str(path), agency=agency, kind=kind)
    raw = read_bytes(path)
    rows, report.encoding = parse_file(raw, path, kind, encoding)
    checkpoint("ingest.parsed")
    with write_transaction(ctx.db) as session:
        owner = ensure_agency(session, agency)
        batch = _batch(session, agency, kind, path, raw)
        report.batch_id = batch.id
        added = _load_rows(session, rows, batch, report, on_error, progress)
        _retention_defaults(added, owner)
        if report.aborted:
            session.rollback()
            return report
        report.new_record_ids = [row.id for row in added]
        checkpoint("ingest.stored")
        hits: list[Hit] = []
        if raise_hits:
            if index is not None:
                for row in added:
                    index.add(str(row.id), RecordData.from_json(row.data), row.agency_code)
            # The new records and any left in the queue (a load with --no-hits, a record
            # stored before the queue existed) are screened in this same transaction.
            drained, hits = drain(session, ctx, threshold, index)
            report.hits_raised = drained.hits
            checkpoint("ingest.hits")
        if kind is RecordKind.TRAVEL and rules:
            report.rule_hits = list(rule_hits_for_rows(added, hits, rules))
        _audit_batch(session, ctx, batch, report)
        checkpoint("ingest.before_commit")
    checkpoint("ingest.committed")
    return report


def _retention_defaults(rows: list[Record], owner: Agency) -> None:
    """Every Record has a legal basis and a review-by date: the owner's defaults where the
    file gave none (kept on the row, not in the content, so re-loading stays idempotent)."""
    review_by = utcnow().date() + timedelta(days=owner.retention_days or 3 * 365)
    for row in rows:
        if not row.legal_basis:
            row.legal_basis = owner.default_legal_basis or "not stated by the owner"
        if row.review_by is None:
            row.review_by = review_by


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


def _load_rows(
    session: Session,
    rows: Iterator[ParsedRow],
    batch: IngestBatch,
    report: IngestReport,
    on_error: OnError,
    progress: ProgressCallback | None,
) -> list[Record]:
    current = current_by_source(session, batch.agency_code)
    added: list[Record] = []
    for parsed in rows:
        report.rows_read += 1
        if progress:
            progress(1)
        if parsed.error is not None:
            report.errors.append(parsed.error)
            if on_error is OnError.ABORT:
                report.aborted = True
                return added
            continue
        assert parsed.record is not None
        _note(report, parsed.warnings)
        row = _store(batch, parsed.record, report, current)
        if row is not None:
            session.add(row)
            added.append(row)
    session.flush()
    batch.rows_read = report.rows_read
    batch.records_added = report.added + report.new_versions
    batch.records_unchanged = report.unchanged
    batch.rows_rejected = len(report.errors)
    return added


def _note(report: IngestReport, warnings: tuple[RowError, ...]) -> None:
    for warning in warnings:
        if warning not in report.warnings:  # a message-wide note travels with each row
            report.warnings.append(warning)


def _store(
    batch: IngestBatch, record: RecordData, report: IngestReport, current: dict[str, Record]
) -> Record | None:
    digest = record.content_hash()
    previous = current.get(record.record_id)
    if previous is not None and previous.content_hash == digest:
        report.unchanged += 1
        return None
    version = 1
    if previous is not None:
        previous.superseded = True
        version = previous.version + 1
        report.new_versions += 1
    else:
        report.added += 1
    row = new_row(batch, record, digest, version, batch.created_at)
    current[record.record_id] = row
    return row


def _audit_batch(session: Session, ctx: Context, batch: IngestBatch, report: IngestReport) -> None:
    audit(
        session,
        ctx,
        AuditAction.INGEST,
        "batch",
        str(batch.id),
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
