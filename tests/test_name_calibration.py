"""Scores that mean the same everywhere: the shipped population, and structure that counts
against as well as for. Invented names only."""

from __future__ import annotations

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
