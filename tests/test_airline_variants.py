"""Airline messages as the specifications allow them, beyond what the shared samples show.

Each fixture in `fixtures/airline/` is a small synthetic message (invented names) written to
one of the legal variants of the WCO/IATA PAXLST and PNRGOV implementation guides, the US
variant, or the ways real senders bend them: other separators and release characters, syntax
level B, character sets declared in UNB, several messages in one interchange, names in the
other NAD composite, CCYYMMDD dates, in-transit travellers and crew, infants on a lap, SSR
DOCS with fields left out, lower-case names with titles. Every traveller is asserted field by
field; what cannot be read names its segment and the rest loads.
"""

from __future__ import annotations

from pathlib import Path

from airline_loading import AIRLINE, load_airline
from ftfhub.domain import RecordData
from ftfhub.ingest.detect import parse_file

Person = tuple[str, str, str, str | None, tuple[str, ...]]


_load = load_airline


def _person(r: RecordData) -> Person:
    """(name, birth date, nationality, gender, documents with expiry)."""
    birth = r.birth_dates[0].iso() if r.birth_dates else ""
    docs = tuple(f"{d.text()}:{d.expiry}" for d in r.documents)
    return r.primary_name, birth, "".join(r.nationalities), r.gender, docs


def _role(r: RecordData) -> str:
    assert r.travel is not None
    return r.travel.role


def _route(r: RecordData) -> list[tuple[str, str, str]]:
    assert r.travel is not None
    return [(g.flight, g.origin, g.destination) for g in r.travel.legs]


def test_paxlst_with_its_own_separators_release_character_crlf_and_two_parts() -> None:
    """`UNA:*.\\ '` (`*` between elements, `\\` releases), CR LF after each segment, UNG, a
    list sent as two UNH messages; CCYYMMDD dates (format 102 and 203), a name as one
    `SURNAME/GIVEN` component, a name in C058 instead of C080, lower case."""
    records, errors, warnings, _ = _load("paxlst_own_separators_two_parts.edi")
    assert [_person(r) for r in records] == [
        (
            "FIONNUALA MAEVE O'DARRIGAN",
            "1985-03-12",
            "IE",
            "f",
            ("passport:IE:PX4411902:2031-04-05",),
        ),
        ("ILVIO MARCO TESSARO", "", "IT", "m", ("id_card:IT:CA00917KX:2029-01-01",)),
        ("HALDOR BRENNAVIK", "1991-11-07", "NO", "m", ("passport:NO:NQ7730021:2029-06-30",)),
        ("oisin quillane", "2001-12-25", "IE", "m", ("passport:IE:PZ0012345:",)),
    ]
    assert {_route(r)[0] for r in records} == {("ZZ771", "VIE", "BRU")}
    assert all(r.travel and r.travel.date == "2026-12-01" for r in records)
    assert ("surname", "TESSARO") in records[1].extra
    # 30 February 1979 is no date: said, with its segment; the traveller loads without it
    assert [(e.line, e.field) for e in errors] == [(25, "DTM+329")]
    assert "'790230' is not a real date" in errors[0].message
    assert any("segment 40 (NAD): the name is in element 3" in w for w in warnings)


def test_paxlst_syntax_level_b_separators_without_una() -> None:
    """UNOB: information separators IS1/IS3/IS4 between components, elements, segments."""
    records, errors, _, _ = _load("paxlst_level_b_separators.edi")
    assert errors == []
    assert [_person(r) for r in records] == [
        ("DESPINA KERAVOULI", "1988-07-04", "GR", "f", ("passport:GR:AK0093317:2030-01-15",)),
    ]
    assert _route(records[0]) == [("ZZ0772", "ATH", "BRU")]


