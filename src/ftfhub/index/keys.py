"""Blocking keys: which records a query reads from the postings.

A name part gives its skeleton keys (the matcher's own, from `PartFeatures.keys`); keys marked
`~` are loose (two consonants) and read only when the exact ones find little. A part key also
comes joined to each birth year of the record (`mhmd@1990`): at a million records `mohamed`
alone names 50,000 people and is capped, but `mohamed` born in 1990 names a few hundred, and a
common name can only reach the threshold together with an agreeing birth date anyway. An
identity document and a full birth date are keys of their own (a name spelt beyond
recognition is still found by its passport).

A part key also comes with each letter of its skeleton left out, marked `-` (`Bouzzid`: `-zd`,
`-bd`, `-bz`): two skeletons one letter apart (one left out, added or changed: `Abdullayev` and
`Abdulaev`, `El-Dschasuli` and `El Jazouli`) share such a key, the symmetric-deletion
neighbourhood of spelling correction. They are never read, only probed: a candidate found by
another key (its exact birth date, a document, another part) whose part shares no key with the
query's may still agree at a level short of exact, and these keys say which may
(`NameSearch`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ftfhub.domain import PartialDate
from ftfhub.matching.features import NameFeatures, RecordFeatures


def _years(dates: tuple[PartialDate, ...]) -> list[int]:
    """Birth years to join to part keys; a Hijri year-only date spans two Gregorian years."""
    years: list[int] = []
    for d in dates:
        years.append(d.year)
        if d.calendar == "hijri" and d.month is None:
            years.append(d.year + 1)
    return list(dict.fromkeys(years))


def record_keys(features: RecordFeatures) -> set[str]:
    """Every key under which a record is posted."""
    keys: set[str] = set()
    years = _years(features.birth_dates)
    for name in features.names:
        for part in name.parts:
            for key in part.keys:
                keys.add(key)
                if not key.startswith("~"):
                    keys.update(f"{key}@{year}" for year in years)
                    keys.update(f"-{d}" for d in deletions(key))
    keys.update(f"doc|{country}|{number}" for country, number in features.documents)
    keys.update(f"dob|{d.iso()}" for d in features.birth_dates if d.day is not None)
    return keys


SHORTEST = 2  # letters in the shortest key a neighbour is posted or probed under


@lru_cache(maxsize=1 << 16)
def deletions(key: str) -> tuple[str, ...]:
    """A plain part key with one letter of its skeleton left out, each way (the affixes a
    key is wrapped in, `abu|`, `abd|`, `|din`, kept whole); none that would leave a key of
    one letter (`m` of `mn`: a neighbour of every name with an `m`)."""
    segments = key.split("|")
    at = len(segments) - 2 if len(segments) > 1 and segments[-1] == "din" else len(segments) - 1
    core = segments[at]
    if len(core) < 2 or len(key) - key.count("|") < SHORTEST + 1:
        return ()
    out = dict.fromkeys(
        "|".join([*segments[:at], core[:i] + core[i + 1 :], *segments[at + 1 :]])
        for i in range(len(core))
    )
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def neighbour_keys(plain: tuple[str, ...]) -> tuple[str, ...]:
    """The keys a record's part one letter from a query part's `plain` keys is posted
    under: the query's key less a letter (the record has a letter fewer), the query's key
    marked (a letter more), either less a letter and marked (a letter changed)."""
    out: dict[str, None] = {}
    for key in plain:
        if len(key) - key.count("|") >= SHORTEST:
            out[f"-{key}"] = None
        for d in deletions(key):
            out[d] = None
            out[f"-{d}"] = None
    for key in plain:
        out.pop(key, None)
    return tuple(out)


@dataclass(frozen=True)
class PartKeys:
    """One part of a query name and the keys that find records sharing it."""

    name_index: int
    part_index: int
    plain: tuple[str, ...]
    joined: tuple[str, ...]  # the plain keys joined to each birth year of the query
    loose: tuple[str, ...]


def query_part_keys(name_index: int, name: NameFeatures, years: list[int]) -> list[PartKeys]:
    """Per part of a query name: its exact keys, plain and joined to each birth year, and its
    loose keys."""
    out = []
    for part_index, part in enumerate(name.parts):
        plain = tuple(k for k in part.keys if not k.startswith("~"))
        joined = tuple(f"{k}@{y}" for k in plain for y in years)
        loose = tuple(k for k in part.keys if k.startswith("~"))
        out.append(PartKeys(name_index, part_index, plain, joined, loose))
    return out


def query_years(features: RecordFeatures) -> list[int]:
    """The birth years a query reads joined keys for: its own and the years beside them (a
    year one off still agrees a little; farther, the birth date counts against)."""
    return sorted({y + step for y in _years(features.birth_dates) for step in (-1, 0, 1)})


def other_keys(features: RecordFeatures) -> tuple[list[str], list[str]]:
    """A query's document keys and full-birth-date keys."""
    docs = [f"doc|{country}|{number}" for country, number in features.documents]
    dobs = [f"dob|{d.iso()}" for d in features.birth_dates if d.day is not None]
    return docs, dobs
