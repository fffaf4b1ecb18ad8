"""The bounds the screening index skips work by are at or above what the model gives: a
candidate is never dropped by a bound that its full score could beat."""

from __future__ import annotations

import random

import numpy as np

from ftfhub.domain import RecordData
from ftfhub.domain.record import Name, PartialDate
from ftfhub.index import ScreeningIndex
from ftfhub.index.bounds import DateCodes, other_bound
from ftfhub.index.columns import QueryCells
from ftfhub.matching.compare import compare_features
from ftfhub.matching.features import record_features


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