def test_paxlst_multi_leg_transit_passengers_and_crew_in_one_interchange() -> None:
    """Two legs (LOC+92), a passenger list and a crew list in one interchange; DDU is a
    passenger in transit, DDT crew in transit; GEI, FTX, COM, CPI, QTY, EMP are read past;
    a passport and a visa each with its issuing country and expiry."""
    records, errors, warnings, _ = _load("paxlst_transit_multileg_crew.edi")
    assert [(_person(r), _role(r), _route(r)) for r in records] == [
        (
            ("SOLVEIG ASTRID VESTERGAARD", "1976-09-18", "IS", "f",
             ("passport:IS:A7730019:2031-02-20", "visa:BE:BEV001772:2027-01-01")),
            "passenger", [("ZZ881", "KEF", "BRU")],
        ),
        (
            ("OCTAVE TREMBLANC", "1969-05-01", "CA", "m", ("passport:CA:HT551023:2029-08-08",)),
            "passenger", [("ZZ880", "YUL", "KEF"), ("ZZ881", "KEF", "BRU")],
        ),
        (
            ("ADAEZE OKONKWELE", "", "NG", None, ("passport:NG:B50017732:",)),
            "passenger", [("ZZ880", "YUL", "KEF"), ("ZZ881", "KEF", "BRU")],
        ),
        (
            ("BRYNJA HALLORSDOTTIR", "1982-03-11", "IS", "f",
             ("unknown:IS:PL0091:", "passport:IS:A6610042:2030-03-03")),
            "crew", [("ZZ881", "KEF", "BRU")],
        ),
        (
            ("ROMOLO MARQUETTI", "1971-06-14", "IT", "m", ("passport:IT:YB0031177:2028-04-12",)),
            "crew", [("ZZ881", "KEF", "BRU")],
        ),
    ]  # fmt: skip
    solveig, octave = records[0], records[1]
    assert solveig.travel and solveig.travel.booking_reference == "KX9P2L"
    assert solveig.travel.legs[-1].seat == "14C"
    assert ("birth_place", "ISL AKUREYRI") in solveig.extra
    assert ("traveller_code", "DDU") in octave.extra
    assert ("traveller_code", "DDT") in records[4].extra
    assert [(e.line, e.field) for e in errors] == [(49, "DTM+329")]  # 29 Feb 1995
    assert not any("CNT" in w for w in warnings)  # 3 passengers and 2 crew, as counted


def test_paxlst_in_the_character_set_its_unb_declares() -> None:
    """UNOC (ISO 8859-1) and UNOE (ISO 8859-5, Cyrillic) bytes, no UTF-8 anywhere."""
    latin, errors, _, encoding = _load("paxlst_unoc_latin1.edi")
    assert (errors, encoding) == ([], "iso8859-1")
    assert [_person(r)[:3] for r in latin] == [
        ("RENÉE AGNÈS MÜLLENSTÄDT", "1990-01-02", "CH"),
        ("GÖKHAN ÇALISKANER", "1987-05-19", "TR"),
    ]
    cyrillic, errors, _, encoding = _load("paxlst_unoe_cyrillic.edi")
    assert (errors, encoding) == ([], "iso8859-5")
    assert [_person(r)[:3] for r in cyrillic] == [
        ("ЕРЖАНБЕК ТУРГАЛЬБЕКОВ", "1984-06-15", "KZ"),
        ("ILSINA VOLKARENKO", "1992-03-03", "KZ"),
    ]


