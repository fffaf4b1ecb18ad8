"""Titles written as part of a name, and a second family name (invented names throughout).

- The Persian forms of Sayyid (`Seyyed`, `Seyed`, `Sayyed`, `Seyyid`), and any title a list
  keeps before the given names of a name written surname first (`QADRAWI, Haji Kotwal`),
  stay name parts: both names writing one agree a little, but the title is never the first
  given name. The given name is the word after it, so two men who differ in it are
  relatives, and the word after it counts in full.
- A title with a typing slip (`Seywd`, `Shiekh`) where the other side's dropped title stood
  is that title, not a given name with no counterpart; a short title only as written.
- A title on one side where the other has an unmatched first given name is a relative,
  whichever order the two names are written in.
- A second family name beside an agreeing first given name decays at `part_decay`: the
  estimate `given_name_decay` is of a further given name.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from ftfhub.matching.features import name_features
from ftfhub.matching.name_compare import compare_names
from ftfhub.matching.parameters import DEFAULT
from name_pairs import compare_two


def _weight(a: str, b: str, **changes: float) -> float:
    params = replace(DEFAULT, **changes)  # type: ignore[arg-type]
    # Every part 1 in 100 people: common enough that the name's weight stays under its cap.
    return compare_names(name_features(a), name_features(b), lambda _: 0.01, params, False)[0]


@pytest.mark.parametrize("title", ["Seyyed", "Seyed", "Sayyed", "Seyyid"])
def test_a_kept_title_agrees_a_little_and_is_not_the_given_name(title: str) -> None:
    plain = _weight("Reza Mohsen Tavanifar", "Reza Mohsen Tavanifar")
    titled = _weight(f"{title} Reza Mohsen Tavanifar", "Seyyed Reza Mohsen Tavanifar")
    assert titled > plain
    # The given names after the title decay as without it: only the title's own share is
    # added, at part_decay, and a further given name's decay leaves the title alone.
    lighter = {"given_name_decay": 0.3}
    added = titled - plain
    assert _weight(f"{title} Reza Mohsen Tavanifar", "Seyyed Reza Mohsen Tavanifar", **lighter) - (
        _weight("Reza Mohsen Tavanifar", "Reza Mohsen Tavanifar", **lighter)
    ) == pytest.approx(added)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Seyyed Ali Tavanifar", "Seyyed Reza Tavanifar"),
        ("TAVANIFAR, Seyyed Ali", "TAVANIFAR, Seyyed Reza"),
        ("Seyyed Kotwal Qadrawi", "Saul Kotwal Qadrawi"),  # a title against a lone leader
        ("QADRAWI, Haji Kotwal", "QADRAWI, Saul Kotwal"),
        ("Haji Kotwal Qadrawi", "Hani Kotwal Qadrawi"),  # `Hani` is a name, not `Haji`
    ],
)
def test_given_names_that_differ_after_a_title_are_relatives(a: str, b: str) -> None:
    found = compare_two(a, b)
    assert found.score < 0.1
    assert "given_conflict" in {term.level for term in found.terms}
    assert compare_two(b, a).score == pytest.approx(found.score)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sheikh Omar Qadrawi", "Shiekh Omar Qadrawi"),  # two letters swapped
        ("Hajji Omar Qadrawi", "Hajki Omar Qadrawi"),  # one typed for another
    ],
)
def test_a_slipped_title_is_the_other_sides_title(a: str, b: str) -> None:
    found = compare_two(a, b)
    assert found.score == pytest.approx(compare_two("Omar Qadrawi", "Omar Qadrawi").score)
    assert "given_conflict" not in {term.level for term in found.terms}
    assert compare_two(b, a).score == pytest.approx(found.score)


def test_a_second_family_name_decays_as_a_further_part_not_a_given_name() -> None:
    pair = ("HADDOUR QASIMI, Salim", "HADDOUR QASIMI, Salim")
    assert _weight(*pair, given_name_decay=0.3) == pytest.approx(_weight(*pair))
    assert _weight(*pair, part_decay=0.3) < _weight(*pair)
    # A further given name is the one the estimate is of.
    given = ("HADDOUR, Salim Tarek", "HADDOUR, Salim Tarek")
    assert _weight(*given, given_name_decay=0.3) < _weight(*given)
