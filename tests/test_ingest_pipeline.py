"""Loading files into the store end to end: adapters, errors, encodings, idempotence, versions."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from acting import ingest_with as ingest_file
from ftfhub.ingest.errors import IngestError
from ftfhub.services.ingest import IngestReport
from ftfhub.store.models import IngestBatch, Record


def _count(session: Session, *, current_only: bool = False) -> int:
    query = select(func.count()).select_from(Record)
    if current_only:
        query = query.where(Record.superseded.is_(False))
    return int(session.execute(query).scalar_one())


def _record(session: Session, agency: str, source_id: str, version: int = 1) -> Record:
    return session.execute(
        select(Record).where(
            Record.agency_code == agency, Record.source_id == source_id, Record.version == version
        )
    ).scalar_one()


def test_person_csv_and_json_lines(session: Session, fixtures_dir: Path) -> None:
    report = ingest_file(session, fixtures_dir / "person_good.csv", "BE-FP", "watchlist")
    assert (report.rows_read, report.added, report.errors) == (3, 3, [])
    report = ingest_file(session, fixtures_dir / "person_good.jsonl", "DE-BKA", "watchlist")
    assert (report.added, report.encoding) == (2, "utf-8")
    assert _count(session) == 5
    stored = _record(session, "BE-FP", "P-001")
    assert (stored.primary_name, stored.birth_date, stored.nationalities) == (
        "Karim Samir Youssef",
        "1985-03-12",
        "BE|MA",
    )
    assert stored.data["documents"] == [{"type": "passport", "country": "BE", "number": "EH123456"}]


def test_captured_forms_with_hijri_and_unknown_day_month(
    session: Session, fixtures_dir: Path
) -> None:
    path = fixtures_dir / "captured_forms.csv"
    report = ingest_file(session, path, "HUB", "captured_document")
    assert (report.added, [e.line for e in report.errors]) == (5, [6, 7])  # 8: kunya only
    hijri = _record(session, "HUB", "F-104")
    assert hijri.kind == "captured_document"
    assert hijri.birth_date == "1984-12-04"  # converted from 12 Rabi' al-Awwal 1405
    assert hijri.data["birth_dates"][0]["calendar"] == "hijri"
    assert hijri.data["birth_dates"][0]["original"] == "1405-03-12 AH"
    assert _record(session, "HUB", "F-103").birth_date == "1985"  # from 00/00/1985
    kunyas = [n["full"] for n in _record(session, "HUB", "F-101").data["names"][1:]]
    assert kunyas == ["أبو يحيى البلجيكي"]


def test_captured_form_xlsx(session: Session, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["الاسم", "الكنية", "تاريخ الميلاد والجنسية", "اسم الأم"])
    sheet.append(["كريم سمير يوسف", "أبو يحيى البلجيكي", "1405 هـ بلجيكي", "أمينة"])
    sheet.append(["سمير كريم", "أبو حمزة", datetime(1990, 5, 1), None])
    path = tmp_path / "forms.xlsx"
    book.save(path)
    report = ingest_file(session, path, "HUB", "captured_document")
    assert (report.added, report.encoding, report.errors) == (2, "xlsx", [])
    first = _record(session, "HUB", "form-2")
    assert (first.birth_date, first.nationalities) == ("1985", "BE")
    assert first.data["relations"][0] == {
        "kind": "mother",
        "name": "أمينة",
        "target_record_id": None,
    }
    assert _record(session, "HUB", "form-3").birth_date == "1990-05-01"


def test_travel_manifest(session: Session, fixtures_dir: Path) -> None:
    report = ingest_file(session, fixtures_dir / "manifest.csv", "BE-PIU", "travel")
    assert report.added == 4
    assert [(e.line, e.field) for e in report.errors] == [(6, "birth_date"), (7, "nationality")]
    stored = _record(session, "BE-PIU", "TK1937-2014-05-02-2")
    assert stored.kind == "travel"
    assert stored.primary_name == "KARIM YOUSSEF SAMIR"
    assert stored.data["travel"] == {
        "flight": "TK1937",
        "origin": "BRU",
        "destination": "IST",
        "date": "2014-05-02",
    }


def test_skip_loads_the_good_rows_and_reports_the_bad(session: Session, fixtures_dir: Path) -> None:
    path = fixtures_dir / "person_bad_rows.csv"
    report = ingest_file(session, path, "BE-FP", "watchlist", on_error="skip")
    assert not report.aborted
    assert report.added == 2
    assert [(e.file, e.line, e.field) for e in report.errors] == [
        (str(path), 3, "birth_date"),
        (str(path), 4, "name"),
        (str(path), 5, "nationality"),
        (str(path), 6, "gender"),
        (str(path), 7, "record_id"),
    ]
    assert _count(session) == 2
    batch = session.execute(select(IngestBatch)).scalar_one()
    assert (batch.rows_read, batch.records_added, batch.rows_rejected) == (7, 2, 5)


def test_abort_stores_nothing(session: Session, fixtures_dir: Path) -> None:
    path = fixtures_dir / "person_bad_rows.csv"
    report = ingest_file(session, path, "BE-FP", "watchlist", on_error="abort")
    assert report.aborted
    assert [(e.line, e.field) for e in report.errors] == [(3, "birth_date")]
    assert _count(session) == 0
    assert session.execute(select(func.count()).select_from(IngestBatch)).scalar_one() == 0


def test_windows_1256_arabic_file_is_detected(session: Session, fixtures_dir: Path) -> None:
    raw = (fixtures_dir / "person_cp1256.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # the fixture really is not UTF-8
    report = ingest_file(session, fixtures_dir / "person_cp1256.csv", "IQ-NSS", "watchlist")
    assert (report.encoding, report.added) == ("cp1256", 2)
    stored = _record(session, "IQ-NSS", "W-001")
    assert stored.primary_name == "كريم سمير يوسف"
    assert stored.data["names"][1] == {"full": "أبو عمر", "type": "alias", "script": "arabic"}


def test_latin1_file_with_accents_is_read(session: Session, fixtures_dir: Path) -> None:
    report = ingest_file(session, fixtures_dir / "person_latin1.csv", "FR-DGSI", "watchlist")
    assert report.encoding == "cp1252" and report.added == 2
    assert _record(session, "FR-DGSI", "L-001").primary_name == "Amélie Zoé Hélène"
    assert _record(session, "FR-DGSI", "L-002").primary_name == "José Müller Ñúñez"


@pytest.mark.parametrize(
    "name", ["María Gómez Sáenz Núñez", "Søren Ærø Åsa", "Jürgen Müller", "Zoë Dupré"]
)
def test_latin1_names_are_not_mistaken_for_arabic(
    session: Session, tmp_path: Path, name: str
) -> None:
    # Read as Windows-1256, these bytes would give Arabic letters inside Latin words.
    path = tmp_path / "list.csv"
    path.write_bytes(f"record_id,name\nL-1,{name}\n".encode("latin-1"))
    report = ingest_file(session, path, "ES-CGI", "watchlist")
    assert report.encoding == "cp1252"
    assert _record(session, "ES-CGI", "L-1").primary_name == name


def test_explicit_encoding_is_used_or_refused(session: Session, fixtures_dir: Path) -> None:
    path = fixtures_dir / "person_cp1256.csv"
    report = ingest_file(session, path, "IQ-NSS", "watchlist", encoding="cp1256")
    assert report.added == 2
    with pytest.raises(IngestError) as caught:
        ingest_file(session, path, "IQ-NSS", "watchlist", encoding="utf-8")
    assert "cannot be read as utf-8" in caught.value.message


def test_garbage_bytes_are_refused_naming_file_and_line(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "garbage.csv"
    path.write_bytes(
        b"record_id,name\nX-1,Karim Samir\nX-2,\x80\x99\xa9\xae\xb0\xb1\x85\x86\x87\x89\n"
    )
    with pytest.raises(IngestError) as caught:
        ingest_file(session, path, "BE-FP", "watchlist")
    assert (caught.value.file, caught.value.line) == (str(path), 3)
    assert str(path) in str(caught.value) and "line 3" in str(caught.value)
    assert _count(session) == 0


def test_reingest_adds_nothing(session: Session, fixtures_dir: Path) -> None:
    for name, kind in (
        ("person_good.csv", "watchlist"),
        ("captured_forms.csv", "captured_document"),
        ("manifest.csv", "travel"),
    ):
        first: IngestReport = ingest_file(session, fixtures_dir / name, "HUB", kind)
        assert first.added > 0
        before = _count(session)
        again = ingest_file(session, fixtures_dir / name, "HUB", kind)
        assert _count(session) == before
        assert (again.added, again.new_versions, again.unchanged) == (0, 0, first.added)


def test_changed_row_becomes_version_2(
    session: Session, fixtures_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "list.csv"
    shutil.copy(fixtures_dir / "person_good.csv", path)
    ingest_file(session, path, "BE-FP", "watchlist")
    assert _count(session) == 3
    text = path.read_text("utf-8")
    assert "Samir Karim,1990," in text
    path.write_text(text.replace("Samir Karim,1990,", "Samir Karim,1991,"), "utf-8")
    report = ingest_file(session, path, "BE-FP", "watchlist")
    assert (report.added, report.new_versions, report.unchanged) == (0, 1, 2)
    assert _count(session) == 4
    assert _count(session, current_only=True) == 3
    old, new = _record(session, "BE-FP", "P-002", 1), _record(session, "BE-FP", "P-002", 2)
    assert (old.superseded, old.birth_date) == (True, "1990")
    assert (new.superseded, new.birth_date) == (False, "1991")
    assert new.batch_id != old.batch_id


def test_edifact_without_a_message_is_refused_and_nothing_stored(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "flight.txt"
    path.write_text("UNA:+.? 'UNB+UNOA:4+AIR1+DHS+070218:1545+000006640++DHS'", "ascii")
    with pytest.raises(IngestError, match="neither PAXLST nor PNRGOV"):
        ingest_file(session, path, "BE-PIU", "travel")
    assert _count(session) == 0


def test_unknown_kind_and_on_error_are_refused(session: Session, fixtures_dir: Path) -> None:
    path = fixtures_dir / "person_good.csv"
    with pytest.raises(IngestError, match="kind"):
        ingest_file(session, path, "BE-FP", "gossip")
    with pytest.raises(IngestError, match="on-error"):
        ingest_file(session, path, "BE-FP", "watchlist", on_error="ignore")