def test_pnrgov_infants_titles_lower_case_and_docs_out_of_order() -> None:
    """Two PNRs: a lower-case booking with its title; an infant given as a second traveller
    composite of the adult's TIF (`+LUKA:INF`) with its own DOCS (MI); titles glued to the
    given name (MSTR, MISS); DOCS with a slash left out; a codeshare leg; a DOCS in the
    itinerary group; DOCO; an infant named only in SSR INFT; a split (EQN) and an LTS
    history holding a TIF that is no traveller."""
    records, errors, warnings, _ = _load("pnrgov_variants.edi")
    assert errors == []
    assert [(r.record_id, *_person(r)) for r in records] == [
        (
            "QWZ7PA-1",
            "tomas brennick",
            "1981-03-03",
            "IE",
            "m",
            ("passport:IE:PB1100234:2030-06-12",),
        ),
        (
            "QWZ7PA-2",
            "ANIKA VARDELL",
            "1987-09-19",
            "SE",
            "f",
            ("passport:SE:SA0044123:2031-01-01",),
        ),
        (
            "QWZ7PA-2-INF",
            "LUKA VARDELL",
            "2025-05-05",
            "SE",
            "m",
            ("passport:SE:SA0091777:2030-05-05",),
        ),
        ("QWZ7PA-4", "KAJ OSTRANDE", "2014-02-14", "", "m", ()),
        ("QWZ7PA-5", "JANE PELLINORE", "", "", None, ("passport:GB:Z00112233:",)),
        (
            "RTT4KM-6",
            "TARJA SUOMELA",
            "1978-11-30",
            "FI",
            "f",
            ("passport:FI:FN7700312:2029-12-01", "visa:TR:TR99120:"),
        ),
        ("RTT4KM-6-INF", "AINO SUOMELA", "2026-08-12", "", None, ()),
    ]
    infants = [r.record_id for r in records if r.travel and r.travel.infant]
    assert infants == ["QWZ7PA-2-INF", "RTT4KM-6-INF"]
    assert all(len(r.names) == 1 for r in records)  # no title or shifted field as a name
    first = records[0].travel
    assert first is not None and first.legs[0].operating_carrier == "YY"
    assert first.emails == ("anika.vardell@example.org",)
    tarja = records[5]
    assert ("split_locator", "ZZ:RTT4KN") in tarja.extra
    assert any(k == "history" and "SUOMELA" in v for k, v in tarja.extra)
    assert sum("not in AIRIMP order" in w for w in warnings) == 2
    assert any("segment 27 (SSR INFT): infant AINO SUOMELA" in w for w in warnings)


def test_pnrgov_in_the_character_set_its_unb_declares() -> None:
    records, errors, _, encoding = _load("pnrgov_unoc_latin1.edi")
    assert (errors, encoding) == ([], "iso8859-1")
    assert [_person(r) for r in records] == [
        ("JOSÉ GRÜNDLEITNER", "1979-11-11", "AT", "m", ("passport:AT:P88120034:2031-10-10",)),
    ]


