"""Scores that mean the same everywhere: the shipped population, and structure that counts
against as well as for. Invented names only."""

from __future__ import annotations

from ftfhub.matching.compare import Comparison
from ftfhub.matching.features import name_features
from ftfhub.matching.frequency import population_frequency
from ftfhub.services.compare import compare_two

HIT = 0.7


def test_an_exact_uncommon_name_without_holdings_is_a_hit() -> None:
    assert compare_two("Olaf Brandtner", "Olaf Brandtner").score > HIT
    # An Arabic name against its exact Arabic-script form (invented names).
    assert compare_two("Nabil Zeroual", "نبيل زروال").score > HIT
    assert compare_two("Yassin Belhadj Amrouche", "ياسين بلحاج عمروش").score > HIT


def test_a_common_name_is_weaker_and_the_explanation_says_so() -> None:
    common = compare_two("Mohamed Ali", "Mohamed Ali")
    rare = compare_two("Olaf Brandtner", "Olaf Brandtner")
    assert common.score < rare.score
    assert any("common" in str(t.detail) for t in common.terms)


def test_the_population_knows_common_parts() -> None:
    key = name_features("Mohamed").parts[0].freq_key
    rare = name_features("Brandtner").parts[0].freq_key
    assert population_frequency(key) > 20 * population_frequency(rare)


def test_a_different_nisba_on_both_sides_counts_against() -> None:
    same = compare_two("Ahmed Saleh al-Maulid al-Harbi", "Ahmed Saleh al-Maulid al-Harbi")
    other = compare_two("Ahmed Saleh al-Maulid al-Harbi", "Ahmed Saleh al-Maulid al-Subhi")
    assert other.weight < same.weight - 4
    assert any(t.level == "nisba_conflict" for t in other.terms)
    assert not any(t.level == "complete" for t in other.terms)
    assert other.score < HIT


def test_a_different_kunya_or_father_counts_against() -> None:
    kunya = compare_two("Abu Omar al-Shishani", "Abu Bakr al-Shishani")
    assert any(t.level == "kunya_conflict" for t in kunya.terms)
    father = compare_two("Ahmed bin Salim al-Harbi", "Ahmed bin Khalid al-Harbi")
    assert any(t.level == "patronymic_conflict" for t in father.terms)
    assert father.weight < compare_two("Ahmed al-Harbi", "Ahmed bin Khalid al-Harbi").weight


def test_a_different_family_name_on_both_sides_counts_against() -> None:
    # A surname on one side and a family nisba on the other: two families, not a part missing.
    same = compare_two("Nawal Bouchentouf", "Nawel Bouchentouf")
    other = compare_two("Nawal Bouchentouf", "Nawel El-Ouazzani")
    assert other.weight < same.weight - 10
    family = [t for t in other.terms if t.level == "surname_conflict"]
    assert family and "bouchentouf / ouazzani" in family[0].detail
    assert not any(t.level in ("missing", "complete") for t in other.terms)
    assert other.score < 0.01


def test_a_surname_first_name_has_its_family_name_too() -> None:
    # Written surname first on one side (a passport's MRZ), given names first on the other.
    other = compare_two("TAHIRI<<SAMIR", "Samir El Kettani")
    assert any(t.level == "surname_conflict" for t in other.terms)
    assert compare_two("TAHIRI<<SAMIR", "Samir Tahiri").score > HIT


def test_the_rarer_the_family_names_the_stronger_the_evidence_against() -> None:
    common = compare_two("Yousra Benhadda Ali", "Yousra Benhadda Hassan")
    rare = compare_two("Yousra Benhadda Zerktouni", "Yousra Benhadda Ouarzazi")

    def against(found: Comparison) -> float:
        return sum(t.weight for t in found.terms if t.level == "surname_conflict")

    assert against(rare) < against(common) < 0


def test_dropping_the_family_name_or_a_nisba_is_no_conflict() -> None:
    # An alias without the family name, or with a nisba the other leaves out.
    dropped = compare_two("Karim Mostefa Haddouche", "Karim Mostefa")
    assert not any("conflict" in t.level for t in dropped.terms)
    nisba = compare_two("Karim Haddouche", "Karim Haddouche al-Wahrani")
    complete = [t for t in nisba.terms if t.level == "complete"]
    assert complete and "nisba wahrani on one side only" in complete[0].detail
    # A longer chain may go on to an ancestor where the other gives the family nisba.
    chain = compare_two("Karim Mostefa Salah Haddouche", "Karim Mostefa al-Wahrani")
    assert not any("conflict" in t.level for t in chain.terms)
    assert any(
        t.level == "surname_conflict"
        for t in compare_two("Karim Mostefa Haddouche", "Karim Mostefa al-Wahrani").terms
    )
    whole = compare_two("Karim Haddouche", "Karim Haddouche")
    assert any(t.detail == "every name part has its counterpart" for t in whole.terms)


def test_family_names_alike_but_not_agreeing_are_not_called_two_families() -> None:
    # `Labidi` read as l'Abidi is close to `Obaidi`: one family's name, spelt far apart.
    alike = compare_two("Nawal Labidi", "Nawel Al-Obaidi")
    assert not any(t.level == "surname_conflict" for t in alike.terms)


def test_a_family_name_in_another_script_is_not_called_another_family() -> None:
    # A Latin surname against an Arabic-script nisba the transliteration may have missed.
    mixed = compare_two("Karim Haddouche", "كريم الحدوشي")
    assert not any(t.level == "surname_conflict" for t in mixed.terms)
