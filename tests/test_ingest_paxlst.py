"""PAXLST (API data): every sample of shared/data/airline/paxlst parses whole, and a message
with faults loads what it can and names the segment of each fault."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from acting import ingest_with as ingest_file
from ftfhub.domain import Document, Leg, RecordData
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.errors import IngestError
from ftfhub.ingest.paxlst import read_paxlst_text
from ftfhub.store.models import Record

# The shared development data sits beside the repository (`../shared`), in CI as here.
SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline" / "paxlst"


def _read(name: str) -> list[RecordData]:
    path = SAMPLES / name
    reading = read_paxlst_text(path.read_text("utf-8"), str(path))
    assert reading.errors == [], reading.errors
    return [record for _, record in reading.records]


def _person(r: RecordData) -> tuple[str, str, str, str | None, tuple[Document, ...]]:
    birth = r.birth_dates[0].iso() if r.birth_dates else ""
    nationality = r.nationalities[0] if r.nationalities else ""
    return r.primary_name, birth, nationality, r.gender, r.documents


def _passport(country: str, number: str, expiry: str) -> tuple[Document, ...]:
    return (Document("passport", country, number, expiry),)


def test_d02b_crew_list_on_one_line() -> None:
    """Test1: one line with `'` terminators, BGM+250 (crew), NAD+FM, a release-free D02B."""
    records = _read("gtas-loader__Test1.txt")
    doc = _passport("GB", "123456789", "2061-02-18")
    assert [_person(r) for r in records] == [
        ("Andrea Pat Steur", "1978-07-06", "GB", "f", doc),
        ("Julie Pat Adomat", "1978-07-07", "GB", "f", doc),
        ("Clifton Pat Nalek", "1978-07-08", "GB", "m", doc),
        ("Costa Pat Meissener", "1978-07-09", "GB", "m", doc),
        ("Melissa Pat Pelzing", "1978-07-10", "GB", "f", doc),
        ("Kevin Pat Merfort", "1978-07-11", "GB", "m", doc),
        ("Kari Pat Sautter", "1978-07-12", "GB", "f", doc),
        ("Jaclyn Pat Zschieschak", "1978-07-13", "GB", "f", doc),
    ]
    first = records[0]
    assert first.travel is not None
    assert (first.travel.role, first.travel.flight, first.travel.date) == (
        "crew",
        "UA0989",
        "2017-01-27",
    )
    assert first.travel.legs == (
        Leg("UA0989", "FRA", "IAD", "2017-01-27T17:25", "2017-01-28T07:10"),
    )
    assert ("surname", "Steur") in first.extra and ("birth_place", "Hartford USA") in first.extra
    assert re.fullmatch(r"UA0989-2017-01-27-[0-9a-f]{12}", first.record_id)
    assert "STEUR" not in first.record_id.upper()  # an id reveals nothing about the person
    assert len({r.record_id for r in records}) == 8


def test_a_resent_or_split_manifest_keeps_each_travellers_id() -> None:
    """Each part of a split PAXLST names its own travellers; the same traveller in another
    part or a resend gets the same id, so a reload is a new version, never a stranger's."""
    whole = _read("gtas-loader__Test1.txt")
    text = (SAMPLES / "gtas-loader__Test1.txt").read_text("utf-8")
    start = text.index("NAD+FM+++Nalek")
    end = text.index("NAD+FM+++Meissener")
    head = text[: text.index("NAD+FM+++Steur")]
    part = read_paxlst_text(head + text[start:end] + "CNT+41+1'UNT+20+1'UNZ+1+1'", "part.edi")
    (nalek,) = (r for _, r in part.records)
    assert nalek.record_id == whole[2].record_id


def test_d02b_with_its_own_separators_one_segment_a_line() -> None:
    """airline2: UNA:*.? $ — `*` separates elements, `$` ends segments, CRLF between them."""
    records = _read("gtas-loader__airline2.edi")
    expected = [
        ("DAVID BETTON", "178556534"),
        ("FRANK TRIBBLE", "130906000"),
        ("GORDON RIDER", "185723910"),
        ("RAQUEL COOLEY", "361569645"),
        ("JAVIER YOUNG", "132434347"),
        ("CARMEN ELLIOTT", "321648375"),
        ("APRIL WHITLOCK", "293312850"),
        ("DAVID WESLEY", "169177598"),
        ("MARYJANE STEWART", "179868051"),
        ("DANIEL LOWE", "153284238"),
    ]
    assert [_person(r) for r in records] == [
        (name, "1954-10-16", "US", "m", _passport("US", number, "2018-02-21"))
        for name, number in expected
    ]
    for r in records:
        assert r.travel is not None
        assert (r.travel.role, r.travel.flight, r.travel.origin, r.travel.destination) == (
            "passenger",
            "TN506",
            "BRE",
            "YEU",
        )
        assert r.travel.booking_reference == "QXGYLO"
        assert r.travel.legs[0].departure == "2014-05-11T13:40"