def _edited(name: str, old: str, new: str, tmp_path: Path) -> Path:
    text = (AIRLINE / name).read_text("utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new), "utf-8")
    return path


def _records_of(path: Path) -> tuple[list[RecordData], list[str]]:
    rows, _ = parse_file(path.read_bytes(), path, "travel")
    found, warnings = [], []
    for row in rows:
        found += [row.record] if row.record is not None else []
        warnings += [w.message for w in row.warnings]
    return found, warnings


def test_a_traveller_under_a_qualifier_no_guide_lists_is_loaded_and_said(tmp_path: Path) -> None:
    path = _edited(
        "paxlst_transit_multileg_crew.edi", "NAD+FL+++OKONKWELE", "NAD+ZZP+++OKONKWELE", tmp_path
    )
    records, warnings = _records_of(path)
    assert "ADAEZE OKONKWELE" in [r.primary_name for r in records]
    assert any("'ZZP' is not a traveller code" in w for w in warnings)
    assert not any("CNT+42" in w for w in warnings)  # counted as one of the 3 passengers


def test_control_totals_that_differ_from_the_travellers_read_are_said(tmp_path: Path) -> None:
    path = _edited("paxlst_transit_multileg_crew.edi", "CNT+41:2'", "CNT+41:3'", tmp_path)
    records, warnings = _records_of(path)
    assert len(records) == 5
    assert any("CNT+41 counts 3 crew travellers; the message holds 2" in w for w in warnings)


def test_pnrgov_docs_address_of_a_traveller() -> None:
    records, _, _, _ = _load("pnrgov_variants.edi")
    anika = next(r for r in records if r.record_id == "QWZ7PA-2")
    assert anika.travel is not None
    assert "STORGATAN 9, MALMO, 21100" in anika.travel.addresses
    assert ("residence", "SE") in anika.extra


def test_every_variant_through_post_manifests(tmp_path: Path) -> None:
    """The API reads them as `ingest` does: every traveller stored, the declared character
    set used (a UNOE body is not UTF-8 and is still no 422), the faults and warnings said."""
    from fastapi.testclient import TestClient

    from ftfhub.api import create_app
    from ftfhub.domain.vocab import Role
    from ftfhub.services import Caller, Context, Database, identity
    from ftfhub.services.index_access import forget_live_indexes

    forget_live_indexes()
    db = Database(f"sqlite:///{tmp_path / 'api.db'}")
    admin = identity.init_hub(db)
    ctx = Context(db, Caller(admin.user, admin.agency, admin.role))
    identity.add_agency(ctx, "BE-PIU", "BE-PIU")
    token = identity.add_user(ctx, "piu-analyst", "BE-PIU", Role.ANALYST).token
    headers = {"Authorization": f"Bearer {token}", "X-Purpose": "flight check"}
    try:
        with TestClient(create_app(db, escalate_every=0)) as client:
            for path in sorted(AIRLINE.iterdir()):
                expected, errors, _, encoding = _load(path.name)
                answer = client.post(
                    "/manifests?on_error=skip", content=path.read_bytes(), headers=headers
                )
                assert answer.status_code == 200, (path.name, answer.text)
                body = answer.json()
                assert body["added"] == len(expected), path.name
                assert body["format_encoding"] == encoding
                assert len(body["rejected"]) == len(errors)
    finally:
        forget_live_indexes()
        db.dispose()


def test_a_later_part_that_does_not_repeat_the_flight_is_on_the_flight_before(
    tmp_path: Path,
) -> None:
    flight = "TDT*20*ZZ771***ZZ'\nLOC*125*VIE'\nDTM*189:202612011030:203'\n"
    flight += "LOC*87*BRU'\nDTM*232:202612011245:203'\n"
    name = "paxlst_own_separators_two_parts.edi"
    second_part = "NAD*MS***FLIGHT OPS DESK'\n" + flight + "NAD*FL**BRENNAVIK"
    path = tmp_path / name
    text = (AIRLINE / name).read_text("utf-8")
    assert second_part in text
    path.write_text(text.replace(second_part, "NAD*FL**BRENNAVIK"), "utf-8")
    records, warnings = _records_of(path)
    whole, _, _, _ = _load(name)
    assert [r.record_id for r in records] == [r.record_id for r in whole]
    assert any("segment 34 (NAD): this message names no flight" in w for w in warnings)


def test_an_infants_docs_under_the_adult_is_a_traveller_not_a_second_passport() -> None:
    """An infant with neither TIF nor INFT, only its DOCS (gender FI) in the adult's group."""
    records, errors, warnings, _ = _load("pnrgov_infant_docs_only.edi")
    assert errors == []
    assert [(r.record_id, *_person(r)) for r in records] == [
        (
            "QQQ111-1",
            "ELODIE MORVANEC",
            "1990-02-02",
            "FR",
            "f",
            ("passport:FR:FR0001:2031-01-01",),
        ),
        (
            "QQQ111-1-INF",
            "NOA MORVANEC",
            "2026-03-03",
            "FR",
            "f",
            ("passport:FR:FR0002:2031-01-01",),
        ),
    ]
    assert [bool(r.travel and r.travel.infant) for r in records] == [False, True]
    assert [len(r.names) for r in records] == [1, 1]
    assert any("infant NOA MORVANEC has no TIF of its own" in w for w in warnings)


def test_a_second_nationality_is_kept(tmp_path: Path) -> None:
    path = _edited(
        "paxlst_transit_multileg_crew.edi",
        "NAT+2+ISL'\nRFF",
        "NAT+2+ISL'\nNAT+2+FRA'\nRFF",
        tmp_path,
    )
    records, _ = _records_of(path)
    assert records[0].nationalities == ("IS", "FR")


def test_a_push_holding_fewer_pnrs_than_its_eqn_says_is_said(tmp_path: Path) -> None:
    records, warnings = _records_of(_edited("pnrgov_variants.edi", "EQN+2'", "EQN+3'", tmp_path))
    assert len(records) == 7
    assert any("(EQN): counts 3 PNRs; the message holds 2" in w for w in warnings)
