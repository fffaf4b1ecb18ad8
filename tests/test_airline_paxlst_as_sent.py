"""PAXLST messages as carriers and service providers send them, written from the WCO/IATA/ICAO
implementation guide and the US CBP guide (invented names in every fixture `sent_paxlst_*`).

What the shared samples do not show: D02B/D12B/D15B headers, the US variant (addresses in the
traveller NAD, LOC+22, visas), crew lists (BGM 250 and the master crew list 336, EMP crew
functions, the crew member certificate AC, crew in transit DDT and non-crew COT), gender X/U,
two-digit birth years on both sides of 2000, `FNU` for no first name, release characters in
names and document numbers, segments one per line with no terminator, other separators, a
Type B envelope before the interchange, a bare message without UNB, and a character set other
than the one UNB declares. Every traveller is asserted; what cannot be read names its segment
(the row's `line`), its field and the rest loads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from airline_loading import load_airline
from ftfhub.domain import RecordData
from ftfhub.ingest.detect import parse_file

_load = load_airline


def _person(r: RecordData) -> tuple[str, str, str, str | None, tuple[str, ...]]:
    birth = r.birth_dates[0].iso() if r.birth_dates else ""
    docs = tuple(f"{d.text()}:{d.expiry}" for d in r.documents)
    return r.primary_name, birth, "".join(r.nationalities), r.gender, docs


def _trip(r: RecordData) -> tuple[str, list[tuple[str, str, str, str]]]:
    assert r.travel is not None
    legs = [(g.flight, g.origin, g.destination, g.departure) for g in r.travel.legs]
    return r.travel.role, legs


def test_us_d02b_passenger_list_with_ung_addresses_and_two_digit_years() -> None:
    """CBP D02B: UNG group, NAD+FL with the US address after the name, LOC+22 (first US
    airport), LOC+174 residence, a passport and a visa each with LOC+91 and DTM+36, a name
    with a released apostrophe, a surname alone, gender X; birth years `10` (a child: 2010)
    and `26` on a flight of December 2026 after the birth day (1926: nobody is born after
    their flight)."""
    records, errors, warnings, _ = _load("sent_paxlst_us_d02b.edi")
    assert (errors, warnings) == ([], [])
    assert [_person(r) for r in records] == [
        ("ARABELLA JUNE QUILLFEATHER", "1969-04-12", "US", "f",
         ("passport:US:512349876:2030-01-15",)),
        ("SEAMUS O'DUBHGHAILL", "2010-12-31", "IE", "m",
         ("passport:IE:PE1234567:2031-06-30", "visa:US:V00123ZZ:2027-01-01")),
        ("MBEKWANI-OLUSOJI", "1926-12-15", "NG", None, ("passport:NG:A09911234:2029-12-12",)),
    ]  # fmt: skip
    assert {str(_trip(r)) for r in records} == {
        str(("passenger", [("ZZ401", "LHR", "JFK", "2026-12-01T10:00")]))
    }
    arabella = records[0]
    assert ("clearance_airport", "JFK") in arabella.extra
    assert ("residence", "US") in arabella.extra
    assert ("surname", "QUILLFEATHER") in arabella.extra
    assert arabella.travel and arabella.travel.booking_reference == "QX7K2P"
    assert arabella.travel.legs[0].seat == "23C"


def test_crew_lists_d15b_and_master_crew_list_d12b_in_one_interchange() -> None:
    """BGM 250 (D15B, one line, CCYYMMDD dates in formats 203 and 102) and BGM 336 (D12B);
    flight crew NAD+FM with EMP CR1/CR2 and a crew member certificate (AC, not an ID card),
    crew in transit DDT, non-crew COT (its code kept), gender U, DTM+182 issue date."""
    records, errors, warnings, _ = _load("sent_paxlst_crew_lists.edi")
    assert (errors, warnings) == ([], [])
    assert [_person(r) for r in records] == [
        ("HIDDE JOOST VANTERPOOL", "1978-02-03", "NL", "m",
         ("passport:NL:NX77GH091:2031-10-01", "crew_certificate:NL:ZZC00381:2028-12-31")),
        ("ORIANE DEMARCHELIER", "1990-09-18", "FR", "f", ("id_card:FR:ZZ81KK0034:",)),
        ("PIETER KRAVENHOLM", "1985-01-01", "BE", "m", ("passport:BE:EM001122:",)),
        ("LIESEL STAUNTONBERG", "1966-11-11", "AT", None, ("passport:AT:P4411223:",)),
        ("CORDELIA WILLOUGHBAY", "1982-06-07", "GB", "f", ("passport:GB:533900112:2029-01-01",)),
    ]  # fmt: skip
    assert {_trip(r)[0] for r in records} == {"crew"}
    assert _trip(records[0])[1] == [("ZZ88", "AMS", "CDG", "2026-12-01T09:30")]
    assert _trip(records[4])[1] == [("ZZ88", "AMS", "CDG", "2026-12-01T09:30")]
    assert ("crew_function", "CR1") in records[0].extra
    assert ("crew_function", "CR2") in records[1].extra
    assert ("traveller_code", "DDT") in records[2].extra
    assert ("traveller_code", "COT") in records[3].extra
    assert ("document_issued", "533900112:2019-01-01") in records[4].extra


def test_segments_one_per_line_without_terminators_are_numbered_by_line() -> None:
    """No UNA, CR LF after each segment and no `'` at all, UNOY (UTF-8) names with dotted
    İ and Ğ; `FNU` (first name unknown) is no name; a released `:` and `+` stay in the
    name; 29 February 2000. A bad nationality on line 19 is reported as segment 19."""
    records, errors, warnings, encoding = _load("sent_paxlst_lines_unoy.edi")
    assert encoding == "utf-8"
    assert [_person(r) for r in records] == [
        ("ŞÜKRÜ İLKER YILDIRIMOĞLU", "2000-02-29", "TR", "m",
         ("passport:TR:U12345678:2030-01-01",)),
        ("MARISOLA", "1999-12-31", "", "f", ("id_card:IT:ZZ0045TR:",)),
        ("ANNE+MARIE DELACROIX:SMYTHE", "1975-05-05", "FR", "f", ("passport:FR:17ZZ90012:",)),
    ]  # fmt: skip
    assert [(e.line, e.field) for e in errors] == [(19, "NAT+2")]
    assert "'ITX' is not an ISO 3166 country code" in errors[0].message
    assert any("each line is read as one segment" in w for w in warnings)


def test_own_service_string_with_latin1_and_a_released_terminator() -> None:
    """`UNA!*,# "`: `!` between components, `*` between elements, `#` releases, `"` ends a
    segment; UNOC bytes (Ø, Å); a released `*` in a given name and a released `"` in a
    document number."""
    records, errors, warnings, encoding = _load("sent_paxlst_own_una_unoc.edi")
    assert (errors, warnings, encoding) == ([], [], "iso8859-1")
    assert [_person(r) for r in records] == [
        ("ASLÅUG M*M BJØRNSTAD", "1988-08-08", "NO", "f", ("passport:NO:220177:2029-09-09",)),
    ]
    assert _trip(records[0])[1] == [("ZZ12", "OSL", "ARN", "2026-12-01T12:00")]


@pytest.mark.parametrize(
    ("name", "declared", "read_as", "names"),
    [
        (
            "sent_paxlst_unoa_holding_utf8.edi",
            "UNOA",
            "utf-8",
            ["ŞÜKRÜ İLKER YILDIRIMOĞLU", "MARISOLA", "ANNE+MARIE DELACROIX:SMYTHE"],
        ),
        ("sent_paxlst_unoy_holding_latin1.edi", "UNOY", "cp1252", ["AMÉLIE LEFÈVRE"]),
        ("sent_paxlst_unoc_holding_utf8.edi", "UNOC", "utf-8", ["JöRG GRÜNWALDER"]),
    ],
)
def test_a_character_set_other_than_the_declared_one_is_read_and_said(
    name: str, declared: str, read_as: str, names: list[str]
) -> None:
    """UTF-8 sent under UNOA or UNOC, Latin-1 under UNOY: the names are read in what the
    bytes are (never `GRÃœNWALDER`), and the mismatch is said so an analyst checks them."""
    records, _, warnings, encoding = _load(name)
    assert encoding == read_as
    assert [r.primary_name for r in records] == names
    said = [w for w in warnings if "declares the character set" in w]
    assert len(said) == 1 and declared in said[0] and f"read as {read_as}" in said[0]


def test_a_type_b_envelope_and_a_bare_message_are_read() -> None:
    """Two teletype lines (`QU BRUAPXA` / `.ZZAIRXH 011200`) before UNA, and a message
    without UNB/UNZ (UNH … UNT), both recognised as PAXLST and read whole."""
    enveloped, errors, warnings, _ = _load("sent_paxlst_type_b_envelope.edi")
    bare, bare_errors, _, _ = _load("sent_paxlst_bare_message.edi")
    assert [_person(r) for r in enveloped] == [
        ("ITZIAR ZAMBRANOLES", "1977-07-07", "ES", None, ("passport::PAB123456:",))
    ]
    assert [_person(r) for r in bare] == [
        ("AINHOA ZAMBRANOLES", "1979-09-09", "ES", None, ("passport::PAB654321:",))
    ]
    assert errors == bare_errors == []
    assert any("transport envelope" in w and "QU BRUAPXA" in w for w in warnings)


def test_broken_values_name_segment_and_field_and_the_rest_loads() -> None:
    """A NAD with an empty name (left out, said), a gender Q, a four-digit birth date, a
    country name instead of a code, a DOC without number, an expiry on month 13, 30
    February: each reported at its segment, the travellers load without that value."""
    records, errors, _, _ = _load("sent_paxlst_broken_values.edi")
    assert [_person(r) for r in records] == [
        ("BORJA QUESADILLO", "", "", None, ("passport:ES:PAB000111:",)),
        ("NEREA ARRIZABALO", "", "ES", None, ("passport::PAB000222:",)),
    ]
    assert [(e.line, e.field) for e in errors] == [
        (8, "NAD+FL"),
        (12, "ATT+2"),
        (13, "DTM+329"),
        (14, "NAT+2"),
        (15, "DOC+P"),
        (17, "DTM+36"),
        (20, "DTM+329"),
    ]
    assert "the traveller is left out" in errors[0].message
    assert all(e.message.startswith(f"segment {e.line}") for e in errors)


def test_lines_without_terminators_and_an_unreleased_apostrophe_in_a_name() -> None:
    """One segment per line with no terminator, and an apostrophe the sender did not
    release inside a surname: it stays in the name instead of cutting the file in two."""
    records, errors, _, _ = _load("sent_paxlst_lines_unreleased_apostrophe.edi")
    assert errors == []
    assert [_person(r)[:3] for r in records] == [
        ("CAOIMHE O'RIORDAIN", "1980-01-01", "IE"),
        ("NIC GHIOLLA'", "1980-01-02", ""),
    ]


def test_a_manifest_with_a_name_line_starting_una_or_unb_stays_a_manifest(tmp_path: Path) -> None:
    """Looking past an envelope for UNA/UNB must not turn a CSV into EDIFACT: `UNAL` is a
    Turkish surname, and `UNB KARIMA` a name, not segments."""
    path = tmp_path / "manifest.csv"
    path.write_bytes(
        b"passenger_name,flight,departure_date,document_number\n"
        b"UNAL MEHMET,ZZ1,2026-12-01,U1\nUNB KARIMA,ZZ1,2026-12-01,U2\n"
    )
    rows, _ = parse_file(path.read_bytes(), path, "travel")
    names = [row.record.primary_name for row in rows if row.record is not None]
    assert names == ["UNAL MEHMET", "UNB KARIMA"]


def test_a_change_and_a_cancellation_under_the_us_guide_are_marked() -> None:
    """BGM+745+CP (changed passenger data) and BGM+745+XR (reservations cancelled) in one
    interchange: every traveller is loaded with the list's function, and a cancellation is
    said (they may not fly). A title written as a word of its own (`HUGO ALISTAIR MR`) is
    no name; a name that ends like one (`AMR`) is kept."""
    records, errors, warnings, _ = _load("sent_paxlst_us_change_and_cancel.edi")
    assert errors == []
    assert [_person(r)[:3] for r in records] == [
        ("HUGO ALISTAIR PENDLEBURY-WATTS", "1984-02-29", "GB"),
        ("SAMIR AMR", "1990-01-01", "EG"),
    ]
    assert ("list_function", "CP") in records[0].extra
    assert ("list_function", "XR") in records[1].extra
    assert any(w.startswith("segment 19 (BGM)") and "cancellation" in w for w in warnings)


def test_a_message_with_every_terminator_missing_is_read_without_running_out_of_stack() -> None:
    """All `'` lost in transfer, on one line: 2,000 travellers glued into one segment were
    split again by a recursion a frame per segment deep (RecursionError, a traceback to the
    user); they are split in a loop and every traveller is read."""
    from ftfhub.ingest.paxlst import read_paxlst_text

    head = (
        "UNA:+.? 'UNB+UNOA:4+ZZAIR+BEAPI+261201:1200+79'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
        "TDT+20+ZZ9+++ZZ'LOC+125+MAD'DTM+189:2612011200:201'LOC+87+BRU'"
    )
    body = "".join(
        f"NAD+FL+++VELARDEZ{i}:ONOFRE'DTM+329:800101'NAT+2+ESP'DOC+P+PZ{i:06d}'"
        for i in range(2000)
    )
    text = head[:9] + (head[9:] + body + "UNT+9+1'UNZ+1+79'").replace("'", "")
    reading = read_paxlst_text(text, "glued.edi")
    assert len(reading.records) == 2000
    assert reading.records[-1][1].documents[0].number == "PZ001999"
    assert any("follows without a terminator" in w for w in reading.warnings)
