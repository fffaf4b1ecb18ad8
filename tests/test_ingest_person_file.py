"""The generic person file adapter: CSV and JSON Lines rows to Records, bad rows reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftfhub.domain import Document, PartialDate
from ftfhub.ingest.errors import IngestError
from ftfhub.ingest.person_file import read_person_file
from ftfhub.ingest.tables import ParsedRow


def _read(path: Path, kind: str = "watchlist") -> list[ParsedRow]:
    return list(read_person_file(path.read_text("utf-8"), str(path), kind))


def test_good_csv(fixtures_dir: Path) -> None:
    rows = _read(fixtures_dir / "person_good.csv")
    assert [r.error for r in rows] == [None, None, None]
    first = rows[0].record
    assert first is not None
    assert first.record_id == "P-001"
    assert first.primary_name == "Karim Samir Youssef"
    assert [(n.full, n.type, n.script) for n in first.names] == [
        ("Karim Samir Youssef", "primary", "latin"),
        ("كريم سمير يوسف", "alias", "arabic"),
        ("Kareem Sameer", "alias", "latin"),
    ]
    assert first.birth_dates == (PartialDate(1985, 3, 12, original="1985-03-12"),)
    assert first.nationalities == ("BE", "MA")
    assert first.documents == (Document("passport", "BE", "EH123456"),)
    assert first.places == ("Rue des Tilleuls 1 Brussels",)
    assert (first.handling_code, first.source_grade, first.information_grade) == ("H1", "A", "1")
    assert first.review_by is not None and first.review_by.isoformat() == "2030-01-01"
    third = rows[2].record
    assert third is not None
    assert third.birth_dates[0].iso() == "1992-07"
    assert third.gender == "f"
    assert third.handling_code == "H0"  # the default: hit/no-hit only


def test_records_get_the_kind_asked_for(fixtures_dir: Path) -> None:
    rows = _read(fixtures_dir / "person_good.csv", kind="notice")
    assert {r.record.kind for r in rows if r.record} == {"notice"}


def test_json_lines_with_lists_and_blank_lines(fixtures_dir: Path) -> None:
    rows = _read(fixtures_dir / "person_good.jsonl")
    assert [r.line for r in rows] == [1, 3]
    first, second = (r.record for r in rows)
    assert first is not None and second is not None
    assert [n.full for n in first.names] == ["Youssef Karim Samir", "يوسف كريم سمير", "Yusuf Karim"]
    assert first.nationalities == ("DE",)
    assert second.documents == (Document("passport", "SE", "AB1234567"),)


def test_bad_rows_are_reported_with_file_line_and_field(fixtures_dir: Path) -> None:
    path = fixtures_dir / "person_bad_rows.csv"
    rows = _read(path)
    errors = {r.line: r.error for r in rows if r.error}
    assert {line: (e.field, e.file) for line, e in errors.items()} == {
        3: ("birth_date", str(path)),
        4: ("name", str(path)),
        5: ("nationality", str(path)),
        6: ("gender", str(path)),
        7: ("record_id", str(path)),  # B-001 again
    }
    assert "month 13" in errors[3].message
    assert "appears twice" in errors[7].message
    assert [r.record.record_id for r in rows if r.record] == ["B-001", "B-006"]
    assert str(errors[3]).startswith(f"{path}, line 3, field 'birth_date'")


def test_missing_required_column_refuses_the_file() -> None:
    with pytest.raises(IngestError) as caught:
        list(read_person_file("record_id,full_name\nX-1,Karim Samir\n", "f.csv", "watchlist"))
    assert caught.value.line == 1
    assert "name" in caught.value.message


def test_bad_json_line_and_extra_csv_values() -> None:
    text = '{"record_id": "J-1", "name": "Karim Samir"}\n{not json}\n[1, 2]\n'
    rows = list(read_person_file(text, "f.jsonl", "watchlist"))
    assert [(r.line, r.error.field if r.error else None) for r in rows] == [
        (1, None),
        (2, "*"),
        (3, "*"),
    ]
    rows = list(read_person_file("record_id,name\nX-1,Karim,extra\n", "f.csv", "watchlist"))
    assert rows[0].error is not None and "3 values for 2 columns" in rows[0].error.message


def test_quoted_multiline_cell_keeps_file_line_numbers() -> None:
    text = 'record_id,name,address\nX-1,Karim Samir,"line one\nline two"\nX-2,Samir Karim,\nX-3,,\n'
    rows = list(read_person_file(text, "f.csv", "watchlist"))
    assert [r.line for r in rows] == [2, 4, 5]
    assert rows[2].error is not None and rows[2].error.line == 5
