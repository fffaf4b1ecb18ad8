"""Evaluate the shipped transliteration model on the held-out ar2en eval split.

For every Arabic word of the eval split, rank *all* distinct Latin forms of the split by
``model.score(arabic, latin)`` (no shortlist: every pair is scored) and report top-1 / top-5
accuracy and the time taken, then ``score`` / ``candidates`` throughput on fresh models.

    python bench/translit_topk.py [--data DIR]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from ftfhub.names.translit_model import TranslitModel, load_model, normalise_latin

DEFAULT_DATA = Path("/work/shared/data/translit/google_ar2en")


def read_pairs(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        arabic, _, latin = line.partition("\t")
        if arabic and latin:
            pairs.append((arabic, latin))
    return pairs


def rank_eval(model: TranslitModel, pairs: list[tuple[str, str]]) -> tuple[float, float]:
    """Top-1 and top-5 accuracy of ranking all Latin forms for each Arabic word.

    Ties count against the model: a rival scoring the same as the right form beats it.
    """
    latins = sorted({latin for _, latin in pairs})
    top1 = top5 = 0
    for arabic, gold in pairs:
        gold_score = model.score(arabic, gold)
        rivals = sum(1 for x in latins if x != gold and model.score(arabic, x) >= gold_score)
        top1 += rivals == 0
        top5 += rivals < 5
    return top1 / len(pairs), top5 / len(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    pairs = read_pairs(args.data / "ar2en-eval.txt")
    latins = sorted({latin for _, latin in pairs})

    start = time.perf_counter()
    model = load_model.__wrapped__()  # a fresh model: no cache warmed by anything else
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    top1, top5 = rank_eval(model, pairs)
    elapsed = time.perf_counter() - start
    calls = len(pairs) * len(latins)
    print(f"model loaded in {loaded * 1000:.0f} ms")
    print(f"eval: {len(pairs)} Arabic words x {len(latins)} Latin forms = {calls:,} score() calls")
    print(
        f"top-1 {top1:.4f}  top-5 {top5:.4f}  in {elapsed:.1f} s ({calls / elapsed:,.0f} calls/s)"
    )

    # Throughput on random (arabic, latin) pairs never asked before: no pair-cache hits.
    rng = random.Random(0)
    fresh = load_model.__wrapped__()
    sample = [(a, rng.choice(latins)) for a, _ in pairs for _ in range(20)]
    start = time.perf_counter()
    for arabic, latin in sample:
        fresh.score(arabic, latin)
    elapsed = time.perf_counter() - start
    print(
        f"score(): {len(sample) / elapsed:,.0f} calls/s on unseen pairs "
        "(each Arabic token's tables built on first use)"
    )

    fresh = load_model.__wrapped__()
    for label in ("cold model", "warm context tables"):
        start = time.perf_counter()
        found = sum(fresh.candidates(a, 5)[0][0] == normalise_latin(g) for a, g in pairs)
        elapsed = time.perf_counter() - start
        print(
            f"candidates(k=5), {label}: {len(pairs) / elapsed:,.0f} calls/s; "
            f"best candidate is the eval spelling for {found / len(pairs):.3f}"
        )


if __name__ == "__main__":
    main()
