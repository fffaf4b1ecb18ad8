"""Burmese, Lao and katakana names meet the Latin spellings their bearers' papers carry.

Burmese writes a syllable's vowel around its consonant and marks its final with the asat, and
the Latin convention spells the rhyme (`ောင်` aung); Lao, like Thai, writes some vowels before
their consonant; katakana gives every consonant of a foreign name a vowel (`ムハンマド`
mu-ha-n-ma-do). The letter tables read all three letter by letter (`အောင်` 'ean, `ແສງ` esng,
`アフマド` afumado). All names are invented.
"""

from __future__ import annotations

import pytest

from ftfhub.names.romanise import romanise
from ftfhub.services.compare import compare_two

HIT = 0.7  # the default hit threshold


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("အောင် ကို", "Aung Ko"),
        ("ကျော် ဇော် ထွန်း", "Kyaw Zaw Htun"),
        ("မောင်မောင်ဝင်း", "Maung Maung Win"),  # written without spaces, as Burmese is
        ("ခင်မြင့်သိန်း", "Khin Myint Thein"),
        ("ບຸນມີ ແສງສະຫວັນ", "Bounmy Sengsavanh"),
        ("ສົມພອນ ພົມມະຈັນ", "Somphone Phommachanh"),
        ("ハーリド・ウマル", "Khalid Umar"),
        ("ユースフ・ナッサール", "Yusuf Nassar"),
    ],
)
def test_a_syllable_script_meets_its_romanisation(written: str, latin: str) -> None:
    same = compare_two(written, latin)
    assert same.score > HIT
    assert not any(t.level in ("conflict", "missing", "surname_conflict") for t in same.terms)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("အောင်", "Aung"),  # the rhyme -ောင်
        ("နိုင်", "Naing"),  # -ိုင်
        ("သိန်း", "Thein"),  # -ိန်
        ("စိုး", "Soe"),  # the high o
        ("ဖြိုး", "Phyo"),  # … but not after a medial
        ("ရွှေ", "Shwe"),  # ra with the ha medial
        ("လှ", "Hla"),
        ("ကြည်", "Kyi"),
        ("ချစ်", "Chit"),
        ("မြင့်", "Myint"),  # creaky after a nasal: -nt
        ("ညွန့်", "Nyunt"),
        ("အောင်ဆန်းစုကြည်", "Aung Hsan Su Kyi"),  # one syllable, one Latin word
    ],
)
def test_burmese_is_spelled_by_its_rhymes(written: str, read: str) -> None:
    assert romanise(written) == read


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("ແສງສະຫວັນ", "sengsavan"),  # the vowel before its consonant; ຫ only a tone
        ("ເພັດ", "phed"),  # the mai kan under a leading e only shortens it
        ("ພອນ", "phon"),  # ອ after a consonant is o
        ("ບົວພັນ", "buaphan"),
        ("ຫຼວງ", "luang"),
    ],
)
def test_lao_vowels_are_read_in_the_order_they_are_said(written: str, read: str) -> None:
    assert romanise(written) == read


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("ムハンマド", "Muhammado"),  # no sign of a foreign name: Hepburn only, ン as m
        ("ムハンマド・アリ", "Muhammad Ari"),  # the nakaguro: a foreign name
        ("アフマド・ハサン", "Ahmad Hasan"),  # フ before a consonant is h
        ("ユースフ", "Yusuf"),  # never two vowels dropped in a row
        ("イブラヒム・カリーム", "Ibrahim Karim"),
        ("ファーティマ", "Fatima"),  # small vowels
        ("マフムード・アッバース", "Mahmud Abbas"),  # ッ doubles
        ("スズキ イチロウ", "Suzuki Ichirou"),  # a Japanese name keeps its vowels
        ("ホンマ", "Homma"),
    ],
)
def test_katakana_reads_a_foreign_name_without_the_vowels_it_adds(written: str, read: str) -> None:
    assert romanise(written) == read


def test_burmese_names_of_other_syllables_stay_apart() -> None:
    assert compare_two("ကျော် ဇော် ထွန်း", "Kyaw Min Naing").score < 0.05


@pytest.mark.parametrize(
    ("written", "latin"), [("리영호", "Ri Yong Ho"), ("림광철", "Rim Kwang Chol")]
)
def test_a_korean_syllables_first_rieul_is_r(written: str, latin: str) -> None:
    # North Korea keeps the initial ㄹ and writes it r; the letter tables wrote l (Li).
    assert romanise(written).startswith(latin[:2])
    assert compare_two(written, latin).score > HIT
