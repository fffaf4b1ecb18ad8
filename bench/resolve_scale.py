"""Identity resolution at scale: N synthetic watchlist records, a share of the people listed
twice by different owners (each owner's own spelling, aliases, partial dates, documents),
resolved by `ftfhub.linkage.resolve` on DuckDB or Spark. Prints the time of each stage, the
peak memory of the process and pairwise precision and recall against the generator's people.

    nice -n 10 .venv/bin/python bench/resolve_scale.py --records 1000000 [--engine duckdb]

The people come from `ftfhub.scenario.people.make_people` (the demo's name tables, namesakes
included) and rows from `scenario.lists.list_rows`, parsed by the product's person-file reader.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterator

from ftfhub.domain import RecordData
from ftfhub.ingest.person_file import record_from_row
from ftfhub.linkage import resolve
from ftfhub.linkage.cluster import cluster
from ftfhub.linkage.resolve import weight_of
from ftfhub.scenario.lists import list_rows
from ftfhub.scenario.people import make_people
from ftfhub.scenario.tables import load_tables

OWNERS = ("BE-FP", "DE-BKA", "GB-CTP", "TR-EGM")
CHUNK = 20_000


def records(size: int, twice: float, seed: int = 11) -> Iterator[tuple[str, str, RecordData]]:
    """About `size` records as `(key, owner, record)`; key `P<person>/<owner>`."""
    tables = load_tables()
    habits = tables.owners["lists"]
    made = 0
    for chunk in itertools.count():
        people = make_people(seed * 1_000_003 + chunk, tables, CHUNK, 0)
        rng = random.Random(f"{seed}:{chunk}:rows")
        for n, person in enumerate(people):
            first = OWNERS[(chunk * CHUNK + n) % len(OWNERS)]
            owners = [first]
            if rng.random() < twice:
                owners.append(rng.choice([o for o in OWNERS if o != first]))
            for owner in owners:
                (row,) = list_rows(owner, habits[owner], [person], rng, tables, {})
                clean = {k: v for k, v in row.items() if k != "person_id"}
                record = record_from_row(clean, 0)
                yield f"P{chunk}-{n}/{owner}", owner, record
                made += 1
                if made >= size:
                    return


def _peak_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--twice", type=float, default=0.25, help="share of people listed twice")
    parser.add_argument("--engine", default="duckdb", choices=("duckdb", "spark"))
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    started = time.perf_counter()
    items = list(records(args.records, args.twice))
    made = time.perf_counter() - started
    print(f"{len(items)} records generated and parsed in {made:.1f} s (not counted below)")
    started = time.perf_counter()
    result = resolve(items, engine=args.engine, threshold=args.threshold)
    seconds = time.perf_counter() - started
    for stage, took in result.timings.items():
        print(f"  {stage}: {took:.1f} s")
    print(
        f"resolved on {args.engine} in {seconds:.1f} s; peak memory {_peak_gib():.2f} GiB; "
        f"{len(result.edges)} scored pairs, {len(result.clusters)} identities"
    )
    person = {key: key.split("/")[0] for key, _, _ in items}
    keys = list(person)
    components = cluster(keys, result.edges, weight_of(args.threshold), strict=False)
    for label, clusters in (("strict", result.clusters), ("connected components", components)):
        precision, recall, mixed = _pairwise(clusters, person)
        print(
            f"{label}: pairwise precision {precision:.4f} recall {recall:.4f}; "
            f"{mixed} identities hold more than one person"
        )
    return 0


def _pairwise(clusters: list[list[str]], person: dict[str, str]) -> tuple[float, float, int]:
    groups: dict[str, int] = defaultdict(int)
    for key in person:
        groups[person[key]] += 1
    truth = sum(n * (n - 1) // 2 for n in groups.values())
    found = correct = mixed = 0
    for members in clusters:
        found += len(members) * (len(members) - 1) // 2
        per: dict[str, int] = defaultdict(int)
        for key in members:
            per[person[key]] += 1
        correct += sum(n * (n - 1) // 2 for n in per.values())
        mixed += len(per) > 1
    return correct / max(found, 1), correct / max(truth, 1), mixed


if __name__ == "__main__":
    sys.exit(main())
