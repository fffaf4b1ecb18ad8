"""Captured personnel forms (CSV and XLSX with Arabic labels) and the country table they use."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from ftfhub.domain import PartialDate, RecordData, Relation
from ftfhub.ingest.captured_form import (
    canonical_column,
    is_captured_form_header,
    read_captured_csv,
    read_captured_xlsx,
)
from ftfhub.ingest.countries import ambiguous_keys, to_alpha2, to_alpha2_many
from ftfhub.ingest.detect import choose_adapter, parse_file
from ftfhub.ingest.errors import IngestError
from ftfhub.ingest.tables import ParsedRow


def _rows(fixtures_dir: Path) -> dict[int, ParsedRow]:
    path = fixtures_dir / "captured_forms.csv"
    return {r.line: r for r in read_captured_csv(path.read_text("utf-8"), str(path))}


def _record(row: ParsedRow) -> RecordData:
    assert row.error is None, row.error
    assert row.record is not None
    return row.record


def test_full_form_row(fixtures_dir: Path) -> None:
    record = _record(_rows(fixtures_dir)[2])
    assert record.record_id == "F-101"
    assert record.kind == "captured_document"
    assert [(n.full, n.type, n.script) for n in record.names] == [
        ("كريم سمير يوسف", "primary", "arabic"),
        ("أبو يحيى البلجيكي", "kunya", "arabic"),
    ]
    # The mother and the recommender are other people: relations, not names of this person.
    assert record.relations == (
        Relation("mother", "أمينة"),
        Relation("recommender", "أبو خالد الشامي"),
    )
    assert record.birth_dates == (PartialDate(1985, None, None, "hijri", "١٤٠٥ هـ"),)
    assert record.nationalities == ("BE",)
    assert record.places == ("بروكسل - بلجيكا", "تل أبيض")
    assert record.remarks == "وصل مع مجموعة"
    extra = dict(record.extra)
    assert extra["entry_date"] == "2014-01-13"  # 12 Rabi' al-Awwal 1435
    assert extra["entry_date_original"] == "12/03/1435"
    assert extra["entry_point"] == "تل أبيض"
    assert extra["blood_type"] == "O+"
    assert extra["marital_status"] == "أعزب"
    assert extra["رقم الهاتف"] == "0000"  # unknown columns kept under their own header


def test_dates_and_nationalities_in_other_forms(fixtures_dir: Path) -> None:
    rows = _rows(fixtures_dir)
    second = _record(rows[3])
    assert second.birth_dates[0].iso() == "1985-03-12"
    assert second.nationalities == ("FR",)  # feminine demonym with the article
    # A Hijri year alone: 1435 AH runs from November 2013 to October 2014.
    assert dict(second.extra)["entry_date"] == "2014"
    assert dict(second.extra)["entry_date_original"] == "1435"
    third = _record(rows[4])
    assert third.birth_dates == (PartialDate(1985, None, None, "gregorian", "00/00/1985"),)
    assert third.nationalities == ("TN", "FR")
    assert third.relations == (
        Relation("mother", "نور"),
        Relation("recommender", "أبو يحيى البلجيكي"),
    )
    fourth = _record(rows[5])
    assert fourth.birth_dates == (PartialDate(1984, 12, 4, "hijri", "1405-03-12 AH"),)
    assert fourth.nationalities == ("SY",)


def test_bad_rows_name_line_and_column(fixtures_dir: Path) -> None:
    errors = {line: r.error for line, r in _rows(fixtures_dir).items() if r.error}
    assert sorted(errors) == [6, 7]  # line 8 has no name but a kunya: kept, kunya first
    assert errors[6].field == "birth_date (تاريخ الميلاد)"
    assert "not a real date" in errors[6].message
    assert errors[7].field == "nationality (الجنسية)"
    assert "مريخي" in errors[7].message
    assert errors[7].file.endswith("captured_forms.csv")
    kunya_only = _rows(fixtures_dir)[8].record
    assert kunya_only is not None and kunya_only.names[0].type == "kunya"


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("الاسم", "name"),
        ("الإسم", "name"),
        (" الاسم ", "name"),
        ("الكنيـــة", "kunya"),  # tatweel
        ("الْكُنْيَة", "kunya"),  # harakat
        ("الكنيه", "kunya"),  # ha for ta marbuta
        ("اسم الام", "mother_name"),
        ("اسم  الأم", "mother_name"),
        ("اسمالأم", "mother_name"),
        ("المزكى", "recommender"),
        ("تاريخ الميلاد والجنسية", "birth_date_nationality"),
        ("Mother Name", "mother_name"),
        ("form_id", "form_id"),
        ("الاسم (name)", "name"),
        ("Kunya", "kunya"),
        ("لون العينين", None),
    ],
)
def test_header_matching_is_tolerant(header: str, key: str | None) -> None:
    assert canonical_column(header) == key


def test_header_detection() -> None:
    assert is_captured_form_header(["رقم الاستمارة", "الاسم"])
    assert is_captured_form_header(["name", "kunya"])
    assert not is_captured_form_header(["record_id", "name", "birth_date"])
    assert not is_captured_form_header(["record_id", "name", "ملاحظات"])
    assert choose_adapter("form_id,name,mother_name\nF-1,Karim,Amina\n") == "captured_form"
    assert choose_adapter("record_id,name\nX-1,Karim\n") == "person_file"


def test_english_keys_and_combined_birth_and_nationality() -> None:
    text = (
        "form_id,name,kunya,birth_date_nationality,gender\n"
        "F-1,Karim Samir,Abu Umar / أبو عمر,1985 بلجيكي,ذكر\n"
        "F-2,Samir Karim,,مواليد ١٤٠٥ هـ - سوري,\n"
        "F-3,Youssef Karim,,تونسي,\n"
    )
    rows = list(read_captured_csv(text, "f.csv"))
    first, second, third = (_record(r) for r in rows)
    assert [n.type for n in first.names] == ["primary", "kunya", "kunya"]
    assert first.names[0].script == "latin" and first.names[2].script == "arabic"
    assert first.birth_dates[0].year == 1985 and first.nationalities == ("BE",)
    assert first.gender == "m"
    assert second.birth_dates == (PartialDate(1985, None, None, "hijri", "١٤٠٥ هـ"),)
    assert second.nationalities == ("SY",)
    assert third.birth_dates == () and third.nationalities == ("TN",)


def test_record_id_defaults_to_the_line_and_duplicates_are_reported() -> None:
    text = "الاسم,رقم الاستمارة\nكريم سمير,\nسمير كريم,F-9\nيوسف كريم,F-9\n"
    rows = list(read_captured_csv(text, "f.csv"))
    assert _record(rows[0]).record_id == "form-2"
    assert rows[2].error is not None and rows[2].error.field == "form_id"


def test_file_without_name_column_is_refused() -> None:
    with pytest.raises(IngestError) as caught:
        list(read_captured_csv("الكنية,الجنسية\nأبو عمر,بلجيكي\n", "f.csv"))
    assert "name" in caught.value.message and caught.value.line == 1


def _write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.create_sheet("ignored").append(["الاسم"])
    book.save(path)
    return path


def test_xlsx_form(tmp_path: Path) -> None:
    path = _write_xlsx(
        tmp_path / "forms.xlsx",
        [
            [],  # a blank row above the header, as typed-up sheets often have
            ["رقم الاستمارة", "الاسم", "الكنية", "تاريخ الميلاد", "الجنسية", "تاريخ الدخول"],
            ["F-201", "كريم سمير يوسف", "أبو عمر", datetime(1985, 3, 12), "BE", "1435"],
            ["F-202", "سمير كريم", "أبو حمزة", 1985, "فرنسي", None],
            [None, None, None, None, None, None],
            ["F-203", "يوسف كريم", None, "13/13/1985", "تونسي", None],
        ],
    )
    rows = list(read_captured_xlsx(path.read_bytes(), str(path)))
    assert [r.line for r in rows] == [3, 4, 6]  # the sheet's own row numbers
    first, second = _record(rows[0]), _record(rows[1])
    assert first.birth_dates[0].iso() == "1985-03-12"  # an Excel date cell
    assert first.nationalities == ("BE",)
    assert second.birth_dates == (PartialDate(1985, original="1985"),)  # a number cell
    assert rows[2].error is not None and rows[2].error.line == 6
    assert rows[2].error.field == "birth_date (تاريخ الميلاد)"


def test_xlsx_is_detected_from_its_bytes(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "no_suffix", [["record_id", "الاسم"], ["X-9", "كريم سمير"]])
    rows, encoding = parse_file(path.read_bytes(), path, "captured_document")
    assert encoding == "xlsx"
    record = _record(next(rows))
    assert (record.record_id, record.primary_name) == ("X-9", "كريم سمير")


def test_broken_xlsx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(IngestError) as caught:
        parse_file(path.read_bytes(), path, "captured_document")
    assert caught.value.file == str(path) and "XLSX" in caught.value.message


# --- the country table -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("BE", "BE"),
        ("be", "BE"),
        ("BEL", "BE"),
        ("D<<", "DE"),
        ("GBD", "GB"),
        ("RKS", "XK"),
        ("Belgium", "BE"),
        ("Belgian", "BE"),
        ("بلجيكا", "BE"),
        ("بلجيكي", "BE"),
        ("بلجيكية", "BE"),
        ("البلجيكي", "BE"),
        ("البلجيكيه", "BE"),
        ("الشيشاني", "RU"),
        ("العراق", "IQ"),
        ("عراقي", "IQ"),
        ("الماني", "DE"),
        ("ألمانيا", "DE"),
        ("البوسنة والهرسك", "BA"),
        ("مقدونيا الشمالية", "MK"),
        ("كوسوفي", "XK"),
        ("ترکیه", "TR"),  # Persian letters
        ("الطاجيكي", "TJ"),
        ("أمريكية", "US"),
        ("بريطاني", "GB"),
        ("الفلبيني", "PH"),
    ],
)
def test_to_alpha2(text: str, code: str) -> None:
    assert to_alpha2(text) == code


@pytest.mark.parametrize("text", ["", "XX", "XXA", "مريخي", "Atlantis"])
def test_to_alpha2_unknown(text: str) -> None:
    assert to_alpha2(text) is None


def test_to_alpha2_many() -> None:
    assert to_alpha2_many("بلجيكي / مغربي") == (("BE", "MA"), ())
    assert to_alpha2_many("بلجيكي ومغربي") == (("BE", "MA"), ())
    assert to_alpha2_many("Belgian and Moroccan") == (("BE", "MA"), ())
    assert to_alpha2_many("سوري، مريخي") == (("SY",), ("مريخي",))


# The Arab states, the EU, and the other countries foreign fighters came from.
FOCUS_COUNTRIES = """
    DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE
    AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE
    TR IR AF PK RU KZ KG TJ TM UZ GB NO CH US CA AU BA XK AL MK ID MY PH CN
