"""Do the screening scores mean what they say as holdings grow? Calibration of the model's
posterior, and what lifting it would cost, on the travellers of ``screening_scale.py``.

A score is the model's posterior that the traveller and the record are one person, for a
traveller population where the share of listed travellers is the one the model's prior
assumes: ``REFERENCE_HOLDINGS`` records times the prior's odds at that size (about 1 in 18;
the prior falls by one bit per doubling of the holdings, so the share stays the same). The
benchmark's sample has another share (500 listed among 1,900 innocents), so the model's odds
are moved by the ratio of the two before they are compared with what happened.

For each size, every traveller is screened against the index ``screening_scale.py`` built
(``index-SIZE`` under ``--workdir``, the same travellers' pickle) down to ``--floor-bits``
(every match whose weight is at least that, ``--limit`` per traveller). Pairs are binned by
weight; in each bin the pairs that are a listed traveller with their own record (true) are
counted beside the rest (false), and beside the number of true pairs the model's posterior
expects there. A model that is right expects what happens; one that expects more true pairs
than there are is over-confident in that bin (lifting it would add false hits faster than
true ones). Then the trade: listed found and innocents with any match if every weight were
lifted by 0-4 bits (what a lower prior, or names weighed as rarer, would buy and cost).

    python bench/screening_calibration.py --sizes 10000,100000,1000000 --listed 500 \
        --workdir bench-work/screening-l500

Run ``screening_scale.py`` with the same ``--sizes``, ``--listed`` and ``--workdir`` first (it
builds the indexes and the travellers).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))  # the pickled travellers are scale_world's

BINS = ((-12.0, -8.0), (-8.0, -4.0), (-4.0, 0.0), (0.0, 4.0), (4.0, 8.0))
LIFTS = (0, 1, 2, 3, 4)


def screened(size: int, args: argparse.Namespace) -> list[tuple[str | None, list[Any]]]:
    """(listed key or None, [(record key, weight), ...]) per traveller, down to the floor."""
    from ftfhub.index.store import IndexStore
    from ftfhub.matching.parameters import probability

    index = IndexStore(args.workdir / f"index-{size}").load()
    pickled = args.workdir / f"travellers-{size}-{args.listed}-{args.innocents}.pickle"
    if index is None or not pickled.exists():
        sys.exit(
            f"error: no index or travellers for {size:,} under {args.workdir}: run "
            "bench/screening_scale.py with the same --sizes, --listed and --workdir first"
        )
    crowd = pickle.loads(pickled.read_bytes())
    floor = probability(args.floor_bits)
    out = []
    for traveller in crowd:
        matches = index.screen(traveller.record, args.limit, floor)
        out.append((traveller.listed_key, [(m.key, m.weight) for m in matches]))
    return out


def calibration(rows: list[tuple[str | None, list[Any]]], mix: float) -> list[str]:
    lines = ["| weight (bits) | true pairs | false pairs | true pairs the model expects |",
             "| --- | --- | --- | --- |"]  # fmt: skip
    for low, high in BINS:
        true = false = 0
        expected = 0.0
        for listed, matches in rows:
            for key, weight in matches:
                if low <= weight < high:
                    true += key == listed
                    false += key != listed
                    expected += 1 / (1 + 1 / (2**weight * mix))
        lines.append(f"| {low:+.0f} to {high:+.0f} | {true} | {false} | {expected:.0f} |")
    return lines


def trade(rows: list[tuple[str | None, list[Any]]]) -> str:
    listed = [(key, matches) for key, matches in rows if key]
    innocent = [matches for key, matches in rows if not key]
    cells = []
    for lift in LIFTS:
        found = sum(any(k == key and w + lift >= 0 for k, w in m) for key, m in listed)
        hit = sum(any(w + lift >= 0 for _, w in m) for m in innocent)
        cells.append(f"+{lift}: {found / max(len(listed), 1):.3f} / {hit}")
    return " · ".join(cells)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/screening-l500"))
    parser.add_argument("--listed", type=int, default=500)
    parser.add_argument("--innocents", type=int, default=1900)
    parser.add_argument("--floor-bits", type=float, default=-12.0)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args(argv)

    from ftfhub.index.screening import REFERENCE_HOLDINGS
    from ftfhub.matching.parameters import DEFAULT

    assumed = REFERENCE_HOLDINGS * 2**DEFAULT.prior_weight_travel  # the prior's listed share
    mix = (args.listed / args.innocents) / (assumed / (1 - assumed))
    print(f"The model's prior takes {assumed:.3f} of travellers as listed; this sample "
          f"{args.listed / (args.listed + args.innocents):.3f}: its odds are moved by "
          f"x{mix:.2f} ({args.listed} listed, {args.innocents} innocents).")  # fmt: skip
    for size in (int(s) for s in args.sizes.split(",")):
        start = time.process_time()
        rows = screened(size, args)
        print(f"\n{size:,} records ({time.process_time() - start:.0f} CPU s):\n")
        print("\n".join(calibration(rows, mix)))
        print(f"\nlisted found / innocents with any match, every weight lifted by k bits: "
              f"{trade(rows)}")  # fmt: skip


if __name__ == "__main__":
    main()
