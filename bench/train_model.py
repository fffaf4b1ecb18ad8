"""Re-estimate the name-part levels of the model file from data, and say what changed.

For each Latin-script level (exact, variant, typo, close, phonetic, nickname, similar, prefix,
initial):

- m, how often the same person's two names show the level, from labelled same-person pairs:
  the development list's own primary names against their aliases (`--data`, OFAC by default;
  real spelling variation, no generated pairs), aligned with the current model, counted over
  the shorter name's parts (a part with no counterpart counts for no level);
- u, as a multiple of the part's frequency (the model's term-frequency form): how often two
  parts of *different* listed people agree at the level, relative to how often they agree
  exactly, over random pairs of parts.

The m of the levels shares one estimate; an expectation–maximisation pass over the holdings'
candidate pairs would free the labels, but the list's aliases are labels we have. The
transliteration level (Arabic script ⇥ Latin) and everything outside name parts keep their
values. The new file gets the next version; the table printed compares old and new weights at
a part frequency of 1 in 1,000.

    python bench/train_model.py                       # writes /tmp/model.json, prints the change
    python bench/train_model.py --out src/ftfhub/matching/data/model.json   # adopt it
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

from common import SHARED_DATA, markdown_table, read_person_csv, split_multi
from ftfhub.matching.compare import _no_frequency
from ftfhub.matching.features import PartFeatures, name_features
from ftfhub.matching.name_compare import compare_names, part_level
from ftfhub.matching.parameters import DEFAULT, Level, Parameters, parameters_to_json

DEFAULT_DATA = SHARED_DATA / "watchlists" / "ofac_sdn_2021_non_terror.csv"
ESTIMATED = ("exact", "variant", "typo", "close", "phonetic", "nickname", "similar", "prefix",
             "initial")  # fmt: skip


def estimate_m(rows: list[dict[str, str]], params: Parameters) -> dict[str, float]:
    counts: Counter[str] = Counter()
    slots = 0
    for row in rows:
        a = name_features(row["name"])
        for alias in split_multi(row.get("aliases")):
            b = name_features(alias)
            if not a.parts or not b.parts:
                continue
            _, terms = compare_names(a, b, _no_frequency, params, explain=True)
            slots += min(len(a.parts), len(b.parts))
            counts.update(t.level for t in terms if t.level in params.name_levels)
    return {level: max(counts[level], 1) / slots for level in ESTIMATED}


def estimate_u(rows: list[dict[str, str]], samples: int, seed: int) -> dict[str, float]:
    people = [
        [p for n in [row["name"], *split_multi(row.get("aliases"))] for p in name_features(n).parts]
        for row in rows
    ]
    people = [parts for parts in people if parts]
    rng = random.Random(seed)
    counts: Counter[str] = Counter()
    for _ in range(samples):
        x, y = rng.sample(people, 2)
        pa: PartFeatures = rng.choice(x)
        pb: PartFeatures = rng.choice(y)
        counts[part_level(pa, pb)[0] or "none"] += 1
    exact = max(counts["exact"], 1)
    return {level: max(counts[level], 1) / exact for level in ESTIMATED}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--samples", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--version", default="")
    parser.add_argument("--out", type=Path, default=Path("/tmp/model.json"))
    args = parser.parse_args()
    rows = read_person_csv(args.data)
    m = estimate_m(rows, DEFAULT)
    u = estimate_u(rows, args.samples, args.seed)
    levels = dict(DEFAULT.name_levels)
    for level in ESTIMATED:
        levels[level] = Level(round(m[level], 4), round(u[level], 4))
    number = int(DEFAULT.version.rsplit("-", 1)[-1]) + 1 if "-" in DEFAULT.version else 1
    version = args.version or f"names-{number}"
    new = replace(DEFAULT, version=version, name_levels=levels)
    note = (
        f"Name-part levels re-estimated by bench/train_model.py from {args.data.name}: m from "
        f"its primary names against their aliases, u from {args.samples} random part pairs of "
        "different people; transliteration and non-name terms kept from the previous model."
    )
    args.out.write_text(json.dumps(parameters_to_json(new, note), indent=1) + "\n", "utf-8")
    rows_out = []
    for level in DEFAULT.name_levels:
        old, now = DEFAULT.name_levels[level], levels[level]
        rows_out.append(
            [level, f"{old.m:.3f} / {old.u:.2f}", f"{now.m:.3f} / {now.u:.2f}",
             f"{old.weight(1e-3):+.1f}", f"{now.weight(1e-3):+.1f}"]
        )  # fmt: skip
    head = ["level", f"{DEFAULT.version} m / u", f"{version} m / u", "bits before", "bits after"]
    print(markdown_table(head, rows_out))
    print(f"\nwrote {args.out} ({version})")
    if math.isnan(sum(m.values())):
        raise SystemExit("no labelled pairs")


if __name__ == "__main__":
    main()
