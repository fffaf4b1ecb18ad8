"""The manifest path reads only what a load needs: the stored versions of the file's own
record ids (never every record the agency holds, which grows with every flight), and stores
each Record's JSON as the asdict-based form always made it."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from acting import ingest_with as ingest_file
from ftfhub.domain import Document, Leg, Name, PartialDate, RecordData, Relation, Travel
from ftfhub.domain.record import _without_unset_optionals
from ftfhub.ingest.detect import parse_file
from ftfhub.store.models import Record
from ftfhub.store.records import SOURCE_CHUNK, current_of_sources

AIRLINE = Path(__file__).parent / "fixtures" / "airline"
HEADER = "record_id,name,birth_date,nationality\n"


def _rows(count: int, start: int = 0, name: str = "Quorvin Halbrecht") -> str:
    return "".join(f"R-{n},{name} {n},1980-01-{1 + n % 28:02d},BE\n" for n in range(start, count))


def test_current_of_sources_finds_the_current_versions_in_chunks(
    session: Session, tmp_path: Path
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(HEADER + _rows(SOURCE_CHUNK + 20))
    assert ingest_file(session, first, "BE-FP", "watchlist").added == SOURCE_CHUNK + 20
    other = tmp_path / "other.csv"
    other.write_text(HEADER + _rows(3))
    assert ingest_file(session, other, "DE-BKA", "watchlist").added == 3
    changed = tmp_path / "changed.csv"
    changed.write_text(HEADER + _rows(1, name="Quorvin Halbrechtt"))
    assert ingest_file(session, changed, "BE-FP", "watchlist").new_versions == 1

    wanted = [f"R-{n}" for n in range(SOURCE_CHUNK + 20)] + ["R-missing"]
    found = current_of_sources(session, "BE-FP", wanted)
    assert set(found) == set(wanted) - {"R-missing"}
    assert all(row.agency_code == "BE-FP" and not row.superseded for row in found.values())
    assert (found["R-0"].version, found["R-0"].primary_name) == (2, "Quorvin Halbrechtt 0")
    assert current_of_sources(session, "DE-BKA", ["R-0", "R-5"]).keys() == {"R-0"}
    assert current_of_sources(session, "BE-FP", []) == {}


def test_a_second_flight_sees_only_its_own_rows_as_new_changed_or_unchanged(
    session: Session, tmp_path: Path
) -> None:
    """The counts a manifest answers with, when the agency already holds other flights."""
    held = tmp_path / "held.csv"
    held.write_text(HEADER + _rows(40))
    assert ingest_file(session, held, "BE-PIU", "travel").added == 40
    flight = tmp_path / "flight.csv"
    flight.write_text(HEADER + _rows(5) + _rows(12, start=10, name="Ilsina Volkarenko"))
    report = ingest_file(session, flight, "BE-PIU", "travel")
    assert (report.added, report.new_versions, report.unchanged) == (0, 2, 5)
    current = session.scalars(select(Record).where(Record.superseded.is_(False))).all()
    assert len(current) == 40


def _reference_json(record: RecordData) -> dict[str, object]:
    """The stored form as `to_json` made it before it was made in one pass."""
    data: dict[str, object] = _without_unset_optionals(record, asdict(record))
    data["review_by"] = record.review_by.isoformat() if record.review_by else None
    return data


def test_to_json_is_the_asdict_form_field_for_field() -> None:
    records = []
    for path in sorted(AIRLINE.iterdir()):
        rows, _ = parse_file(path.read_bytes(), path, "travel")
        records += [row.record for row in rows if row.record is not None]
    records.append(
        RecordData(
            record_id="x1",
            kind="watchlist",
            names=(Name("Quorvin Halbrecht", "primary", "latin"),),
            birth_dates=(PartialDate(1980, None, None),),
            documents=(Document("passport", "BE", "EH1"),),
            relations=(Relation("travelled_with", "Ilsina Volkarenko", "x2"),),
            travel=Travel(flight="ZZ1", legs=(Leg(flight="ZZ1", origin="BRU"),), infant=True),
            extra=(("surname", "Halbrecht"),),
        )
    )
    assert len(records) > 20
    for record in records:
        assert record.to_json() == _reference_json(record)
        assert RecordData.from_json(record.to_json()) == record
