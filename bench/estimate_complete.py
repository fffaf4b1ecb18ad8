"""Estimate the "complete name" term from labelled pairs of the lists: a whole name agreeing,
and every given and family name agreeing with a middle name, father's name, kunya or nisba
written on one side only.

The model adds `complete_name` (+3.0 bits, set by hand in names-1) when every part of both
names has a counterpart: the name as a whole agrees, not a coincidence of parts. It adds the
same when one side carries a part the other lacks (a middle or father's name, beside which
`missing_middle` takes 0.3; a kunya or nisba on one side only): one piece of evidence read
as the same strength in two different situations. Three levels (whole; a middle name on one
side only; a kunya, nisba or father's name on one side only), estimated from

- pairs of one person's names (the development lists' primary names against their own
  aliases: real variation, no generated pairs), and
- pairs of different listed people's names that share a blocking key of some part (the pairs
  screening retrieves), blocks of more than `--max-block` names left out;

each among the pairs where the term can show (at least two parts agree). The table gives
m and u of each level and log2(m/u), then "given the rest": a logistic fit of same-or-not on
the rest of the name's weight (the model's own, the complete term and the middle-name cost
taken out: an offset) plus one indicator per level, which allows for the rest overcounting.

    python bench/estimate_complete.py [--data FILE ...] [--max-block 60]

Measured, not adopted: a one-sided level of 1.3 bits (inside both estimators' ranges) lifted
the UK list's held-out aliases at 0.2 % false hits from 0.551 to 0.670 but cost the demo world
4 of 784 cross-owner pairs and the pair benchmark 2 of 333 alias pairs (docs/benchmarks.md,
"A record with no birth year …").
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from estimate_conflicts import labelled_pairs, level_row, print_levels
from ftfhub.matching.compare import _no_frequency
from ftfhub.matching.features import NameFeatures
from ftfhub.matching.name_compare import compare_names
from ftfhub.matching.parameters import DEFAULT

LEVELS = ("whole", "one_sided_middle", "one_sided_structure")
PART_LEVELS = frozenset(DEFAULT.name_levels)
WITHOUT = replace(DEFAULT, complete_name=0.0, missing_middle=0.0)

Sample = tuple[float, tuple[float, ...]]  # the rest's weight, one indicator per level


def _sample(a: NameFeatures, b: NameFeatures) -> Sample | None:
    """The pair's rest weight and which level of the complete term shows; None when fewer
    than two parts agree (the term cannot show)."""
    _, terms = compare_names(a, b, _no_frequency, DEFAULT, explain=True)
    if sum(1 for t in terms if t.level in PART_LEVELS) < 2:
        return None
    rest, _ = compare_names(a, b, _no_frequency, WITHOUT, explain=False)
    complete = [t for t in terms if t.level == "complete"]
    whole = bool(complete) and complete[0].detail == "every name part has its counterpart"
    middle = bool(complete) and not whole and any(t.level == "middle" for t in terms)
    structure = bool(complete) and not whole and not middle
    return rest, (float(whole), float(middle), float(structure))


def samples(pairs: list[tuple[NameFeatures, NameFeatures]]) -> list[Sample]:
    return [s for a, b in pairs if (s := _sample(a, b)) is not None]


def fit(same: list[Sample], other: list[Sample]) -> list[float]:
    """Each level's weight in bits given the rest: logistic regression of same-or-not on the
    rest (an offset) plus one indicator per level and a free intercept (Newton steps)."""
    rows = [(r, (1.0, *x), 1.0) for r, x in same] + [(r, (1.0, *x), 0.0) for r, x in other]
    k = 1 + len(LEVELS)
    beta = [0.0] * k
    ln2 = math.log(2)
    for _ in range(200):
        g = [0.0] * k
        h = [[1e-9 if i == j else 0.0 for j in range(k)] for i in range(k)]
        for r, x, y in rows:
            z = max(-50.0, min(50.0, ln2 * (r + sum(b * v for b, v in zip(beta, x, strict=True)))))
            p = 1 / (1 + math.exp(-z))
            for i in range(k):
                g[i] += ln2 * (y - p) * x[i]
                for j in range(k):
                    h[i][j] += ln2 * ln2 * p * (1 - p) * x[i] * x[j]
        step = _solve(h, g)
        scale = max(1.0, sum(abs(d) for d in step) / 2.0)  # at most 2 bits a step
        beta = [b + d / scale for b, d in zip(beta, step, strict=True)]
        if sum(abs(d) for d in step) < 1e-6:
            break
    return beta[1:]


def _solve(h: list[list[float]], g: list[float]) -> list[float]:
    """The Newton step: h x = g."""
    return [float(x) for x in np.linalg.solve(np.array(h), np.array(g))]


def main() -> None:
    same_people, other_people = labelled_pairs(__doc__.splitlines()[0])
    same = samples(same_people)
    other = samples(other_people)
    fitted = fit(same, other)
    one_sided = DEFAULT.complete_name
    model = {"whole": DEFAULT.complete_name, "one_sided_middle": one_sided,
             "one_sided_structure": one_sided}  # fmt: skip
    rows = []
    for i, level in enumerate(LEVELS):
        agree = (sum(x[i] for _, x in same), len(same))
        disagree = (sum(x[i] for _, x in other), len(other))
        rows.append(level_row(level, agree, disagree, model[level], fitted[i]))
    print_levels(rows)


if __name__ == "__main__":
    main()
