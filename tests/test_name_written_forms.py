"""Ways of writing a name part that lists use (invented names throughout).

- Maghrebi spellings write the article `la` before a consonant, the stem's first vowel left
  out (`Lahlali` for al-Hilali, `Lahbabi` for al-Habbabi): read so only where the other side
  writes the article apart; without it an `La-` name keeps its identity.
- `Sk` (Sheikh) and `Hj` (Haji) are titles as South and South-East Asian records abbreviate
  them, dropped before a name as the titles written in full are.
"""

from __future__ import annotations

import pytest

from name_pairs import compare_two, levels


@pytest.mark.parametrize(
    ("fused", "apart"),
    [
        ("Tarouk Lahzani", "Tarouk El Hazani"),
        ("Tarouk Lahzani", "Tarouk Al-Hazani"),
        ("LAHZANI, Tarouk", "Tarouk El-Hazani"),
    ],
)
def test_la_before_a_consonant_is_the_article_where_the_other_side_writes_it(
    fused: str, apart: str
) -> None:
    comparison = compare_two(fused, apart)
    assert "surname_conflict" not in levels(comparison)
    assert "variant" in levels(comparison)
    assert comparison.score > 0.7
    assert comparison.score == pytest.approx(compare_two(apart, fused).score)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Tarouk Lahzani", "Tarouk Hazani"),  # no article written: a likeness at most
        ("Tarouk Lamberto", "Tarouk Berto"),
    ],
)
def test_without_the_article_written_an_la_name_keeps_its_identity(a: str, b: str) -> None:
    comparison = compare_two(a, b)
    assert "variant" not in levels(comparison)
    assert comparison.weight < compare_two("Tarouk Lahzani", "Tarouk El Hazani").weight


def test_the_article_before_another_stem_is_another_family() -> None:
    assert compare_two("Tarouk Lahzani", "Tarouk El Hazouri").score < 0.01


@pytest.mark.parametrize(
    ("short", "full"),
    [
        ("Sk Nazrul Kabiruddin", "Sheikh Nazrul Kabiruddin"),
        ("Hj Fauzan Tarmiji Osmanuddin", "Haji Fauzan Tarmiji Osmanuddin"),
        ("Hj. Fauzan Tarmiji Osmanuddin", "Fauzan Tarmiji Osmanuddin"),
    ],
)
def test_an_abbreviated_title_is_a_title(short: str, full: str) -> None:
    comparison = compare_two(short, full)
    assert not levels(comparison) & {"given_conflict", "missing", "conflict"}
    assert comparison.score == pytest.approx(compare_two(full, full).score)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Абдуллаев Заурбек", "Zaurbek Abdulaev"),
        ("Zaurbek Abdullayev", "Zaurbek Abdulayev"),
        ("Zaurbek Abdullaeva", "Zaurbek Abdulaeva"),
    ],
)
def test_abdulla_with_a_russian_ending_is_one_name_with_one_l_or_two(a: str, b: str) -> None:
    comparison = compare_two(a, b)
    assert comparison.score > 0.7
    assert comparison.score == pytest.approx(compare_two(b, b).score)


def test_abdul_before_a_vowel_stem_is_still_the_article() -> None:
    assert compare_two("Zaurbek Abdulaziz", "Zaurbek Abd al-Aziz").score > 0.7
    assert compare_two("Zaurbek Abdulaziz", "Zaurbek Abdullaev").score < 0.1
