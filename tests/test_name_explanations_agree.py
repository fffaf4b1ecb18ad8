"""An explanation never contradicts itself, and a name written surname first is judged as the
same name written given names first. Before: `KOVRIGINA, Lidziya` ~ `KOVRIGINA, Lidya` said
"every name part has its counterpart" and "same surname, given names differ" at once (the
given names, merely similar, counted as a counterpart for one term and as a different name
for the other), and `PETROVIC, Z.` ~ `PETROVIC, Zoran` was "given names differ" although
`Z. Petrovic` ~ `Zoran Petrovic` was a hit. Invented names only."""

from __future__ import annotations

import pytest

from ftfhub.matching.compare import Comparison
from ftfhub.services.compare import compare_two

HIT = 0.7
AGAINST = {"conflict", "given_conflict", "surname_conflict", "nisba_conflict"}


def _levels(found: Comparison) -> set[str]:
    return {t.level for t in found.terms}


def _consistent(found: Comparison) -> None:
    levels = _levels(found)
    assert not ("complete" in levels and levels & AGAINST), [t.detail for t in found.terms]


@pytest.mark.parametrize(
    ("surname_first", "given_first"),
    [
        (("KOVRIGINA, Lidziya", "KOVRIGINA, Lidya"), ("Lidziya Kovrigina", "Lidya Kovrigina")),
        (("DRAGOVIC, Zoran", "DRAGOVIC, Z."), ("Zoran Dragovic", "Z. Dragovic")),
        (("TERZIBASH, Alexandr", "TERZIBASH, Alex"), ("Alexandr Terzibash", "Alex Terzibash")),
        (("VESELKO, Miroslav", "VESELKO, M."), ("Miroslav Veselko", "M. Veselko")),
    ],
)
def test_surname_first_agrees_with_given_names_first(
    surname_first: tuple[str, str], given_first: tuple[str, str]
) -> None:
    listed = compare_two(*surname_first)
    written = compare_two(*given_first)
    _consistent(listed)
    _consistent(written)
    assert "given_conflict" not in _levels(listed)
    # Before, the surname-first pair scored 0.03-0.2 whatever the given-first pair did.
    assert listed.score > 0.5 and written.score > 0.5


def test_a_weak_likeness_of_surnames_is_not_also_another_family() -> None:
    # A Belarusian and a Russian spelling of one surname, only alike as letters go: before,
    # "surname similar" and "surnames differ" (-12 bits) at once.
    found = compare_two("ZAMIRAU, Anton", "ZAMIROV, Anton")
    surname = [t for t in found.terms if t.detail.startswith("surname ")]
    assert surname and surname[0].weight > 0
    assert "surname_conflict" not in _levels(found)


def test_a_name_whose_order_a_list_swapped_is_one_name() -> None:
    # Lists write East Asian and Thai names in either order and mark either word the surname.
    for a, b in (("WENJUN, Lao", "LAO, Wenjun"), ("KITTIPAN, Somchart", "SOMCHART, Kittipan")):
        found = compare_two(a, b)
        _consistent(found)
        assert not _levels(found) & AGAINST
        assert found.score > HIT


def test_different_given_names_and_different_surnames_still_count_against() -> None:
    relative = compare_two("KOVRIGINA, Lidziya", "KOVRIGINA, Tamara")
    assert "given_conflict" in _levels(relative) and relative.score < HIT
    assert "complete" not in _levels(relative)
    other = compare_two("KOVRIGINA, Lidziya", "BELOUSOVA, Lidziya")
    assert "surname_conflict" in _levels(other) and other.score < HIT
    # A swap is one name only when both words agree: another given name is another person.
    swapped = compare_two("WENJUN, Lao", "LAO, Minghua")
    assert swapped.score < HIT


def test_surname_first_the_first_given_name_decides_as_given_names_first() -> None:
    # Brothers: one family, one father's name, two first names. Before: 0.89 written surname
    # first (the father's name counted as the given name agreeing), while written given names
    # first the pair was already "given names differ".
    for a, b in (
        ("QUERMANI, Idris Talvecq", "QUERMANI, Farouk Talvecq"),
        ("Idris Talvecq Quermani", "Farouk Talvecq Quermani"),
    ):
        found = compare_two(a, b)
        assert "given_conflict" in _levels(found) and found.score < HIT
        _consistent(found)
    # The first given name at any level of agreement, or a swap, is no conflict.
    for a, b in (
        ("QUERMANI, I. Talvecq", "QUERMANI, Idris Talvecq"),
        ("QUERMANI, Idris Talvecq", "QUERMANI, Idriss"),
    ):
        assert "given_conflict" not in _levels(compare_two(a, b))
