"""The candidate search's parts cut for speed (speed7) give what they gave: the positions a
probe finds posted under a part's keys, membership in a query's document and date postings,
a traveller whose keys find nobody, the gender term, the keys of years the birth-date filter
drops whole. Invented names only."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Document, Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.index import bounds as bounds_module
from ftfhub.index import candidates as candidates_module
from ftfhub.index import offyears as offyears_module
from ftfhub.index import search as search_module
from ftfhub.index.candidates import Scratch, posted
from ftfhub.index.postings import EMPTY
from ftfhub.index.search import SearchKeys
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


# --- keys joined to a year the birth-date filter drops whole (`offyears.py`) -------------

MILLION = dataclasses.replace(DEFAULT, prior_weight=-20.6, prior_weight_travel=-24.1)
FAMILIES = ("Haddad", "Bennani", "Chaoui", "Azouzi", "Mansouri", "Tahiri", "Lamrani")


def karims() -> list[tuple[str, RecordData]]:
    """A given name over the key cap, borne in the traveller's year and the years beside it,
    some with several birth dates, one known by a passport."""
    out = []
    for i in range(160):
        year = 1956 + i % 3
        dates = (PartialDate(year, 1 + i % 12, 1 + i % 28),)
        if i % 10 == 0:  # several dates: another date code than the year's alone
            dates = (*dates, PartialDate(1941, 5, 9))
        documents = (Document("P", "FR", "KQ5520913"),) if i == 7 else ()
        record = RecordData(
            record_id=f"r{i}",
            kind="watchlist",
            names=(Name(f"Karim {FAMILIES[i % len(FAMILIES)]}"),),
            birth_dates=dates,
            gender="m",
            documents=documents,
        )
        out.append((record.record_id, record))
    # others, so that the family names are rare enough to read by their keys joined to years
    syllables = ("ta", "lor", "mi", "vek", "su", "dar", "no", "pel", "ri", "gas")
    for i in range(3000):
        given = syllables[i % 10].title() + syllables[(i // 10) % 10] + "n"
        family = syllables[(i // 100) % 10].title() + syllables[i % 7] + syllables[(i // 7) % 10]
        record = RecordData(
            record_id=f"f{i}",
            kind="watchlist",
            names=(Name(f"{given} {family}"),),
            birth_dates=(PartialDate(1930 + i % 60, 1 + i % 12, 1 + i % 28),),
        )
        out.append((record.record_id, record))
    return out


KARIM_TRAVELLERS = [
    RecordData(
        record_id=f"t{i}",
        kind="travel",
        names=(Name(name),),
        birth_dates=(date,),
        gender="m",
        documents=documents,
    )
    for i, (name, date, documents) in enumerate(
        [
            ("KARIM HADDAD", PartialDate(1957, 5, 9), ()),
            ("KARIM BENNANI", PartialDate(1957, 2, 14), ()),
            ("KARIM CHAOUI", PartialDate(1956, 8, 1), ()),
            ("KARIM TAHIRI", PartialDate(1957, 2, 14), (Document("P", "FR", "KQ5520913"),)),
        ]
    )
]


def karim_index() -> ScreeningIndex:
    index = ScreeningIndex(MILLION, key_cap=30)
    for key, record in karims():
        index.add(key, record, "agency-a")
    index.postings.compact()
    return index


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.9])
def test_keys_of_years_the_filter_drops_find_what_they_found_whole(
    monkeypatch: pytest.MonkeyPatch, threshold: float
) -> None:
    narrowed, whole = karim_index(), karim_index()
    calls: list[str] = []
    others = offyears_module.OffYears.others

    def counted(self: object, key: str, *args: object) -> object:
        calls.append(key)
        return others(self, key, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(offyears_module.OffYears, "others", counted)
    got = [narrowed.screen(t, 10, threshold) for t in KARIM_TRAVELLERS]
    candidates = [
        narrowed.candidates(record_features(t), threshold).tolist() for t in KARIM_TRAVELLERS
    ]
    if threshold in (0.3, 0.5):
        assert calls  # the years beside the traveller's were narrowed
    monkeypatch.setattr(search_module, "dropped_years", lambda *_: {})
    assert [[(m.key, m.score, m.weight) for m in ms] for ms in got] == [
        [(m.key, m.score, m.weight) for m in whole.screen(t, 10, threshold)]
        for t in KARIM_TRAVELLERS
    ]
    assert candidates == [
        whole.candidates(record_features(t), threshold).tolist() for t in KARIM_TRAVELLERS
    ]


def test_a_key_keeps_only_its_records_of_other_date_codes() -> None:
    index = karim_index()
    features = record_features(KARIM_TRAVELLERS[0])
    key = next(k for p in SearchKeys.of(features).parts for k in p.joined if k.endswith("@1956"))
    found = index.postings.lookup([key])[0]
    codes = index.date_codes.of(index.columns)
    slot = (1 << 9) | (1956 - 1800)
    kept = index.off_years.others(key, found, slot, codes)
    several = {f"r{i}" for i in range(0, 160, 10)}
    assert len(found) > len(kept) > 0
    assert {index.keys[p] for p in kept.tolist()} <= several  # born 1956 with another date
    assert index.off_years.others(key, found, slot, codes) is kept  # worked out once
    years = offyears_module.dropped_years([1956, 1957, 1958], 1957, np.zeros(4096, dtype=bool))
    assert years == {"@1956": slot, "@1958": slot + 2}
    reach = np.zeros(4096, dtype=bool)
    reach[slot] = True  # a year one off that can still reach: read whole
    assert offyears_module.dropped_years([1956, 1957, 1958], 1957, reach) == {"@1958": slot + 2}


@pytest.mark.parametrize("seed", range(6))
def test_narrowed_keys_leave_the_birth_date_filter_what_whole_keys_leave(seed: int) -> None:
    """Whatever else the filter keeps (records with several dates, other years, no date), a
    key of a year whose own date code it drops leaves it the same records, narrowed or not:
    `reachable` of the narrowed keys == `reachable` of the whole ones, part by part."""
    index = karim_index()
    rng = np.random.default_rng(seed)
    reach = rng.random(4096) < 0.5
    reach[1 << 10] = True  # several dates, or another calendar: kept
    for code in ((1 << 9) | 156, (1 << 9) | 158):
        reach[code] = False
    dropped = offyears_module.dropped_years([1956, 1957, 1958], 1957, reach)
    assert set(dropped) == {"@1956", "@1958"}
    codes = index.date_codes.of(index.columns)
    index.scratch.ensure(len(index.keys))
    for traveller in KARIM_TRAVELLERS[:3]:
        q = SearchKeys.of(record_features(traveller))
        table = dict(zip(q.flat, index.postings.lookup(q.flat), strict=True))
        groups = [p.joined for p in q.parts]
        whole = candidates_module.read(groups, table, 10_000, {"postings": 0, "capped": 0})
        narrowed = index.off_years.groups(groups, table, 10_000, dropped, codes)
        extra = [a for a in (table[k] for k in q.dobs) if len(a)]

        def keep(found: np.ndarray) -> np.ndarray:
            return reach[found & 0x7FF]

        a = candidates_module.reachable([whole], extra, keep, codes, index.scratch)[0]
        b = candidates_module.reachable([narrowed], extra, keep, codes, index.scratch)[0]
        assert [set(x.tolist()) for x in a] == [set(x.tolist()) for x in b]
        assert sum(len(x) for x in narrowed) < sum(len(x) for x in whole)
        assert any(len(x) for x in b)
