"""One given name in another form: a nickname or diminutive (`Bill`/`William`, `Sasha`/
`Aleksandr`) or the name as another language has it (`Pyotr`/`Peter`) is the level
`nickname`, weaker than a spelling variant and never a different given name. Before, each of
these pairs scored 0.00 ("given names differ"). Invented names only."""

from __future__ import annotations

import pytest

from ftfhub.matching.features import name_features
from ftfhub.matching.part_levels import RANK, part_level
from ftfhub.names.nicknames import same_name_forms
from ftfhub.services.compare import compare_two

HIT = 0.7


def _level(a: str, b: str) -> str:
    return part_level(name_features(a).parts[0], name_features(b).parts[0])[0]


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Bill", "William"),
        ("Bob", "Robert"),
        ("Jim", "James"),
        ("Peggy", "Margaret"),
        ("Sasha", "Aleksandr"),
        ("Dima", "Dzmitry"),
        ("Kolya", "Mykola"),
        ("Volodya", "Vladimir"),
        ("Pyotr", "Peter"),
        ("Miguel", "Michael"),
    ],
)
def test_a_nickname_is_one_name_in_another_form(short: str, full: str) -> None:
    assert same_name_forms(short.lower(), full.lower())
    assert same_name_forms(full.lower(), short.lower())
    assert _level(short, full) == "nickname" == _level(full, short)
    found = compare_two(f"{short} Tarkovenko", f"{full} Tarkovenko")
    assert found.score > HIT
    assert not any(t.level == "given_conflict" for t in found.terms)


def test_a_nickname_weighs_less_than_a_spelling_variant() -> None:
    nick = compare_two("Bill Harrowgate", "William Harrowgate")
    variant = compare_two("Wiliam Harrowgate", "William Harrowgate")
    assert RANK["nickname"] < RANK["variant"]
    assert nick.score < variant.score
    assert any("another form of one name" in t.detail for t in nick.terms)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("james", "benjamin"),  # Jamie is short for both: not one name
        ("chan", "tan"),  # one Chinese character in two languages, two families in Latin
        ("lee", "ri"),
        ("yurevich", "yuryevna"),  # one father, a son and a daughter
        ("alexander", "alexandra"),
        ("mohammed", "ahmed"),
    ],
)
def test_what_the_tables_do_not_make_one_name(a: str, b: str) -> None:
    assert not same_name_forms(a, b)


def test_different_given_names_still_differ() -> None:
    found = compare_two("Peggy Harrowgate", "Dorothy Harrowgate")
    assert found.score < HIT
    assert any(t.level == "given_conflict" for t in found.terms)
