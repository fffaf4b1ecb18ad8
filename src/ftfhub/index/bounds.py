"""Upper bounds that let the index skip work: what the terms but the name's could add to a
candidate's weight, and what each query part must read (MaxScore-style tiers). Each bound is
at or above what the model could give, so nothing it skips could have reached the
threshold."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from ftfhub.index.candidates import JOINED, PLAIN, PROBED, Weights
from ftfhub.index.columns import Columns, QueryCells
from ftfhub.index.keys import PartKeys, query_years
from ftfhub.index.postings import Positions
from ftfhub.matching.features import RecordFeatures
from ftfhub.matching.parameters import Parameters


def other_bound(
    p: Parameters,
    columns: Columns,
    cells: QueryCells,
    at: Positions,
    same_day: npt.NDArray[np.bool_] | None,
) -> Weights:
    """An upper bound of the terms but the name's, per candidate at `at`: the prior (of a
    travel pair, or the larger), the best date level unless the query has one Gregorian
    date, the nationality and gender terms from the candidate's own columns as
    `cheap_weights` gives them (a candidate of the other gender is 5.6 bits further from the
    threshold than the best case, and most candidates are), and for a query with one
    Gregorian date the `date_bound` (`same_day`: the candidates found by the date's key)."""
    prior = p.prior_weight_travel if cells.travel else max(p.prior_weight, p.prior_weight_travel)
    if cells.date_kind == 2:
        prior += max(0.0, *(level.weight() for level in p.date_levels.values()))
    total: Weights = np.full(len(at), prior)
    if cells.nationality:
        nat = columns.view("nationality")[at]
        shared = (nat & np.uint64(cells.nationality)) > 0
        disagree = p.nationality_disagree.weight()
        total += np.where(nat == 0, 0.0, np.where(shared, p.nationality_max_weight, disagree))
    if cells.gender:
        same, other = p.gender_same.weight(), p.gender_different.weight()
        by_gender = np.array([0.0, *(same if g == cells.gender else other for g in (1, 2))])
        total += by_gender[columns.view("gender")[at]]
    if cells.date_kind == 1 and same_day is not None:
        total += date_bound(p, columns, cells, at, same_day)
    return total


_GAPS = 102  # year gaps told apart by the date bound (101: any farther)
_gap_tables: dict[int, tuple[Parameters, npt.NDArray[np.float64], float]] = {}


def _gap_table(params: Parameters) -> tuple[npt.NDArray[np.float64], float]:
    """Per gap between two birth years (one Gregorian date each, 101 for any farther), the
    most the model's birth-date term gives short of an exact date; and the exact date's.
    The same year: any level but exact; a year one off, or ten or a hundred (a digit of the
    year mistyped): at most `year_off_by_one` (when the rest agrees), else `different`;
    farther: `different` or `far_apart` (`date_compare.date_level`)."""
    cached = _gap_tables.get(id(params))
    if cached is not None and cached[0] is params:
        return cached[1], cached[2]
    p = params.date_levels
    exact = max(0.0, p["exact"].weight())
    near = max(0.0, *(v.weight() for k, v in p.items() if k != "exact"))
    apart = max(p["different"].weight(), p["far_apart"].weight())
    slip = max(apart, p["year_off_by_one"].weight())
    table = np.full(_GAPS, apart)
    table[0] = near
    table[[1, 10, 100]] = slip
    _gap_tables[id(params)] = (params, table, exact)
    return table, exact


def date_bound(
    params: Parameters,
    columns: Columns,
    cells: QueryCells,
    at: Positions,
    same_day: npt.NDArray[np.bool_],
) -> Weights:
    """An upper bound of the model's birth-date term for a query with one Gregorian
    date: an exact date only for the candidates found by the date's own key
    (`same_day`); a candidate with one date in another year at most what that gap allows
    (`_gap_table`); the others (several dates, a Hijri date) at most the best level short
    of exact; none where the candidate has no date."""
    table, exact = _gap_table(params)
    kind = columns.view("date_kind")[at]
    gap = np.abs(columns.view("year")[at].astype(np.int32) - cells.year)
    np.minimum(gap, _GAPS - 1, out=gap)
    level = np.where(kind == 1, table[gap], table[0])
    level[same_day] = exact
    level[kind == 0] = 0.0
    return level


def year_unknown(columns: Columns, positions: Positions, years: list[int]) -> npt.NDArray[np.bool_]:
    """Candidates whose birth year is not one of the query's (or not known)."""
    kind = columns.view("date_kind")[positions]
    year = columns.view("year")[positions]
    if years == list(range(years[0], years[-1] + 1)):  # one run of years: two compares
        known = (year >= years[0]) & (year <= years[-1])
    else:
        known = np.isin(year, years)
    unknown: npt.NDArray[np.bool_] = ~((kind == 1) & known)
    return unknown


def tiers(
    p: Parameters,
    features: RecordFeatures,
    parts: list[PartKeys],
    weights: list[float],
    floor_weight: float,
    both_kinds: bool,
) -> list[int]:
    """What each part reads (`NameSearch`). Per name, parts are taken from the commonest:
    while their weights together, with the best the other terms could add, stay under
    `floor_weight`, a candidate sharing only them cannot reach it unless found otherwise.
    With a birth year other than the query's (or none), the date adds at most a year one
    off: such parts read only the keys joined to the query's years (`JOINED`). With the
    year agreeing, at most the best level short of an exact date (an exact date is found
    by its own key): parts under that read nothing (`PROBED`)."""
    if floor_weight == -math.inf:
        return [PLAIN] * len(parts)
    prior = p.prior_weight_travel if features.kind == "travel" else p.prior_weight
    others = prior + max(0.0, p.nationality_max_weight) + max(0.0, p.gender_same.weight())
    levels = p.date_levels
    near = others + max(0.0, *(v.weight() for k, v in levels.items() if k != "exact"))
    far = others + max(0.0, levels["year_off_by_one"].weight())
    if not query_years(features):
        near = far = others  # no date: no date term
    factor = 1 + p.second_name_factor if both_kinds else 1.0
    out = [PLAIN] * len(parts)
    for name_index in {part.name_index for part in parts}:
        mine = sorted(
            (i for i, part in enumerate(parts) if part.name_index == name_index),
            key=weights.__getitem__,
        )
        total = 0.0
        for count, i in enumerate(mine, start=1):
            total += weights[i]
            bonus = p.complete_name if count == len(mine) and count >= 2 else 0.0
            name = min(total + bonus, p.max_name_weight) * factor
            if name + far >= floor_weight:
                break
            out[i] = JOINED if name + near >= floor_weight else PROBED
    return out