def test_d05b_multi_leg_flight() -> None:
    """Three TDT groups with LOC+92 routing; each traveller's journey runs MIA → CDG."""
    records = _read("gtas-loader__multiple_flight_leg_apis.txt")
    assert [_person(r) for r in records] == [
        ("TODD BARRETT", "1968-02-23", "FR", "m", _passport("FR", "YY3478621G", "2008-12-30")),
        ("KRISTIN LANG", "1960-06-06", "ES", "f", _passport("ES", "TRQWE99800", "2009-09-16")),
    ]
    travel = records[0].travel
    assert travel is not None
    assert [(leg.flight, leg.origin, leg.destination) for leg in travel.legs] == [
        ("QQ877", "MIA", "IAD"),
        ("QQ827", "IAD", "JFK"),
        ("QQ827", "JFK", "CDG"),
    ]
    assert (travel.flight, travel.origin, travel.destination, travel.date) == (
        "QQ827",
        "MIA",
        "CDG",
        "2008-07-10",
    )
    assert travel.booking_reference == "GJIO3RT"
    assert ("residence", "FR") in records[0].extra
    assert ("reference_abo", "ABC124") in records[1].extra


def test_us_variant_with_leading_spaces_and_two_segments_a_line() -> None:
    """apisMessage: the US DHS example — no NAT or DOC for these two travellers (the sample
    has none), so they load with name, gender, birth date and route only."""
    records = _read("gtas-parsers__apisMessage.txt")
    assert [_person(r) for r in records] == [
        ("MICHAEL CLARK", "1972-09-07", "", "m", ()),
        ("CHERYL CLARK", "1973-04-07", "", "f", ()),
    ]
    michael, cheryl = (r.travel for r in records)
    assert michael is not None and cheryl is not None
    assert [leg.flight for leg in michael.legs] == ["AA123", "AA124"]  # ATL → ORD → JFK
    assert [leg.flight for leg in cheryl.legs] == ["AA124"]  # boards at ORD
    assert (cheryl.origin, cheryl.destination, cheryl.booking_reference) == ("ORD", "JFK", "TYR123")
    assert ("reference_aea", "1234567890ABC") in records[0].extra


FAULTY = (
    "UNA:+.? '\n"
    "UNB+UNOA:4+AIR1+DHS+070218:1545+000006640++DHS'\n"
    "UNH+PAX001+PAXLST:D:05B:UN:IATA'\n"
    "BGM+745'\n"
    "TDT+20+XQ123+++XQ'LOC+125+IST'DTM+189:2403011540:201'LOC+87+BRU'DTM+232:2403011740:201'\n"
    "NAD+FL+++O?'NEILL:SIOBHAN'ATT+2++F'DTM+329:901332'NAT+2+IRL'\n"
    "DOC+P:110:111+PA12\n3456'DTM+36:300101'LOC+91+IRL'\n"
    "NAD+FL+++'ATT+2++M'DTM+329:850101'\n"
    "NAD+FL+++DEMIR:YUSUF:CAN'ATT+2++M'DTM+329:850101'NAT+2+QQQ'DOC+P+U7654321'\n"
    "CNT+42:3'UNT+20+PAX001'UNZ+1+000006640'"
)


def test_faults_name_their_segment_and_the_rest_loads() -> None:
    reading = read_paxlst_text(FAULTY, "flight.edi")
    records = [r for _, r in reading.records]
    assert [r.primary_name for r in records] == ["SIOBHAN O'NEILL", "YUSUF CAN DEMIR"]
    siobhan, yusuf = records
    assert siobhan.birth_dates == ()  # 901332 is no date: loaded without it
    assert siobhan.documents == (Document("passport", "IE", "PA123456", "2030-01-01"),)
    assert siobhan.nationalities == ("IE",)
    assert yusuf.nationalities == () and yusuf.documents[0].number == "U7654321"
    faults = {(e.line, e.field): e.message for e in reading.errors}
    assert set(faults) == {(11, "DTM+329"), (16, "NAD+FL"), (22, "NAT+2")}
    assert faults[(11, "DTM+329")].startswith("segment 11, element 1: '901332'")
    assert "without a birth date" in faults[(11, "DTM+329")]
    assert "no name" in faults[(16, "NAD+FL")] and "left out" in faults[(16, "NAD+FL")]
    assert "'QQQ'" in faults[(22, "NAT+2")]


