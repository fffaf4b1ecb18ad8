"""Parts that come together: a candidate's given name weighed among the bearers of its family
name (`index/together.py`), never rarer than alone, and the candidate's own person on other
lists not counted as another bearer."""

from __future__ import annotations

import random
from dataclasses import replace

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.matching.features import record_features

GIVEN = ["Karim", "Yassine", "Omar", "Nadia", "Samir", "Leila", "Tarek", "Imane", "Walid", "Amal"]
FAMILY = ["Benali", "Zerktouni", "Haddad", "Mansouri", "Chaoui", "Belkacem", "Ouazzani"]


def person(key: str, name: str, year: int | None = None, kind: str = "watchlist") -> RecordData:
    dates = (PartialDate(year, 3, 14),) if year else ()
    return RecordData(record_id=key, kind=kind, names=(Name(name),), birth_dates=dates)


def filler(n: int, seed: int = 5) -> list[tuple[str, RecordData]]:
    rng = random.Random(seed)
    return [
        (f"f{i}", person(f"f{i}", f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", 1960 + i % 40))
        for i in range(n)
    ]


def weights(index: ScreeningIndex, query: RecordData, key: str) -> tuple[float, float]:
    """The candidate's weight with parts weighed together, and alone."""
    features = record_features(query)
    position = index.positions[key]
    index.condition = True
    together = index.compare(features, position).weight
    index.condition = False
    alone = index.compare(features, position).weight
    index.condition = True
    return together, alone


def brannvik_holdings() -> ScreeningIndex:
    """Brannvik is borne by 60 people, half of them called Eskil, and by `x`, Eskil born 1985."""
    records = filler(2000)
    records += [
        (f"b{i}", person(f"b{i}", f"{'Eskil' if i % 2 else 'Torvald'} Brannvik", 1920 + i))
        for i in range(60)
    ]
    records.append(("x", person("x", "Eskil Brannvik", 1985)))
    return ScreeningIndex.build(records)


def test_a_given_name_common_among_its_family_names_bearers_weighs_less() -> None:
    # Brannvik is borne by 60 people, half of them called Eskil: Eskil is rare in the
    # holdings, but not among the Brannviks.
    index = brannvik_holdings()
    together, alone = weights(index, person("q", "ESKIL BRANNVIK", 1985, "travel"), "x")
    assert together < alone - 2.5
    found = index.screen(person("q", "ESKIL BRANNVIK", 1985, "travel"), threshold=0.0)
    assert found[0].key == "x" and abs(found[0].weight - together) < 1e-9


def test_the_candidates_own_records_are_not_other_bearers() -> None:
    # One person on three lists (the same year, or no year): not three bearers of the name.
    records = filler(2000)
    records += [(f"b{i}", person(f"b{i}", "Torvald Brannvik", 1920 + i)) for i in range(60)]
    records += [
        ("x", person("x", "Eskil Brannvik", 1985)),
        ("y", person("y", "Eskil Brannvik", 1985)),
        ("z", person("z", "Eskil Brannvik")),
    ]
    index = ScreeningIndex.build(records)
    together, alone = weights(index, person("q", "ESKIL BRANNVIK", 1985, "travel"), "x")
    assert abs(together - alone) < 0.2


def test_a_name_with_few_bearers_and_a_differing_given_name_are_unchanged() -> None:
    records = [*filler(500), ("x", person("x", "Eskil Qaravik", 1985))]
    index = ScreeningIndex.build(records)
    together, alone = weights(index, person("q", "Eskil Qaravik", 1984, "travel"), "x")
    assert abs(together - alone) < 0.05
    # Only Haddad agrees: Karim is not weighed among the Haddads, the conflict stands.
    records = [*filler(2000), ("y", person("y", "Karim Haddad", 1985))]
    index = ScreeningIndex.build(records)
    together, alone = weights(index, person("q", "Omar Haddad", 1985, "travel"), "y")
    assert together == alone


def test_a_part_is_never_weighed_as_rarer_than_alone() -> None:
    records = filler(1500, seed=8)
    index = ScreeningIndex.build(records)
    rng = random.Random(2)
    for _ in range(40):
        query = replace(rng.choice(records)[1], kind="travel")
        for key in [*rng.sample(list(index.positions), 10), query.record_id]:
            together, alone = weights(index, query, key)
            assert together <= alone + 1e-9


def test_two_listed_records_weigh_their_parts_alone() -> None:
    # Resolving lists: the holdings are the population itself (only a traveller's name is
    # weighed together).
    index = brannvik_holdings()
    together, alone = weights(index, person("q", "Eskil Brannvik", 1985), "x")
    assert together == alone


def test_a_record_with_no_year_takes_the_travellers_year() -> None:
    # `z` has no birth date. Without a year every other Eskil Brannvik could be z's person
    # and none counted; with the traveller's (1985) in its place, the bearers born decades
    # away are other people, or z's person with a date that is not the traveller's: Eskil
    # weighs less. Bearers born within a year of the traveller are still left out.
    far = [(f"e{i}", person(f"e{i}", "Eskil Brannvik", 1930 + i)) for i in range(30)]
    near = [(f"e{i}", person(f"e{i}", "Eskil Brannvik", 1985 - i % 2)) for i in range(30)]
    others = [(f"b{i}", person(f"b{i}", "Torvald Brannvik", 1920 + i)) for i in range(30)]
    traveller = person("q", "ESKIL BRANNVIK", 1985, "travel")
    found = {}
    for label, bearers in (("far", far), ("near", near)):
        index = ScreeningIndex.build(
            [*filler(2000), *others, *bearers, ("z", person("z", "Eskil Brannvik"))]
        )
        found[label] = weights(index, traveller, "z")
    assert found["far"][0] < found["far"][1] - 2.0
    assert abs(found["near"][0] - found["near"][1]) < 0.2
    # A query with no year (not a traveller's document) leaves the record's bearers out.
    index = ScreeningIndex.build(
        [*filler(2000), *others, *far, ("z", person("z", "Eskil Brannvik"))]
    )
    together, alone = weights(index, person("q", "ESKIL BRANNVIK", None, "travel"), "z")
    assert abs(together - alone) < 0.2
