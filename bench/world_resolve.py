"""The synthetic world resolved into Identities, scored against its truth.csv.

Every owner's files (watchlists, deportation notices, captured forms in Arabic script with
kunya-only forms, flight manifests) are parsed by the ingest adapters, resolved by
`ftfhub.linkage.resolve`, and compared with the people who made them: pairwise precision and
recall over records placed in one Identity, for all records and for fighters only, plus the
over-linking of connected components against the stricter clustering.

    .venv/bin/python bench/world_resolve.py [--fighters 300] [--travellers 20000] [--engine duckdb]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import logging
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from ftfhub.domain import RecordData
from ftfhub.ingest.detect import parse_file
from ftfhub.linkage import resolve
from ftfhub.linkage.cluster import cluster
from ftfhub.linkage.resolve import weight_of
from ftfhub.scenario import build_world


def world_records(
    out: Path, fighters: int, travellers: int, seed: int = 7
) -> tuple[list[tuple[str, str, RecordData]], dict[str, str], dict[str, str]]:
    """The world's records as `(agency/record_id, agency, record)`, each key's person and
    role."""
    files = build_world(out, seed=seed, fighters=fighters, travellers=travellers)
    items = []
    for agency, kind, path in files.inputs:
        rows, _ = parse_file(path.read_bytes(), path, kind)
        for row in rows:
            if row.record is not None:
                items.append((f"{agency}/{row.record.record_id}", agency, row.record))
    person, role = {}, {}
    with files.truth.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = f"{row['agency']}/{row['record_id']}"
            person[key], role[key] = row["person_id"], row["role"]
    return items, person, role


def pair_scores(
    clusters: Iterable[list[str]], person: dict[str, str], keys: Iterable[str]
) -> tuple[float, float, int]:
    """Pairwise precision and recall of `clusters` over `keys`, and the number of clusters
    holding more than one person."""
    wanted = set(keys)
    predicted = set()
    mixed = 0
    for members in clusters:
        inside = [k for k in members if k in wanted]
        predicted |= {frozenset(p) for p in itertools.combinations(inside, 2)}
        mixed += len({person[k] for k in members}) > 1
    groups: dict[str, list[str]] = {}
    for key in wanted:
        groups.setdefault(person[key], []).append(key)
    truth = {frozenset(p) for g in groups.values() for p in itertools.combinations(g, 2)}
    tp = len(predicted & truth)
    return (tp / len(predicted) if predicted else 1.0), (tp / len(truth) if truth else 1.0), mixed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fighters", type=int, default=300)
    parser.add_argument("--travellers", type=int, default=20000)
    parser.add_argument("--engine", default="duckdb", choices=("duckdb", "spark"))
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        items, person, role = world_records(Path(tmp), args.fighters, args.travellers)
    started = time.perf_counter()
    result = resolve(items, engine=args.engine, threshold=args.threshold)
    seconds = time.perf_counter() - started
    keys = [k for k, _, _ in items]
    fighters = [k for k in keys if role[k] == "fighter"]
    arabic = [k for k, _, r in items if any(n.script == "arabic" for n in r.names)]
    print(f"{len(items)} records ({len(fighters)} of fighters), resolved in {seconds:.1f} s")
    print(f"engine {args.engine}, threshold {args.threshold}, {len(result.edges)} scored pairs")
    components = cluster(keys, result.edges, weight_of(args.threshold), strict=False)
    for label, clusters in (("strict", result.clusters), ("connected components", components)):
        p, r, mixed = pair_scores(clusters, person, keys)
        pf, rf, _ = pair_scores(clusters, person, fighters)
        pa, ra, _ = pair_scores(clusters, person, set(arabic) | set(fighters))
        print(
            f"{label}: precision {p:.4f} recall {r:.4f} (fighters {pf:.4f} / {rf:.4f}; "
            f"fighters with Arabic-script records {pa:.4f} / {ra:.4f}); "
            f"{len(clusters)} identities, {mixed} holding more than one person"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
