"""Parsing you can trust: quoting, delimiters, limits, encodings and the shared validation."""

from __future__ import annotations

from datetime import date

import pytest

from ftfhub.domain import Document, Name, PartialDate, RecordData
from ftfhub.domain.validation import (
    agency_code_problem,
    clean_line,
    clean_record,
    validate_record,
)
from ftfhub.ingest.errors import IngestError
from ftfhub.ingest.person_file import read_person_file
from ftfhub.ingest.reader import decode_bytes
from ftfhub.ingest.tables import MAX_CELL_CHARS, iter_csv

TODAY = date(2026, 6, 1)


def _read(text: str) -> list[tuple[int, str | None, str | None]]:
    return [
        (r.line, r.record.record_id if r.record else None, r.error.field if r.error else None)
        for r in read_person_file(text, "f.csv", "watchlist")
    ]


def test_quote_in_an_address_may_not_swallow_rows_that_look_like_rows() -> None:
    text = 'record_id,name,address\nA-1,Karim One,"Rue 1\nA-2,Karim Two,Rue 2\nA-3,Karim Three,"\n'
    assert _read(text) == [(2, None, "*"), (3, "A-2", None), (4, None, "*")]


def test_a_quote_in_a_name_column_may_not_span_lines() -> None:
    text = 'record_id,name\nA-1,"Karim\nOne"\nA-2,Karim Two\n'
    rows = _read(text)
    assert rows[0] == (2, None, "*") and (4, "A-2", None) in rows


def test_text_after_a_closing_quote_is_an_error_on_its_line() -> None:
    assert _read('record_id,name\nA-1,"Karim" One\nA-2,Karim Two\n') == [
        (2, None, "*"),
        (3, "A-2", None),
    ]


def test_oversized_cell_is_refused() -> None:
    text = f"record_id,name\nA-1,{'x' * (MAX_CELL_CHARS + 1)}\nA-2,Karim\n"
    assert _read(text) == [(2, None, "*"), (3, "A-2", None)]


def test_an_oversized_cell_is_named_by_its_column() -> None:
    """`*: a cell is 10,799 characters long` left the user searching a wide row."""
    long = "x" * (MAX_CELL_CHARS + 1)
    (row,) = read_person_file(f"record_id,name,address\nA-1,Karim,{long}\n", "f.csv", "watchlist")
    assert row.error is not None and row.error.line == 2
    assert row.error.message.startswith("column address: the cell is 10,001 characters long")
    text = f'{{"record_id": "J-1", "name": "Karim", "remarks": "{long}"}}\n'
    (row,) = read_person_file(text, "f.jsonl", "watchlist")
    assert row.error is not None and "column remarks: the cell is 10,001" in row.error.message


def test_unclear_delimiter_is_named() -> None:
    with pytest.raises(IngestError) as caught:
        iter_csv("a,b;c\n", "f.csv")
    assert "comma and semicolon" in caught.value.message


def test_duplicate_column_is_refused() -> None:
    with pytest.raises(IngestError, match="appears twice"):
        list(read_person_file("record_id,name,name\nA,B,C\n", "f.csv", "watchlist"))


def test_json_lines_unknown_key_and_nested_object_are_row_errors() -> None:
    text = (
        '{"record_id": "J-1", "name": "Karim", "birthdate": "1980"}\n'
        '{"record_id": "J-2", "name": {"first": "Karim"}}\n'
        '{"record_id": "J-3", "name": "Karim", "x_source": "list 4"}\n'
    )
    rows = list(read_person_file(text, "f.jsonl", "watchlist"))
    assert rows[0].error is not None and rows[0].error.field == "birthdate"
    assert "birth_date" in rows[0].error.message
    assert rows[1].error is not None and "not an object" in rows[1].error.message
    assert rows[2].record is not None and rows[2].record.extra == (("source", "list 4"),)


