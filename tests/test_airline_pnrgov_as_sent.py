"""PNRGOV pushes as reservation systems send them, written from the PNRGOV implementation
guide and AIRIMP (invented names in every fixture `sent_pnrgov_*`).

Versions 11.1 (no UNA, CR LF), 15.1 (four PNRs) and 17.1 (UNG, broken values); SSR DOCS,
DOCA, DOCO in the TIF group and DOCS misplaced in the SRC group; an infant in SSR INFT the
AIRIMP way (`SURNAME/GIVEN 02MAR26`) with its own DOCS (MI); codeshare (marketing and operating
carrier) and a partner's locator; a group PNR of six; a PNR with no TIF; cards, cash,
miscellaneous and invoice payments, two forms of payment in one FOP; tickets, fares, an EQN
split and the LTS history; free text with released `'`, `+`, `:`. Every traveller, document
and leg is asserted; what cannot be read names its segment and field, and the rest loads.
"""

from __future__ import annotations

from airline_loading import load_airline
from ftfhub.domain import Payment, RecordData
from ftfhub.ingest.errors import RowError


def _load(name: str) -> tuple[list[RecordData], list[RowError], list[str]]:
    records, errors, warnings, _ = load_airline(name)
    return records, errors, warnings


def _person(r: RecordData) -> tuple[str, str, str, str, str | None, tuple[str, ...]]:
    birth = r.birth_dates[0].iso() if r.birth_dates else ""
    docs = tuple(f"{d.text()}:{d.expiry}" for d in r.documents)
    return r.record_id, r.primary_name, birth, "".join(r.nationalities), r.gender, docs


def _legs(r: RecordData) -> list[tuple[str, str, str, str, str, str]]:
    assert r.travel is not None
    return [
        (g.flight, g.operating_carrier, g.origin, g.destination, g.departure, g.seat)
        for g in r.travel.legs
    ]


def test_a_v15_push_of_four_pnrs_as_sent() -> None:
    records, errors, warnings = _load("sent_pnrgov_v15_four_pnrs.edi")
    assert [_person(r) for r in records] == [
        ("K7QX2P-1", "ARABELLA JUNE QUILLFEATHER", "1969-04-12", "GB", "f",
         ("passport:GB:533900998:2030-01-15",)),
        ("K7QX2P-1-INF", "TOBIAS QUILLFEATHER", "2026-03-02", "GB", "m",
         ("passport:GB:533900999:2031-03-01",)),
        ("K7QX2P-2", "BARNABY QUILLFEATHER", "1967-10-03", "GB", "m",
         ("passport:GB:533900997:2028-05-20", "visa:BE:BEV0099123:")),
        ("M3PL9R-1", "JORIS VANDERKLOOT", "1988-06-30", "BE", "m",
         ("id_card:BE:ZZ0011223:2031-01-01",)),
        ("M3PL9R-2", "SIEN DEMEULENAERE", "1991-02-07", "", "f", ()),
        ("T0URG1-1", "EIRIK HALVORSENN", "", "", None, ()),
        ("T0URG1-2", "INGUNN HALVORSENN", "", "", None, ()),
        ("T0URG1-3", "KAJA BRATTLIEVOLD", "", "", None, ()),
        ("T0URG1-4", "TORD SKOGHEIMEN", "", "", None, ()),
        ("T0URG1-5", "LIV ANNE SKOGHEIMEN", "", "", None, ()),
        ("T0URG1-6", "OLE-MARTIN NYGAARDSVIK", "", "", None, ()),
    ]  # fmt: skip
    arabella, tobias, barnaby, joris, sien = records[:5]
    # the itinerary: a codeshare leg operated by YY with the seats of SSR SEAT, and the return
    assert _legs(arabella) == [
        ("ZZ401", "YY", "LHR", "BRU", "2026-12-01T10:00", "12A"),
        ("ZZ402", "", "BRU", "LHR", "2026-12-04T18:00", ""),
    ]
    assert _legs(barnaby)[0][-1] == "12B"
    assert _legs(joris) == [("YY7401", "ZZ", "LHR", "BRU", "2026-12-01T10:00", "")]
    assert arabella.travel and tobias.travel and joris.travel and sien.travel
    assert tobias.travel.infant and not arabella.travel.infant
    assert (arabella.travel.ticket_number, arabella.travel.fare) == ("1252345678901", "255.40 GBP")
    assert arabella.travel.emails == ("arabella.quillfeather@example.org",)
    assert arabella.travel.phones == ("447700900123",)
    assert arabella.travel.payments == (Payment("card", "VI", "XXXXXXXXXXXX1111"),)
    assert joris.travel.payments == (
        Payment("card", "AX", "XXXXXXXXXXX0005"),
        Payment("cash", amount="50.00"),
    )
    assert [p.method for p in sien.travel.payments] == ["miscellaneous"]
    assert records[-1].travel and [p.method for p in records[-1].travel.payments] == ["invoice"]
    assert ("split_locator", "ZZ:K7QX2Q") in arabella.extra
    assert ("other_locator", "YY:ABC123") in joris.extra
    assert ("birth_place", "MANCHESTER GBR") in barnaby.extra
    history = [v for k, v in arabella.extra if k == "history"]
    assert history == [
        "0/O/28/ZZ 401 Y 01DEC LHRBRU HK3/1000 1320/NN'D",
        "0/X/29/PRICE QUOTE 210.00 GBP+TAX",
    ]
    # the group: every one of the six travelled with the five others
    group = records[5:]
    for member in group:
        linked = {r.target_record_id for r in member.relations if r.kind == "travelled_with"}
        assert linked == {g.record_id for g in group} - {member.record_id}
    # the PNR with no TIF is said, with its segment; nothing is invented for it
    assert [(e.line, e.field) for e in errors] == [(65, "SRC")]
    assert "booking N0TIF1 names no traveller" in errors[0].message
    assert any("SSR INFT): infant TOBIAS QUILLFEATHER" in w for w in warnings)


