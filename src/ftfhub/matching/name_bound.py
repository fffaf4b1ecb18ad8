"""The most two names' comparison can weigh, from their graded parts alone.

Ranking asks of most candidates only whether they reach the threshold, and 98 % do not.
Once the parts are graded (`align_names`), what `finish_names` adds is bounded above:

- each matched agreement weighs at most its own `part_weight` (given-name and family decays,
  the family factor and a title's decay are all at most 1, and part weights are never
  negative), and a part takes part in one agreement at most; so the matched parts weigh at
  most, for either side, the sum over its parts of the most any agreement gives that part
  (two words written as one give the single word on the other side both words' weights);
- of the terms the parts left over add, only a whole name is evidence for (`complete_name`,
  and only with two agreements or more); every other (conflicts, parts missing, another
  family, given names or surnames that differ) is against when the model says so;
- agreement is capped at `max_name_weight`; what is against is added after the cap.

The bound is the weight itself when no part agrees. `bound_holds` says whether a model's
parameters allow the argument at all (a model with a positive conflict weight or a decay
above 1 would not); when they do not, the bound is infinite and nothing is skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from ftfhub.matching.name_compare import Aligned, weak_factor
from ftfhub.matching.parameters import Parameters
from ftfhub.matching.part_levels import part_weight

Frequency = Callable[[str], float]

_AGAINST = (
    "conflicting_part",
    "family_conflict",
    "missing_part",
    "missing_middle",
    "surname_conflict",
    "given_names_conflict",
)
_SHARES = (
    "given_name_decay",
    "part_decay",
    "family_factor_surname_first",
    "family_factor_last_word",
    "kunya_factor",
)
_HOLDS: dict[int, tuple[Parameters, bool]] = {}


def bound_holds(params: Parameters) -> bool:
    """Whether the parameters make every term but the matched parts and a whole name count
    against, and every decay or factor a share (worked out once per parameters object)."""
    found = _HOLDS.get(id(params))
    if found is None or found[0] is not params:
        against = all(getattr(params, name) <= 0.0 for name in _AGAINST)
        shares = all(0.0 <= getattr(params, name) <= 1.0 for name in _SHARES)
        found = _HOLDS[id(params)] = (params, against and shares)
        if len(_HOLDS) > 64:  # parameters objects made per holdings size, or in tests
            _HOLDS.clear()
            _HOLDS[id(params)] = found
    return found[1]


def name_bound(aligned: Aligned, freq: Frequency, params: Parameters) -> float:
    """At least `finish_names(aligned, freq, params, ...)`'s weight; infinite when
    `bound_holds(params)` is False."""
    a, b, pairs = aligned.a, aligned.b, aligned.pairs
    if not pairs:
        return min(len(a.parts), len(b.parts)) * params.conflicting_part
    if not bound_holds(params):
        return math.inf
    factor = weak_factor(a, b, params)
    best_a = [0.0] * len(a.parts)
    best_b = [0.0] * len(b.parts)
    entries = 0  # whether two agreements can be kept together (a whole name needs two)
    for _, sim, merged, _, ia, ib, level, pa, pb in pairs:
        if merged:
            words = aligned.words[(ia, ib)]
            weights = [part_weight(level, x, y, freq, params, sim, factor) for x, y in words]
            entries = 2
        else:
            weights = [part_weight(level, pa, pb, freq, params, sim, factor)]
        _keep(best_a, ia, weights)
        _keep(best_b, ib, weights)
    if entries < 2:
        entries = 2 if _two_apart(pairs) else 1
    total = min(sum(best_a), sum(best_b))
    if entries >= 2 and params.complete_name > 0:
        total += params.complete_name
    return min(total, params.max_name_weight)


def _keep(best: list[float], parts: tuple[int, ...], weights: list[float]) -> None:
    """One side's parts `parts` take `weights`: one weight each, or a single part both."""
    if len(parts) == len(weights):
        for k, w in zip(parts, weights, strict=True):
            if w > best[k]:
                best[k] = w
    else:
        w = sum(weights)
        if w > best[parts[0]]:
            best[parts[0]] = w


def _two_apart(pairs: Sequence[tuple[object, ...]]) -> bool:
    """Two agreements of one part each that share no part on either side."""
    for k, first in enumerate(pairs):
        for second in pairs[k + 1 :]:
            if first[4] != second[4] and first[5] != second[5]:
                return True
    return False
