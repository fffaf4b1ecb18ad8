"""Re-estimate the name-part levels' m by expectation–maximisation over the holdings' own
candidate pairs, with no labels (as Splink's `estimate_parameters_using_expectation_maximisation`
does), and print what changed, level by level.

The holdings (`--data`, one or more person files; by default both development lists) are read
as one record per written name (a primary name and each alias apart), so that a listed
person's several names are the unknown matches among them. Candidate pairs are the names that
share a blocking key of some part (the keys the screening index retrieves by; blocks of more
than `--max-block` names, the commonest parts, are left out as a blocking rule would). Each
pair's parts are aligned one-to-one, best level first, as the matcher aligns them; a pair
then shows, per slot of the shorter name, one level or none.

Model (naive Bayes over a pair's slots, as Fellegi–Sunter assumes):

- match: each slot shows level L with probability m_L (none with 1 − Σ m);
- non-match: level L with u_L × the part's frequency, the model's term-frequency form (u stays
  as the model file has it, estimated from random pairs by `train_model.py`: Splink's advice
  is u from random sampling, m from EM);
- E step: each pair's probability of being a match, from the prior share λ and the slots'
  Bayes factors; M step: m_L = Σ p·n_L / Σ p·slots, λ = mean p. Iterated until m moves less
  than 1e-5.

The levels the pairs never show (transliteration: the lists are Latin) and everything outside
name parts keep the model file's values.

    python bench/estimate_em.py       # prints old vs new weights, writes /tmp/model-em.json
    python bench/estimate_em.py --out src/ftfhub/matching/data/model.json   # adopt it
    python bench/estimate_em.py --record src/ftfhub/matching/data/model.json
        # keep the estimate beside the model's own numbers ("em_estimate"), not adopted

Adopt only what measures no worse (`pair_eval.py`, `watchlist_eval.py` on both lists,
`translit_eval.py`, `synthetic_eval.py`; docs/benchmarks.md, "The model file").
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from common import SHARED_DATA, markdown_table, read_person_csv, split_multi
from ftfhub.matching.features import NameFeatures, name_features
from ftfhub.matching.frequency import floor
from ftfhub.matching.name_compare import part_level
from ftfhub.matching.parameters import DEFAULT, Level, Parameters, parameters_to_json

DEFAULT_DATA = [
    SHARED_DATA / "watchlists" / "ofac_sdn_2021_non_terror.csv",
    SHARED_DATA / "watchlists" / "uk_hmt_2018_non_un.csv",
]
RANK = ("exact", "variant", "transliteration", "typo", "close", "phonetic", "nickname", "similar",
        "prefix", "initial")  # fmt: skip


@dataclass(frozen=True)
class PairLevels:
    """One candidate pair as EM sees it: each agreeing slot's level and part frequency."""

    agreements: tuple[tuple[str, float], ...]
    slots: int


def read_names(paths: list[Path]) -> list[NameFeatures]:
    names: list[NameFeatures] = []
    for path in paths:
        for row in read_person_csv(path):
            for text in [row["name"], *split_multi(row.get("aliases"))]:
                features = name_features(text)
                if features.parts:
                    names.append(features)
    return names


