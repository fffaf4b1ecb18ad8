"""The words' traits `_graded` remembers (`part_levels._traits`, `cognates.cognate_key`) give
the levels the tests they stand for give, whatever order the words are first seen in."""

from __future__ import annotations

import pytest

from ftfhub.matching import part_levels
from ftfhub.matching.part_levels import _graded, _sound, _traits
from ftfhub.names.cognates import cognate_key, same_cognate
from ftfhub.names.latin import coarse_skeletons

# One pair for each way `_graded` finds a level past the spelling conventions, and pairs that
# meet none of them (words of invented names; given names as any list writes them).
PAIRS = [
    ("mykola", "nikolai", "variant"),  # one East Slavic name
    ("nikolaevich", "mykola", ""),  # a father's name is not the name
    ("ihor", "igor", "variant"),  # Ukrainian h for Russian g
    ("zamirau", "zamirov", "variant"),  # Belarusian -au for Russian -ov
    ("chong", "jong", "variant"),  # one syllable's onset
    ("kergumyah", "kergumpyah", "typo"),
    ("asis", "aziz", "close"),  # a German s for a z
    ("aldemahr", "aldeymaru", "phonetic"),
    ("bill", "william", "nickname"),
    ("mohd", "mohammed", "prefix"),
    ("qarvello", "tunstadt", ""),
    ("dravinsk", "oskelmar", ""),
]


def _fresh() -> None:
    _graded.cache_clear()
    part_levels._TRAITS.clear()


@pytest.mark.parametrize(("a", "b", "level"), PAIRS)
def test_each_way_to_a_level_is_found_with_the_traits_remembered(
    a: str, b: str, level: str
) -> None:
    _fresh()
    assert _graded(a, b)[0] == level
    assert _graded.__wrapped__(b, a)[0] == level  # again from the traits, the other way round


def test_the_levels_do_not_depend_on_which_words_were_seen_first() -> None:
    _fresh()
    forward = [_graded(a, b) for a, b, _ in PAIRS]
    _fresh()
    backward = [_graded(a, b) for a, b, _ in reversed(PAIRS)][::-1]
    assert forward == backward
    # Each word with every other word: a trait kept under the wrong word would show here.
    words = sorted({w for a, b, _ in PAIRS for w in (a, b)})
    _fresh()
    first = {(x, y): _graded.__wrapped__(x, y) for x in words for y in words if x != y}
    _fresh()
    again = {(x, y): _graded.__wrapped__(x, y) for x in reversed(words) for y in words if x != y}
    assert first == again


@pytest.mark.parametrize("word", ["mykola", "nikolaevich", "asis", "aldemahr", "bill", "ihor"])
def test_a_words_traits_are_what_the_tests_read(word: str) -> None:
    part_levels._TRAITS.clear()
    sound = _sound(word) if len(word) >= 5 else ""
    assert _traits(word) == (cognate_key(word), coarse_skeletons(word), sound)


def test_the_cognate_key_agrees_with_same_cognate() -> None:
    for a, b, _ in PAIRS:
        key_a, key_b = cognate_key(a), cognate_key(b)
        through_keys = key_a[0] == key_b[0] and key_a[1] is not None and key_a[1] == key_b[1]
        assert through_keys == same_cognate(a, b)
    assert same_cognate("mykola", "nikolai")
    assert not same_cognate("nikolaevich", "mykola")
