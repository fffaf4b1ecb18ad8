"""PNRGOV: every sample of shared/data/airline/pnrgov parses with each traveller, document
and leg; the malformed ones load what can be read and report the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from acting import ingest_with as ingest_file
from ftfhub.domain import Document, Payment, RecordData, Relation
from ftfhub.ingest.edifact.reading import MessageReading
from ftfhub.ingest.pnrgov import read_pnrgov_text

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline" / "pnrgov"


def _reading(name: str) -> MessageReading:
    path = SAMPLES / name
    return read_pnrgov_text(path.read_text("utf-8"), name)


def _records(name: str) -> list[RecordData]:
    reading = _reading(name)
    assert reading.errors == [], reading.errors
    return [record for _, record in reading.records]


Person = tuple[str, str, str, str, str | None, tuple[str, ...]]


def _person(r: RecordData) -> Person:
    """(record id, name, birth date, nationality, gender, documents)."""
    birth = r.birth_dates[0].iso() if r.birth_dates else ""
    docs = tuple(f"{d.text()}:{d.expiry}" for d in r.documents)
    return r.record_id, r.primary_name, birth, "".join(r.nationalities), r.gender, docs


def _legs(r: RecordData) -> list[tuple[str, str, str, str, str]]:
    assert r.travel is not None
    return [(g.flight, g.origin, g.destination, g.departure, g.seat) for g in r.travel.legs]


def test_two_pnrs_with_split_history_and_shared_card() -> None:
    smith, jones, wayne, cooper = _records("gtas-loader__2_pnrs_basic.edi")
    assert [_person(r) for r in (smith, jones, wayne, cooper)] == [
        (
            "MFN4TI-1",
            "JOHN SMITHJR",
            "1964-07-12",
            "GB",
            "m",
            ("passport:GB:123456789:2019-08-23",),
        ),
        ("MFN4TI-2", "WILLIAM JONES", "1964-07-12", "GB", "m", ()),  # DOCS without a document
        ("23456-1", "JOHN WAYNE", "1912-07-12", "GB", "m", ("passport:GB:123456789:2015-08-23",)),
        ("23456-2", "GARY COOPER", "1915-07-12", "GB", "m", ("passport:GB:987654321:2013-01-15",)),
    ]
    assert _legs(smith) == [
        ("DL324", "LHR", "JFK", "2010-12-12T09:15", "15A"),
        ("DL330", "JFK", "YVR", "2010-12-12T22:00", "15E"),
    ]
    assert [leg[4] for leg in _legs(jones)] == ["15B", "15F"]
    assert [leg[4] for leg in _legs(wayne)] == ["17A", "17E"]
    assert [leg[4] for leg in _legs(cooper)] == ["15A", "17F"]  # check-in (SSD) beats SSR SEAT
    assert [n.full for n in smith.names] == ["JOHN SMITHJR", "MRJONATHON ROBERT SMITHJR"]
    assert smith.travel is not None and wayne.travel is not None
    assert smith.travel.booking_reference == "MFN4TI"
    assert (smith.travel.ticket_number, smith.travel.fare) == ("0062120234533", "2957.94 GBP")
    assert smith.travel.payments == (Payment("card", "VI", "XXXXXXXX1186"),)
    assert "00441753637285" in smith.travel.phones and "7705632891" in smith.travel.phones
    assert "45 HIGHSTREET, SLOUGH, BERKSHIRE, SL1AA, GB" in smith.travel.addresses
    # `ADD++702:351 LANDSDOWN ROAD:SLOUGH:BERKSHIRE::GB::SL1AA`: the postcode one place late
    assert wayne.travel.addresses == ("351 LANDSDOWN ROAD, SLOUGH, BERKSHIRE, SL1AA, GB",)
    assert ("split_locator", "DL:ABCDEF") in smith.extra
    # the history (ABI … TIF WAYNE JONMR) is history, never a fifth traveller
    assert any("JONMR" in text for key, text in wayne.extra if key == "history")
    assert set(smith.relations) == {
        Relation("travelled_with", "WILLIAM JONES", "MFN4TI-2"),
        Relation("same_payment", "JOHN WAYNE", "23456-1"),
    }
    assert Relation("same_payment", "WILLIAM JONES", "MFN4TI-2") in wayne.relations
    assert all(
        r.target_record_id != "23456-1" for r in cooper.relations if r.kind != "travelled_with"
    )


def test_adult_with_infant_each_gets_their_own_docs() -> None:
    adult, infant = _records("gtas-loader__adult_and_infant.edi")
    assert [_person(r) for r in (adult, infant)] == [
        (
            "XXXYET-1.1",
            "TESTNAMEONE TESTSURNAMEONE",
            "1976-05-30",
            "CO",
            "f",
            ("passport:CO:52263000:2015-10-31",),
        ),
        (
            "XXXYET-2.1",
            "TESTNAMETWO TESTSURNAMETWO",
            "2011-08-10",
            "CO",
            "f",
            ("passport:CO:AO234000:2022-12-21",),
        ),
    ]
    assert adult.travel is not None and infant.travel is not None
    assert (adult.travel.infant, infant.travel.infant) == (False, True)
    assert adult.travel.booked_on == "2013-04-30"
    route = [("AM709", "BOG", "MEX"), ("AM445", "MEX", "CUN"), ("AM718", "CUN", "BOG")]
    assert [leg[:3] for leg in _legs(adult)] == route == [leg[:3] for leg in _legs(infant)]
    assert infant.relations == (
        Relation("travelled_with", "TESTNAMEONE TESTSURNAMEONE", "XXXYET-1.1"),
    )


@pytest.mark.parametrize("name", ["gtas-loader__codeshare.edi", "gtas-parsers__pnrMessagePg75.txt"])
def test_codeshare_and_the_guide_example_page_75(name: str) -> None:
    """Pg75 has typographic apostrophes for terminators and a TIF run into the ORG before
    it; codeshare has a five-character UNA. Both read whole."""
    reading = _reading(name)
    assert reading.errors == []
    park, kim = (r for _, r in reading.records)
    assert [_person(r) for r in (park, kim)] == [
        ("2LS6KP-1", "SEJOON PARK", "1972-09-10", "KR", "m", ("passport:KR:JR3364288:2016-07-05",)),
        (
            "X49V9U-3",
            "KONG CHUN KIM",
            "1957-02-15",
            "KR",
            "f",
            ("passport:KR:M17072944:2019-03-23",),
        ),
    ]
    assert park.travel is not None and kim.travel is not None
    assert (park.travel.flight, park.travel.origin, park.travel.destination) == (
        "SQ609",
        "ICN",
        "SIN",
    )
    assert _legs(park) == [("KE609", "ICN", "SIN", "2013-05-27T16:40", "39G")]
    assert _legs(kim) == [("OZ609", "ICN", "SIN", "2013-05-27T16:40", "14A")]
    assert park.travel.legs[0].operating_carrier == "SQ"
    assert (park.travel.checked_bags, kim.travel.checked_bags) == (2, 2)  # TBD at check-in
    assert ("other_locator", "KE:EDP2RW") in park.extra
    assert park.relations == ()  # two separate bookings, nothing shared
    assert reading.warnings  # the odd UNA / the run-together segments are said


def test_split_pnr() -> None:
    one, two, three = _records("gtas-loader__pnr_split.edi")
    assert [_person(r) for r in (one, two, three)] == [
        ("ICOXXX-1.1", "TESTNAMEONE TESTSURNAMEONE", "", "", None, ()),
        ("ICOXXX-2.1", "TESTNAMETWO TESTSURNAMEONE", "", "", None, ()),
        (
            "BJOXXX-1.1",
            "TESTNAMETHREE TESTSURNAMETHREE",
            "1994-10-14",
            "CO",
            "m",
            ("passport:CO:AO589000:2023-05-08",),
        ),
    ]
    assert [leg[:4] for leg in _legs(one)] == [
        ("AM498", "MTY", "LAS", "2013-05-23T10:39"),
        ("AM499", "LAS", "MTY", "2013-05-26T13:11"),
    ]
    assert [leg[:3] for leg in _legs(three)] == [("AM719", "BOG", "CUN"), ("AM718", "CUN", "BOG")]
    assert ("split_locator", "AM:ZLMXXX") in three.extra
    assert one.travel is not None and "18000025200" in one.travel.phones
    assert Relation("travelled_with", "TESTNAMETWO TESTSURNAMEONE", "ICOXXX-2.1") in one.relations


def test_guide_example_page_76() -> None:
    doron, lendrot = _records("gtas-parsers__pnrMessagePg76.txt")
    assert [_person(r) for r in (doron, lendrot)] == [
        ("35K2IO-2", "NINA DORON", "1953-02-05", "", "f", ()),
        ("35K2IO-1", "CHARLOTTE LENDROT", "1952-02-14", "", "f", ()),
    ]
    assert _legs(doron) == [("LH474", "MUC", "YUL", "2013-05-27T15:50", "")]
    assert doron.travel is not None and doron.travel.ticket_number == "3204694511"


def test_guide_example_page_77() -> None:
    (kevin,) = _records("gtas-parsers__pnrMessagePg77.txt")
    assert _person(kevin) == (
        "W9TEND-43576",
        "KEVINMICHAEL VANDENBERG",
        "1980-07-04",
        "US",
        "m",
        ("passport:US:548721687:2019-01-12",),
    )
    assert [leg[:4] for leg in _legs(kevin)] == [
        ("TZ0006", "SIN", "OOL", "2013-05-28T22:25"),
        ("TZ0005", "OOL", "SIN", "2013-05-31T09:00"),
    ]  # the TVLs in the history are not legs
    assert kevin.travel is not None
    assert kevin.travel.payments == (Payment("cash", amount="1999.99", currency="SGD"),)
    assert kevin.travel.phones == ("5555555555", "15555555555")
    assert kevin.travel.addresses == ("123 ANY STREET, LAKE TOWN, MN, 55123, US",)


def test_doco_visa() -> None:
    (charles,) = _records("gtas-parsers__pnrWithDoco.txt")
    assert _person(charles) == (
        "06A9FD-1",
        "CHARLES MUHAMMAD ACKARY",  # the passport's middle name: the booking has none
        "1948-12-26",
        "",
        "m",
        ("passport:GB:602120901:2021-01-30", "visa:LI:8675309:"),
    )
    assert [n.full for n in charles.names] == ["CHARLES MUHAMMAD ACKARY"]
    assert ("given_names", "CHARLES") in charles.extra  # the booking's, as booked
    assert [leg[:3] for leg in _legs(charles)] == [
        ("ET834", "WDH", "ADD"),
        ("ET706", "ADD", "FRA"),
        ("UA988", "FRA", "IAD"),
    ]
    assert _legs(charles)[-1][4] == "23K"
    assert charles.travel is not None
    assert charles.travel.emails == ("charles.ackary@yahoo.com",)
    assert ("birth_place", "HERE VA") in charles.extra
    assert ("visa_issued_on", "2006-12-22") in charles.extra


def test_malformed_bad_format_loads_both_travellers_and_reports_the_trailer() -> None:
    reading = _reading("gtas-parsers__pnrBadFormat.txt")
    records = [r for _, r in reading.records]
    assert [_person(r)[:5] for r in records] == [
        ("35K2IO-2", "NINA DORON", "1953-02-05", "", "f"),
        ("35K2IO-1", "CHARLOTTE LENDROT", "1952-02-14", "", "f"),
    ]
    assert [(e.line, e.field) for e in reading.errors] == [(28, "UNZ+1")]
    assert "Modify above message" in reading.errors[0].message


def test_malformed_dangling_separator_loads_the_traveller() -> None:
    """`UNA:-.? *`: `-` separates elements, `*` ends segments, and an unreleased `-` in an
    IFT's free text splits it (joined again); the trailer's reference is wrong (a warning)."""
    reading = _reading("gtas-parsers__danglingMetaCharacter.txt")
    assert reading.errors == []
    (reuben,) = (r for _, r in reading.records)
    assert _person(reuben) == (
        "BGXFR4-1",
        "REUBEN JOAQUIN SERIO",  # the passport's middle name: the booking has none
        "1994-10-20",
        "TH",
        "m",
        ("passport:TH:9173574:2028-04-20",),
    )
    assert [leg[:3] for leg in _legs(reuben)] == [
        ("VS138", "JFK", "LHR"),
        ("BA117", "LHR", "JFK"),
        ("DL441", "JFK", "MBJ"),
    ]
    assert reuben.travel is not None
    assert reuben.travel.emails == ("reuben_serio@gmail.com",)
    assert reuben.travel.checked_bags == 1
    assert reuben.travel.payments == (Payment("miscellaneous", amount="100.00", currency="GBP"),)
    assert any("UNZ" in w for w in reading.warnings)


BROKEN = (
    "UNA:+.? '"
    "UNB+IATA:1+XQ++240301:1200+77'UNH+1+PNRGOV:13:1:IA+X'MSG+:22'ORG+XQ'"
    "TVL+010324:1010:010324:1420+IST+BRU+XQ+123'EQN+2'"
    "SRC'RCI+XQ:AAA111::150224:0900'IFT+4:28::XQ+CTCM 32 470 12 34 56'"
    "TIF+DEMIR+YUSUFMR:A:1'SSR+DOCS:HK:1:XQ:::::/P/TUR/U123456/TUR/31FEB90/M/01JAN30/DEMIR/YUSUF'"
    "TIF++:A:2'SSR+DOCS:HK:1:XQ:::::/P/BEL/EH999999/BEL/01JAN80/F/01JAN30/PEETERS/AN'"
    "TVL+010324:1010::1420+IST+BRU+XQ+123:Y'"
    "SRC'RCI+XQ:BBB222::200224:1000'IFT+4:28::XQ+CTCM 32 470 12 34 56'"
    "TIF+PEETERS+AN MS:A:1'TVL+XX0324:1010::1420+IST+BRU+XQ+123:Y'"
    "UNT+20+1'UNZ+1+77'"
)


def test_faults_are_reported_by_segment_and_the_rest_loads() -> None:
    reading = read_pnrgov_text(BROKEN, "push.edi")
    records = {r.record_id: r for _, r in reading.records}
    assert set(records) == {"AAA111-1", "BBB222-1"}
    yusuf, an = records["AAA111-1"], records["BBB222-1"]
    assert yusuf.birth_dates == ()  # 31FEB90 is no date
    assert yusuf.documents == (Document("passport", "TR", "U123456", "2030-01-01"),)
    assert an.travel is not None and an.travel.legs[0].departure == ""
    faults = sorted((e.line, e.field, e.message.split(":")[0]) for e in reading.errors)
    assert [f[:2] for f in faults] == [(11, "SSR+DOCS"), (12, "TIF"), (19, "TVL")]
    messages = " ".join(e.message for e in reading.errors)
    assert "'31FEB90' is not a date" in messages and "TIF without a name" in messages
    assert "'XX0324' is not a date" in messages
    # the same phone in two bookings: linked both ways
    assert Relation("same_phone", "YUSUF DEMIR", "AAA111-1") in an.relations
    assert Relation("same_phone", "AN PEETERS", "BBB222-1") in yusuf.relations


def test_pipeline_loads_a_pnrgov_file(session: Session) -> None:
    path = SAMPLES / "gtas-loader__2_pnrs_basic.edi"
    report = ingest_file(session, path, "BE-PIU", "travel")
    assert (report.added, report.errors) == (4, [])
    again = ingest_file(session, path, "BE-PIU", "travel")
    assert (again.added, again.unchanged) == (0, 4)


def test_warnings_reach_the_ingest_rows() -> None:
    """What was irregular but still read travels with the rows, for the report to show."""
    from ftfhub.ingest.detect import parse_file

    path = SAMPLES / "gtas-parsers__pnrMessagePg75.txt"
    rows = list(parse_file(path.read_bytes(), path, "travel")[0])
    assert [r.error for r in rows] == [None, None]
    notes = [w for r in rows for w in r.warnings if w.field == "EDIFACT"]
    assert [(w.line, "TIF follows without a terminator" in w.message) for w in notes] == [
        (38, True)
    ]


MESSY = (
    "UNB+IATA:1+XQ++240301:1200+78'UNH+1+PNRGOV:17:1:IA+X'MSG+:22'ORG+XQ'"
    "TVL+050324:0700:050324:0930+BRU+IST+XQ+124'EQN+1'"
    "SRC'RCI+XQ:CCC333::010324:0800'"
    # DOCS for both travellers sent at booking level, before their TIFs (the wrong group)
    "SSR+DOCS:HK:1:XQ:::::/P/BEL/EH1234567/BEL//F//CLAES/MARIE+::2'"
    "SSR+DOCS:HK:1:XQ:::::/P/NLD/NX9988776/NLD/02FEB88//01JAN31/DEVRIES/PIETER+::1'"
    "SSR+DOCS:HK:1:XQ:::::/P/FRA/12AB34567/FRA/03MAR77/M/01JAN31/MARTIN/PAUL'"
    "TIF+DEVRIES+PIETER MR:A:1'SSR+DOCA:HK:1:XQ:::::/R/NLD/KEIZERSGRACHT 1/AMSTERDAM//1015'"
    "TIF+CLAES+MARIE MS:A:2'FOP+CA::150.00'"
    "TVL+050324:0700::0930+BRU+IST+XQ+124:Y'"
    "UNT+12+1'UNZ+1+78'"
    "TVL+060324:0700::0930+IST+BRU+XQ+125:Y'"  # a trailing segment after the end
)


def test_docs_in_the_wrong_group_missing_values_and_trailing_segments() -> None:
    reading = read_pnrgov_text(MESSY, "messy.edi")
    pieter, marie = (r for _, r in reading.records)
    assert _person(pieter) == (
        "CCC333-1",
        "PIETER DEVRIES",
        "1988-02-02",
        "NL",
        None,  # no gender in his DOCS
        ("passport:NL:NX9988776:2031-01-01",),
    )
    assert _person(marie) == ("CCC333-2", "MARIE CLAES", "", "BE", "f", ("passport:BE:EH1234567:",))
    assert pieter.travel is not None and marie.travel is not None
    assert pieter.travel.addresses == ("KEIZERSGRACHT 1, AMSTERDAM, 1015",)
    assert ("residence", "NL") in pieter.extra
    assert marie.travel.payments == (Payment("cash", amount="150.00"),)
    assert [leg[:3] for leg in _legs(marie)] == [("XQ124", "BRU", "IST")]  # not the trailing one
    (fault,) = reading.errors
    assert (fault.line, fault.field) == (11, "SSR+DOCS")
    assert "MARTIN/PAUL matches no traveller of booking CCC333" in fault.message
    assert "segment 19 (TVL): 1 segment(s) after the end of the message" in reading.warnings[-1]


def test_cli_says_what_was_irregular_in_rows_it_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A traveller read despite an irregular message is loaded, and the user is told what was
    odd and where — once, not once per traveller of the message."""
    from cli_world import set_up

    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    hub = set_up(tmp_path, {"BE-PIU": [("piu", "analyst")]})
    _, output = hub.invoke(
        "piu", "ingest", str(SAMPLES / "gtas-parsers__pnrMessagePg75.txt"), "--kind", "travel"
    )
    flat = " ".join(output.split())
    assert "2 added" in flat and "0 rejected, 1 loaded with a note" in flat
    assert flat.count("loaded, but:") == 1
    assert "line 38, field 'EDIFACT'" in flat and "TIF follows without a terminator" in flat


