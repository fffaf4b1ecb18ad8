"""Resident memory of the big batch on two forked workers sharing a loaded index.

The index is loaded (`index.store.load` of one published folder, read only), collected and
frozen (`gc.freeze()`, as the server and `screening_scale.py` do), every cache cleared; the
big batch's travellers are then screened in two halves on two forked workers, as
`screening_scale.py` screens them. Printed: the parent's `/proc/self/smaps_rollup` after the
load, and each worker's at the end of its half (resident, proportional, shared and private
dirty pages, MiB): what copy-on-write costs when a worker touches the parent's pages.

    python bench/batch_memory.py bench-work/screening/index-1000000/v-… \\
        bench-work/screening/batch-1000000-20000.pickle
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing
import pickle
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the pickled travellers' module

_INDEX: Any = None
_QUERIES: list[Any] = []  # set before the workers fork (nothing is pickled to them)
_FIELDS = ("Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Dirty")


def rollup() -> dict[str, int]:
    """This process's memory by kind, MiB."""
    out = {}
    with open("/proc/self/smaps_rollup") as handle:
        for line in handle:
            key, *value = line.split()
            if key.rstrip(":") in _FIELDS:
                out[key.rstrip(":")] = int(value[0]) // 1024
    return out


def _half(span: tuple[int, int]) -> dict[str, int]:
    from ftfhub.index.pace import batch_pace

    with batch_pace():
        for start in range(span[0], span[1], 312):
            end = min(start + 312, span[1])
            _INDEX.screen_many(_QUERIES[start:end], limit=10, threshold=0.5)
    return rollup()


def main() -> None:
    global _INDEX, _QUERIES
    from ftfhub.index.store import load
    from ftfhub.matching.features import clear_caches

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path, help="one published index folder (v-…)")
    parser.add_argument("batch", type=Path, help="the big batch's travellers (pickle)")
    args = parser.parse_args()
    _INDEX = load(args.folder)
    gc.collect()
    gc.freeze()
    _QUERIES = [t.record for t in pickle.loads(args.batch.read_bytes())]
    clear_caches()
    _INDEX.forget_features()
    print("parent after the load:", rollup())
    middle = len(_QUERIES) // 2
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        halves = pool.map(_half, [(0, middle), (middle, len(_QUERIES))], chunksize=1)
    for k, found in enumerate(halves):
        print(f"worker {k} at the end of its half:", found)


if __name__ == "__main__":
    main()
