"""The ranking comparison's early exit checked on real pairs: the names' bound
(`matching/name_bound.py`) against the exact weight, on every pair of the pair benchmark
(`pair_data.py`, both ways round) and on every comparison a batch's ranking makes against a
published index (`bench/screening_scale.py`'s big batch); a comparison stopped early is
checked to be under its floor, one not stopped to be the comparison made without one.

    python bench/name_bound_check.py                      # the pair benchmark only
    python bench/name_bound_check.py --index bench-work/screening/index-1000000 \
        --batch bench-work/screening/batch-1000000-20000.pickle
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ftfhub.matching import compare as compare_module
from ftfhub.matching.features import NameFeatures, name_features
from ftfhub.matching.name_bound import name_bound
from ftfhub.matching.name_compare import align_names, finish_names
from ftfhub.matching.parameters import DEFAULT, Parameters


class Tally:
    def __init__(self) -> None:
        self.pairs = 0
        self.tight = 0  # the bound is the weight itself (no part agrees, mostly)
        self.least = math.inf  # the smallest bound - weight seen

    def check(self, a: NameFeatures, b: NameFeatures, freq: Any, params: Parameters) -> None:
        aligned = align_names(a, b)
        bound = name_bound(aligned, freq, params)
        weight, _ = finish_names(aligned, freq, params, explain=False)
        if bound + 1e-9 < weight:
            raise SystemExit(f"the bound is below the weight: {a.original} ~ {b.original}")
        self.pairs += 1
        self.tight += bound == weight
        self.least = min(self.least, bound - weight)

    def line(self) -> str:
        return (
            f"{self.pairs:,} name pairs, bound == weight in {self.tight:,}, "
            f"least margin {self.least}"
        )


def pair_benchmark() -> None:
    from pair_data import build_pairs

    tally = Tally()
    pairs = build_pairs()
    for pair in pairs:
        a, b = name_features(pair.a), name_features(pair.b)
        tally.check(a, b, compare_module._no_frequency, DEFAULT)
        tally.check(b, a, compare_module._no_frequency, DEFAULT)
    print(f"pair benchmark, {len(pairs):,} pairs both ways: {tally.line()}")


def batch(index_path: Path, batch_path: Path, travellers: int) -> None:
    import ftfhub.index.screening as screening
    from ftfhub.index.pace import batch_pace
    from ftfhub.index.store import IndexStore

    index = IndexStore(index_path).load()
    queries = [t.record for t in pickle.loads(batch_path.read_bytes())][:travellers]
    real = compare_module.compare_features
    tally, calls, stopped = Tally(), [0], [0]

    def checked(*args: Any, **kwargs: Any) -> compare_module.Comparison:
        found = real(*args, **kwargs)
        floor = kwargs.pop("floor", None)
        if floor is None:
            return found
        exact = real(*args, **kwargs)
        a, b, freq, params = args[:4]
        for na in a.names:
            for nb in b.names:
                tally.check(na, nb, freq, params)
        calls[0] += 1
        if found.bounded:
            stopped[0] += 1
            if not exact.weight <= found.weight < floor:
                raise SystemExit(f"stopped above its floor: {a.names[0].original}")
        elif found != exact:
            raise SystemExit(f"not stopped, yet another comparison: {a.names[0].original}")
        return found

    screening.compare_features = checked  # type: ignore[assignment]
    with batch_pace():
        for start in range(0, len(queries), 312):
            index.screen_many(queries[start : start + 312], limit=10, threshold=0.5)
    print(
        f"batch of {len(queries):,} travellers: {calls[0]:,} ranking comparisons with a floor, "
        f"{stopped[0]:,} stopped early; {tally.line()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--index", type=Path, help="a published index (IndexStore folder)")
    parser.add_argument("--batch", type=Path, help="the big batch's travellers (pickle)")
    parser.add_argument("--travellers", type=int, default=20_000)
    args = parser.parse_args()
    pair_benchmark()
    if args.index and args.batch:
        batch(args.index, args.batch, args.travellers)


if __name__ == "__main__":
    main()
