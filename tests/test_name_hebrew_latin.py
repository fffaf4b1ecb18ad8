"""Hebrew names against their Latin spellings: a final h that writes the final ה, and a
Hebrew word's rarity read from its Latin spelling, not from its consonants alone. Invented
names only."""

from __future__ import annotations

import pytest

from ftfhub.services.compare import compare_two

HIT = 0.7


@pytest.mark.parametrize(
    ("latin", "hebrew"),
    [
        ("Sara Levi", "שרה לוי"),  # before: 0.22 (a Hebrew word's count read through Arabic)
        ("Sarah Levy", "שרה לוי"),  # before: 0.05 (the final h of Sarah is the final ה)
        ("Leah Mizrahi", "לאה מזרחי"),
        ("Noah Levinson", "נח לוינסון"),  # Noah's h is the consonant ח
        ("Noa Biton", "נועה ביטון"),
    ],
)
def test_hebrew_names_meet_their_latin_spellings(latin: str, hebrew: str) -> None:
    assert compare_two(latin, hebrew).score > HIT


def test_other_hebrew_names_still_differ() -> None:
    assert compare_two("Sara Levi", "רחל לוי").score < HIT
    assert compare_two("Moshe Levi", "משה כהן").score < HIT
