"""How far the batch model's score is from real-time screening's, pair by pair.

The batch model (Splink, trained on the holdings) and the real-time screening model (hand-set
parameters, `matching.compare.compare_features`) share the features but not the levels and
weights. Real time can load the batch model (`linkage.score.score_records`, tested equal to
Splink's own score); this measures the gap that remains while screening keeps its own model:
on the synthetic world's scored pairs, the mean absolute difference of the two probabilities
and how often the two agree on "same person" at the threshold.

    .venv/bin/python bench/one_score.py [--fighters 300] [--travellers 5000]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

from ftfhub.linkage import resolve
from ftfhub.matching.compare import compare_features
from ftfhub.matching.features import record_features
from world_resolve import world_records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fighters", type=int, default=300)
    parser.add_argument("--travellers", type=int, default=5000)
    parser.add_argument("--threshold", type=float, default=0.9)
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        items, person, _ = world_records(Path(tmp), args.fighters, args.travellers)
    result = resolve(items, threshold=args.threshold)
    features = {key: record_features(record) for key, _, record in items}
    gaps, agree, both_same, n = 0.0, 0, 0, 0
    for edge in result.edges:
        batch = result.explain(edge.left, edge.right).probability
        real_time = compare_features(features[edge.left], features[edge.right]).score
        gaps += abs(batch - real_time)
        same_batch, same_rt = batch >= args.threshold, real_time >= args.threshold
        agree += same_batch == same_rt
        both_same += same_batch and same_rt
        n += 1
    truly = sum(person[e.left] == person[e.right] for e in result.edges)
    print(f"{n} scored pairs ({truly} of one person)")
    print(f"mean |batch - real time| probability: {gaps / max(n, 1):.3f}")
    print(f"same decision at {args.threshold}: {agree / max(n, 1):.3f} ({both_same} both 'same')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
