"""Nationality and gender weighed among the bearers of the name a traveller shares with a
record (`index/together.py`'s `Carriers`), and documents that can and cannot contradict."""

from __future__ import annotations

import math
import random
from dataclasses import replace

from ftfhub.domain import RecordData
from ftfhub.domain.record import Document, Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.matching.compare import compare_records
from ftfhub.matching.features import record_features
from ftfhub.matching.parameters import DEFAULT

GIVEN = ["Karim", "Yassine", "Omar", "Samir", "Tarek", "Walid"]
FAMILY = ["Benali", "Zerktouni", "Haddad", "Mansouri", "Chaoui", "Belkacem", "Ouazzani"]
ELSEWHERE = ["MA", "DZ", "TN", "FR", "BE", "DE", "NL", "SE", "TR", "RU"]


def person(
    key: str,
    name: str,
    nationality: str = "",
    gender: str | None = None,
    kind: str = "watchlist",
    year: int | None = None,
) -> RecordData:
    return RecordData(
        record_id=key,
        kind=kind,
        names=(Name(name),),
        birth_dates=(PartialDate(year, 3, 14),) if year else (),
        nationalities=(nationality,) if nationality else (),
        gender=gender,
    )


def holdings(brannvik_nationality: str) -> ScreeningIndex:
    """2,000 people of ten nationalities, and 40 Brannviks of one, half of them Eskil."""
    rng = random.Random(3)
    records = [
        (
            f"f{i}",
            person(f"f{i}", f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}", rng.choice(ELSEWHERE)),
        )
        for i in range(2000)
    ]
    records += [
        (
            f"b{i}",
            person(f"b{i}", f"{'Eskil' if i % 2 else 'Torvald'} Brannvik", brannvik_nationality),
        )
        for i in range(40)
    ]
    records.append(("x", person("x", "Eskil Brannvik", "NO", "m")))
    return ScreeningIndex.build(records)


def term(index: ScreeningIndex, query: RecordData, key: str, feature: str) -> float:
    comparison = index.compare(record_features(query), index.positions[key])
    return sum(t.weight for t in comparison.terms if t.feature == feature)


def test_a_nationality_most_bearers_of_the_name_share_adds_little() -> None:
    traveller = person("q", "ESKIL BRANNVIK", "NO", "m", "travel")
    # Every other Brannvik is Norwegian: a Norwegian Eskil Brannvik is no coincidence.
    among_norwegians = term(holdings("NO"), traveller, "x", "nationality")
    # The other Brannviks are Swedes: a shared Norwegian nationality is still telling.
    among_swedes = term(holdings("SE"), traveller, "x", "nationality")
    assert among_norwegians < 0.5
    assert among_swedes > 1.9
    assert among_swedes <= DEFAULT.nationality_max_weight


def test_the_same_gender_adds_nothing_when_the_names_bearers_have_it() -> None:
    rng = random.Random(4)
    records = [
        (f"m{i}", person(f"m{i}", f"Eskil {rng.choice(FAMILY)}", "NO", "m")) for i in range(30)
    ]
    records += [(f"f{i}", person(f"f{i}", f"Karin {FAMILY[i % 7]}", "NO", "f")) for i in range(60)]
    records += [(f"w{i}", person(f"w{i}", f"Nils {FAMILY[i % 7]}", "NO", "m")) for i in range(60)]
    records.append(("x", person("x", "Eskil Brannvik", "NO", "m")))
    index = ScreeningIndex.build(records)
    gender = term(index, person("q", "ESKIL BRANNVIK", "NO", "m", "travel"), "x", "gender")
    assert 0.0 <= gender < 0.2
    # Between two listed records nothing is weighed among bearers: the model's own term.
    listed = term(index, person("q", "Eskil Brannvik", "NO", "m"), "x", "gender")
    assert abs(listed - DEFAULT.gender_same.weight()) < 1e-9


def test_weighing_among_bearers_never_weighs_a_pair_more() -> None:
    index = holdings("NO")
    rng = random.Random(5)
    keys = list(index.positions)
    for _ in range(60):
        source = index.record(rng.choice(keys))
        query = replace(source, kind="travel", gender=rng.choice(["m", "f", None]))
        for key in [*rng.sample(keys, 5), source.record_id]:
            position = index.positions[key]
            features = record_features(query)
            index.condition = True
            carried = index.compare(features, position, explain=False).weight
            index.condition = False
            alone = index.compare(features, position, explain=False).weight
            index.condition = True
            assert carried <= alone + 1e-9


def with_documents(record: RecordData, *documents: Document) -> RecordData:
    return replace(record, documents=documents)


def document_terms(a: RecordData, b: RecordData) -> list[str]:
    return [t.level for t in compare_records(a, b).terms if t.feature == "document"]


def test_an_identity_card_and_a_passport_do_not_contradict() -> None:
    a = person("a", "Karim Benali", "BE", "m", year=1980)
    b = person("b", "Karim Benali", "BE", "m", year=1980)
    card = Document("id_card", "BE", "592011223344")
    passport = Document("passport", "BE", "EH123456")
    other_passport = Document("passport", "BE", "EH654321")
    assert document_terms(with_documents(a, card), with_documents(b, passport)) == []
    assert document_terms(with_documents(a, passport), with_documents(b, other_passport)) == [
        "different"
    ]
    # A document of a type not known may be either.
    unknown = Document("unknown", "BE", "EH999999")
    assert document_terms(with_documents(a, unknown), with_documents(b, passport)) == ["different"]


def test_a_shared_passport_number_outweighs_a_million_records_prior_odds() -> None:
    # The prior at a million records is the model's at 10,000 less log2(100) bits.
    prior = DEFAULT.prior_weight_travel - math.log2(100)
    assert prior + DEFAULT.document_same.weight() > 0
