"""Feature extraction speed: names per second on one core (target ≥ 20,000).

Reads real name spellings from ../shared/data (the sanctions list's names and aliases, and the
Arabic-script and Latin words of the transliteration pairs), builds multi-part names from them,
clears every cache and times `name_features` over names it has never seen. Run:

    python bench/names_speed.py [--data ../shared/data] [--names 50000]
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from pathlib import Path

from ftfhub.matching import features
from ftfhub.names import arabic


def _names(data: Path, count: int) -> list[str]:
    names: list[str] = []
    with (data / "watchlists" / "ofac_sdn_2021_non_terror.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            names.append(row["name"])
            names += [a for a in row["aliases"].split("|") if a]
    arabic, roman = [], []
    with (data / "translit" / "google_ar2en" / "ar2en-train.txt").open(encoding="utf-8") as f:
        for line in f:
            if "\t" in line:
                a, r = line.rstrip("\n").split("\t", 1)
                arabic.append(a)
                roman.append(r)
    rng = random.Random(7)
    if count == 0:
        return list(dict.fromkeys(names))
    while len(names) < count:  # new combinations: Arabic-script and Latin multi-part names
        pool = arabic if rng.random() < 0.3 else roman
        names.append(" ".join(rng.choice(pool) for _ in range(rng.randint(2, 4))))
    return list(dict.fromkeys(names))[:count]


def _clear() -> None:
    features.clear_caches()
    arabic.skeletons.cache_clear()
    arabic.skeleton.cache_clear()


def _time(names: list[str]) -> tuple[float, int, float]:
    """Wall seconds, distinct parts, and CPU seconds (which other work on a shared machine
    disturbs far less than the wall clock)."""
    _clear()
    started, cpu = time.perf_counter(), time.process_time()
    for name in names:
        features.name_features(name)
    wall = time.perf_counter() - started
    return wall, features._part_features.cache_info().currsize, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=Path(__file__).parents[2] / "shared" / "data")
    parser.add_argument("--names", type=int, default=50_000)
    args = parser.parse_args()
    mixed = _names(args.data, args.names)
    listed = _names(args.data, 0)  # the list's own names and aliases only
    features.name_features("warm up the tables")
    print("| names | kind | distinct parts | seconds (median of 5) | names/s (one core) | CPU |")
    print("| --- | --- | --- | --- | --- | --- |")
    for label, names in (("real list names and aliases", listed), ("mixed, 30% Arabic", mixed)):
        # The median of five runs, each from empty caches (one run of the list is 0.3 s).
        runs = sorted(_time(names) for _ in range(5))
        seconds, parts, _ = runs[2]
        cpu = sorted(run[2] for run in runs)[2]
        rate, cpu_rate = len(names) / seconds, len(names) / cpu
        print(
            f"| {len(names):,} | {label} | {parts:,} | {seconds:.2f} | {rate:,.0f} | "
            f"{cpu_rate:,.0f} |"
        )
    # The steady state of a large screening run: new names, made of parts already seen.
    tokens = [t for name in listed for t in name.replace(",", " ").split()]
    rng = random.Random(3)
    _time([f"{rng.choice(tokens)} {rng.choice(tokens)}" for _ in range(20_000)])
    fresh = [
        f"{rng.choice(tokens)}, {rng.choice(tokens)} {rng.choice(tokens)}" for _ in range(50_000)
    ]
    features.name_features.cache_clear()
    started, cpu_started = time.perf_counter(), time.process_time()
    for name in fresh:
        features.name_features(name)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    label = "new names from the list's tokens, parts seen before (steady state)"
    rates = f"{len(fresh) / seconds:,.0f} | {len(fresh) / cpu:,.0f}"
    print(f"| {len(fresh):,} | {label} | – | {seconds:.2f} | {rates} |")


if __name__ == "__main__":
    main()
