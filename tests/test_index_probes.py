"""The candidate search's small parts, cut for speed (speed7), give what they gave: the
positions a probe finds posted under a part's keys, membership in a query's document and
date postings, a traveller whose keys find nobody, the gender term. Invented names only."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.index import bounds as bounds_module
from ftfhub.index import candidates as candidates_module
from ftfhub.index.candidates import Scratch, posted
from ftfhub.index.postings import EMPTY
from ftfhub.matching.features import record_features
from ftfhub.matching.parameters import DEFAULT


def reference(table: dict[str, np.ndarray], keys: tuple[str, ...], probe: np.ndarray) -> list[int]:
    """What `posted` must give: the probe's positions in any key's postings, in order."""
    posted_under = set().union(*(set(table[k].tolist()) for k in keys))
    return [p for p in probe.tolist() if p in posted_under]


@pytest.mark.parametrize("seed", range(40))
def test_posted_finds_what_a_set_finds(seed: int) -> None:
    rng = np.random.default_rng(seed)
    table = {
        f"k{i}": np.unique(rng.integers(0, 500, size)).astype(np.int32)
        for i, size in enumerate(rng.integers(0, 60, 5))
    }
    table["empty"] = EMPTY
    keys = tuple(rng.permutation([*table])[: rng.integers(1, 7)].tolist())
    for size in (1, 1, 2, 7, 40):  # one position takes its own path
        probe = np.unique(rng.integers(0, 520, size)).astype(np.int32)  # some past every key
        assert posted(table, keys, probe).tolist() == reference(table, keys, probe)


def test_posted_of_one_position_past_the_postings_or_under_no_key() -> None:
    table = {"a": np.array([3, 9], dtype=np.int32), "b": EMPTY}
    one = np.array([9], dtype=np.int32)
    assert posted(table, ("b", "a"), one).tolist() == [9]
    assert posted(table, ("a",), np.array([10], dtype=np.int32)).tolist() == []
    assert posted(table, ("b",), one).tolist() == []
    assert posted(table, ("a", "b"), np.array([2, 3, 10], dtype=np.int32)).tolist() == [3]


def test_membership_in_no_postings_is_none_and_stamps_nothing() -> None:
    scratch = Scratch()
    scratch.ensure(100)
    at = np.array([1, 5, 7], dtype=np.int32)
    stamp = scratch.new_stamp()
    scratch.stamp[at] = stamp
    assert scratch.member(at, [EMPTY, EMPTY]).tolist() == [False, False, False]
    assert scratch.member(at, []).tolist() == [False, False, False]
    assert (scratch.stamp[at] == stamp).all()  # a later part's stamps are left as they were
    found = scratch.member(at, [EMPTY, np.array([5, 6], dtype=np.int32)])
    assert found.tolist() == [False, True, False]


def test_a_traveller_whose_keys_find_nobody_stops_before_the_name_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = ScreeningIndex(DEFAULT)
    for i, name in enumerate(["Idris Vantongeren", "Idris Kalbfleisch", "Soraya Vantongeren"]):
        record = RecordData(record_id=f"r{i}", kind="watchlist", names=(Name(name),))
        index.add(record.record_id, record, "agency-a")
    nobody = RecordData(
        record_id="t1",
        kind="travel",
        names=(Name("QUENTIN ZWIRBELMAYR"),),
        birth_dates=(PartialDate(1971, 4, 2),),
    )

    def weighed(*_: object) -> None:
        raise AssertionError("the name search ran for a traveller nothing found")

    monkeypatch.setattr(candidates_module.NameSearch, "weigh", weighed)
    assert index.candidates(record_features(nobody), 0.5).tolist() == []
    assert index.screen(nobody, 10, 0.0) == []
    assert index.stats["queries"] == 2 and index.stats["candidates"] == 0
    monkeypatch.undo()
    found = RecordData(record_id="t2", kind="travel", names=(Name("IDRIS VANTONGEREN"),))
    assert [m.key for m in index.screen(found, 10, 0.0)][:1] == ["r0"]


@pytest.mark.parametrize("gender", [1, 2])
def test_the_gender_term_per_candidate_is_the_models(gender: int) -> None:
    p = dataclasses.replace(DEFAULT)
    same, other = p.gender_same.weight(), p.gender_different.weight()
    expected = [0.0, same if gender == 1 else other, same if gender == 2 else other, 0.0]
    assert bounds_module._by_gender(p, gender).tolist() == expected
    assert bounds_module._by_gender(p, gender) is bounds_module._by_gender(p, gender)
    # other parameters get their own table, not the one remembered
    changed = dataclasses.replace(p, gender_same=p.gender_different)
    assert bounds_module._by_gender(changed, gender).tolist()[gender] == other