def test_cp1252_without_turkish_letters_stays_western() -> None:
    text, encoding = decode_bytes("record_id,name\n1,José Müller\n".encode("cp1252"), "f")
    assert (encoding, text.split("\n")[1]) == ("cp1252", "1,José Müller")


def test_icelandic_letters_with_their_vowels_stay_western() -> None:
    raw = "record_id,name\n1,Sigríður Jónsdóttir\n".encode("cp1252")
    assert decode_bytes(raw, "f")[1] == "cp1252"


def test_cyrillic_read_as_western_is_refused_with_candidates() -> None:
    with pytest.raises(IngestError) as caught:
        decode_bytes("record_id,name\n1,Шамиль Тестов\n".encode("cp1251"), "f")
    assert "could be" in caught.value.message and "--encoding" in caught.value.message


def test_nul_bytes_that_are_not_utf16_are_refused() -> None:
    with pytest.raises(IngestError, match="NUL"):
        decode_bytes(b"record_id,name\n\x00\x01\x02\x03" * 3, "f")


def test_unknown_encoding_name_is_a_message() -> None:
    with pytest.raises(IngestError, match="not an encoding"):
        decode_bytes(b"x", "f", "klingon-8")


def test_clean_line_removes_invisible_and_control_characters() -> None:
    assert clean_line("Ab\u200bdel\u202e ka\x1b[31mder\u2066 ") == "Abdel ka [31mder"
    assert clean_line("Jose\u0301") == "José"  # NFC


def _record(**changes: object) -> RecordData:
    base = RecordData(record_id="R-1", kind="watchlist", names=(Name("Karim Samir"),))
    return RecordData(**{**base.__dict__, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"birth_dates": (PartialDate(1899),)}, "birth_date"),
        ({"birth_dates": (PartialDate(2026, 7),)}, "birth_date"),
        ({"nationalities": ("XX",)}, "nationality"),
        ({"documents": (Document("passport", "ZZ", "1"),)}, "documents"),
        ({"source_grade": "Z"}, "source_grade"),
        ({"information_grade": "7"}, "information_grade"),
        ({"names": (Name("x" * 501),)}, "name"),
        ({"record_id": "x" * 201}, "record_id"),
        ({"legal_basis": "x" * 201}, "legal_basis"),
        ({"remarks": "x" * 4001}, "remarks"),
        ({"extra": (("k", "x" * 4001),)}, "k"),
    ],
)
def test_validation_bounds(changes: dict[str, object], field: str) -> None:
    assert [i.field for i in validate_record(_record(**changes), TODAY)] == [field]


def test_valid_record_and_cleaning() -> None:
    record = clean_record(_record(names=(Name("Karim\u200b Samir\u202e"), Name("\u200b"))))
    assert record.names == (Name("Karim Samir"),)
    assert validate_record(_record(birth_dates=(PartialDate(2026, 6, 1),)), TODAY) == []


@pytest.mark.parametrize(("code", "ok"), [("BE-FP", True), ("", False), ("x" * 40, False)])
def test_agency_codes(code: str, ok: bool) -> None:
    assert (agency_code_problem(code) is None) is ok


def test_one_person_as_a_json_object_is_read_leniently() -> None:
    from ftfhub.ingest.person_file import read_person

    parsed = read_person(
        {
            "record_id": "q1",
            "name": "Karim\u200b Samir",
            "birth_date": "1974-01-32",
            "nationality": ["BE", "QQ"],
            "source_grade": "zz",
        },
        "request",
    )
    assert parsed.record is not None and parsed.record.primary_name == "Karim Samir"
    assert parsed.record.birth_dates == () and parsed.record.source_grade == "B"
    assert {w.field for w in parsed.warnings} == {"birth_date", "nationality", "source_grade"}
    assert parsed.record.nationalities == ("BE",)
    assert read_person({"record_id": "q2", "name": {"x": 1}}, "request").error is not None
    strict = read_person({"record_id": "q3", "name": "K", "birth_date": "1850"}, "r", lenient=False)
    assert strict.error is not None and strict.error.field == "birth_date"
