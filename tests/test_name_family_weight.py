"""How much each further agreeing part of a name adds (invented names throughout).

- Given names and family names decay apart: a further given name counts `given_name_decay`
  of the one before, the value `bench/estimate_family.py` estimates from the lists (kept in
  the model file beside it); a family name beside an agreeing first given name counts its
  writing's `family_factor_*` of its own weight.
- Brothers (given names differ, a father's name and the family agree) take no family factor:
  their parts decay together.
- A swapped order costs nothing; a Chinese or Korean name in its own order has its family name
  first.
"""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources

import pytest

from ftfhub.matching.features import name_features
from ftfhub.matching.name_compare import compare_names
from ftfhub.matching.parameters import DEFAULT
from name_pairs import compare_two


def _weight(a: str, b: str, **changes: float) -> float:
    params = replace(DEFAULT, **changes)  # type: ignore[arg-type]
    # Every part 1 in 100 people: common enough that the name's weight stays under its cap.
    found = compare_names(name_features(a), name_features(b), lambda _: 0.01, params, False)
    return found[0]


@pytest.mark.parametrize(
    ("a", "factor"),
    [
        ("Salim Haddour", "family_factor_last_word"),
        ("HADDOUR, Salim", "family_factor_surname_first"),
        ("Park Jiyeon", "family_factor_last_word"),  # `Park`: the family name, written first
    ],
)
def test_a_family_name_beside_an_agreeing_given_name_counts_its_factor(a: str, factor: str) -> None:
    full = _weight(a, a, **{factor: 1.0})
    none = _weight(a, a, **{factor: 0.0})
    assert 0 < none < full
    lighter = full - none  # the lighter part's whole weight
    assert _weight(a, a) == pytest.approx(none + getattr(DEFAULT, factor) * lighter)


def test_a_further_given_name_counts_the_decay_of_the_one_before() -> None:
    a = "Salim Tarek Haddour"  # Salim in full, Tarek at the decay, Haddour at its factor
    one = _weight(a, a, given_name_decay=1.0)
    zero = _weight(a, a, given_name_decay=0.0)
    assert _weight(a, a) == pytest.approx(zero + DEFAULT.given_name_decay * (one - zero))


def test_brothers_take_no_family_factor() -> None:
    # The factor is for a family name beside the *first* given name; brothers share the
    # family and a father's name and differ in the given name: all decay together.
    brothers = ("Karim Tarek Haddour", "Nabil Tarek Haddour")
    assert _weight(*brothers) == pytest.approx(_weight(*brothers, family_factor_last_word=1.0))


@pytest.mark.parametrize("swapped", ["Haddour Salim", "HADDOUR, Salim", "SalimHaddour"])
def test_a_swapped_or_joined_writing_costs_nothing(swapped: str) -> None:
    plain = compare_two("Salim Haddour", "Salim Haddour").weight
    assert compare_two("Salim Haddour", swapped).weight == pytest.approx(plain, abs=0.01)


def test_the_model_file_keeps_the_estimate_its_decay_comes_from() -> None:
    text = (resources.files("ftfhub.matching") / "data" / "model.json").read_text("utf-8")
    estimate = json.loads(text)["family_estimate"]
    assert estimate["adopted"] == ["given_name_decay"]
    assert DEFAULT.given_name_decay == estimate["lists"]["second_given"]["factor_m_and_u"]
    # Kept beside it, not adopted: what the lists say of the family names (about 0.7).
    for slot in ("family_surname_first", "last_word_given_first"):
        assert 0.6 < estimate["lists"][slot]["factor_m_and_u"] < 0.8
