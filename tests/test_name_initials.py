"""Initials written together (`JP`), dotted (`J.P.`, `J. P.`) or hyphenated (`J-P`) are two
initials, worth an initial's evidence and never a whole given name's; two-letter names stay
names. Every name here is invented."""

from __future__ import annotations

import pytest

from ftfhub.names.structure import parse_name
from ftfhub.services.compare import compare_two

HIT = 0.7  # the default hit threshold (settings.hit_threshold)


@pytest.mark.parametrize(
    "written", ["JP Vollbrecht", "J.P. Vollbrecht", "J. P. Vollbrecht", "J-P Vollbrecht",
                "jp vollbrecht", "JP VOLLBRECHT", "VOLLBRECHT, JP", "VOLLBRECHT<<JP"],
)  # fmt: skip
def test_initials_however_written_are_two_initials(written: str) -> None:
    roles = sorted(p.role for p in parse_name(written).parts)
    assert roles == ["initial", "initial", "name"], written
    found = compare_two(written, "Jean-Pierre Vollbrecht")
    assert found.score > 0.3, written
    assert any(t.level == "initial" for t in found.terms), written
    # An initial is never worth the whole given name.
    assert found.weight < compare_two("Jean-Pierre Vollbrecht", "Jean Pierre Vollbrecht").weight


@pytest.mark.parametrize(
    "written", ["LI Wei", "NG Kok Wah", "Bo Lindqvist", "Ed Marlow", "HO Van Minh", "MD Rahman",
                "Dr Vollbrecht", "Tomas Vollbrecht JR", "KIM, Ch'ol", "CH'OE, Pu-il",
                "SWE, Khin Mg"],
)  # fmt: skip
def test_two_letter_names_and_abbreviations_stay_whole(written: str) -> None:
    assert not any(p.role == "initial" for p in parse_name(written).parts), written


def test_run_together_initials_meet_their_dotted_form_not_other_initials() -> None:
    assert compare_two("JP Vollbrecht", "J.P. Vollbrecht").score > HIT
    assert compare_two("JP Vollbrecht", "Karl Heinz Vollbrecht").score < 0.1


def test_an_initial_left_over_is_said_not_hidden() -> None:
    found = compare_two("J. P. Vollbrecht", "Jean Vollbrecht")
    complete = [t.detail for t in found.terms if t.level == "complete"]
    assert complete and "initial p on one side only" in complete[0]
    whole = compare_two("J. P. Vollbrecht", "Jean Pierre Vollbrecht")
    assert [t.detail for t in whole.terms if t.level == "complete"] == [
        "every name part has its counterpart"
    ]


def test_two_consonant_abbreviations_are_shortened_names() -> None:
    # `Md` (Muhammad) and `Mg` (Maung) count as a shortened name, never as the whole name.
    md = compare_two("Md Jahangir Alam", "Mohammed Jahangir Alam")
    assert any(t.level == "prefix" for t in md.terms)
    exact = compare_two("Mohammed Jahangir Alam", "Mohammed Jahangir Alam")
    shortened = next(t.weight for t in md.terms if t.level == "prefix")
    assert shortened < next(t.weight for t in exact.terms if "mohammed ~ mohammed" in t.detail)
    assert compare_two("SWE, Khin Mg", "SWE, Khin Maung").score > HIT
    assert compare_two("Md Rahman", "Mustafa Rahman").score < 0.1
