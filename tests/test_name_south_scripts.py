"""Tamil, Telugu, Kannada, Malayalam and Sinhala names meet their romanisations.

These scripts write a consonant's vowel a by leaving the consonant bare, and say it at a
word's end too (`రామ` Rama), where Hindi drops it (`राम` Ram). The letter tables left it
out (`ருத்ரன்` rutrn, `කමල්` kml). All names are invented.
"""

from __future__ import annotations

import pytest

from ftfhub.names.romanise import romanise
from ftfhub.services.compare import compare_two

HIT = 0.7  # the default hit threshold


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("சரவணன் பிச்சை", "Saravanan Pichai"),  # Tamil
        ("ருத்ரன் செல்வராஜ்", "Rudran Selvaraj"),
        ("చంద్రశేఖర్ రెడ్డి", "Chandrashekhar Reddy"),  # Telugu
        ("ರವಿ ಶಂಕರ್ ಗೌಡ", "Ravi Shankar Gowda"),  # Kannada
        ("കമല മേനോൻ", "Kamala Menon"),  # Malayalam
        ("කමල් ජයසූරිය", "Kamal Jayasuriya"),  # Sinhala
    ],
)
def test_a_southern_script_meets_its_romanisation(written: str, latin: str) -> None:
    same = compare_two(written, latin)
    assert same.score > HIT
    assert not any(t.level in ("conflict", "missing") for t in same.terms)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("கமல", "kamala"),  # a bare consonant at the end carries a
        ("கமல்", "kamal"),  # with the virama it does not
        ("ರವಿ", "ravi"),
        ("කමල් ජයසූරිය", "kamal jayasuriya"),
    ],
)
def test_the_inherent_vowel_is_written_at_a_words_end_too(written: str, read: str) -> None:
    assert romanise(written) == read


def test_tamil_ca_is_s_but_ch_when_doubled_or_after_a_nasal() -> None:
    assert romanise("சரவணன்") == "saravanan"
    assert romanise("பிச்சை") == "pichai"
    assert romanise("பஞ்சவர்ணம்") == "panchavarnam"


def test_the_nasal_sign_is_m_only_before_a_labial() -> None:
    assert romanise("ಶಂಕರ್") == "shankar"
    assert romanise("ಚಂಪಾ") == "champa"
