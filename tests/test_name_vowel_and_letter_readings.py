"""Spelling conventions that write one sound with other letters, read as the same name.

Uzbek Latin writes kh as x (`Xurshid` Khurshid), which every other Latin convention but
Pinyin's reads ks; Persian, Turkish and Urdu say ض ذ ظ as z and ث as s, and write the fatha
e (`رضا` Reza, where Arabic writes Rida); French, German and Persian spellings write the
Arabic diphthong ay as ei where English writes ai (`Obeidi` Ubaidi); German writes the
Turkish ö and ü as oe and ue (`Oezkan` Özkan). All names are invented.
"""

from __future__ import annotations

import pytest

from ftfhub.names.latin import soft_forms
from ftfhub.services.compare import compare_two

HIT = 0.7  # the default hit threshold


def _level(a: str, b: str, part: str) -> str:
    """The level of the term that names `part` when `a` and `b` are compared."""
    terms = compare_two(a, b).terms
    return next(t.level for t in terms if part in t.detail)


@pytest.mark.parametrize(
    ("uzbek", "other"),
    [
        ("Xurshid Xoliqov", "Khurshid Khaliqov"),
        ("Хуршид Холиқов", "Xurshid Xoliqov"),  # Uzbek Cyrillic against Uzbek Latin
        ("Gʻayrat Toʻxtayev", "Gayrat Tukhtayev"),
        ("Baxtiyor Yoʻldoshev", "Bakhtiyor Yuldashev"),
    ],
)
def test_uzbek_latin_x_is_kh(uzbek: str, other: str) -> None:
    same = compare_two(uzbek, other)
    assert same.score > HIT
    assert not any(t.level in ("conflict", "surname_conflict") for t in same.terms)


@pytest.mark.parametrize(
    "token", ["xu", "xiaoming", "xin", "alex", "felix", "maxim", "alexandrov", "oxana"]
)
def test_pinyin_x_and_a_final_or_intervocalic_x_are_not_read_as_kh(token: str) -> None:
    assert not any("h" in form for form in soft_forms(token))


def test_a_pinyin_name_does_not_meet_another_surname_through_the_uzbek_reading() -> None:
    assert compare_two("Xu Lianjie", "Hu Lianjie").score < HIT


@pytest.mark.parametrize(
    ("persian", "latin"),
    [
        ("رضا رضایی", "Reza Rezaei"),
        ("غلامرضا میرزایی", "Gholamreza Mirzaei"),
        ("مرتضی فاضلی", "Morteza Fazeli"),
    ],
)
def test_persian_reads_zad_and_its_kin_as_z(persian: str, latin: str) -> None:
    same = compare_two(persian, latin)
    assert same.score > HIT
    assert all(t.level in ("transliteration", "complete", "names", "prior") for t in same.terms)


def test_the_arabic_reading_of_zad_still_meets_its_arabic_spelling() -> None:
    assert _level("رضا الحسيني", "Rida al-Husseini", "rida") == "transliteration"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Khaled Obeidi", "Khaled Ubaidi"),  # ei for ai and o for u of one spelling
        ("Hossein Hosseini", "Husain Husaini"),
        ("Murat Oezken", "Murat Ozkan"),  # German oe for the Turkish ö
        ("Tarkan Oezguevenc", "Tarkan Özgüvenç"),  # and ue for ü
    ],
)
def test_the_diphthong_and_the_umlaut_are_spelling_variants(a: str, b: str) -> None:
    same = compare_two(a, b)
    assert same.score > HIT
    assert all(t.level not in ("close", "similar") for t in same.terms)


def test_the_silent_u_of_gue_is_kept() -> None:
    assert soft_forms("miguel") == ("miguel",)


def test_other_vowels_still_make_other_names() -> None:
    # ei/ai and oe/o are readings of one sound; a vowel of another sound is another name.
    assert compare_two("Karim Obeidi", "Karim Abdi").score < 0.05
    assert compare_two("Sami Reis", "Sami Ruiz").score < HIT


@pytest.mark.parametrize(("a", "b"), [("wei", "wai"), ("lei", "lai"), ("mei", "mai")])
def test_a_chinese_syllable_keeps_ei_apart_from_ai(a: str, b: str) -> None:
    assert set(soft_forms(a)).isdisjoint(soft_forms(b))


@pytest.mark.parametrize("token", ["alekseyev", "sergeyev", "huseyin"])
def test_e_before_a_glide_is_no_diphthong(token: str) -> None:
    # Slavic -eyev and Turkish -eyin: e, then y opening the next syllable.
    assert not any("ai" in form for form in soft_forms(token))


def test_slavic_names_of_one_stem_do_not_meet_through_the_readings() -> None:
    assert compare_two("Vladimir Alexandrov", "Vladimir Alexseyev").score < 0.05
