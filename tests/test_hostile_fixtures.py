"""The hostile corpus (tests/fixtures/hostile/, made by make_fixtures.py): each file's exact
outcome — what loads, what is refused, and the line and field named."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from acting import ingest_with as ingest_file
from ftfhub.domain import RecordData
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.errors import IngestError
from ftfhub.ingest.tables import ParsedRow
from ftfhub.store.models import Record

HOSTILE = Path(__file__).parent / "fixtures" / "hostile"


def _parse(name: str, *, lenient: bool = False) -> tuple[list[ParsedRow], str]:
    path = HOSTILE / name
    rows, encoding = parse_file(path.read_bytes(), path, "watchlist", lenient=lenient)
    return list(rows), encoding


def _records(rows: list[ParsedRow]) -> list[RecordData]:
    return [r.record for r in rows if r.record is not None]


def _errors(rows: list[ParsedRow]) -> dict[int, tuple[str, str]]:
    return {r.error.line: (r.error.field, r.error.message) for r in rows if r.error}


def test_stray_quote_loses_only_its_own_row_and_names_the_line(session: Session) -> None:
    report = ingest_file(session, HOSTILE / "stray_quote.csv", "BE-FP", "watchlist")
    assert (report.rows_read, report.added, len(report.errors)) == (1001, 1000, 1)
    error = report.errors[0]
    assert error.line == 3 and "quote opened on this line" in error.message
    names = session.execute(select(Record.primary_name)).scalars().all()
    assert max(len(n) for n in names) < 30  # nothing swallowed into one long name


def test_turkish_windows_1254_is_read_as_turkish(session: Session) -> None:
    report = ingest_file(session, HOSTILE / "turkish_cp1254.csv", "TR-EGM", "watchlist")
    assert (report.encoding, report.added) == ("cp1254", 2)
    names = set(session.execute(select(Record.primary_name)).scalars())
    assert names == {"Yıldız Ağaoğlu", "Şükrü İnce"}


def test_utf16_without_bom_is_detected() -> None:
    rows, encoding = _parse("utf16le_no_bom.csv")
    assert encoding == "utf-16-le"
    assert [r.primary_name for r in _records(rows)] == ["Yıldız Ağaoğlu", "Şükrü İnce"]


def test_ambiguous_western_or_turkish_file_is_refused_naming_both() -> None:
    with pytest.raises(IngestError) as caught:
        _parse("ambiguous_1252_1254.csv")
    assert "cp1254" in caught.value.message and "cp1252" in caught.value.message


def test_markup_is_kept_as_text_and_escapes_and_overrides_removed() -> None:
    rows, _ = _parse("markup_escapes.csv")
    assert [r.primary_name for r in _records(rows)] == [
        "[bold]x[/x] [31mRed",
        "Karim ridaS",
        "Samir [link=file:///etc/passwd]Youssef[/link]",
    ]


def test_formula_cells_load_as_text() -> None:
    rows, _ = _parse("formula_cells.csv")
    records = _records(rows)
    assert records[0].primary_name == '=HYPERLINK("http://example.invalid","x")'
    assert records[1].places == ("=cmd|' /C calc'!A0",)
    assert records[3].places == ("Tabbed",)  # a leading tab is white space, trimmed


def test_zero_width_characters_neither_split_names_nor_make_new_ids() -> None:
    rows, _ = _parse("zero_width.csv")
    assert [r.primary_name for r in _records(rows)] == ["Abdelkader Testname"]
    assert _errors(rows) == {3: ("record_id", "'z1' appears twice")}


@pytest.mark.parametrize("name", ["semicolon.csv", "tab.tsv"])
def test_semicolon_and_tab_delimiters_are_detected(name: str) -> None:
    rows, _ = _parse(name)
    records = _records(rows)
    assert len(records) == 1 and records[0].birth_dates[0].year == 1980


def test_misspelt_column_names_the_closest_known_one() -> None:
    with pytest.raises(IngestError) as caught:
        _parse("unknown_column.csv")
    assert (caught.value.line, caught.value.field) == (1, "birthdate")
    assert "did you mean 'birth_date'" in caught.value.message


def test_implausible_values_are_refused_by_one_validation() -> None:
    rows, _ = _parse("bad_values.csv")
    assert {line: field for line, (field, _) in _errors(rows).items()} == {
        2: "birth_date",
        3: "birth_date",
        4: "birth_date",
        5: "nationality",
        6: "nationality",
        7: "nationality",
        8: "documents",
        9: "source_grade",
        10: "information_grade",
        11: "record_id",
    }
    (good,) = _records(rows)
    assert good.nationalities == ("BE",) and good.documents[0].country == "BE"  # alpha-3 read


def test_manifest_missing_its_name_column_is_told_its_own_column() -> None:
    with pytest.raises(IngestError) as caught:
        _parse("manifest_no_name.csv")
    assert "passenger_name" in caught.value.message


def test_query_with_bad_values_is_still_screened_on_the_rest() -> None:
    rows, _ = _parse("query_bad_values.csv", lenient=True)
    assert [r.record_id for r in _records(rows)] == ["q1", "q2", "q3"]
    warned = {w.line: w.field for r in rows for w in r.warnings}
    assert warned == {2: "birth_date", 3: "birth_date", 4: "nationality"}
    assert _errors(rows) == {5: ("name", "is required and empty")}
    strict, _ = _parse("query_bad_values.csv")
    assert len(_records(strict)) == 0


def test_huge_field_is_refused_and_the_next_row_loads() -> None:
    rows, _ = _parse("huge_field.jsonl")
    assert [r.record_id for r in _records(rows)] == ["H-2"]
    assert "limit is 50,000" in _errors(rows)[1][1]


def test_deep_json_is_refused_without_a_traceback() -> None:
    rows, _ = _parse("deep.jsonl")
    assert [r.record_id for r in _records(rows)] == ["D-2"]
    assert "nested deeper" in _errors(rows)[1][1]
