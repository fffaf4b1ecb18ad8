"""Fathers' names in East Slavic names (invented names throughout).

- A father's name written as one word (`Borisovich`) is not the given name, wherever a list
  put it: a leading name the other side lacks, while that side's given name stands later in
  this one, is another given name (a son or a brother), not a name left out.
- Belarusian fathers' names (-avich, -auna/-euna, -awna/-owna) are fathers' names and meet
  their Russian forms.
- Family and given names swapped between two names written surname first stay discounted.
"""

from __future__ import annotations

import pytest

from name_pairs import compare_two, levels


def test_swapped_family_and_given_names_both_written_surname_first_are_discounted() -> None:
    swapped = compare_two("HAMAD, Yusuf", "YUSUF, Hamad").weight
    assert swapped < compare_two("HAMAD, Yusuf", "HAMAD, Yusuf").weight - 1


@pytest.mark.parametrize("fathered", ["Demid Borisovich Kurnovsky", "Borisovich Demid Kurnovsky"])
def test_a_leading_name_beside_a_fathers_name_is_another_given_name(fathered: str) -> None:
    other = compare_two(fathered, "Omar Demid Kurnovsky")
    assert "given_conflict" in levels(other)
    assert other.score < 0.05
    assert any("omar leads one name only" in term.detail for term in other.terms)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Borisovich Demid Kurnovsky", "Demid Kurnovsky"),  # the father's name left out
        ("Borisovich Demid Kurnovsky", "Demid Borisovich Kurnovsky"),  # its place moved
        ("KURNOVSKY, Demid Borisovich", "Demid Borisovich Kurnovsky"),
    ],
)
def test_a_fathers_name_moved_or_left_out_is_the_same_person(a: str, b: str) -> None:
    same = compare_two(a, b)
    assert "given_conflict" not in levels(same)
    assert same.score > 0.9


def test_a_name_after_bin_still_reads_as_the_start_of_a_chain() -> None:
    # `bin Omar` is a father named by a particle: a name written from it leaves out the given
    # name, so no given name is there to differ.
    assert "given_conflict" not in levels(compare_two("Bin Omar Kurnovsky", "Omar Kurnovsky"))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Viktar Hryhoryavich Zalauski", "Viktor Grigoryevich Zalauski"),
        ("ZALAUSKAYA, Natallia Mikalaeuna", "ZALAUSKAYA, Natalia Nikolaevna"),
        ("Alena Piatrowna Zalauskaya", "Alena Petrovna Zalauskaya"),
    ],
)
def test_a_belarusian_fathers_name_meets_its_russian_form(a: str, b: str) -> None:
    comparison = compare_two(a, b)
    assert any(t.detail.startswith("patronymic ") for t in comparison.terms)
    assert comparison.score > 0.9
