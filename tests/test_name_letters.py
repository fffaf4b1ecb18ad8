"""Letters of one language's alphabet that the common tables do not take apart.

A Latin letter NFKD leaves whole (Azerbaijani ə, Hausa ɗ ƙ ɓ, Akan ɛ ɔ) was a break in the
name, so `Əli Həsənov` read as `li h s nov`; a Pashto, Kurdish or Uyghur letter outside
Arabic's was dropped, so `ګل` lost its g. All names are invented.
"""

from __future__ import annotations

import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name
from ftfhub.index import ScreeningIndex
from ftfhub.names import arabic
from ftfhub.names.latin import fold
from ftfhub.names.structure import parse_name
from ftfhub.services.compare import compare_two

HIT = 0.7  # the default hit threshold


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Rəşad Həsənli", "rashad hasanli"),  # Azerbaijani ə, written a
        ("Ɗanladi Ƙwairanga", "danladi kwairanga"),  # Hausa hooked letters
        ("Kɔfi Mɛnsa", "kofi mensa"),  # Akan open vowels
    ],
)
def test_a_latin_letter_of_its_own_is_a_letter_not_a_break(written: str, folded: str) -> None:
    assert fold(written) == folded
    assert len(parse_name(written).parts) == 2


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("Rəşad Həsənli", "Rashad Hasanli"),
        ("Elnur Məmmədzadə", "Elnur Mammadzada"),
        ("Ɗanladi Ƙwairanga", "Danladi Kwairanga"),
        ("Kɔfi Mɛnsa Adjeibo", "Kofi Mensa Adjeibo"),
    ],
)
def test_a_name_with_such_letters_meets_its_plain_spelling(written: str, latin: str) -> None:
    same = compare_two(written, latin)
    assert same.score > HIT
    assert not any(t.level in ("conflict", "missing") for t in same.terms)


@pytest.mark.parametrize(
    ("pashto", "arabic_letters"),
    [("ګلاب", "گلاب"), ("ټکړ", "تكر"), ("ځدراڼ", "زدران"), ("ښکلې", "شكلي")],
)
def test_pashto_letters_are_read_as_the_sounds_latin_writes(
    pashto: str, arabic_letters: str
) -> None:
    assert arabic.normalise(pashto) == arabic_letters


@pytest.mark.parametrize(
    ("pashto", "latin"),
    [("زلمی ځدراڼ", "Zalmai Zadran"), ("ګلاب خان ډاډوال", "Gulab Khan Dadwal")],
)
def test_a_pashto_name_meets_its_romanisation(pashto: str, latin: str) -> None:
    same = compare_two(pashto, latin)
    assert same.score > HIT
    assert len([t for t in same.terms if t.feature == "name" and t.weight > 0]) >= 3


def test_screening_finds_a_name_written_with_such_letters() -> None:
    held = [("az", "Rəşad Həsənli"), ("ps", "ګلاب خان ډاډوال"), ("other", "Rashid Hassan")]
    index = ScreeningIndex()
    for key, written in held:
        index.add(key, RecordData(record_id=key, kind="watchlist", names=(Name(written),)))
    for query, key in (("Rashad Hasanli", "az"), ("Gulab Khan Dadwal", "ps")):
        record = RecordData(record_id="q", kind="watchlist", names=(Name(query),))
        found = index.screen(record, limit=1, threshold=0.0)
        assert [m.key for m in found] == [key]
