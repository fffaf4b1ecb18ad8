"""The Arabic article fused as a bare `l` (`Labidi` for al-Abidi): read apart on evidence only,
never for every Latin name that starts with `l` and a vowel. Invented names throughout."""

from __future__ import annotations

import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.matching.features import name_features
from ftfhub.matching.part_levels import RANK, part_level
from ftfhub.services.compare import compare_two


def _surnames(a: str, b: str) -> tuple[str, float]:
    found = part_level(name_features(a).parts[-1], name_features(b).parts[-1])
    assert found == part_level(name_features(b).parts[-1], name_features(a).parts[-1])
    return found


@pytest.mark.parametrize(
    ("fused", "written"),
    [
        ("Samir Labidi", "Samir Al-Abidi"),  # the article written apart
        ("Samir Laabidi", "Samir Al Abidi"),
        ("Samir Lamari", "Samir El Amari"),
        ("Samir Lahmar", "Samir Al-Ahmar"),
        ("Samir Lazrak", "Samir Al-Azraq"),
        ("Samir Lansari", "Samir Al-Ansari"),
        ("Samir Lamari", "Samir Amari"),  # no article, a nisba stem
        ("Samir Labidi", "Samir Abidi"),
    ],
)
def test_a_fused_l_article_meets_its_al_form_as_a_spelling_variant(
    fused: str, written: str
) -> None:
    assert _surnames(fused, written)[0] == "variant"


def test_the_stem_keeps_its_own_level() -> None:
    # Abidi and Obaidi are only a close spelling of each other; with the article no closer.
    assert _surnames("Samir Abidi", "Samir Obaidi")[0] == "close"
    assert _surnames("Samir Labidi", "Samir Al-Obaidi")[0] == "close"
    # With no article written, only the same stem: a real `l` opens Persian names too.
    assert _surnames("Samir Labidi", "Samir Obaidi")[0] == ""
    assert _surnames("Claudia Larijani", "Claudia Arana")[0] == ""


def test_an_article_fused_on_the_other_side_is_no_evidence() -> None:
    # `Alberto` and `Elena` open with the letters of an article.
    assert _surnames("Mario Leebert", "Mario Alberto")[0] == ""


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Lina Laurent", "Lina Aurent"),
        ("Lina Lopez", "Lina Opez"),
        ("Lina Lukas", "Lina Ukas"),
        ("Tom Lina", "Tom Ina"),
        ("Tom Lahmar", "Tom Ahmar"),  # a stem that is no nisba, and no article written
    ],
)
def test_without_evidence_an_l_name_keeps_its_identity(name: str, stem: str) -> None:
    level, _ = _surnames(name, stem)
    assert RANK.get(level, 0) < RANK["variant"]


def test_the_benchmark_case_now_pairs_the_surnames() -> None:
    same = compare_two("Raiane Labidi", "Rayan Al-Obaidi", "1992-01-05", "1992-01-05")
    other = compare_two("Raiane Labidi", "Rayan Al-Ahmadi", "1992-01-05", "1992-01-05")
    assert not any("on one side only" in t.detail for t in same.terms)
    assert same.weight > other.weight + 2


def _person(key: str, name: str, kind: str = "watchlist") -> RecordData:
    born = (PartialDate(1992, 1, 5),)
    return RecordData(record_id=key, kind=kind, names=(Name(name),), birth_dates=born)


def test_screening_finds_the_al_form_from_the_fused_spelling() -> None:
    records = [
        ("r1", _person("r1", "Rayan Al-Obaidi")),
        ("r2", _person("r2", "Rayan Al-Amari")),
        ("r3", _person("r3", "Rayan Laurent")),
    ]
    index = ScreeningIndex.build(records)
    found = {m.key for m in index.screen(_person("t", "Raiane Labidi", "travel"), 10, 0.5)}
    assert found == {"r1"}
    found = {m.key for m in index.screen(_person("t", "Rayan Lamari", "travel"), 10, 0.5)}
    assert found == {"r2"}
