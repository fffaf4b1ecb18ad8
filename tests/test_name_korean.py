"""Korean names in Revised Romanisation, McCune–Reischauer and passport spellings meet, with
given names hyphenated, joined or apart; different people of one family stay apart.
Every name here is invented."""

from __future__ import annotations

import pytest

from ftfhub.names.syllables import is_syllabic, same_syllables
from ftfhub.services.compare import compare_two

HIT = 0.7  # the default hit threshold (settings.hit_threshold)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Park Jiyeon", "Pak Chi-yon"),  # passport `Park`; Revised joined, MR hyphenated
        ("Park Ji-yeon", "Pak Chiyon"),
        ("Lee Seo-yeon", "Yi So-yon"),  # 이: Lee, Yi, Rhee, Ri
        ("Ri Su-min", "Lee Sumin"),
        ("Choi Hyun-woo", "Choe Hyon-u"),  # passport `Hyun`, `Woo`
        ("Kang Min-kyung", "Gang Min-gyeong"),
        ("Shin Dong-hyun", "Sin Tong-hyon"),
        ("Lim Ji-hoon", "Im Chi-hun"),  # 임: Lim, Im, Rim
        ("Kim Young-soo", "Gim Yeong-su"),
        ("Seo Min-ho", "Suh Min-ho"),
        ("Ahn Sung-min", "An Seong-min"),
        ("박지연", "Pak Chi-yon"),  # Hangul against McCune–Reischauer
        ("이서연", "Yi So-yon"),
        ("최현우", "Choi Hyun-woo"),
    ],
)
def test_korean_romanisations_meet(a: str, b: str) -> None:
    found = compare_two(a, b)
    assert found.score > HIT, (a, b)
    assert not any("conflict" in t.level for t in found.terms), (a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Park Ji-yeon", "Park Ji-hoon"),  # sisters and brothers of one family
        ("Lee Seo-yeon", "Lee Seo-jun"),
        ("Yoon Ji-won", "Yeon Ji-won"),  # a passport's `oo` is ㅜ, never ㅓ
        ("Zhang Wei", "Zhang Wen"),
        ("Shi Ming", "Si Ming"),  # Pinyin shi and si are two syllables
        ("Dan Hollister", "Tan Hollister"),
    ],
)
def test_different_people_stay_apart(a: str, b: str) -> None:
    assert compare_two(a, b).score < 0.1, (a, b)


def test_family_name_spellings_meet_only_as_listed() -> None:
    assert same_syllables("lee", "yi") and same_syllables("rhee", "ri")
    assert same_syllables("park", "bak") and same_syllables("young", "yeong")
    assert not same_syllables("lee", "lim")
    assert not same_syllables("yoon", "yeon")


def test_passport_spellings_are_listed_not_made_syllables() -> None:
    # `Park`, `Ahn`, `Sohn` are Korean family names; `Mark` and `John` are no syllables.
    assert is_syllabic("park") and is_syllabic("ahn") and is_syllabic("sohn")
    assert not is_syllabic("mark") and not is_syllabic("john")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hsueh Lung Wei", "Hsueh Kang Wei"),  # brothers sharing the generation syllable
        ("Zhao Ming Hui", "Zhao Jian Hui"),
        ("Choe Song Chol", "Choe Yong Chol"),
        ("Wei Lung Hsueh", "Wei Kang Hsueh"),  # the same, written given name first
    ],
)
def test_a_different_first_given_syllable_after_the_family_name_is_another_person(
    a: str, b: str
) -> None:
    found = compare_two(a, b)
    assert "given_conflict" in {t.level for t in found.terms}, (a, b)
    assert found.score < 0.05, (a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hsueh Lung Wei", "Hsueh Long Wei"),  # one syllable in two romanisations
        ("Hsueh Lung Wei", "Hsueh Lungwei"),
        ("Chang Hsiao Ming", "Zhang Xiaoming"),
        ("Wang Wei", "Wei Wang"),  # a list's swapped order
    ],
)
def test_one_given_name_in_two_spellings_or_orders_is_no_conflict(a: str, b: str) -> None:
    found = compare_two(a, b)
    assert "given_conflict" not in {t.level for t in found.terms}, (a, b)
    assert found.score > HIT, (a, b)
