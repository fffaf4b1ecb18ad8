"""Loading one file into the store: choose the adapter, validate, store in one transaction.

Re-loading a file changes nothing: a row whose content is already the current version of its
record is counted as unchanged; a changed row becomes a new version. With `on_error="abort"`
one bad row refuses the whole batch; with `"skip"` bad rows are reported and the rest loads.
Either way nothing is half-written: the batch commits or rolls back as a whole.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.audit.chain import record_event
from ftfhub.clock import utcnow
from ftfhub.domain import RECORD_KINDS, RecordData
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.errors import IngestError, RowError
from ftfhub.ingest.tables import ParsedRow
from ftfhub.store.models import Agency, IngestBatch, Record

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
    aborted: bool = False
    new_record_ids: list[int] = field(default_factory=list)


def ensure_agency(session: Session, code: str) -> Agency:
    agency = session.get(Agency, code)
    if agency is None:
        agency = Agency(code=code, name=code, contact=f"duty-officer@{code.lower()}.example")
        session.add(agency)
        session.flush()
    return agency


def _current(session: Session, agency: str) -> dict[str, Record]:
    """The agency's current version of every record, by source id (one query per batch)."""
    stmt = select(Record).where(Record.agency_code == agency, Record.superseded.is_(False))
    return {row.source_id: row for row in session.execute(stmt).scalars()}


def _store_record(
    session: Session,
    batch: IngestBatch,
    record: RecordData,
    report: IngestReport,
    current: dict[str, Record],
    added: list[Record],
) -> None:
    data = record.to_json()
    digest = record.content_hash(data)
    previous = current.get(record.record_id)
    if previous is not None and previous.content_hash == digest:
        report.unchanged += 1
        return
    version = 1
    if previous is not None:
        previous.superseded = True
        version = previous.version + 1
        report.new_versions += 1
    else:
        report.added += 1
    row = Record(
        agency_code=batch.agency_code,
        source_id=record.record_id,
        version=version,
        superseded=False,
        kind=record.kind,
        primary_name=record.primary_name[:500],
        birth_date=record.birth_dates[0].iso() if record.birth_dates else "",
        nationalities="|".join(record.nationalities),
        handling_code=record.handling_code,
        source_grade=record.source_grade,
        information_grade=record.information_grade,
        legal_basis=record.legal_basis,
        review_by=record.review_by,
        content_hash=digest,
        data=data,
        batch_id=batch.id,
        created_at=batch.created_at,
    )
    session.add(row)
    current[record.record_id] = row
    added.append(row)


def ingest_file(
    session: Session,
    path: Path,
    agency: str,
    kind: str,
    *,
    on_error: str = "skip",
    encoding: str | None = None,
    actor: str = "cli",
    progress: ProgressCallback | None = None,
) -> IngestReport:
    """Load one file for one agency. Commits on success; rolls back and re-raises on failure."""
    if kind not in RECORD_KINDS:
        raise IngestError(str(path), f"kind '{kind}' is not one of {', '.join(RECORD_KINDS)}")
    if on_error not in ("skip", "abort"):
        raise IngestError(str(path), f"--on-error must be skip or abort, not '{on_error}'")
    report = IngestReport(file=str(path), agency=agency, kind=kind)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot be read: {exc.strerror}") from None
    try:
        ensure_agency(session, agency)
        rows, report.encoding = parse_file(raw, path, kind, encoding)
        batch = IngestBatch(
            agency_code=agency,
            kind=kind,
            file_name=path.name,
            file_sha256=hashlib.sha256(raw).hexdigest(),
            created_at=utcnow(),
        )
        session.add(batch)
        session.flush()
        report.batch_id = batch.id
        _load_rows(session, rows, agency, batch, report, on_error, progress)
        batch.rows_read = report.rows_read
        batch.records_added = report.added + report.new_versions
        batch.records_unchanged = report.unchanged
        batch.rows_rejected = len(report.errors)
        if report.aborted:
            session.rollback()
            return report
        record_event(
            session,
            actor=actor,
            agency=agency,
            action="ingest",
            object_type="batch",
            object_id=str(batch.id),
            purpose=f"load {kind} records",
            details={
                "file": path.name,
                "sha256": batch.file_sha256,
                "added": report.added,
                "new_versions": report.new_versions,
                "unchanged": report.unchanged,
                "rejected": [str(e) for e in report.errors[:50]],
                "rejected_count": len(report.errors),
            },
        )
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return report


def _load_rows(
    session: Session,
    rows: Iterator[ParsedRow],
    agency: str,
    batch: IngestBatch,
    report: IngestReport,
    on_error: str,
    progress: ProgressCallback | None,
) -> None:
    current = _current(session, agency)
    added: list[Record] = []
    for parsed in rows:
        report.rows_read += 1
        if progress:
            progress(1)
        if parsed.error is not None:
            report.errors.append(parsed.error)
            if on_error == "abort":
                report.aborted = True
                return
            continue
        assert parsed.record is not None
        _store_record(session, batch, parsed.record, report, current, added)
    session.flush()
    report.new_record_ids.extend(row.id for row in added)
