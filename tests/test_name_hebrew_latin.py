"""Hebrew names against their Latin spellings: a final h that writes the final ה, and a
Hebrew word's rarity read from its Latin spelling, not from its consonants alone. Invented
names only."""

from __future__ import annotations

import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name
from ftfhub.index import ScreeningIndex
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
        ("Itzhak Levy", "יצחק לוי"),  # a first י written I (and Yi: Yitzchak)
        ("Yitzchak Levi", "יצחק לוי"),
        ("Igal Alon", "יגאל אלון"),
    ],
)
def test_hebrew_names_meet_their_latin_spellings(latin: str, hebrew: str) -> None:
    assert compare_two(latin, hebrew).score > HIT


def test_other_hebrew_names_still_differ() -> None:
    assert compare_two("Sara Levi", "רחל לוי").score < HIT
    assert compare_two("Moshe Levi", "משה כהן").score < HIT


def test_a_first_i_is_a_first_yod_only() -> None:
    # `Zach` writes the same consonants as יצחק without its first י: not the same name.
    assert compare_two("Zach Levi", "יצחק לוי").score < 0.1
    assert compare_two("Shaul Levi", "יצחק לוי").score < 0.1


def test_a_first_yod_written_i_is_found_by_screening() -> None:
    index = ScreeningIndex()
    index.add("h", RecordData(record_id="h", kind="watchlist", names=(Name("יצחק רוזנשטרן"),)))
    query = RecordData(record_id="q", kind="travel", names=(Name("Itzhak Rosenshtern"),))
    assert [m.key for m in index.screen(query, limit=1, threshold=0.0)] == ["h"]
