"""What a record id means across files: a new version never changes a Record's kind (a
travel file cannot replace a watchlist record that happens to share its id)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from acting import ingest_with as ingest_file
from ftfhub.store.models import Record

HEADER = (
    "record_id,passenger_name,birth_date,nationality,flight,origin,destination,departure_date\n"
)


def _current(session: Session, source_id: str) -> list[tuple[str, str]]:
    rows = session.scalars(
        select(Record).where(Record.source_id == source_id, Record.superseded.is_(False))
    )
    return [(row.kind, row.primary_name) for row in rows]


def _watchlist(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "watch.csv"
    path.write_text("record_id,name,birth_date\nBKA-04040,Quorvin Halbrecht,1988-02-03\n")
    assert ingest_file(session, path, "DE-BKA", "watchlist").added == 1


def test_a_travel_file_cannot_replace_a_watchlist_record(session: Session, tmp_path: Path) -> None:
    """A row without flight and date keeps its id as given: it may meet a watchlist id."""
    _watchlist(session, tmp_path)
    travel = tmp_path / "manifest.csv"
    travel.write_text(
        HEADER
        + "BKA-04040,DOE<<JANE,1990-01-15,BEL,,,,\n"
        + "T-2,ROE<<JOHN,1991-02-16,BEL,SN101,BRU,IST,2026-11-29\n"
    )
    report = ingest_file(session, travel, "DE-BKA", "travel")
    assert (report.added, report.new_versions, report.aborted) == (1, 0, False)
    (error,) = report.errors
    assert (error.file, error.line, error.field) == (str(travel), 2, "record_id")
    assert "record BKA-04040 is a watchlist record; a travel file cannot replace it" in (
        error.message
    )
    assert _current(session, "BKA-04040") == [("watchlist", "Quorvin Halbrecht")]
    assert _current(session, "SN101-2026-11-29-T-2") == [("travel", "JOHN ROE")]


def test_with_abort_a_kind_change_refuses_the_whole_file(session: Session, tmp_path: Path) -> None:
    _watchlist(session, tmp_path)
    travel = tmp_path / "manifest.csv"
    travel.write_text(
        HEADER
        + "T-1,ROE<<JOHN,1991-02-16,BEL,SN101,BRU,IST,2026-11-29\n"
        + "BKA-04040,DOE<<JANE,1990-01-15,BEL,,,,\n"
    )
    report = ingest_file(session, travel, "DE-BKA", "travel", on_error="abort")
    assert report.aborted and report.added == 0 and report.batch_id is None
    assert [e.line for e in report.errors] == [3]
    assert _current(session, "SN101-2026-11-29-T-1") == []
    assert _current(session, "BKA-04040") == [("watchlist", "Quorvin Halbrecht")]


def _manifest(path: Path, flight: str, rows: list[str]) -> Path:
    lines = [
        f"{n},{name},{birth},BEL,{flight},BRU,IST,2026-11-29\n"
        for n, name, birth in (r.split(",") for r in rows)
    ]
    path.write_text(HEADER + "".join(lines))
    return path


def test_two_manifests_row_ones_are_two_travellers(session: Session, tmp_path: Path) -> None:
    """Row ids `1`, `2` of two flights' manifests name four travellers: the second load must
    not supersede the first flight's (they would drop out of screening)."""
    first = _manifest(
        tmp_path / "sn101.csv", "SN101", ["1,DOE<<JANE,1990-01-15", "2,ROE<<JOHN,1991-02-16"]
    )
    second = _manifest(
        tmp_path / "sn202.csv", "SN202", ["1,POE<<ANNA,1985-03-17", "2,LOE<<MARK,1979-04-18"]
    )
    assert ingest_file(session, first, "BE-PIU", "travel").added == 2
    report = ingest_file(session, second, "BE-PIU", "travel")
    assert (report.added, report.new_versions, report.errors) == (2, 0, [])
    assert _current(session, "SN101-2026-11-29-1") == [("travel", "JANE DOE")]
    assert _current(session, "SN202-2026-11-29-1") == [("travel", "ANNA POE")]
    again = ingest_file(session, first, "BE-PIU", "travel")
    assert (again.added, again.new_versions, again.unchanged) == (0, 0, 2)
    corrected = _manifest(tmp_path / "sn101b.csv", "SN101", ["1,DOE<<JANE,1990-01-16"])
    fix = ingest_file(session, corrected, "BE-PIU", "travel")
    assert (fix.added, fix.new_versions) == (0, 1)
    assert _current(session, "SN202-2026-11-29-1") == [("travel", "ANNA POE")]
    assert _current(session, "SN202-2026-11-29-2") == [("travel", "MARK LOE")]


def test_an_id_already_scoped_by_flight_and_date_is_kept(tmp_path: Path) -> None:
    from ftfhub.ingest.manifest import read_manifest

    text = HEADER + "SN101-2026-11-29-030,DOE<<JANE,1990-01-15,BEL,SN101,BRU,IST,2026-11-29\n"
    (row,) = read_manifest(text, "m.csv")
    assert row.record is not None and row.record.record_id == "SN101-2026-11-29-030"
