"""Train the Arabic → Latin transliteration model shipped in ``ftfhub/names/data``.

Reads only the *train* split of the Google ar2en name pairs (Apache-2.0), learns expected chunk
counts by EM (forward–backward over all segmentations of the Latin word into one chunk of 0..K
letters per Arabic letter), fits the score's sharpness on a held-out tenth of train, and writes
``translit_model.json.gz``. Deterministic: fixed data order, no randomness beyond a seeded RNG.

    python bench/train_translit.py [--data DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import time
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from ftfhub.names.translit_model import (
    DATA_FILE,
    Params,
    TranslitModel,
    normalise_arabic,
    normalise_latin,
)

DEFAULT_DATA = Path("/work/shared/data/translit/google_ar2en")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "src/ftfhub/names/data" / DATA_FILE
MAX_CHUNK = 4
BETAS = {"x": 1.0, "xr": 3.0, "lx": 3.0, "lxr": 3.0}
# Initial preference over chunk lengths: a letter usually gives its consonant, maybe a vowel.
LENGTH_PRIOR = {0: 0.3, 1: 1.0, 2: 0.5, 3: 0.1, 4: 0.02}
ITERS_PLAIN, ITERS_CONTEXT = 8, 8
# Price of one hand-listed spelling rewrite at run time (see translit_model._SWAPS).
VARIANT_COST = 0.25

Pair = tuple[str, str]
Counts = dict[str, dict[str, dict[str, float]]]


def read_pairs(path: Path) -> list[Pair]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        arabic, _, latin = line.partition("\t")
        a, b = normalise_arabic(arabic), normalise_latin(latin)
        if a and b and len(b) <= MAX_CHUNK * len(a):
            pairs.append((a, b))
    return pairs


def contexts(arabic: str) -> list[tuple[str, str, str]]:
    padded = f"^{arabic}$"
    return [(padded[i - 1], padded[i], padded[i + 1]) for i in range(1, len(padded) - 1)]


def e_step(pairs: list[Pair], prob: Params | None) -> dict[tuple[str, str, str], dict[str, float]]:
    """Expected chunk counts per full context; ``prob`` None means the length prior only."""
    counts: dict[tuple[str, str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    dist = lru_cache(maxsize=None)(prob.dist) if prob else None
    for arabic, latin in pairs:
        ctxs, n, m = contexts(arabic), len(arabic), len(latin)
        # emit[i][j][end]: P(latin[j:end] | context of Arabic letter i)
        emit = []
        for ctx in ctxs:
            table = dist(*ctx) if dist else None
            emit.append([
                {end: table.get(latin[j:end], 0.0) if table else LENGTH_PRIOR[end - j]
                 for end in range(j, min(j + MAX_CHUNK, m) + 1)}
                for j in range(m + 1)
            ])  # fmt: skip
        fwd = [[0.0] * (m + 1) for _ in range(n + 1)]
        fwd[0][0] = 1.0
        for i in range(n):
            for j in range(m + 1):
                if fwd[i][j]:
                    for end, p in emit[i][j].items():
                        fwd[i + 1][end] += fwd[i][j] * p
        total = fwd[n][m]
        if total <= 0.0:
            continue
        bwd = [[0.0] * (m + 1) for _ in range(n + 1)]
        bwd[n][m] = 1.0
        for i in range(n - 1, -1, -1):
            for j in range(m + 1):
                for end, p in emit[i][j].items():
                    tail = p * bwd[i + 1][end]
                    if tail:
                        bwd[i][j] += tail
                        if fwd[i][j]:
                            counts[ctxs[i]][latin[j:end]] += fwd[i][j] * tail / total
    return counts


def to_levels(full: dict[tuple[str, str, str], dict[str, float]], with_context: bool) -> Counts:
    """Marginalise full-context counts onto the four context levels, dropping crumbs."""
    levels: Counts = {name: defaultdict(lambda: defaultdict(float)) for name in BETAS}
    for (left, x, right), chunks in sorted(full.items()):
        keys = {"x": x, "xr": x + right, "lx": left + x, "lxr": left + x + right}
        for name, key in keys.items():
            if name == "x" or with_context:
                for chunk, c in chunks.items():
                    levels[name][key][chunk] += c
    return {
        name: {key: {c: round(v, 3) for c, v in sorted(t.items()) if v >= 0.01}
               for key, t in sorted(table.items())}
        for name, table in levels.items()
    }  # fmt: skip


def train(pairs: list[Pair]) -> Params:
    params: Params | None = None
    for it in range(ITERS_PLAIN + ITERS_CONTEXT):
        with_context = it >= ITERS_PLAIN
        counts = to_levels(e_step(pairs, params), with_context)
        params = Params(counts, BETAS, MAX_CHUNK)
    assert params is not None
    return params


def fit_sharpness(model: TranslitModel, held_out: list[Pair]) -> float:
    """Sharpness s so that exp(s · per-letter log-ratio) = 0.5 where right meets wrong.

    Right pairs are the held-out ones; wrong pairs are, for each Arabic word, the best-scoring
    of 50 other held-out Latin forms (a confusable wrong name, not an easy random one).
    The threshold is the per-letter log-ratio equalising both error rates.
    """
    rng = random.Random(7)
    latins = [b for _, b in held_out]

    def ratio(a: str, b: str) -> float:
        tables, best = model._plan(a)
        return (model._viterbi(tables, b) - best) / len(tables)

    right = sorted(ratio(a, b) for a, b in held_out)
    wrong = sorted(max(ratio(a, o) for o in rng.sample(latins, 50) if o != b) for a, b in held_out)
    best_t, best_gap, rates = -1.0, math.inf, (0.0, 0.0)
    for t in (x / 100 for x in range(-400, 0)):
        miss = sum(r < t for r in right) / len(right)
        false = sum(w >= t for w in wrong) / len(wrong)
        if abs(miss - false) < best_gap:
            best_t, best_gap, rates = t, abs(miss - false), (miss, false)
    print(
        f"held out: score 0.5 at per-letter log-ratio {best_t:.2f}; right pairs below it "
        f"{rates[0]:.3f}, best-of-50 wrong pairs above it {rates[1]:.3f}"
    )
    return math.log(2) / -best_t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    start = time.perf_counter()
    pairs = read_pairs(args.data / "ar2en-train.txt")
    # Calibrate on a held-out tenth, then retrain on everything with that sharpness.
    fit, held = [p for i, p in enumerate(pairs) if i % 10], pairs[::10]
    sharpness = fit_sharpness(TranslitModel(train(fit), 1.0, VARIANT_COST), held)
    params = train(pairs)
    blob = {"max_chunk": MAX_CHUNK, "betas": BETAS, "sharpness": round(sharpness, 4),
            "variant_cost": VARIANT_COST,
            "counts": params.counts}  # fmt: skip
    args.out.write_bytes(
        gzip.compress(json.dumps(blob, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0)
    )
    print(
        f"{len(pairs)} pairs, sharpness {sharpness:.3f}, wrote {args.out} "
        f"({args.out.stat().st_size / 1024:.0f} KiB) in {time.perf_counter() - start:.1f} s"
    )


if __name__ == "__main__":
    main()
