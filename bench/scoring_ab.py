"""Paired CPU of the big batch's ranking and scoring: another checkout's scoring path and this
one's in one process, alternated round by round, the answers compared.

Another checkout's `matching/name_compare.py`, `matching/compare.py` and `index/screening.py`
(`--base`, e.g. main's `src/ftfhub`) are loaded beside this tree's; before each pass the
index's scoring methods (and `features`, how a candidate's features are had: its fields
decoded and its names analysed, or the rows the index keeps made into objects) are swapped
to one side's and every name and level cache is cleared. The index is this tree's: a base
whose index format differs reads what it needs from the fields both formats keep.
The travellers of `screening_scale.py`'s big batch are screened as `ftfhub screen` screens a
file (`screen_many`, spans of 312, the batch pace), one process, no fork: CPU time a
traveller per side, and the paired ratio per round (the machine is shared: only the ratio
says anything). Every pass must give the same matches, scores and explanations, to the bit.

    python bench/scoring_ab.py --base /work/main/src/ftfhub --rounds 6
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import pickle
import statistics
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import ftfhub.index.screening as this_screening
from ftfhub.index.pace import batch_pace
from ftfhub.index.store import IndexStore
from ftfhub.matching import features

METHODS = ("_screen", "compare", "frequency_for", "carriers", "features")
CACHES = ("_LEVELS", "_TRAITS", "_MERGES", "_SEEN")


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def base_methods(base: Path) -> dict[str, Any]:
    """The base checkout's screening methods, calling its own comparison code."""
    names = _load("base_name_compare", base / "matching" / "name_compare.py")
    compare = _load("base_compare", base / "matching" / "compare.py")
    compare.compare_names = names.compare_names  # type: ignore[attr-defined]
    screening = _load("base_screening", base / "index" / "screening.py")
    screening.compare_features = compare.compare_features  # type: ignore[attr-defined]
    cls = screening.ScreeningIndex  # type: ignore[attr-defined]
    return {m: cls.__dict__[m] for m in METHODS}


def clear_all(index: Any) -> None:
    features.clear_caches()
    index.forget_features()
    for name, module in list(sys.modules.items()):
        if not name.startswith(("ftfhub.names", "ftfhub.matching", "base_")):
            continue
        for value in list(vars(module).values()):
            info = getattr(value, "cache_info", None)
            if info is not None and (info().maxsize or 0) > 1:
                value.cache_clear()
        for cache in CACHES:
            found = getattr(module, cache, None)
            if isinstance(found, dict):
                found.clear()
    gc.collect()


def one_pass(index: Any, queries: list[Any]) -> tuple[float, list[Any]]:
    cpu, out = 0.0, []
    for start in range(0, len(queries), 312):
        began = time.process_time()
        with batch_pace():
            found = index.screen_many(queries[start : start + 312], limit=10, threshold=0.5)
        cpu += time.process_time() - began
        for matches in found:
            out.append(
                [
                    (m.key, m.owner, m.score.hex(), m.weight.hex(), json.dumps(m.explanation))
                    for m in matches
                ]
            )
    return cpu, out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--base", type=Path, required=True, help="another checkout's src/ftfhub")
    parser.add_argument("--index", type=Path, default=Path("bench-work/screening/index-1000000"))
    parser.add_argument(
        "--batch", type=Path, default=Path("bench-work/screening/batch-1000000-20000.pickle")
    )
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--travellers", type=int, default=20_000)
    args = parser.parse_args()
    cls = this_screening.ScreeningIndex
    sides = {"base": base_methods(args.base), "this": {m: cls.__dict__[m] for m in METHODS}}
    index = IndexStore(args.index).load()
    if index is None:
        raise SystemExit(f"no index at {args.index}")
    gc.collect()
    gc.freeze()  # as the server and the benchmark do after loading
    queries = [t.record for t in pickle.loads(args.batch.read_bytes())][: args.travellers]
    reference = None
    ratios = []
    for round_ in range(args.rounds):
        order = ("base", "this") if round_ % 2 == 0 else ("this", "base")
        cpu = {}
        for side in order:
            for method, function in sides[side].items():
                setattr(cls, method, function)
            clear_all(index)
            cpu[side], out = one_pass(index, queries)
            if reference is None:
                reference = out
            elif out != reference:
                raise SystemExit(f"round {round_}: {side} gave other answers")
        ratios.append(cpu["this"] / cpu["base"])
        load = Path("/proc/loadavg").read_text().split()[0]
        each = {s: 1000 * cpu[s] / len(queries) for s in cpu}
        print(
            f"round {round_} ({order[0]} first): base {each['base']:.4f} ms, "
            f"this {each['this']:.4f} ms a traveller, ratio {ratios[-1]:.4f}, load {load}",
            flush=True,
        )
    assert reference is not None
    matches = sum(map(len, reference))
    print(
        f"median ratio {statistics.median(ratios):.4f}; answers identical in every pass "
        f"({len(reference):,} travellers, {matches:,} matches)"
    )


if __name__ == "__main__":
    main()