"""


def test_country_table_covers_iso_and_the_countries_fighters_came_from() -> None:
    table = Path(__file__).parents[1] / "src/ftfhub/ingest/data/countries.csv"
    rows = list(csv.DictReader(table.read_text("utf-8").splitlines()))
    assert len(rows) >= 249
    assert len({r["alpha3"] for r in rows}) == len(rows)
    for row in rows:
        assert to_alpha2(row["alpha3"]) == row["alpha2"]
    demonyms = {r["alpha2"] for r in rows if r["arabic_demonyms"]}
    missing = set(FOCUS_COUNTRIES.split()) - demonyms
    assert not missing
    assert ambiguous_keys() == set()


def test_a_form_with_an_unknown_name_keeps_its_kunya(tmp_path: Path) -> None:
    from ftfhub.ingest.detect import parse_file

    path = tmp_path / "forms.csv"
    path.write_text("الاسم,الكنية,تاريخ الميلاد\nمجهول,أبو زيد الشامي,1405\n,,1990\n", "utf-8")
    rows = list(parse_file(path.read_bytes(), path, "captured_document")[0])
    assert rows[0].record is not None
    assert [n.type for n in rows[0].record.names] == ["kunya"]
    assert rows[1].error is not None and "kunya" in rows[1].error.message
