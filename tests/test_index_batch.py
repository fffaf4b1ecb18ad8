"""A batch screened at once (`ScreeningIndex.screen_many`: every traveller's keys looked up in
one search first, `Postings.prefetch`) finds exactly what each traveller finds alone: the same
candidates in the same order, the same matches and scores. Invented names only."""

from __future__ import annotations

import dataclasses

import pytest

from ftfhub.domain import RecordData
from ftfhub.domain.record import Document, Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.index import postings as postings_module
from ftfhub.index.postings import Postings
from ftfhub.index.search import SearchKeys
from ftfhub.matching.features import record_features
from ftfhub.matching.parameters import DEFAULT

# The prior a million records give, so that the bounds cut as they do at scale.
MILLION = dataclasses.replace(DEFAULT, prior_weight=-20.6, prior_weight_travel=-24.1)
BORN = PartialDate(1984, 3, 17)
FAMILIES = ("Haddad", "Bennani", "Chaoui", "Azouzi", "Mansouri", "Tahiri", "Lamrani")


def holding(i: int, name: str, **fields: object) -> tuple[str, RecordData]:
    record = RecordData(
        record_id=f"r{i}",
        kind="watchlist",
        names=(Name(name),),
        birth_dates=(PartialDate(1950 + i % 40, 1 + i % 12, 1 + i % 28),),
        gender="m" if i % 3 else "f",
        **fields,  # type: ignore[arg-type]
    )
    return record.record_id, record


def holdings() -> list[tuple[str, RecordData]]:
    """A given name far over the key cap (`Karim`), families that recur, a listed person one
    letter away from a traveller's spelling, one known by a passport, one by a full date."""
    out = [holding(i, f"Karim {FAMILIES[i % len(FAMILIES)]}") for i in range(1, 90)]
    out += [holding(i, f"Omar {FAMILIES[i % 4]}") for i in range(90, 130)]
    out.append(holding(200, "Nabil Hamrouchi", nationalities=("BE",)))
    out.append(holding(201, "Samir Kettani", documents=(Document("P", "FR", "ZX4417302"),)))
    listed = RecordData(
        record_id="r202",
        kind="watchlist",
        names=(Name("Youssef Belkadi"),),
        birth_dates=(BORN,),
        gender="m",
        nationalities=("MA",),
    )
    out.append(("r202", listed))
    return out


def traveller(i: int, *names: Name, **fields: object) -> RecordData:
    return RecordData(record_id=f"t{i}", kind="travel", names=names, **fields)  # type: ignore[arg-type]


TRAVELLERS = [
    traveller(1, Name("KARIM HADDAD"), birth_dates=(PartialDate(1957, 8, 8),), gender="m"),
    traveller(2, Name("KARIM HADAD"), birth_dates=(PartialDate(1957),)),  # a letter less
    traveller(3, Name("KARIM CHAOUI"), Name("CHAOUI<<KARIM", "mrz")),  # no birth date
    traveller(
        4,
        Name("NABIL AMROUCHI"),
        birth_dates=(PartialDate(1950, 9, 5),),  # r200's
        gender="m",
        nationalities=("BE",),
    ),
    traveller(5, Name("SAMIR KETANI"), documents=(Document("P", "FR", "ZX4417302"),)),
    traveller(6, Name("YOUSEF BELKADY"), birth_dates=(BORN,), gender="m", nationalities=("MA",)),
    traveller(7, Name("OMAR AZOUZI"), birth_dates=(PartialDate(1961),)),
    traveller(8, Name("ZINEDDINE QUORTAS"), birth_dates=(PartialDate(1977, 2, 2),)),
    traveller(9, Name("KARIM HADDAD"), birth_dates=(PartialDate(1957, 8, 8),), gender="m"),
]


def index_of(items: list[tuple[str, RecordData]]) -> ScreeningIndex:
    """The holdings with a small key cap (`Karim`'s key is not read alone), most of them in
    the compacted base and the last few in the delta posted since."""
    index = ScreeningIndex(MILLION, key_cap=30)
    for key, record in items[:-5]:
        index.add(key, record, "agency-a")
    index.postings.compact()
    for key, record in items[-5:]:
        index.add(key, record, "agency-b")
    return index


def found(matches: list[list[object]]) -> list[list[tuple[str, str, float, float]]]:
    return [[(m.key, m.owner, m.score, m.weight) for m in ms] for ms in matches]  # type: ignore[attr-defined]


def test_the_index_reads_what_the_cases_need() -> None:
    index = index_of(holdings())
    karim = SearchKeys.of(record_features(TRAVELLERS[0])).parts[0].plain[0]
    assert len(index.postings.lookup([karim])[0]) > index.key_cap  # over the cap: not read
    assert index.postings.delta  # some records only in the delta
    one_by_one = [[m.key for m in index.screen(t, 10, 0.5)] for t in TRAVELLERS]
    # a document, a full birth date, one letter off: each finds its listed person
    assert "r201" in one_by_one[4] and "r202" in one_by_one[5] and "r200" in one_by_one[3]


@pytest.mark.parametrize("threshold", [0.0, 0.3, 0.5, 0.9])
def test_a_batch_finds_exactly_what_each_traveller_finds_alone(threshold: float) -> None:
    alone, batch = index_of(holdings()), index_of(holdings())
    expected = [alone.screen(t, 10, threshold) for t in TRAVELLERS]
    assert found(batch.screen_many(TRAVELLERS, 10, threshold)) == found(expected)  # type: ignore[arg-type]
    assert any(expected)
    # the candidates too, in order (before the model scores them), with the keys prefetched
    features = [record_features(t) for t in TRAVELLERS]
    keys = [SearchKeys.of(f) for f in features]
    fresh = index_of(holdings())
    fresh.postings.prefetch(k for q in keys for k in q.flat)
    for f, q in zip(features, keys, strict=True):
        assert fresh.candidates(f, threshold, None, q).tolist() == (
            alone.candidates(f, threshold).tolist()
        )
    # and a caller's own agency left out the same way
    assert found(batch.screen_many(TRAVELLERS, 10, threshold, "agency-a")) == found(
        [alone.screen(t, 10, threshold, "agency-a") for t in TRAVELLERS]  # type: ignore[arg-type]
    )


def test_the_batch_keys_are_searched_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """After the prefetch, no traveller searches the base for a key of its own (only for the
    keys one letter away it probes, which no prefetch reads)."""
    index = index_of(holdings())
    flat = {k for t in TRAVELLERS for k in SearchKeys.of(record_features(t)).flat}
    searched: list[str] = []
    search = Postings._search

    def counted(self: Postings, keys: list[str]) -> list[object]:
        searched.extend(keys)
        return search(self, keys)  # type: ignore[return-value]

    monkeypatch.setattr(Postings, "_search", counted)
    index.screen_many(TRAVELLERS, 10, 0.5)
    assert not flat & set(searched)
    index.postings._base.clear()
    index.screen(TRAVELLERS[0], 10, 0.5)
    assert flat & set(searched)  # one by one, a traveller searches its own keys


def test_more_keys_than_are_kept_still_find_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """A batch whose keys overflow what the postings keep: the slices dropped are looked up
    again by the traveller that reads them."""
    monkeypatch.setattr(postings_module, "CACHED_KEYS", 7)
    alone, batch = index_of(holdings()), index_of(holdings())
    expected = [alone.screen(t, 10, 0.5) for t in TRAVELLERS]
    assert found(batch.screen_many(TRAVELLERS, 10, 0.5)) == found(expected)  # type: ignore[arg-type]
    assert len(batch.postings._base) <= 7 + 40  # a traveller's own lookups may add its keys
