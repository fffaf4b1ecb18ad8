"""Estimate the weight of the two name-structure conflicts from labelled pairs of the lists.

A given-name conflict (the rest of the name agrees, the given names do not: a brother, a
father, a cousin) and a surname conflict (both written surname first, the given names agree,
the surnames do not) are each one comparison level of one piece of evidence, with

- m = how often the *same* person's two names show it, among pairs where it can show (it
  shows, or both names have the part and two parts agree at least closely: the part and the
  rest): the development
  lists' primary names against their own aliases (real variation, no generated pairs);
- u = how often two *different* listed people's names show it, among candidate pairs where
  it can show: pairs of names of different people that share a blocking key of some part
  (the pairs screening retrieves), blocks of more than `--max-block` names left out;

weight = log2(m / u) (add-half smoothing). The printed table compares the model file's
weight with the estimate.

    python bench/estimate_conflicts.py [--data FILE ...] [--max-block 60]
"""

from __future__ import annotations

import argparse
import math
import random
from collections import defaultdict
from pathlib import Path

from common import SHARED_DATA, markdown_table, read_person_csv, row_names
from ftfhub.matching.compare import _no_frequency
from ftfhub.matching.features import NameFeatures, name_features
from ftfhub.matching.name_compare import compare_names
from ftfhub.matching.parameters import DEFAULT
from ftfhub.matching.part_terms import given_index as _given

DEFAULT_DATA = [
    SHARED_DATA / "watchlists" / "ofac_sdn_2021_non_terror.csv",
    SHARED_DATA / "watchlists" / "uk_hmt_2018_non_un.csv",
]
STRONG = {"exact", "variant", "transliteration", "typo", "close"}
KINDS = ("given", "surname")


Sample = tuple[float, bool]  # the name weight without the conflict, and whether it shows


def _shows(a: NameFeatures, b: NameFeatures) -> dict[str, Sample | None]:
    """For each conflict, when it can show on this pair: the rest's weight, and if it shows."""
    weight, terms = compare_names(a, b, _no_frequency, DEFAULT, explain=True)
    strong = sum(1 for t in terms if t.level in STRONG)
    # The disagreement shows twice today: its own term and the parts' plain conflict ("name
    # parts differ", which may hold other left-over pairs too); both are taken out of the rest.
    plain = [t.weight for t in terms if t.level == "conflict"]
    given_term = [t.weight for t in terms if t.level == "given_conflict"]
    given_term += plain if given_term else []
    surname_term = [
        t.weight for t in terms if t.level == "surname_conflict" and t.detail == "surnames differ"
    ]
    surname_term += plain if surname_term else []
    # The rest agrees: the conflict's own condition when it shows, else a second agreeing
    # part beside the one the conflict is about.
    given = bool(given_term) or (_given(a) is not None and _given(b) is not None and strong >= 2)
    surname = bool(surname_term) or (a.surname_known and b.surname_known and strong >= 2)
    return {
        "given": (weight - sum(given_term), bool(given_term)) if given else None,
        "surname": (weight - sum(surname_term), bool(surname_term)) if surname else None,
    }


def samples(pairs: list[tuple[NameFeatures, NameFeatures]]) -> dict[str, list[Sample]]:
    found: dict[str, list[Sample]] = {kind: [] for kind in KINDS}
    for a, b in pairs:
        for kind, sample in _shows(a, b).items():
            if sample is not None:
                found[kind].append(sample)
    return found


def fit(same: list[Sample], other: list[Sample]) -> float:
    """The conflict's weight in bits given the rest of the name: logistic regression of
    same-or-not on the rest's weight (as the model gives it, an offset) plus the conflict,
    with a free intercept (the pairs' own prior). The rest's terms may overcount (parts a
    family shares are not independent); the fitted weight is what the conflict adds to them."""
    rows = [(r, c, 1.0) for r, c in same] + [(r, c, 0.0) for r, c in other]
    ln2 = math.log(2)
    lam, w = 0.0, 0.0
    for _ in range(200):
        g = [0.0, 0.0]
        h = [[1e-9, 0.0], [0.0, 1e-9]]
        for r, c, y in rows:
            z = max(-50.0, min(50.0, ln2 * (lam + r + w * c)))
            p = 1 / (1 + math.exp(-z))
            x = (1.0, float(c))
            for i in range(2):
                g[i] += ln2 * (y - p) * x[i]
                for j in range(2):
                    h[i][j] += ln2 * ln2 * p * (1 - p) * x[i] * x[j]
        det = h[0][0] * h[1][1] - h[0][1] * h[1][0]
        d0 = (h[1][1] * g[0] - h[0][1] * g[1]) / det
        d1 = (h[0][0] * g[1] - h[1][0] * g[0]) / det
        step = max(1.0, (abs(d0) + abs(d1)) / 2.0)  # at most 2 bits a step: no overshoot
        lam, w = lam + d0 / step, w + d1 / step
        if abs(d0) + abs(d1) < 1e-6:
            break
    return w


