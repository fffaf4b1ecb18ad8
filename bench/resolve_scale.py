"""Identity resolution at scale: N synthetic watchlist records, a share of the people listed
twice by different owners (each owner's own spelling, aliases, partial dates, documents),
resolved by `ftfhub.linkage.resolve` on DuckDB or Spark. Prints the time of each stage, the
CPU seconds and peak memory of the whole process tree (workers and Java included) and
pairwise precision and recall against the generator's people.

    nice -n 10 .venv/bin/python bench/resolve_scale.py --records 1000000 [--engine duckdb]

Self-contained: the records are generated first (on every core, not counted in the
resolution's time), from `ftfhub.scenario.people.make_people` (the demo's name tables,
namesakes included) and `scenario.lists.list_rows`, parsed by the product's person-file
reader. They are held as the few fields the features read and handed to `resolve` as
Records one by one, as the store would hand them over.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import logging
import math
import multiprocessing
import os
import random
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ftfhub.domain import RecordData
from ftfhub.ingest.person_file import record_from_row
from ftfhub.linkage import resolve
from ftfhub.linkage.batch import Essentials, essentials, record_of, workers
from ftfhub.linkage.cluster import cluster
from ftfhub.linkage.resolve import weight_of
from ftfhub.scenario.lists import list_rows
from ftfhub.scenario.people import make_people
from ftfhub.scenario.tables import load_tables

OWNERS = ("BE-FP", "DE-BKA", "GB-CTP", "TR-EGM")
CHUNK = 20_000  # people per generated chunk
Generated = tuple[str, str, Essentials]


def _chunk(seed: int, chunk: int, twice: float) -> list[Generated]:
    """One chunk of people's records as `(key, owner, essentials)`; key `P<person>/<owner>`."""
    tables = load_tables()
    habits = tables.owners["lists"]
    people = make_people(seed * 1_000_003 + chunk, tables, CHUNK, 0)
    rng = random.Random(f"{seed}:{chunk}:rows")
    out = []
    for n, person in enumerate(people):
        first = OWNERS[(chunk * CHUNK + n) % len(OWNERS)]
        owners = [first]
        if rng.random() < twice:
            owners.append(rng.choice([o for o in OWNERS if o != first]))
        for owner in owners:
            (row,) = list_rows(owner, habits[owner], [person], rng, tables, {})
            record = record_from_row({k: v for k, v in row.items() if k != "person_id"}, 0)
            out.append((f"P{chunk}-{n}/{owner}", owner, essentials(record)))
    return out


def _quiet_collector() -> None:
    gc.set_threshold(200_000, 50, 1000)


def generate(size: int, twice: float, seed: int = 11) -> list[Generated]:
    """About `size` records, generated chunk by chunk on every core (deterministic)."""
    chunks = math.ceil(size / (CHUNK * (1 + twice) * 0.98)) + 1
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers(), context, initializer=_quiet_collector) as pool:
        parts = pool.map(_chunk, itertools.repeat(seed), range(chunks), itertools.repeat(twice))
        return list(itertools.islice(itertools.chain.from_iterable(parts), size))


def records(generated: list[Generated]) -> Iterator[tuple[str, str, RecordData]]:
    for key, owner, fields in generated:
        yield key, owner, record_of(fields)


class TreeMeter:
    """Peak resident memory and CPU seconds of this process and all its descendants
    (feature workers, Spark's Java), sampled from /proc every quarter second."""

    def __init__(self) -> None:
        self.peak = 0
        self._cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")
        self._page = os.sysconf("SC_PAGE_SIZE")

    def __enter__(self) -> TreeMeter:
        self._start_cpu = self._own_cpu()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    @staticmethod
    def _own_cpu() -> float:
        t = os.times()
        return t.user + t.system

    def _descendants(self) -> list[int]:
        found, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    kids = [int(k) for k in task.read_text().split()]
                except OSError:
                    continue
                found += kids
                todo += kids
        return found

    def _sample(self) -> None:
        rss = int(Path("/proc/self/statm").read_text().split()[1]) * self._page
        for pid in self._descendants():
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
            except (OSError, IndexError):
                continue
            self._cpu[pid] = (int(stat[11]) + int(stat[12])) / self._tick  # utime + stime
        self.peak = max(self.peak, rss)

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            self._sample()

    def cpu(self) -> float:
        """CPU seconds of the tree since entering (a worker's last quarter second may be
        missed)."""
        return self._own_cpu() - self._start_cpu + sum(self._cpu.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--twice", type=float, default=0.25, help="share of people listed twice")
    parser.add_argument("--engine", default="duckdb", choices=("duckdb", "spark"))
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    started = time.perf_counter()
    generated = generate(args.records, args.twice)
    made = time.perf_counter() - started
    print(f"{len(generated)} records generated and parsed in {made:.1f} s (not counted below)")
    gc.freeze()  # the generated records live to the end: the collector need not walk them
    load = os.getloadavg()[0]
    started = time.perf_counter()
    with TreeMeter() as meter:
        result = resolve(records(generated), engine=args.engine, threshold=args.threshold)
    seconds = time.perf_counter() - started
    for stage, took in result.timings.items():
        print(f"  {stage}: {took:.1f} s")
    print(
        f"resolved on {args.engine} in {seconds:.1f} s wall, {meter.cpu():.0f} s CPU "
        f"(process tree); peak memory {meter.peak / 2**30:.2f} GiB (process tree); "
        f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after; "
        f"{len(result.edges)} scored pairs, {len(result.clusters)} identities"
    )
    person = {key: key.split("/")[0] for key, _, _ in generated}
    del generated
    components = cluster(list(person), result.edges, weight_of(args.threshold), strict=False)
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
