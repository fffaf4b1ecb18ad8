"""The bounds the screening index skips work by are at or above what the model gives: a
candidate is never dropped by a bound that its full score could beat."""

from __future__ import annotations

import dataclasses
import random
from dataclasses import replace

import numpy as np

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.index.bounds import DateCodes, other_bound, reachable_codes, reachable_dates
from ftfhub.index.columns import QueryCells
from ftfhub.matching.compare import compare_features
from ftfhub.matching.features import record_features
from ftfhub.matching.parameters import DEFAULT


def random_person(rng: random.Random, key: str, kind: str) -> RecordData:
    """Invented people whose dates, genders and nationalities cover every case the bound
    tells apart: no date, a year only, a month, a full date, two dates; years the same, one
    off, ten or a hundred off (a mistyped digit), far apart."""
    base = 1980 + rng.choice([0, 0, 1, -1, 2, 10, 100, -10, 7, 30])
    shape = rng.choice(["none", "year", "month", "full", "full", "two"])
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    dates: tuple[PartialDate, ...] = ()
    if shape == "year":
        dates = (PartialDate(base),)
    elif shape == "month":
        dates = (PartialDate(base, month),)
    elif shape == "full":
        dates = (PartialDate(base, rng.choice([month, 3]), rng.choice([day, 7])),)
    elif shape == "two":
        dates = (PartialDate(base, month, day), PartialDate(base + 1, month, day))
    return RecordData(
        record_id=key,
        kind=kind,
        names=(Name(rng.choice(["Karim Haddad", "Nadia Benali", "Omar Chaoui"])),),
        birth_dates=dates,
        gender=rng.choice([None, "m", "f"]),
        nationalities=tuple(rng.sample(["MA", "BE", "FR"], rng.randint(0, 2))),
    )


def test_other_bound_is_at_or_above_the_models_other_terms() -> None:
    rng = random.Random(5)
    records = [(f"r{i}", random_person(rng, f"r{i}", "watchlist")) for i in range(300)]
    index = ScreeningIndex.build(records)
    at = np.arange(len(records), dtype=np.int32)
    checked = 0
    for n in range(40):
        query = random_person(rng, f"t{n}", "travel")
        features = record_features(query)
        cells = QueryCells.of(features)
        same_day = np.array(
            [
                any(d.day is not None and d in features.birth_dates for d in record.birth_dates)
                for _, record in records
            ]
        )
        codes = DateCodes().of(index.columns)[at]
        bound = other_bound(index.scoring, index.columns, cells, at, codes, same_day)
        for position, (_, record) in enumerate(records):
            full = compare_features(
                features,
                record_features(record),
                index.frequency,
                index.scoring,
                index.nationality_frequency,
            )
            kept = {"prior", "birth_date", "nationality", "gender"}
            others = sum(t.weight for t in full.terms if t.feature in kept)
            assert bound[position] >= others - 1e-9, (query, record, full.explanation())
            checked += 1
    assert checked == 40 * 300


def test_query_parts_are_the_keys_query_part_keys_gives() -> None:
    from ftfhub.index.candidates import query_parts
    from ftfhub.index.keys import query_part_keys

    for text in ("Mohamed Ali El Idrissi", "Abu Musab al-Almani", "NADIA BENALI"):
        name = record_features(RecordData("q", "travel", names=(Name(text),))).names[0]
        for years in ([], [1979, 1980, 1981]):
            assert query_parts(2, name, tuple(years)) == query_part_keys(2, name, years)


def holdings_with_dates(n: int, seed: int) -> list[tuple[str, RecordData]]:
    """Namesakes born in nearby years: what the date bounds tell apart."""
    rng = random.Random(seed)
    given = ["Karim", "Yassine", "Omar", "Nadia", "Samir", "Leila"]
    family = ["Benali", "Haddad", "Mansouri", "El Idrissi", "Chaoui"]
    out = []
    for i in range(n):
        person = random_person(rng, f"r{i}", "watchlist")
        name = f"{rng.choice(given)} {rng.choice(family)}"
        out.append((f"r{i}", replace(person, names=(Name(name),))))
    return out