def test_every_fault_is_a_row_and_abort_keeps_nothing(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "flight.edi"
    path.write_text(FAULTY, "utf-8")
    rows = list(parse_file(path.read_bytes(), path, "travel")[0])
    assert [(r.line, r.record is not None) for r in rows] == [
        (9, True),
        (11, False),
        (16, False),
        (19, True),
        (22, False),
    ]
    report = ingest_file(session, path, "BE-PIU", "travel", on_error="abort")
    assert report.aborted
    assert session.scalar(select(func.count()).select_from(Record)) == 0


def test_paxlst_needs_kind_travel(tmp_path: Path) -> None:
    path = tmp_path / "flight.edi"
    path.write_text(FAULTY, "utf-8")
    with pytest.raises(IngestError, match="--kind travel"):
        parse_file(path.read_bytes(), path, "watchlist")


def test_ingest_is_idempotent(session: Session) -> None:
    path = SAMPLES / "gtas-loader__multiple_flight_leg_apis.txt"
    first = ingest_file(session, path, "BE-PIU", "travel")
    assert (first.added, first.errors) == (2, [])
    again = ingest_file(session, path, "BE-PIU", "travel")
    assert (again.added, again.new_versions, again.unchanged) == (0, 0, 2)
    stored = session.scalars(select(Record).order_by(Record.source_id)).all()
    loaded = RecordData.from_json(stored[0].data)
    assert loaded.travel is not None and len(loaded.travel.legs) == 3
    assert loaded.documents[0].expiry == "2008-12-30"


def test_cli_ingests_a_paxlst_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end: `ftfhub ingest --kind travel sample.edi` as a user types it."""
    from cli_world import set_up

    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    hub = set_up(tmp_path, {"BE-PIU": [("piu", "analyst")]})
    sample = SAMPLES / "gtas-loader__airline2.edi"
    output = hub.run("piu", "ingest", str(sample), "--kind", "travel")
    assert "10 added" in output
    faulty = tmp_path / "faulty.edi"
    faulty.write_text(FAULTY, "utf-8")
    _, output = hub.invoke("piu", "ingest", str(faulty), "--kind", "travel")
    output = " ".join(output.split())  # the terminal wraps long lines
    assert "line 11, field 'DTM+329': segment 11, element 1" in output
    assert "2 added" in output and "3 rejected" in output
    assert "Traceback" not in output


def test_a_message_cut_short_leaves_out_its_last_half_read_traveller() -> None:
    """No UNT after the last traveller: the transfer was cut, and that traveller may have
    lost its document; it is reported at its NAD and left out, so the full message sent
    again stores it once, complete (not a half traveller beside it)."""
    text = (SAMPLES / "gtas-loader__Test1.txt").read_text("utf-8")
    start = text.index("NAD+FM+++Nalek")
    cut = text[: text.index("DTM+329:780708'", start) + len("DTM+329:780708'")]
    reading = read_paxlst_text(cut, "cut.edi")
    names = [record.primary_name for _, record in reading.records]
    assert names == ["Andrea Pat Steur", "Julie Pat Adomat"]
    (error,) = reading.errors
    assert error.file == "cut.edi" and error.field == "NAD+FM"
    assert "without UNT" in error.message and "left out" in error.message
    assert error.message.startswith(f"segment {error.line}")
    whole = _read("gtas-loader__Test1.txt")
    assert [r.record_id for _, r in reading.records] == [r.record_id for r in whole[:2]]


def test_a_message_with_its_counts_but_no_unt_loads_with_a_warning() -> None:
    text = (SAMPLES / "gtas-loader__Test1.txt").read_text("utf-8")
    cut = text[: text.index("UNT+")]
    reading = read_paxlst_text(cut, "cut.edi")
    assert reading.errors == []
    assert len(reading.records) == 8
    assert any("without UNT" in warning for warning in reading.warnings)
