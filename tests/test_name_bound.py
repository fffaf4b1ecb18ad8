"""The names' bound that lets ranking stop early (`name_bound.py`, `compare_features`'
`floor`) is never below the weight itself, and a comparison stopped early would not have
reached its floor; one that is not stopped is the same comparison. Invented names only.
"""

from __future__ import annotations

import zlib
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftfhub.domain import Name, PartialDate, RecordData
from ftfhub.index import ScreeningIndex
from ftfhub.index.screening import floor_weight
from ftfhub.matching.compare import compare_features
from ftfhub.matching.features import name_features, record_features
from ftfhub.matching.name_bound import bound_holds, name_bound
from ftfhub.matching.name_compare import align_names, finish_names
from ftfhub.matching.parameters import DEFAULT, Parameters, probability

WORDS = ["karlo", "venbrost", "tilmar", "oudrik", "belhadj", "zarnoff", "mirel", "hasdun",
         "abdelkarim", "qorvani", "elmaz", "saruk", "janvel", "ivrandi"]  # fmt: skip
PARTICLES = ["al", "el", "ben", "bin", "abu", "umm", "abd", "van", "de"]


def _slip(word: str, k: int) -> str:
    k %= max(len(word), 1)
    return word[:k] + word[k + 1 :] if len(word) > 3 else word + "a"


@st.composite
def name_pair(draw: st.DrawFn) -> tuple[str, str]:
    """A name of one to four invented words (a particle now and then) and another written
    from it: the same, a letter dropped, two words joined or one split, the order turned,
    an initial, a word replaced, surname first with a comma, or a name of its own."""
    words = draw(st.lists(st.sampled_from(WORDS + PARTICLES), min_size=1, max_size=4))
    other = list(words)
    for _ in range(draw(st.integers(0, 3))):
        change = draw(st.integers(0, 7))
        k = draw(st.integers(0, len(other) - 1)) if other else 0
        if not other:
            other = [draw(st.sampled_from(WORDS))]
        elif change == 0:
            other[k] = _slip(other[k], draw(st.integers(0, 9)))
        elif change == 1 and k + 1 < len(other):
            other[k : k + 2] = [other[k] + other[k + 1]]
        elif change == 2 and len(other[k]) >= 6:
            other[k : k + 1] = [other[k][:3], other[k][3:]]
        elif change == 3:
            other.reverse()
        elif change == 4:
            other[k] = other[k][0]
        elif change == 5:
            other[k] = draw(st.sampled_from(WORDS))
        elif change == 6 and len(other) >= 2:
            other = [other[-1] + ",", *other[:-1]]
        else:
            other = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
    return " ".join(words), " ".join(other) or words[0]


def _freq(salt: int) -> object:
    """A part frequency between one in a million and one in three, fixed per part."""

    def freq(key: str) -> float:
        return 10 ** -(1 + (zlib.crc32(f"{salt}{key}".encode()) % 500) / 100)

    return freq


@settings(max_examples=400, deadline=None)
@given(name_pair(), st.integers(0, 1000))
def test_the_bound_is_never_below_the_names_weight(pair: tuple[str, str], salt: int) -> None:
    freq = _freq(salt)
    for a, b in (pair, pair[::-1]):
        aligned = align_names(name_features(a), name_features(b))
        weight, _ = finish_names(aligned, freq, DEFAULT, explain=False)  # type: ignore[arg-type]
        assert name_bound(aligned, freq, DEFAULT) >= weight - 1e-9, (a, b)  # type: ignore[arg-type]


def _record(rid: str, kind: str, names: list[str], born: str, nat: str) -> RecordData:
    dates = (PartialDate(int(born[:4]), int(born[5:7]), int(born[8:])),) if born else ()
    named = tuple(Name(n, "primary" if k == 0 else "alias") for k, n in enumerate(names))
    return RecordData(rid, kind, named, dates, (nat,) if nat else ())


BORN = st.sampled_from(["", "1987-04-08", "1987-08-04", "1990-01-30", "1961-12-01"])