def test_a_push_cut_short_leaves_out_its_last_half_read_booking() -> None:
    """No UNT after the last PNR: the transfer was cut inside it (here before COOPER's
    document), so that booking is reported at its SRC and left out; the bookings before
    it load whole, and a resend stores each traveller once, complete."""
    text = (SAMPLES / "gtas-loader__2_pnrs_basic.edi").read_text("utf-8")
    cut = text[: text.index("TIF+COOPER")]
    reading = read_pnrgov_text(cut, "cut.edi")
    ids = [record.record_id for _, record in reading.records]
    assert ids == ["MFN4TI-1", "MFN4TI-2"]
    (error,) = reading.errors
    assert error.file == "cut.edi" and error.field == "SRC"
    assert "without UNT" in error.message and "left out" in error.message
    assert error.message.startswith(f"segment {error.line}")


def test_a_message_without_unt_before_the_next_unh_leaves_out_its_last_booking() -> None:
    text = (SAMPLES / "gtas-loader__2_pnrs_basic.edi").read_text("utf-8")
    head = text[: text.index("UNH")]
    unh = text[text.index("UNH") : text.index("SRC")]
    first_pnr = text[text.index("SRC") : text.index("SRC", text.index("SRC") + 3)]
    # the first message loses its UNT; the next message (UNH) begins the rest
    reading = read_pnrgov_text(head + unh + first_pnr + unh + "UNT+2+1'", "two.edi")
    assert [r.record_id for _, r in reading.records] == []
    assert reading.errors and "before segment" in reading.errors[0].message
