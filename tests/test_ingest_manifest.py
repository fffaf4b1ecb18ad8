"""Travel manifests: MRZ names and dates, ICAO codes, travel details, and PAXLST refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from ftfhub.domain import Document, Name, PartialDate, RecordData, Travel
from ftfhub.ingest.detect import choose_adapter, parse_file
from ftfhub.ingest.errors import IngestError
from ftfhub.ingest.manifest import mrz_names, read_manifest
from ftfhub.ingest.tables import ParsedRow


def _rows(fixtures_dir: Path) -> dict[int, ParsedRow]:
    path = fixtures_dir / "manifest.csv"
    return {r.line: r for r in read_manifest(path.read_text("utf-8"), str(path))}


def _record(row: ParsedRow) -> RecordData:
    assert row.error is None, row.error
    assert row.record is not None
    return row.record


def test_mrz_passenger(fixtures_dir: Path) -> None:
    record = _record(_rows(fixtures_dir)[2])
    assert record.kind == "travel"
    assert record.record_id == "TK1937-2014-05-02-2"
    assert record.names == (
        Name("KARIM YOUSSEF SAMIR", "primary", "latin"),
        Name("SAMIR<<KARIM<YOUSSEF", "mrz", "latin"),  # as printed, fillers trimmed
    )
    assert ("surname", "SAMIR") in record.extra
    assert ("given_names", "KARIM YOUSSEF") in record.extra
    assert record.birth_dates == (PartialDate(1985, 3, 12, original="850312"),)
    assert record.gender == "m"
    assert record.nationalities == ("BE",)
    assert record.documents == (Document("passport", "BE", "EH123456"),)
    assert record.travel == Travel("TK1937", "BRU", "IST", "2014-05-02")
    assert ("seat", "12A") in record.extra  # unknown columns are kept


def test_codes_and_dates_in_other_forms(fixtures_dir: Path) -> None:
    rows = _rows(fixtures_dir)
    second = _record(rows[3])
    assert second.documents == (Document("id_card", "FR", "X1234"),)
    assert second.birth_dates[0].iso() == "1990-01-15"
    third = _record(rows[4])
    assert third.record_id == "TK1937-2014-05-02-PAX-3"  # a row id, scoped by flight and day
    assert third.nationalities == ("DE",)  # `D`, Germany's code in the MRZ
    assert third.documents[0].country == "DE"
    # A two-digit year is at most the departure year: 93 is 1993.
    assert third.birth_dates[0].iso() == "1993-07-07"
    fourth = _record(rows[5])
    assert fourth.names == (Name("Laila Karim", "primary", "latin"),)
    assert fourth.nationalities == ()  # XXA: stateless, kept as a code only
    assert ("nationality_code", "XXA") in fourth.extra
    assert fourth.documents == ()


def test_bad_rows_name_the_field(fixtures_dir: Path) -> None:
    errors = {line: r.error for line, r in _rows(fixtures_dir).items() if r.error}
    assert {line: e.field for line, e in errors.items()} == {6: "birth_date", 7: "nationality"}
    assert "not a real date" in errors[6].message
    assert "ZZZ" in errors[7].message


@pytest.mark.parametrize(
    ("printed", "parts"),
    [
        ("SAMIR<<KARIM<YOUSSEF<<<<", ("SAMIR", "KARIM YOUSSEF")),
        ("EL<SAYED<<NOUR", ("EL SAYED", "NOUR")),
        ("SAMIR", ("SAMIR", "")),
        ("<<KARIM", ("", "KARIM")),
    ],
)
def test_mrz_names(printed: str, parts: tuple[str, str]) -> None:
    assert mrz_names(printed) == parts


def _one(text: str) -> ParsedRow:
    rows = list(read_manifest("passenger_name," + text, "m.csv"))
    assert len(rows) == 1
    return rows[0]


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("gender\nKARIM<<SAMIR,Q\n", "gender"),
        ("document_type,document_number\nKARIM<<SAMIR,Z,123\n", "document_type"),
        ("issuing_country,document_number\nKARIM<<SAMIR,XYZ,123\n", "issuing_country"),
        ("origin\nKARIM<<SAMIR,BRUSSELS\n", "origin"),
        ("flight\nKARIM<<SAMIR,TK-19370000\n", "flight"),
        ("departure_date\nKARIM<<SAMIR,02/05/2014\n", "departure_date"),
        ("birth_date\n<<<<,1985\n", "passenger_name"),
        ("birth_date\n,1985\n", "passenger_name"),
    ],
)
def test_field_errors(row: str, field: str) -> None:
    parsed = _one(row)
    assert parsed.error is not None
    assert (parsed.error.field, parsed.error.line, parsed.error.file) == (field, 2, "m.csv")


def test_record_id_without_flight_and_duplicates() -> None:
    text = "passenger_name,record_id\nKARIM<<SAMIR,\nSAMIR<<KARIM,R-1\nNOUR<<AMINA,R-1\n"
    rows = list(read_manifest(text, "m.csv"))
    assert _record(rows[0]).record_id == "unknown-unknown-2"
    assert rows[2].error is not None and rows[2].error.field == "record_id"


def test_missing_passenger_name_column_is_refused() -> None:
    with pytest.raises(IngestError) as caught:
        list(read_manifest("name,flight\nKarim,TK1\n", "m.csv"))
    assert "passenger_name" in caught.value.message


def test_manifest_is_detected_from_its_header(fixtures_dir: Path) -> None:
    path = fixtures_dir / "manifest.csv"
    assert choose_adapter(path.read_text("utf-8")) == "manifest"
    rows, encoding = parse_file(path.read_bytes(), path, "travel")
    assert encoding == "utf-8"
    assert len([r for r in rows if r.record]) == 4


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (
            "UNA:+.? 'UNB+UNOA:4+AIR1+DHS+070218:1545+000006640++DHS'UNH+PAX001+PAXLST:D:05B:UN'",
            "PAXLST message with no traveller in it",
        ),
        (
            " UNB+UNOA:4+APIS*ABE+USADHS+080708:0545+123456789++USADHS'",
            "neither PAXLST nor PNRGOV",
        ),
    ],
)
def test_edifact_without_travellers_is_refused_clearly(
    tmp_path: Path, message: str, reason: str
) -> None:
    """PAXLST is read (tests/test_ingest_paxlst.py); an interchange with nothing to read in
    it is refused with a clear reason, not loaded as an empty batch."""
    path = tmp_path / "flight.edi"
    path.write_text(message, encoding="ascii")
    with pytest.raises(IngestError) as caught:
        parse_file(path.read_bytes(), path, "travel")
    assert caught.value.file == str(path)
    assert reason in caught.value.message


MANIFEST_HEADER = (
    "record_id,passenger_name,birth_date,gender,nationality,document_type,"
    "document_number,issuing_country,flight,origin,destination,departure_date\n"
)


def test_file_cut_short_is_an_error_not_a_new_short_version() -> None:
    """A transfer cut after `…-030,MA` must not store a traveller named "MA" with no date,
    document or travel (it would replace the full record of that id)."""
    full = "SN-029,DOE<<JANE,1990-01-15,F,BEL,P,EH1,BEL,SN101,BRU,IST,2026-11-29\n"
    text = MANIFEST_HEADER + full + "SN-030,MA"
    rows = list(read_manifest(text, "cut.csv"))
    assert [r.line for r in rows] == [2, 3]
    assert rows[0].record is not None and rows[0].error is None
    assert rows[1].record is None and rows[1].error is not None
    error = rows[1].error
    assert (error.file, error.line) == ("cut.csv", 3)
    assert "file cut short" in error.message


def test_short_row_in_the_middle_is_a_bad_row() -> None:
    text = MANIFEST_HEADER + "SN-030,MA\nSN-031,DOE<<JOHN,,,,,,,SN101,BRU,IST,2026-11-29\n"
    rows = list(read_manifest(text, "short.csv"))
    assert rows[0].record is None and rows[0].error is not None
    assert rows[0].error.line == 2 and "2 values for 12 columns" in rows[0].error.message
    assert "cut short" not in rows[0].error.message
    assert rows[1].record is not None
