"""The seeded synthetic world: tables, spelling conventions, people, owners' files, truth."""

from __future__ import annotations

import csv
import random
import re
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import pytest

from ftfhub.ingest.detect import parse_file
from ftfhub.names.script import detect_script
from ftfhub.scenario import WorldFiles, build_world, plan
from ftfhub.scenario.captured import BIRTH_NATIONALITY, FORM_ID, KUNYA, MOTHER, NAME
from ftfhub.scenario.dates import arabic_digits, captured_birth, hijri, listed_birth, mrz_date
from ftfhub.scenario.people import Person
from ftfhub.scenario.spelling import (
    arabic_drift,
    compose_family,
    feminine,
    latin_drift,
    mrz_fold,
    mrz_name,
)
from ftfhub.scenario.tables import CONVENTIONS, load_tables
from ftfhub.scenario.travel import MANIFEST_COLUMNS

AGENCIES = {"BE-FP", "DE-BKA", "GB-CTP", "TR-EGM", "HUB", "BE-PIU"}
KINDS = {"watchlist", "deportation", "captured_document", "travel"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> WorldFiles:
    return build_world(tmp_path_factory.mktemp("world"), seed=11, fighters=60, travellers=1500)


def _truth(files: WorldFiles) -> list[dict[str, str]]:
    with files.truth.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- tables ----------------------------------------------------------------------------------


def test_tables_have_the_promised_size() -> None:
    tables = load_tables()
    compounds = [p for p in tables.male if p.key.startswith("abd_") or "_al_din" in p.key]
    assert len(tables.male) - len(compounds) >= 120
    assert len([p for p in compounds if p.key.startswith("abd_")]) >= 20
    assert len([p for p in compounds if p.key.endswith("_al_din")]) >= 8
    assert len(tables.female) >= 30
    assert len(tables.family) >= 150
    assert len(tables.european_given) >= 80
    assert len(tables.european_family) >= 100
    for code in ("BE", "FR", "DE", "GB", "NL", "TR", "TN", "MA", "RU"):
        assert code in tables.countries


def test_every_name_part_has_arabic_and_every_convention() -> None:
    tables = load_tables()
    for part in (*tables.male, *tables.female, *tables.family, *tables.prefixes):
        assert detect_script(part.ar) == "arabic", part.key
        for conv in CONVENTIONS:
            assert part.variants(conv), (part.key, conv)
        assert all(re.fullmatch(r"[A-Z ]+", form) for form in part.variants("mrz")), part.key
    for part in (*tables.european_given, *tables.european_family):
        assert detect_script(part.ar) == "arabic", part.key


def test_real_world_conventions_for_muhammad() -> None:
    muhammad = load_tables().male_by_key["muhammad"]
    assert muhammad.ar == "محمد"
    assert "Mohamed" in muhammad.variants("fr")
    assert "Muhammad" in muhammad.variants("en")
    assert set(muhammad.variants("tr")) == {"Muhammed", "Muhammet"}
    assert "Mehmet" not in muhammad.variants("tr")


# --- spelling --------------------------------------------------------------------------------


def test_mrz_names_follow_the_issuing_country() -> None:
    assert mrz_name("El Amrani", "Mohamed", "BE") == "EL<AMRANI<<MOHAMED"
    assert mrz_fold("Müller", "DE") == "MUELLER"
    assert mrz_fold("Abdüsselam", "TR") == "ABDUSSELAM"
    assert mrz_fold("Yılmaz", "TR") == "YILMAZ"
    assert mrz_fold("Aït-Ahmed", "FR") == "AIT<AHMED"
    assert len(mrz_name("Abd al-Rahman " * 3, "Abdelhamid Mohamed Amine", "FR")) <= 39


def test_composed_and_feminine_family_names() -> None:
    tables = load_tables()
    ben = next(p for p in tables.prefixes if p.key == "ben")
    ali = tables.male_by_key["ali"]
    composed = compose_family(ben, ali)
    assert composed.ar == "بن علي"
    assert {"Ben Ali", "Benali", "Ben-Ali"} <= set(composed.variants("fr"))
    magomedov = next(p for p in tables.family if p.key == "magomedov")
    assert feminine(magomedov).variants("en")[0] == "Magomedova"
    assert feminine(magomedov).ar.endswith("ا")
    yilmaz = next(p for p in tables.family if p.key == "yilmaz")
    assert feminine(yilmaz) is yilmaz


def test_slips_stay_close_to_the_name() -> None:
    rng = random.Random(3)
    for name in ("Abdelhamid", "El Amrani", "Mohammed", "Youssef", "Abdüsselam", "Noureddine"):
        slipped = {latin_drift(name, rng) for _ in range(30)}
        assert len(slipped) > 2
        assert all(abs(len(s) - len(name)) <= 3 for s in slipped)
    arabic = {arabic_drift("عبد الحميد أباعود", rng) for _ in range(30)}
    assert "عبدالحميد أباعود" in arabic
    assert "عبد الحميد اباعود" in arabic


def test_dates_as_writers_record_them() -> None:
    day = date(1985, 3, 12)
    assert hijri(day)[0] == 1405
    assert mrz_date(day) == "850312"
    assert arabic_digits("1985") == "١٩٨٥"
    rng = random.Random(1)
    assert listed_birth(day, rng, {"swapped": 1}) == "1985-12-03"
    assert listed_birth(day, rng, {"year": 1}) == "1985"
    assert captured_birth(day, rng, {"hijri_suffix": 1}) == "1405 هـ"
    assert captured_birth(day, rng, {"zero_dmy": 1}) == "00/00/1985"


# --- people ----------------------------------------------------------------------------------


def test_innocents_share_names_with_fighters() -> None:
    population = plan(seed=5, fighters=150, travellers=1000)

    def key(person: Person) -> tuple[tuple[str, ...], str]:
        return tuple(g.key for g in person.given), person.family.key

    fighter_names = {key(p): p for p in population.fighters}
    namesakes = [p for p in population.innocents if key(p) in fighter_names]
    assert namesakes, "some innocent must carry a fighter's given and family name"
    assert any(p.birth != fighter_names[key(p)].birth for p in namesakes)
    fighter_given = {g.key for p in population.fighters for g in p.given}
    men = [p for p in population.innocents if p.gender == "m"]
    sharing = [p for p in men if any(g.key in fighter_given for g in p.given)]
    assert len(sharing) > len(men) / 4  # many share a given name with some fighter


def test_population_shape() -> None:
    population = plan(seed=5, fighters=200, travellers=500)
    fighters = population.fighters
    assert len(fighters) == 200 and len(population.innocents) == 500
    assert Counter(p.gender for p in fighters)["m"] > 0.8 * len(fighters)
    assert {p.region for p in fighters} >= {"maghreb", "turkish", "european"}
    converts = [p for p in fighters if p.convert]
    assert converts and all(p.kunya is not None for p in fighters)
    assert all(p.passports for p in population.people)
    belgian = [p for p in fighters if p.nationalities[0] == "BE" and p.region == "maghreb"]
    assert belgian  # a Belgian passport has the Belgian (French-style) spelling
    assert all(re.fullmatch(r"[A-Z]{2}\d{6}", p.passports[0].number) for p in belgian)


# --- the built world -------------------------------------------------------------------------


def test_small_world_builds(tmp_path: Path) -> None:
    files = build_world(tmp_path / "small", seed=3, fighters=20, travellers=500)
    assert {agency for agency, _, _ in files.inputs} == AGENCIES
    assert {kind for _, kind, _ in files.inputs} <= KINDS
    assert all(path.exists() and path.parent == tmp_path / "small" for _, _, path in files.inputs)
    truth = _truth(files)
    fighters = {r["person_id"] for r in truth if r["role"] == "fighter"}
    assert len(fighters) == 20  # every fighter has at least one record


def test_same_seed_same_files(tmp_path: Path) -> None:
    day = date(2026, 11, 30)
    first = build_world(tmp_path / "a", seed=9, fighters=20, travellers=400, today=day)
    second = build_world(tmp_path / "b", seed=9, fighters=20, travellers=400, today=day)
    other = build_world(tmp_path / "c", seed=10, fighters=20, travellers=400)
    assert [p.name for _, _, p in first.inputs] == [p.name for _, _, p in second.inputs]
    for (_, _, a), (_, _, b) in zip(first.inputs, second.inputs, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
    assert first.truth.read_bytes() == second.truth.read_bytes()
    assert first.truth.read_bytes() != other.truth.read_bytes()


def test_review_by_dates_count_from_the_day_the_world_is_built(tmp_path: Path) -> None:
    """A few listings overdue (purge has something to show), most current: dates fixed in
    the past made every watchlist of the demo overdue."""
    day = date(2026, 11, 30)
    files = build_world(tmp_path / "w", seed=5, fighters=60, travellers=300, today=day)
    later = build_world(tmp_path / "l", seed=5, fighters=60, travellers=300, today=date(2030, 1, 1))
    reviews = []
    for (_, kind, path), (_, _, other) in zip(files.inputs, later.inputs, strict=True):
        if kind in ("watchlist", "deportation"):
            with path.open(encoding="utf-8") as f, other.open(encoding="utf-8") as g:
                for a, b in zip(csv.DictReader(f), csv.DictReader(g), strict=True):
                    reviews.append(date.fromisoformat(a["review_by"]))
                    assert {k: v for k, v in a.items() if k != "review_by"} == {
                        k: v for k, v in b.items() if k != "review_by"
                    }
    overdue = [d for d in reviews if d < day]
    assert reviews and 0 < len(overdue) < len(reviews) * 0.1
    assert min(reviews) >= day - timedelta(days=30)
    assert any(day <= d < day + timedelta(days=90) for d in reviews)  # due soon


def test_every_file_parses_and_truth_covers_every_record(world: WorldFiles) -> None:
    by_agency: dict[str, set[str]] = defaultdict(set)
    for row in _truth(world):
        by_agency[row["agency"]].add(row["record_id"])
    parsed: dict[str, set[str]] = defaultdict(set)
    for agency, kind, path in world.inputs:
        rows, encoding = parse_file(path.read_bytes(), path, kind)
        results = list(rows)
        assert encoding == "utf-8"
        errors = [r.error for r in results if r.error]
        assert not errors, errors[:3]
        for result in results:
            assert result.record is not None and result.record.kind == kind
            parsed[agency].add(result.record.record_id)
    assert parsed == by_agency
    assert sum(len(ids) for ids in parsed.values()) == len(_truth(world))


def test_records_per_fighter(world: WorldFiles) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    records: Counter[str] = Counter()
    for row in _truth(world):
        if row["role"] == "fighter":
            owners[row["person_id"]].add(row["agency"])
            records[row["person_id"]] += 1
    assert len(owners) == 60
    assert any(len(agencies) >= 3 for agencies in owners.values())
    assert any(len(agencies) == 1 for agencies in owners.values())
    assert 1.8 <= sum(records.values()) / len(records) <= 4.0
    travelling = [pid for pid, agencies in owners.items() if "BE-PIU" in agencies]
    assert 0 < len(travelling) < len(owners) / 2


def test_manifests_are_mostly_innocent_mrz_passengers(world: WorldFiles) -> None:
    roles = Counter(r["role"] for r in _truth(world) if r["agency"] == "BE-PIU")
    assert roles["innocent"] > 20 * roles["fighter"] > 0
    mrz = re.compile(r"[A-Z<]+<<[A-Z<]+")
    names = []
    for agency, _, path in world.inputs:
        if agency == "BE-PIU":
            rows = _rows(path)
            assert list(rows[0]) == list(MANIFEST_COLUMNS)
            names += [r["passenger_name"] for r in rows]
    assert sum(bool(mrz.fullmatch(n)) for n in names) > len(names) / 2


def test_captured_forms_have_arabic_headers_and_names(world: WorldFiles) -> None:
    forms = [path for agency, _, path in world.inputs if agency == "HUB"]
    assert len(forms) == 2
    headers = [list(_rows(path)[0]) for path in forms]
    assert all(h[:4] == [FORM_ID, NAME, KUNYA, MOTHER] for h in headers)
    assert any(BIRTH_NATIONALITY in h for h in headers)
    rows = [row for path in forms for row in _rows(path)]
    arabic = [r for r in rows if detect_script(r[NAME]) == "arabic"]
    assert len(arabic) > 0.8 * len(rows)
    assert any(r[KUNYA].startswith(("أبو", "ابو")) for r in rows)


def test_list_owners_write_their_conventions(world: WorldFiles) -> None:
    files = {agency: _rows(path) for agency, _, path in world.inputs if agency != "BE-PIU"}
    assert any(re.fullmatch(r"[^,]+, \S.*", r["name"]) for r in files["DE-BKA"])  # FAMILY, Given
    tr_text = " ".join(r["name"] for r in files["TR-EGM"])
    assert re.search(r"[şçğüıİ]", tr_text)
    gb_aliases = " ".join(r["aliases"] for r in files["GB-CTP"])
    assert re.search(r"\bAbu \w+", gb_aliases) or re.search(r"\bUmm \w+", gb_aliases)
    assert any(len(r["birth_date"]) == 4 for r in files["TR-EGM"])
