"""Every match list of ``screening_scale.py``'s travellers, to tell whether a change to the
index's speed changed any answer.

A speed change to the candidate search (a bound, a cache, a probe) must leave every score
and every match list as it was. This screens the big batch and the accuracy travellers of one
size through the index ``screening_scale.py`` published in a workdir, as the benchmark
screens them (one process, the batch pace, threshold 0.5, ten matches), and writes each
traveller's matches (record key, score, weight: exact floats) as JSON lines. Run it with
each tree's source on ``PYTHONPATH``, then compare the two files:

    PYTHONPATH=<old tree>/src python bench/match_lists.py --workdir W1 --out old.jsonl
    PYTHONPATH=<new tree>/src python bench/match_lists.py --workdir W2 --out new.jsonl
    python bench/match_lists.py --compare old.jsonl new.jsonl

It also prints the CPU milliseconds a traveller and the index's counts a traveller (postings
read, candidates, probed, fully scored).
"""

from __future__ import annotations

import argparse
import json
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))  # the pickled travellers are `scale_world` objects

THRESHOLD = 0.5


def screen(workdir: Path, size: int, out: Path) -> None:
    from ftfhub.index.pace import batch_pace
    from ftfhub.index.store import IndexStore

    index = IndexStore(workdir / f"index-{size}").load()
    assert index is not None, f"no index published in {workdir / f'index-{size}'}"
    files = sorted(workdir.glob(f"batch-{size}-*.pickle")) + sorted(
        workdir.glob(f"travellers-{size}-*.pickle")
    )
    assert files, f"no travellers of {size} records in {workdir}"
    with out.open("w", encoding="utf-8") as handle:
        for path in files:
            crowd: list[Any] = pickle.loads(path.read_bytes())
            cpu = time.process_time()
            with batch_pace():
                for n, traveller in enumerate(crowd):
                    found = index.screen(traveller.record, 10, THRESHOLD)
                    row = [path.name, n, [[m.key, m.score, m.weight] for m in found]]
                    handle.write(json.dumps(row) + "\n")
            per = 1000 * (time.process_time() - cpu) / len(crowd)
            print(f"{path.name}: {len(crowd):,} travellers, {per:.3f} ms CPU a traveller")
    queries = max(index.stats["queries"], 1)
    print({k: round(v / queries, 4) for k, v in index.stats.items()})


def compare(old: Path, new: Path) -> int:
    """Print how many travellers' match lists differ (and the first few); 1 if any do."""
    a = old.read_text("utf-8").splitlines()
    b = new.read_text("utf-8").splitlines()
    if len(a) != len(b):
        print(f"{len(a):,} travellers against {len(b):,}")
        return 1
    differ = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    matched = sum(1 for line in a if json.loads(line)[2])
    print(f"{len(a):,} travellers, {matched:,} with a match: {len(differ)} match lists differ")
    for x, y in differ[:10]:
        print(f"- {x}\n+ {y}")
    return 1 if differ else 0


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/screening"))
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("match-lists.jsonl"))
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"))
    args = parser.parse_args(argv)
    if args.compare:
        sys.exit(compare(*args.compare))
    screen(args.workdir, args.size, args.out)


if __name__ == "__main__":
    main()