def test_a_low_prior_drops_hopeless_dates_and_finds_what_the_model_finds() -> None:
    """With the prior a million records give, a namesake born a year off cannot reach the
    threshold: the index leaves such records out, and still finds every record the model
    scores at or above it."""
    params = dataclasses.replace(DEFAULT, prior_weight=-20.6, prior_weight_travel=-24.1)
    records = holdings_with_dates(500, 8)
    index = ScreeningIndex.build(records, params=params)
    rng = random.Random(4)
    queries = [random_person(rng, f"t{n}", "travel") for n in range(30)]
    queries += [replace(record, kind="travel") for _, record in rng.sample(records, 30)]
    dropped = found = 0
    for query in queries:
        features = record_features(query)
        cells = QueryCells.of(features)
        reach = reachable_dates(index.scoring, cells, 0.0, False)
        dropped += reach is not None and not reach[0].all()
        for threshold in (0.5, 0.1, 0.02, 0.004):
            expected = {
                key
                for key, _ in records
                if index.compare(features, index.positions[key]).score >= threshold
            }
            got = {m.key for m in index.screen(query, limit=1000, threshold=threshold)}
            assert got == expected, query
            found += len(got)
    assert dropped >= 20  # the bound was in play
    assert found >= 15  # many listed travellers find their own records


def test_a_batch_on_one_index_is_the_same_as_each_traveller_alone() -> None:
    """Screening travellers one after another on one index (its scratch arrays, caches and
    tables reused) gives each the same matches as a fresh index would, in any order."""
    records = holdings_with_dates(400, 12)
    rng = random.Random(6)
    queries = [random_person(rng, f"t{n}", "travel") for n in range(20)]
    queries += [replace(record, kind="travel") for _, record in rng.sample(records, 20)]
    alone = []
    for query in queries:
        fresh = ScreeningIndex.build(records)
        alone.append([(m.key, m.score) for m in fresh.screen(query, 10, 0.3)])
    shared = ScreeningIndex.build(records)
    order = list(range(len(queries)))
    rng.shuffle(order)
    batch = {n: [(m.key, m.score) for m in shared.screen(queries[n], 10, 0.3)] for n in order}
    assert [batch[n] for n in range(len(queries))] == alone
    assert sum(1 for found in alone if found) >= 10


def test_a_date_ruled_out_is_one_no_name_could_lift_to_the_threshold() -> None:
    """Every record `reachable_dates` and `reachable_codes` rule out scores under the
    threshold even with the most a name can weigh, by the model's own terms (unless the full
    birth date is shared, which its own key finds)."""
    # A prior where a year one off is just within reach and two years off is not.
    params = dataclasses.replace(DEFAULT, prior_weight=-18.0, prior_weight_travel=-21.5)
    rng = random.Random(7)
    records = [(f"r{i}", random_person(rng, f"r{i}", "watchlist")) for i in range(300)]
    index = ScreeningIndex.build(records, params=params)
    codes = DateCodes().of(index.columns)
    kept = {"prior", "birth_date", "nationality", "gender"}
    ruled_out = 0
    for n in range(30):
        features = record_features(random_person(rng, f"t{n}", "travel"))
        cells = QueryCells.of(features)
        dates = reachable_dates(index.scoring, cells, 0.0, False)
        if dates is None:
            continue
        keep = reachable_codes(index.scoring, cells, dates[0], codes, 0.0, dates[1])
        for position, (_, record) in enumerate(records):
            if keep[position]:
                continue
            ruled_out += 1
            full = compare_features(features, record_features(record), params=index.scoring)
            others = sum(t.weight for t in full.terms if t.feature in kept)
            assert others + params.max_name_weight < 0.0, (features, record)
    assert ruled_out >= 1000


def test_the_same_year_table_is_the_models_date_level() -> None:
    from ftfhub.index.bounds import same_year_table
    from ftfhub.matching.date_compare import date_level

    for month, day in ((4, 7), (4, 0), (0, 0), (12, 3), (3, 12)):
        cells = QueryCells(1984, month, day, 1, 0, 0, True)
        table = same_year_table(DEFAULT, cells)
        query = PartialDate(1984, month or None, day or None)
        for m in range(13):
            for d in range(32):
                level = date_level(query, PartialDate(1984, m or None, d or None))
                assert table[m | d << 4] == DEFAULT.date_levels[level].weight(), (m, d)


def test_date_codes_follow_the_columns_as_they_grow() -> None:
    rng = random.Random(3)
    records = [(f"r{i}", random_person(rng, f"r{i}", "watchlist")) for i in range(50)]
    index = ScreeningIndex.build(records[:20])
    codes = DateCodes()
    first = codes.of(index.columns).copy()
    for key, record in records[20:]:
        index.add(key, record)
        codes.of(index.columns)  # grown one row at a time, as a server adds them
    assert np.array_equal(codes.of(index.columns), DateCodes().of(index.columns))
    assert np.array_equal(codes.of(index.columns)[:20], first)
    assert len(codes.of(index.columns)) == 50