@settings(max_examples=300, deadline=None)
@given(
    name_pair(),
    st.lists(name_pair(), max_size=2),
    BORN,
    BORN,
    st.sampled_from(["", "FR", "TN"]),
    st.floats(-6.0, 6.0),
    st.integers(0, 1000),
)
def test_a_comparison_stopped_at_its_floor_would_not_have_reached_it(
    pair: tuple[str, str],
    aliases: list[tuple[str, str]],
    born_a: str,
    born_b: str,
    nat: str,
    offset: float,
    salt: int,
) -> None:
    """Every kind of name (aliases, kunyas: a second pair of names counts), floors either
    side of the weight: stopped, the weight is under the floor and under the bound given;
    not stopped, the comparison is the very one made without a floor."""
    a = record_features(_record("q", "travel", [pair[0], *(x for x, _ in aliases)], born_a, nat))
    b = record_features(
        _record("r", "watchlist", [pair[1], *(y for _, y in aliases)], born_b, "FR")
    )
    freq = _freq(salt)
    exact = compare_features(a, b, freq, DEFAULT, explain=False)  # type: ignore[arg-type]
    floor = exact.weight + offset
    found = compare_features(a, b, freq, DEFAULT, explain=False, floor=floor)  # type: ignore[arg-type]
    if found.bounded:
        assert exact.weight <= found.weight < floor
        assert found.score <= probability(floor)
    else:
        assert found == exact


def test_a_pair_whose_names_differ_stops_and_one_that_agrees_does_not() -> None:
    """The bound is useful, not only safe: a given name shared with another family name
    stops under a floor the whole name clears."""
    query = record_features(_record("q", "travel", ["Tilmar Venbrost"], "1987-04-08", ""))
    other = record_features(_record("r", "watchlist", ["Tilmar Qorvani"], "1987-04-08", ""))
    same = record_features(_record("s", "watchlist", ["Tilmar Venbrost"], "1987-04-08", ""))
    freq = _freq(7)
    floor = compare_features(query, same, freq, DEFAULT, explain=False).weight - 1.0  # type: ignore[arg-type]
    stopped = compare_features(query, other, freq, DEFAULT, explain=False, floor=floor)  # type: ignore[arg-type]
    assert stopped.bounded and stopped.score < probability(floor)
    kept = compare_features(query, same, freq, DEFAULT, explain=False, floor=floor)  # type: ignore[arg-type]
    assert not kept.bounded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Karlo Venbrost", "Karlo Venbrost"),  # a whole name: the bonus is in the bound
        ("Belhadj Karlo", "Bel Hadj Karlo"),  # two words written as one on one side
        ("Bel Hadj Karlo", "Belhadj Karlo"),
        ("Abu Tilmar", "Abu Tilmar"),  # a kunya alone
        ("VENBROST, Karlo Tilmar", "Karlo Tilmar Venbrost"),
    ],
)
def test_the_bound_holds_where_it_is_tightest(a: str, b: str) -> None:
    freq = _freq(3)
    aligned = align_names(name_features(a), name_features(b))
    weight, _ = finish_names(aligned, freq, DEFAULT, explain=False)  # type: ignore[arg-type]
    bound = name_bound(aligned, freq, DEFAULT)  # type: ignore[arg-type]
    assert weight - 1e-9 <= bound <= weight + 2 * 12.0  # not far above either


def test_a_model_that_breaks_the_argument_bounds_nothing() -> None:
    """A model whose conflicts counted for, or whose decays exceeded 1, could weigh more
    than the bound: then nothing is bounded, and nothing stops early."""
    aligned = align_names(name_features("Karlo Venbrost"), name_features("Karlo Qorvani"))
    for changed in ({"conflicting_part": 1.0}, {"given_name_decay": 1.5}):
        params: Parameters = replace(DEFAULT, **changed)  # type: ignore[arg-type]
        assert not bound_holds(params)
        assert name_bound(aligned, lambda _k: 0.01, params) == float("inf")
    assert bound_holds(DEFAULT)


def test_the_floor_weight_scores_under_its_threshold() -> None:
    for threshold in (1e-9, 0.05, 0.3, 0.5, 0.9, 0.999999):
        floor = floor_weight(threshold)
        assert floor is not None and probability(floor) < threshold
        assert probability(floor + 1e-6) >= threshold
    assert floor_weight(0.0) is None and floor_weight(1.0) is None


def test_screening_finds_the_same_with_the_early_exit() -> None:
    """An index's matches are those of the full comparison of every candidate."""
    holdings = [
        _record(f"r{k}", "watchlist", [name], "1987-04-08", "FR")
        for k, name in enumerate(
            [
                "Tilmar Venbrost",
                "Tilmar Qorvani",
                "Karlo Venbrost",
                "Abu Tilmar",
                "Tilmar Venbrostt",
            ]
        )
    ]
    index = ScreeningIndex.build((r.record_id, r) for r in holdings)
    query = _record("q", "travel", ["Tilmar Venbrost"], "1987-04-08", "FR")
    features = record_features(query)
    found = index.screen(query, threshold=0.5)
    full = [index.compare(features, index.positions[r.record_id], explain=False) for r in holdings]
    expected = {r.record_id for r, c in zip(holdings, full, strict=True) if c.score >= 0.5}
    assert {m.key for m in found} == expected and expected
