"""Airline messages, round four (invented names throughout): group PNRs, the document's full
name, contacts written two ways, placeholder contacts, masked cards, and contacts an agency
gives for every booking."""

from __future__ import annotations

import pytest

from airline_loading import load_airline
from ftfhub.domain import Payment, RecordData, Relation
from ftfhub.ingest.edifact.pnr_links import address_key, card_key, email_key, phone_key
from ftfhub.ingest.pnrgov import read_pnrgov_text


def _person(
    r: RecordData,
) -> tuple[str, tuple[str, ...], str, str, str | None, tuple[str, ...]]:
    birth = r.birth_dates[0].iso() if r.birth_dates else ""
    docs = tuple(f"{d.text()}:{d.expiry}" for d in r.documents)
    names = tuple(n.full for n in r.names)
    return r.record_id, names, birth, "".join(r.nationalities), r.gender, docs


def _links(r: RecordData) -> set[tuple[str, str | None]]:
    return {(x.kind, x.target_record_id) for x in r.relations}


def test_a_group_pnr_the_documents_full_names_and_contacts_written_two_ways() -> None:
    records, errors, warnings, _ = load_airline("round4_pnrgov_group_and_links.edi")
    assert [_person(r) for r in records] == [
        # the booking says ORSOLYA and LENKE; the passports give the middle names
        ("GRP4X1-1", ("ORSOLYA BEATRIX VELDKAMPEN",), "1992-03-03", "HU", "f",
         ("passport:HU:HA7700112:2031-03-02",)),
        ("GRP4X1-2", ("TAMAS VELDKAMPEN",), "1990-11-11", "HU", "m",
         ("passport:HU:HA7700113:2030-11-10",)),
        ("GRP4X1-3", ("ANNA LENKE QUIRINDAL",), "1988-07-21", "HU", "f",
         ("passport:HU:HA7700114:2030-07-20",)),
        ("LNK2B7-1", ("MIRA OSTWALDSEN",), "1985-02-14", "DE", "f",
         ("passport:DE:C0X11Y22Z:2032-02-13",)),
        ("MAILE5-1", ("ARVID BRENNIKOV",), "", "", None, ()),
        ("PLC3C9-1", ("SIGRUN HOLMQVARD",), "", "", None, ()),
        ("PLD4D0-1", ("PAVO ZEBRANSKI",), "", "", None, ()),
    ]  # fmt: skip
    assert not errors
    orsolya, tamas, lenke, mira, arvid, sigrun, pavo = records
    # the group's name is no traveller (before: a traveller "ZZTOURS" was screened)
    assert all("ZZTOURS" not in r.primary_name for r in records)
    assert ("group_name", "ZZTOURS") in orsolya.extra and (
        "group_seats",
        "12",
    ) in tamas.extra
    assert ("given_names", "ORSOLYA") in orsolya.extra  # the booking's name, as booked
    for r in records:
        assert r.travel is not None
        legs = [(g.flight, g.origin, g.destination, g.departure) for g in r.travel.legs]
        assert legs == [("ZZ455", "BRU", "IST", "2026-12-01T09:00")]
    assert orsolya.travel and orsolya.travel.legs[0].booking_class == "G"
    assert warnings == [
        "segment 7 (SRC): group booking GRP4X1 (ZZTOURS) holds 12 seats and names 3 "
        "traveller(s); the 9 not yet named are not in this message",
        "segment 51 (SRC): group booking GRP7E1 (ZZ SCHOOL TRIP) holds 30 seats and names 0 "
        "traveller(s); the 30 not yet named are not in this message",
    ]
    # +32 470 11 22 33 (the group's mobile) is 0470 112233 (Mira's home, national form); the
    # group's ADD and Mira's DOCA are one address written in other case and spacing
    group = {"GRP4X1-1", "GRP4X1-2", "GRP4X1-3"}
    assert _links(mira) == {("same_phone", g) for g in group} | {
        ("same_address", g) for g in group
    } | {("same_email", "MAILE5-1"), ("same_payment", "MAILE5-1")}
    assert _links(orsolya) == {
        ("travelled_with", "GRP4X1-2"),
        ("travelled_with", "GRP4X1-3"),
        ("same_phone", "LNK2B7-1"),
        ("same_address", "LNK2B7-1"),
    }
    assert Relation("same_email", "MIRA OSTWALDSEN", "LNK2B7-1") in arvid.relations
    # NONE//NONE.COM, 0000000, UNKNOWN and a card masked to its last four digits with no
    # expiry are given by both: nothing links them
    assert sigrun.relations == () and pavo.relations == ()
    assert sigrun.travel and sigrun.travel.emails == ("none@none.com",)  # kept as sent
    assert sigrun.travel.payments == (Payment("card", "CA", "XXXXXXXXXXXX4242"),)
    assert tamas.travel and lenke.travel


