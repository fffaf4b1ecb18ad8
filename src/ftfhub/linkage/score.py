"""Scoring one pair in Python with the batch model: the real-time side of "one score".

The same feature rows, the same level conditions (`levels.holds` mirrors the SQL), the same m,
u and term-frequency adjustment as Splink's predict: a pair scores the same here and in a batch
run, and the terms are the explanation an analyst reads.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from ftfhub.domain import RecordData
from ftfhub.linkage.levels import holds
from ftfhub.linkage.model import LinkageModel
from ftfhub.linkage.spec import COMPARISONS
from ftfhub.linkage.table import build_rows, with_frequencies
from ftfhub.matching.parameters import probability


@dataclass(frozen=True)
class Evidence:
    """One comparison's level and its weight in bits (log2 Bayes factor)."""

    comparison: str
    level: str
    weight: float
    tf_adjustment: float = 0.0

    def to_json(self) -> dict[str, object]:
        return {
            "feature": self.comparison,
            "level": self.level,
            "weight": round(self.weight + self.tf_adjustment, 2),
            "detail": self.level
            + (f" (rarity adjusts {self.tf_adjustment:+.1f})" if self.tf_adjustment else ""),
        }


@dataclass(frozen=True)
class PairScore:
    weight: float
    terms: tuple[Evidence, ...]

    @property
    def probability(self) -> float:
        return probability(self.weight)

    def explanation(self) -> list[dict[str, object]]:
        return [t.to_json() for t in self.terms]


def gamma(comparison: int, left: Mapping[str, object], right: Mapping[str, object]) -> int:
    """The index of the first level whose condition holds (the last is the else level)."""
    levels = COMPARISONS[comparison].levels
    for index, level in enumerate(levels):
        if level.cond is None or holds(level.cond, left, right):
            return index
    return len(levels) - 1


def _tf_adjustment(
    u: float, column: str, left: Mapping[str, object], right: Mapping[str, object]
) -> float:
    values = [v for v in (left.get(f"tf_{column}"), right.get(f"tf_{column}")) if v is not None]
    if not values:
        return 0.0
    largest = max(float(v) for v in values)  # type: ignore[arg-type]
    return math.log2(u) - math.log2(largest)


def score_rows(
    model: LinkageModel, left: Mapping[str, object], right: Mapping[str, object]
) -> PairScore:
    """The pair's match weight and its terms, as Splink's predict computes them."""
    terms = [
        Evidence("prior", "prior odds of a match (estimated from the holdings)", model.prior_weight)
    ]
    for c, spec in enumerate(COMPARISONS):
        index = gamma(c, left, right)
        level = spec.levels[index]
        if level.null:
            continue
        params = model.level(spec.name, level.label)
        adjust = 0.0
        if level.tf_column and params.u:
            adjust = level.tf_weight * _tf_adjustment(params.u, level.tf_column, left, right)
        terms.append(Evidence(spec.name, level.label, params.weight(), adjust))
    total = sum(t.weight + t.tf_adjustment for t in terms)
    return PairScore(total, tuple(terms))


def score_records(model: LinkageModel, left: RecordData, right: RecordData) -> PairScore:
    """Two Records scored in real time with the batch model: the feature rows built as a
    batch run builds them, with the model's own term frequencies."""
    a, b = (
        with_frequencies(row, model.frequencies)
        for row in build_rows([("left", "", left), ("right", "", right)])
    )
    return score_rows(model, a, b)