def candidate_pairs(names: list[NameFeatures], max_block: int) -> set[tuple[int, int]]:
    blocks: dict[str, set[int]] = defaultdict(set)
    for i, name in enumerate(names):
        for part in name.parts:
            for key in part.keys:
                blocks[key].add(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if 1 < len(members) <= max_block:
            ordered = sorted(members)
            pairs.update((x, y) for k, x in enumerate(ordered) for y in ordered[k + 1 :])
    return pairs


def align(a: NameFeatures, b: NameFeatures) -> PairLevels:
    """The best one-to-one agreements of two names' parts, best level first."""
    found = []
    for i, pa in enumerate(a.parts):
        for j, pb in enumerate(b.parts):
            level, sim = part_level(pa, pb)
            if level:
                found.append((RANK.index(level), -sim, i, j, level))
    used_a: set[int] = set()
    used_b: set[int] = set()
    agreements = []
    for _, _, i, j, level in sorted(found):
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        freq = max(floor(a.parts[i].freq_key), floor(b.parts[j].freq_key), DEFAULT.min_frequency)
        agreements.append((level, freq))
    # The pair was picked because some part agrees: that agreement says nothing about match
    # or non-match here (Splink leaves a blocking rule's own columns out of its EM pass), so
    # the best one is set aside and the other slots are the evidence.
    return PairLevels(tuple(agreements[1:]), min(len(a.parts), len(b.parts)) - 1)


def log_factor(pair: PairLevels, m: dict[str, float], u: dict[str, Level]) -> float:
    """ln of the pair's Bayes factor (match against non-match) under m and the model's u."""
    m_none = max(1.0 - sum(m.values()), 1e-6)
    total = 0.0
    for level, freq in pair.agreements:
        total += math.log(m[level] / min(0.95, u[level].u * freq))
    nones = pair.slots - len(pair.agreements)
    return total + nones * math.log(m_none / 0.99)  # a random pair's slot shows none ~99 %


def expectation_maximisation(
    pairs: list[PairLevels], params: Parameters, iterations: int, prior: float
) -> tuple[dict[str, float], float, int]:
    """m per level and the share of matches λ, from the pairs alone."""
    levels = sorted({level for pair in pairs for level, _ in pair.agreements})
    m = {level: params.name_levels[level].m for level in levels}
    share = prior
    for step in range(1, iterations + 1):
        counts: dict[str, float] = dict.fromkeys(levels, 0.0)
        slots = 0.0
        total_p = 0.0
        logit = math.log(share / (1.0 - share))
        for pair in pairs:
            x = logit + log_factor(pair, m, params.name_levels)
            p = 1.0 / (1.0 + math.exp(-x)) if x > -700 else 0.0
            total_p += p
            slots += p * pair.slots
            for level, _ in pair.agreements:
                counts[level] += p
        new = {level: max(counts[level] / slots, 1e-5) for level in levels}
        share = min(max(total_p / len(pairs), 1e-6), 0.5)
        moved = max(abs(new[level] - m[level]) for level in levels)
        m = new
        if moved < 1e-5:
            return m, share, step
    return m, share, iterations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, action="append")
    parser.add_argument("--max-block", type=int, default=60)
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--prior", type=float, default=0.01, help="starting share of matches")
    parser.add_argument("--version", default="")
    parser.add_argument("--out", type=Path, default=Path("/tmp/model-em.json"))
    parser.add_argument("--record", type=Path, help="a model file to keep the estimate in")
    args = parser.parse_args()
    paths = args.data or DEFAULT_DATA
    names = read_names(paths)
    candidates = candidate_pairs(names, args.max_block)
    pairs = [align(names[i], names[j]) for i, j in sorted(candidates)]
    pairs = [pair for pair in pairs if pair.slots > 0]
    m, share, steps = expectation_maximisation(pairs, DEFAULT, args.iterations, args.prior)
    levels = dict(DEFAULT.name_levels)
    for level, value in m.items():
        levels[level] = Level(round(value, 4), levels[level].u)
    number = int(DEFAULT.version.rsplit("-", 1)[-1]) + 1 if "-" in DEFAULT.version else 1
    version = args.version or f"names-{number}"
    new = replace(DEFAULT, version=version, name_levels=levels)
    note = (
        f"Name-part m re-estimated by bench/estimate_em.py: expectation-maximisation over "
        f"{len(pairs):,} unlabelled candidate pairs of {len(names):,} written names of "
        f"{', '.join(p.name for p in paths)} (blocks up to {args.max_block}); u and every "
        f"other term kept from {DEFAULT.version}."
    )
    args.out.write_text(json.dumps(parameters_to_json(new, note), indent=1) + "\n", "utf-8")
    rows = []
    for level in DEFAULT.name_levels:
        old, now = DEFAULT.name_levels[level], levels[level]
        rows.append(
            [level, f"{old.m:.4f}", f"{now.m:.4f}", f"{old.u:.3f}",
             f"{old.weight(1e-3):+.1f}", f"{now.weight(1e-3):+.1f}",
             f"{now.weight(1e-3) - old.weight(1e-3):+.1f}"]
        )  # fmt: skip
    head = ["level", f"m {DEFAULT.version}", f"m {version}", "u (kept)", "bits before",
            "bits after", "change"]  # fmt: skip
    print(
        f"{len(names):,} names, {len(pairs):,} candidate pairs; EM converged in {steps} "
        f"steps; estimated share of matches among the pairs {share:.4f}\n"
    )
    print(markdown_table(head, rows))
    print(f"\nwrote {args.out} ({version}); bits at a part frequency of 1 in 1,000")
    if args.record:
        record(args.record, m, share, len(pairs), note)


def record(path: Path, m: dict[str, float], share: float, pairs: int, note: str) -> None:
    """Keep the estimate in a model file beside the numbers it uses (which stay as they are):
    the next re-estimation shows what moved, and adopting it is a deliberate step."""
    data = json.loads(path.read_text("utf-8"))
    data["em_estimate"] = {
        "note": note,
        "adopted": False,
        "candidate_pairs": pairs,
        "match_share": round(share, 5),
        "name_levels_m": {level: round(value, 4) for level, value in sorted(m.items())},
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(f"kept the estimate in {path} (em_estimate; the model's numbers unchanged)")


if __name__ == "__main__":
    main()
