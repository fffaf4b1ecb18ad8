"""Belarusian, Ukrainian and Russian forms of one name, in Latin and Cyrillic, both ways.
Invented names only."""

from __future__ import annotations

import pytest

from ftfhub.services.compare import compare_two

HIT = 0.7


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Dzmitriy Kavalenka", "Dmitry Kavalenka"),  # before: 0.00, "given names differ"
        ("Дзмітрый Каваленка", "Dmitry Kavalenka"),
        ("Ihar Tsiareshka", "Igor Tsiareshka"),  # Belarusian Ihar, Russian Igor
        ("Сяргей Каваленка", "Sergei Kavalenka"),
        ("Уладзімір Каваленка", "Vladimir Kavalenka"),
        ("Oleksandr Kovalenko", "Александр Коваленко"),
        ("Mykola Kovalenko", "Николай Коваленко"),
        ("Аляксандр Каваленка", "Aleksandr Kavalenka"),
    ],
)
def test_east_slavic_forms_of_one_given_name(a: str, b: str) -> None:
    assert compare_two(a, b).score > HIT
    assert compare_two(b, a).score > HIT


def test_a_belarusian_surname_end_is_the_russian_one() -> None:
    # -ou/-au (the Belarusian ў) is the Russian -ov: before, "surnames differ" or a typing slip.
    for a, b, stem in (
        ("Anton Zamirau", "Anton Zamirov", "zamir"),
        ("Ihar Kavaliou", "Igor Kovalyov", "kaval"),
    ):
        found = compare_two(a, b)
        assert found.score > HIT
        assert any(t.level == "variant" and stem in t.detail for t in found.terms)
    assert (
        compare_two("Anton Zamirau", "Anton Zamirin").score
        < compare_two("Anton Zamirau", "Anton Zamirov").score
    )
