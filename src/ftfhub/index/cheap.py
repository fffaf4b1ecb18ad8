"""The cheap score for a few candidates, one by one (`columns.cheap_weights` with numpy
costs some forty array calls, whatever the number of candidates: most queries at a million
records have fewer than ten left after the bound)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ftfhub.domain import PartialDate
from ftfhub.index.columns import TRAVEL, Array, Columns, QueryCells
from ftfhub.matching.date_compare import date_level
from ftfhub.matching.parameters import Parameters

SMALL = 24  # below this many candidates, a Python loop beats forty numpy calls


def cheap_weights_few(
    q: QueryCells,
    cols: Columns,
    at: Array,
    names: npt.NDArray[np.float64],
    document: npt.NDArray[np.bool_],
    params: Parameters,
) -> list[float]:
    """`cheap_weights` for a few candidates, one by one: the birth-date level is the model's
    own (`date_level`) where each side has one Gregorian date, the best level otherwise."""
    data = cols.data
    exact = params.date_levels["exact"].weight()
    shared_nat, other_nat = params.nationality_max_weight, params.nationality_disagree.weight()
    same_gender, other_gender = params.gender_same.weight(), params.gender_different.weight()
    query_date = PartialDate(q.year, q.month or None, q.day or None) if q.date_kind == 1 else None
    out = []
    for position, name, doc in zip(at.tolist(), names.tolist(), document.tolist(), strict=True):
        travel = q.travel or bool(data["flags"][position] & TRAVEL)
        total = (params.prior_weight_travel if travel else params.prior_weight) + name
        kind = data["date_kind"][position]
        if q.date_kind and kind:
            if query_date is not None and kind == 1:
                other = PartialDate(
                    data["year"][position],
                    data["month"][position] or None,
                    data["day"][position] or None,
                )
                total += params.date_levels[date_level(query_date, other)].weight()
            else:
                total += exact
        nationality = data["nationality"][position]
        if q.nationality and nationality:
            total += shared_nat if nationality & q.nationality else other_nat
        gender = data["gender"][position]
        if q.gender and gender:
            total += same_gender if gender == q.gender else other_gender
        if doc:
            total += params.document_same.weight()
        out.append(total)
    return out
