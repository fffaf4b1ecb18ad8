"""Synthetic holdings of any size with the demo world's name distribution, for the screening
benchmark (``screening_scale.py``).

The people come from ``ftfhub.scenario.people.make_people`` (the demo's name tables, namesakes
included); every listed person gets one watchlist row written with one of the demo owners'
habits (BE-FP, DE-BKA, GB-CTP, TR-EGM: spelling convention, aliases, partial birth dates,
documents) through ``scenario.lists.list_rows``, parsed by the product's own person-file reader.
Travellers are manifest rows (``scenario.travel``'s row writer, MRZ or plain names, passport,
full birth date), parsed by the manifest reader: ``listed`` of them are listed people, the
rest are innocents (3 % of whom carry a listed person's full name with their own birth date).

Records are streamed in chunks, so a million of them never sit in one Python list.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from ftfhub.domain import RecordData
from ftfhub.ingest.manifest import record_from_row as manifest_record
from ftfhub.ingest.person_file import record_from_row as person_record
from ftfhub.scenario.lists import list_rows
from ftfhub.scenario.people import SAME_NAME_SHARE, NamePool, Person, _namesake, make_people
from ftfhub.scenario.tables import load_tables
from ftfhub.scenario.travel import _row as manifest_row

LIST_OWNERS = ("BE-FP", "DE-BKA", "GB-CTP", "TR-EGM")
CHUNK = 20_000
SOURCE_CHUNKS = 4  # holdings chunks the listed travellers are drawn from
FAMOUS = 500  # listed people whose names innocents may carry


@dataclass(frozen=True)
class Traveller:
    """A manifest row as a query, and the key of the listed person's record (None: innocent)."""

    record: RecordData
    listed_key: str | None


def holdings(
    size: int, seed: int = 11, part: int = 0, parts: int = 1
) -> Iterator[tuple[str, str, RecordData]]:
    """``size`` watchlist records as ``(key, owner, record)``; key ``P<person number>``.
    With ``parts`` > 1, only every ``parts``-th chunk from ``part`` (to write in parallel)."""
    tables = load_tables()
    owners = tables.owners["lists"]
    made = 0
    chunk_no = 0
    while made < size:
        count = min(CHUNK, size - made)
        if chunk_no % parts != part:
            made += count
            chunk_no += 1
            continue
        people = make_people(seed * 1_000_003 + chunk_no, tables, count, 0)
        rng = random.Random(f"{seed}:{chunk_no}:rows")
        for n, person in enumerate(people):
            owner = LIST_OWNERS[(made + n) % len(LIST_OWNERS)]
            (row,) = list_rows(owner, owners[owner], [person], rng, tables, {})
            key = f"P{made + n:07d}"
            row["record_id"] = key
            row.pop("person_id", None)
            yield key, owner, person_record(row, n + 2, owners[owner]["kind"])
        made += count
        chunk_no += 1


def _listed_people(size: int, picks: list[int], seed: int) -> dict[int, Person]:
    """The people behind chosen holdings rows (regenerated: the generator is seeded)."""
    tables = load_tables()
    wanted: dict[int, list[int]] = {}
    for index in picks:
        wanted.setdefault(index // CHUNK, []).append(index)
    found: dict[int, Person] = {}
    for chunk_no, indices in wanted.items():
        count = min(CHUNK, size - chunk_no * CHUNK)
        people = make_people(seed * 1_000_003 + chunk_no, tables, count, 0)
        for index in indices:
            found[index] = people[index - chunk_no * CHUNK]
    return found


def travellers(size: int, listed: int, innocents: int, seed: int = 11) -> list[Traveller]:
    """``listed`` travellers drawn from the holdings' people and ``innocents`` others."""
    tables = load_tables()
    habits = dict(tables.owners["travel"])
    habits["birth_date_missing"] = 0.0  # a PIU's API data carries the full birth date
    rng = random.Random(f"{seed}:travellers")
    # The listed people and the famous ones innocents are namesakes of, drawn from a few
    # random chunks of the holdings (each chunk is an independent draw of the generator, and
    # regenerating every chunk of a million records took minutes).
    chunks = (size + CHUNK - 1) // CHUNK
    drawn = sorted(rng.sample(range(chunks), min(chunks, SOURCE_CHUNKS)))
    rows = [i for c in drawn for i in range(c * CHUNK, min(size, (c + 1) * CHUNK))]
    chosen = rng.sample(rows, min(listed + FAMOUS, len(rows)))
    picks = sorted(chosen[:listed])
    found = _listed_people(size, sorted(chosen), seed)
    people = {i: found[i] for i in picks}
    famous = [found[i] for i in chosen[listed:]]
    # Innocents: the same generator, as travellers; some carry a listed person's full name.
    crowd = make_people(seed + 999, tables, 0, innocents)
    pool = NamePool(tables)
    for i in range(len(crowd)):
        if rng.random() < SAME_NAME_SHARE:
            crowd[i] = _namesake(rng, pool, crowd[i].pid, rng.choice(famous))
    out: list[Traveller] = []
    routes = tables.routes
    day = date(2016, 3, 1)
    for n, (key, person) in enumerate(
        [(f"P{i:07d}", people[i]) for i in picks] + [(None, p) for p in crowd]
    ):
        if not person.passports:
            continue
        route = rng.choice(routes)
        row = manifest_row((route, day, person), f"T{n:06d}", rng, habits, tables)
        row.pop("person_id", None)
        out.append(Traveller(manifest_record(row, n + 2), key))
    return out