def test_the_documents_name_beside_the_booking_name_when_it_is_another() -> None:
    """A passport name that is not the booking name with more words (another spelling, a
    married name) stays beside it: both are screened."""
    text = _pnr(
        "SRC'RCI+ZZ:KOV001'TIF+KOVALENKOVA:I+DARIA MS:A:1'"
        "SSR+DOCS:HK:1:ZZ:::::/P/UKR/FX1100223/UKR/05MAY95/F/04MAY32/KOVALENKO/DARIYA/OLEHIVNA'"
    )
    (record,) = [r for _, r in read_pnrgov_text(text, "t.edi").records]
    assert [(n.full, n.type) for n in record.names] == [
        ("DARIA KOVALENKOVA", "primary"),
        ("DARIYA OLEHIVNA KOVALENKO", "alias"),
    ]


def test_a_contact_every_booking_gives_links_none_of_them() -> None:
    """An agency's phone on eleven bookings is the agency's: linking would draw every
    traveller to every other; it is said instead. Two bookings sharing a phone still link."""
    bookings = "".join(
        f"SRC'RCI+ZZ:AG{i:04d}'IFT+4:28::ZZ+CTCP 32 2 555 0101 ZZTRAVEL'"
        f"TIF+FENWICKSON{chr(65 + i)}:I+ODA MS:A:1'"
        for i in range(11)
    )
    bookings += (
        "SRC'RCI+ZZ:PAIR01'IFT+4:28::ZZ+CTCM 0044 7700 900777'TIF+MARLOWE:I+JUNO MS:A:1'"
        "SRC'RCI+ZZ:PAIR02'IFT+4:28::ZZ+CTCM +44 7700 900777'TIF+MARLOWE:I+EZRA MR:A:1'"
    )
    reading = read_pnrgov_text(_pnr(bookings), "agency.edi")
    records = {r.record_id: r for _, r in reading.records}
    assert len(records) == 13
    assert all(records[f"AG{i:04d}-1"].relations == () for i in range(11))
    assert _links(records["PAIR01-1"]) == {("same_phone", "PAIR02-1")}
    assert [w for w in reading.warnings if "not linked" in w] == [
        "segment 5 (SRC): phone '3225550101' is given by 11 bookings (an agency's or the "
        "airline's?); they are not linked by it"
    ]


_RUE = "12RUEDESQUENOUILLESBRUXELLES1000"


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        (phone_key, "00447700900123", "447700900123"),
        (phone_key, "0000000", None),
        (phone_key, "1234567", None),
        (phone_key, "12345", None),
        (email_key, " Mira.Ostwald@Example.ORG ", "mira.ostwald@example.org"),
        (email_key, "noemail@example.org", None),
        (email_key, "x@none.com", None),
        (email_key, "not an address", None),
        (address_key, "12 Rue des  Quenouilles, Bruxelles, BE, 1000", _RUE),
        (address_key, "12 RUE DES QUENOUILLES, BRUXELLES, 1000", _RUE),
        (address_key, "UNKNOWN", None),
        (address_key, "N/A, NA", None),
        (address_key, "", None),
    ],
)  # fmt: skip
def test_contact_keys(key: object, value: str, expected: str | None) -> None:
    assert callable(key) and key(value) == expected