def read_people(paths: list[Path]) -> list[list[NameFeatures]]:
    """Each listed person's names (name and aliases), read once, those with no part left out."""
    people = []
    for path in paths:
        for row in read_person_csv(path):
            names = [name_features(n) for n in row_names(row)]
            names = [n for n in names if n.parts]
            if names:
                people.append(names)
    return people


def same_pairs(people: list[list[NameFeatures]]) -> list[tuple[NameFeatures, NameFeatures]]:
    return [(names[0], alias) for names in people for alias in names[1:]]


def other_pairs(
    people: list[list[NameFeatures]], max_block: int, samples: int, seed: int
) -> list[tuple[NameFeatures, NameFeatures]]:
    blocks: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for p, names in enumerate(people):
        for n, name in enumerate(names):
            for part in name.parts:
                for key in part.keys:
                    blocks[key].add((p, n))
    found: set[tuple[tuple[int, int], tuple[int, int]]] = set()
    for members in blocks.values():
        if len(members) > max_block:
            continue
        ordered = sorted(members)
        for i, x in enumerate(ordered):
            for y in ordered[i + 1 :]:
                if x[0] != y[0]:
                    found.add((x, y))
    chosen = sorted(found)
    random.Random(seed).shuffle(chosen)
    return [(people[x[0]][x[1]], people[y[0]][y[1]]) for x, y in chosen[:samples]]


Pairs = list[tuple[NameFeatures, NameFeatures]]


def labelled_pairs(description: str) -> tuple[Pairs, Pairs]:
    """The command line both estimators take, and the pairs it asks for: each person's names
    paired with each other (same person), and sampled pairs of different people who share a
    blocking key (other)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", type=Path, nargs="+", default=DEFAULT_DATA)
    parser.add_argument("--max-block", type=int, default=60)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    people = read_people(args.data)
    return same_pairs(people), other_pairs(people, args.max_block, args.samples, args.seed)


def main() -> None:
    same_people, other_people = labelled_pairs(__doc__.splitlines()[0])
    same = samples(same_people)
    other = samples(other_people)
    rows = []
    hand = {"given": DEFAULT.given_names_conflict, "surname": DEFAULT.surname_conflict}
    for kind, old in hand.items():
        agree = (sum(c for _, c in same[kind]), len(same[kind]))
        disagree = (sum(c for _, c in other[kind]), len(other[kind]))
        fitted = fit(same[kind], other[kind])
        rows.append(level_row(f"{kind}_conflict", agree, disagree, old, fitted))
    print_levels(rows)


def level_row(
    level: str, same: tuple[float, int], other: tuple[float, int], model: float, fitted: float
) -> list[str]:
    """One level's row: its share among same-person and different-people pairs (smoothed by a
    half), the model's weight, the weight the shares give alone, and the weight fitted given
    the other terms."""
    (ms, mn), (us, un) = same, other
    m, u = (ms + 0.5) / (mn + 1), (us + 0.5) / (un + 1)
    return [level, f"{ms:.0f} / {mn} = {m:.4f}", f"{us:.0f} / {un} = {u:.4f}",
            f"{model:+.1f}", f"{math.log2(m / u):+.2f}", f"{fitted:+.2f}"]  # fmt: skip


def print_levels(rows: list[list[str]]) -> None:
    head = ["level", "m (same person)", "u (different people)", f"{DEFAULT.version}",
            "log2(m/u)", "given the rest"]  # fmt: skip
    print(markdown_table(head, rows))


if __name__ == "__main__":
    main()
