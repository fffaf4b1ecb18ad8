"""`ftfhub screen`: every row of a person file against all stored Records, as JSON lines."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ftfhub.audit.chain import record_event
from ftfhub.domain import RecordData
from ftfhub.hits.service import build_index, current_records
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.errors import IngestError
from ftfhub.sharing.policy import match_view
from ftfhub.store.models import Agency


def screen_file(
    session: Session,
    path: Path,
    *,
    agency: str | None,
    threshold: float,
    limit: int,
    actor: str,
    purpose: str = "screening",
    kind: str = "watchlist",
    on_error: str = "abort",
) -> Iterator[dict[str, Any]]:
    """Yield one result per query row. A bad row raises IngestError naming line and field, or
    with `on_error="skip"` yields `{"query_id": None, "line": …, "error": …}` and goes on."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot be read: {exc.strerror}") from None
    rows, _ = parse_file(raw, path, kind)
    records = current_records(session)
    index = build_index(records)
    by_id = {str(r.id): r for r in records}
    contacts = {a.code: a.contact for a in session.execute(select(Agency)).scalars()}
    count = 0
    for parsed in rows:
        if parsed.error is not None:
            if on_error == "skip":
                yield {"query_id": None, "line": parsed.error.line, "error": str(parsed.error)}
                continue
            raise IngestError(
                parsed.error.file, parsed.error.message, parsed.error.line, parsed.error.field
            )
        assert parsed.record is not None
        count += 1
        yield {
            "query_id": parsed.record.record_id,
            "matches": [
                match_view(
                    record_id=by_id[m.key].source_id,
                    owner=m.owner,
                    owner_contact=contacts.get(m.owner, ""),
                    handling_code=by_id[m.key].handling_code,
                    score=m.score,
                    explanation=m.explanation,
                    viewer=agency,
                )
                for m in index.screen(parsed.record, limit=limit, threshold=threshold)
            ],
        }
    record_event(
        session,
        actor=actor,
        agency=agency or "HUB",
        action="screen",
        object_type="file",
        object_id=path.name,
        purpose=purpose,
        details={"queries": count, "threshold": threshold, "limit": limit},
    )
    session.commit()


def query_record(name: str, birth_date: str = "", nationality: str = "") -> RecordData:
    """A one-off query Record (for `ftfhub compare`)."""
    from ftfhub.ingest.person_file import record_from_row

    row = {"record_id": "query", "name": name, "birth_date": birth_date, "nationality": nationality}
    return record_from_row(row, 0)