def test_card_keys_need_enough_of_the_card() -> None:
    assert card_key(Payment("card", "VI", "XXXXXXXXXXXX1111")) is None
    assert card_key(Payment("card", "VI", "XXXXXXXXXXXX1111"), "0728") == "VI:1111:0728"
    assert card_key(Payment("card", "VI", "411111XXXXXX1111")) == "VI:4111111111:"
    assert card_key(Payment("card", "VI", "XXXXXXXXXXXXXXXX"), "0728") is None


def _pnr(body: str) -> str:
    return (
        "UNA:+.? 'UNB+IATA:1+ZZ+BEPIU+261201:0600+R4'UNH+1+PNRGOV:15:1:IA+X'MSG+:22'"
        "TVL+011226:0900:011226:1130+BRU+IST+ZZ+455'" + body + "UNT+2+1'UNZ+1+R4'"
    )


def test_two_travellers_given_one_reference_are_both_loaded() -> None:
    """Before, the second was refused as "traveller 'HEX001-1' appears twice" (a person lost
    to a sender's numbering); a TIF repeated whole is read once."""
    reading = read_pnrgov_text(
        _pnr(
            "SRC'RCI+ZZ:HEX001'TIF+LINDQVARN:I+ELSA MS:A:1'"
            "SSR+DOCS:HK:1:ZZ:::::/P/SWE/SE7700123/SWE/02FEB90/F/01FEB31/LINDQVARN/ELSA'"
            "TIF+LINDQVARN:I+OSKAR MR:A:1'"
            "SSR+DOCS:HK:1:ZZ:::::/P/SWE/SE7700124/SWE/09SEP88/M/08SEP31/LINDQVARN/OSKAR'"
            "TIF+LINDQVARN:I+OSKAR MR:A:1'"
            "TVL+011226:0900:011226:1130+BRU+IST+ZZ+455:Y'"
        ),
        "refs.edi",
    )
    assert [_person(r) for _, r in reading.records] == [
        ("HEX001-1", ("ELSA LINDQVARN",), "1990-02-02", "SE", "f",
         ("passport:SE:SE7700123:2031-02-01",)),
        ("HEX001-1-2", ("OSKAR LINDQVARN",), "1988-09-09", "SE", "m",
         ("passport:SE:SE7700124:2031-09-08",)),
    ]  # fmt: skip
    assert not reading.errors
    assert reading.warnings == [
        "segment 9 (TIF): reference 1 is already ELSA LINDQVARN's; OSKAR LINDQVARN is read as "
        "traveller 1-2",
        "segment 11 (TIF): repeats traveller 1 (OSKAR LINDQVARN); read once",
    ]
    (_, elsa), (_, oskar) = reading.records
    assert _links(elsa) == {("travelled_with", "HEX001-1-2")}
    assert oskar.travel and [g.flight for g in oskar.travel.legs] == ["ZZ455"]


def test_ssr_docs_text_in_an_element_of_its_own_or_missing() -> None:
    """`SSR+DOCS:HK:1:ZZ+::1+/P/…`: the text was looked for in the first element only, and
    the passport, birth date and nationality were lost without a word."""
    reading = read_pnrgov_text(
        _pnr(
            "SRC'RCI+ZZ:HEX002'TIF+MORVANEC:I+YANN MR:A:1'"
            "SSR+DOCS:HK:1:ZZ+::1+/P/FRA/19FX77001/FRA/12DEC79/M/11DEC29/MORVANEC/YANN'"
            "TIF+MORVANEC:I+GWEN MS:A:2'SSR+DOCS:HK:1:ZZ+::2'"
        ),
        "docs.edi",
    )
    assert [_person(r) for _, r in reading.records] == [
        ("HEX002-1", ("YANN MORVANEC",), "1979-12-12", "FR", "m",
         ("passport:FR:19FX77001:2029-12-11",)),
        ("HEX002-2", ("GWEN MORVANEC",), "", "", None, ()),
    ]  # fmt: skip
    assert reading.warnings == ["segment 10 (SSR DOCS): no free text (/…/…); nothing to read"]