def test_a_v11_push_without_una_in_crlf_lines() -> None:
    """A released apostrophe in the TIF surname and in the DOCS surname (matched to each
    other), a TIF with no given name, DOCS gender U, birth years 10 (2010) and 26 on a flight
    of 1 December 2026 with the birth on 15 December (1926: not born after the flight)."""
    records, errors, warnings = _load("sent_pnrgov_v11_crlf.edi")
    assert (errors, warnings) == ([], [])
    assert [_person(r) for r in records] == [
        ("P4Q2WX-1", "SEAMUS O'DUBHGHAILL", "2010-12-31", "IE", "m",
         ("passport:IE:PE1234567:2031-06-30",)),
        ("P4Q2WX-2", "MBEKWANI-OLUSOJI", "1926-12-15", "NG", None,
         ("passport:NG:A09911234:2029-12-12",)),
    ]  # fmt: skip
    assert {str(_legs(r)) for r in records} == {
        str([("ZZ401", "", "LHR", "BRU", "2026-12-01T10:00", "")])
    }


def test_a_v17_push_with_broken_values_loads_the_rest() -> None:
    """UNG, a TIF without any name (left out, said), 31 February in DOCS (the traveller
    loads without a birth date), an issuer `XYZ` (the passport loads without a country), a
    TVL on the 33rd (the leg loads without its departure); the second PNR is whole."""
    records, errors, _ = _load("sent_pnrgov_v17_broken.edi")
    assert [_person(r) for r in records] == [
        ("B4DD0C-2", "WENDELIN KESTRELMOOR", "", "DE", "m", ("passport:DE:C01X00T47:2030-08-15",)),
        ("B4DD0C-3", "MARGUERITE ELODIE ASHGROVE-PELL", "1970-01-01", "GB", "f",
         ("passport::ZZ123456:2030-01-01",)),
        ("C0MPL3-1", "GIDEON FAIRWEATHERLY", "1955-05-05", "US", "m",
         ("passport:US:488112233:2028-05-05",)),
    ]  # fmt: skip
    assert [(e.line, e.field) for e in errors] == [
        (10, "TIF"),
        (12, "SSR+DOCS"),
        (14, "SSR+DOCS"),
        (15, "TVL"),
    ]
    assert "'31FEB80'" in errors[1].message and "'XYZ'" in errors[2].message
    assert _legs(records[0]) == [("ZZ401", "", "LHR", "BRU", "", "")]
    assert _legs(records[2]) == [("ZZ401", "", "LHR", "BRU", "2026-12-01T10:00", "")]
