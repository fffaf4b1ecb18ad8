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
from ftfhub.index.keys import PartKeys
from ftfhub.index.postings import Positions
from ftfhub.matching.features import RecordFeatures
from ftfhub.matching.parameters import Parameters

FIRST_YEAR, SLOTS = 1800, 512  # birth years told apart by a record's date code
_KIND_SHIFT, _GENDER_SHIFT, _DAY_SHIFT = 9, 11, 13
_DATE = (1 << _GENDER_SHIFT) - 1  # a code's kind and year slot


class DateCodes:
    """Per record, its date kind, birth year, gender, month and day packed in one integer
    (`year - 1800 | kind << 9 | gender << 11 | month << 13 | day << 17`; year slot 0: no
    year, or one outside 1801–2311), so that a bound reads one column per candidate and
    looks the terms up in small per-query tables: at a million records, gathering four
    columns for a thousand scattered candidates and combining them was a fifth of a query.
    Built from the columns on first use and extended as they grow (a record's date and
    gender never change in place: a correction is a new position)."""

    def __init__(self) -> None:
        self.buffer = np.zeros(0, dtype=np.int32)
        self.size = 0

    def of(self, columns: Columns) -> npt.NDArray[np.int32]:
        size = len(columns)
        if size != self.size:
            start = self.size if self.size < size else 0
            if size > len(self.buffer):  # grown a quarter at a time: a server adds rows
                grown = np.zeros(max(size, len(self.buffer) * 5 // 4) + 1024, dtype=np.int32)
                grown[:start] = self.buffer[:start]
                self.buffer = grown
            year = columns.view("year")[start:size].astype(np.int32) - FIRST_YEAR
            slot = np.where((year > 0) & (year < SLOTS), year, 0)
            kind = columns.view("date_kind")[start:size].astype(np.int32) << _KIND_SHIFT
            gender = columns.view("gender")[start:size].astype(np.int32) << _GENDER_SHIFT
            month = columns.view("month")[start:size].astype(np.int32) << _DAY_SHIFT
            day = columns.view("day")[start:size].astype(np.int32) << (_DAY_SHIFT + 4)
            self.buffer[start:size] = slot | kind | gender | month | day
            self.size = size
        return self.buffer[: self.size]


def _slot_years() -> npt.NDArray[np.int32]:
    return np.arange(SLOTS, dtype=np.int32) + FIRST_YEAR


def other_bound(
    p: Parameters,
    columns: Columns,
    cells: QueryCells,
    at: Positions,
    codes: npt.NDArray[np.int32],
    same_day: npt.NDArray[np.bool_] | None,
) -> Weights:
    """An upper bound of the terms but the name's, per candidate at `at` (`codes`: their
    `DateCodes`): the prior (of a travel pair, or the larger), the best date level unless
    the query has one Gregorian date, the nationality and gender terms from the candidate's
    own columns as `cheap_weights` gives them (a candidate of the other gender is 5.6 bits
    further from the threshold than the best case, and most candidates are), and for a
    query with one Gregorian date the `date_table` (`same_day`: the candidates found by the
    date's key, the only ones whose date can agree exactly)."""
    prior = p.prior_weight_travel if cells.travel else max(p.prior_weight, p.prior_weight_travel)
    if cells.date_kind == 2:
        prior += max(0.0, *(level.weight() for level in p.date_levels.values()))
    if cells.date_kind == 1 and same_day is not None:
        table, exact = date_table(p, cells.year)
        dates = codes & _DATE
        total: Weights = table[dates]
        same_year = dates == _same_year(cells.year)
        if same_year.any():
            total[same_year] = same_year_table(p, cells)[codes[same_year] >> _DAY_SHIFT]
        total[same_day] = exact
        total += prior
    else:
        total = np.full(len(at), prior)
    if cells.gender:
        total += _by_gender(p, cells.gender)[(codes >> _GENDER_SHIFT) & 3]
    if cells.nationality:
        nat = columns.view("nationality")[at]
        shared = (nat & np.uint64(cells.nationality)) > 0
        disagree = p.nationality_disagree.weight()
        total += np.where(nat == 0, 0.0, np.where(shared, p.nationality_max_weight, disagree))
    return total


_genders: dict[tuple[int, int], tuple[Parameters, npt.NDArray[np.float64]]] = {}


def _by_gender(p: Parameters, gender: int) -> npt.NDArray[np.float64]:
    """The gender term per candidate's gender code (0 and 3: not known), for a query of
    `gender`; per parameters and gender, once."""
    cached = _genders.get((id(p), gender))
    if cached is not None and cached[0] is p:
        return cached[1]
    same, other = p.gender_same.weight(), p.gender_different.weight()
    table = np.array([0.0, *(same if g == gender else other for g in (1, 2)), 0.0])
    if len(_genders) > 64:
        _genders.clear()
    _genders[(id(p), gender)] = (p, table)
    return table


def _same_year(year: int) -> int:
    """The date code (kind and slot) of one Gregorian date in `year` (-1: no slot)."""
    return (1 << _KIND_SHIFT) | (year - FIRST_YEAR) if 0 < year - FIRST_YEAR < SLOTS else -1


_same_year_tables: dict[tuple[int, int, int], tuple[Parameters, npt.NDArray[np.float64]]] = {}


def same_year_table(p: Parameters, cells: QueryCells) -> npt.NDArray[np.float64]:
    """For a query with one Gregorian date, per month and day of a candidate born the same
    year (`month | day << 4`, 0: not known), the model's own birth-date term
    (`date_compare.date_level`): most candidates born the same year were born another
    month, `same_year_other_day`, nine bits short of the best level."""
    key = (id(p), cells.month, cells.day)
    cached = _same_year_tables.get(key)
    if cached is not None and cached[0] is p:
        return cached[1]
    code = np.arange(1 << 9)
    month, day = code & 15, code >> 4
    qm, qd = cells.month, cells.day
    levels = np.select(
        [
            (qm == 0) | (month == 0),
            ((qd == 0) | (day == 0)) & (month == qm),
            (qd == 0) | (day == 0),
            (month == qm) & (day == qd),
            month == qm,
            (month == qd) & (day == qm),
        ],
        [0, 1, 2, 3, 4, 5],
        6,
    )
    names = (
        "year",
        "year_month",
        "same_year_other_day",
        "exact",
        "same_month_other_day",
        "day_month_swapped",
        "same_year_other_day",
    )
    weights = np.array([p.date_levels[name].weight() for name in names])
    table: npt.NDArray[np.float64] = weights[levels]
    _same_year_tables[key] = (p, table)
    return table


_GAPS = 102  # year gaps told apart by the date bound (101: any farther)
_date_tables: dict[tuple[int, int], tuple[Parameters, npt.NDArray[np.float64], float]] = {}


def date_table(params: Parameters, year: int) -> tuple[npt.NDArray[np.float64], float]:
    """For a query born in `year` (one Gregorian date), per date code (kind and year slot of
    `DateCodes`), the most the model's birth-date term gives short of an exact date; and
    the exact date's. No date: nothing. Several dates, a Hijri date, or a year outside the
    slots: any level but exact. One date: the same year, any level but exact; a year one
    off, or ten or a hundred (a digit mistyped), at most `year_off_by_one` (when the rest
    agrees), else `different`; farther, `different` or `far_apart`
    (`date_compare.date_level`)."""
    cached = _date_tables.get((id(params), year))
    if cached is not None and cached[0] is params:
        return cached[1], cached[2]
    p = params.date_levels
    exact = max(0.0, p["exact"].weight())
    near = max(0.0, *(v.weight() for k, v in p.items() if k != "exact"))
    apart = max(p["different"].weight(), p["far_apart"].weight())
    slip = max(apart, p["year_off_by_one"].weight())
    by_gap = np.full(_GAPS, apart)
    by_gap[0] = near
    by_gap[[1, 10, 100]] = slip
    one = by_gap[np.minimum(np.abs(_slot_years() - year), _GAPS - 1)]
    one[0] = near
    table = np.concatenate([np.zeros(SLOTS), one, np.full(2 * SLOTS, near)])
    if len(_date_tables) > 4096:
        _date_tables.clear()
    _date_tables[(id(params), year)] = (params, table, exact)
    return table, exact


_reachable: dict[tuple[object, ...], tuple[Parameters, npt.NDArray[np.bool_], float]] = {}


def reachable_dates(
    p: Parameters,
    cells: QueryCells,
    floor_weight: float,
    both_kinds: bool,
    name_most: float | None = None,
) -> tuple[npt.NDArray[np.bool_], float] | None:
    """Per `DateCodes` code, whether a candidate with that date could still reach
    `floor_weight` for a query with one Gregorian date, whatever its name and document: the
    most a name weighs (both kinds: with the second), the prior and the best nationality
    and gender terms, and the most its date allows (`date_table`, an exact date in the same
    year). With a million records the prior is low enough that a birth year one off can
    never reach the threshold, and two thirds of the candidates the common parts' year keys
    (the query's year and the years beside it) find are such. None: the query has no one
    Gregorian date. With it, the most the name and the terms but the date's could add (for
    `reachable_codes`). `name_most`: the most the query's
    name can weigh, when it has names of one kind only (each part agreeing exactly, and the
    complete-name bonus: what the name search gives at most), rounded up to half a bit."""
    if cells.date_kind != 1 or floor_weight == -math.inf:
        return None
    name = p.max_name_weight * (1 + p.second_name_factor if both_kinds else 1.0)
    if name_most is not None and not both_kinds:
        name = min(name, math.ceil(name_most * 2) / 2)
    key = (id(p), cells.year, floor_weight, name, cells.travel)
    cached = _reachable.get(key)
    if cached is not None and cached[0] is p:
        return cached[1], cached[2]
    table, exact = date_table(p, cells.year)
    prior = p.prior_weight_travel if cells.travel else max(p.prior_weight, p.prior_weight_travel)
    best = name + prior + max(0.0, p.nationality_max_weight) + max(0.0, p.gender_same.weight())
    date = table.copy()
    same_year = SLOTS + cells.year - FIRST_YEAR
    if 0 < cells.year - FIRST_YEAR < SLOTS:
        date[same_year] = max(date[same_year], exact)  # found by the date's key, maybe
    date[SLOTS] = max(date[SLOTS], exact)  # a year outside the slots: anything
    date[2 * SLOTS :] = max(float(date[2 * SLOTS]), exact)  # several dates
    reach = best + date >= floor_weight
    if len(_reachable) > 4096:
        _reachable.clear()
    _reachable[key] = (p, reach, best)
    return reach, best


def reachable_codes(
    p: Parameters,
    cells: QueryCells,
    reach: npt.NDArray[np.bool_],
    codes: npt.NDArray[np.int32],
    floor_weight: float,
    best: float,
) -> npt.NDArray[np.bool_]:
    """Which `codes` `reach` (of `reachable_dates`) leaves, a candidate born the same year
    as the query kept only if its month and day allow (`same_year_table`; `best`: the most
    the name and the other terms could add)."""
    dates = codes & _DATE
    keep: npt.NDArray[np.bool_] = reach[dates]
    same_year = dates == _same_year(cells.year)
    if same_year.any():
        table = same_year_table(p, cells)
        keep[same_year] = table[codes[same_year] >> _DAY_SHIFT] + best >= floor_weight
    return keep


_known_years: dict[tuple[int, ...], npt.NDArray[np.bool_]] = {}


def year_unknown(codes: npt.NDArray[np.int32], years: list[int]) -> npt.NDArray[np.bool_]:
    """Candidates (by their `DateCodes`) whose birth year is not one of the query's (or
    not known, or not one Gregorian date)."""
    known = _known_years.get(tuple(years))
    if known is None:
        one = np.isin(_slot_years(), years)
        one[0] = False
        known = np.concatenate([np.zeros(SLOTS, dtype=bool), one, np.zeros(2 * SLOTS, bool)])
        if len(_known_years) > 4096:
            _known_years.clear()
        _known_years[tuple(years)] = known
    unknown: npt.NDArray[np.bool_] = ~known[codes & _DATE]
    return unknown


_levels: dict[int, tuple[Parameters, tuple[float, float, float]]] = {}


def _tier_levels(p: Parameters) -> tuple[float, float, float]:
    """The best nationality and gender terms together; the best date level short of exact;
    a year one off's (never below nothing: a side may have no date). Per parameters, once."""
    cached = _levels.get(id(p))
    if cached is not None and cached[0] is p:
        return cached[1]
    levels = p.date_levels
    found = (
        max(0.0, p.nationality_max_weight) + max(0.0, p.gender_same.weight()),
        max(0.0, *(v.weight() for k, v in levels.items() if k != "exact")),
        max(0.0, levels["year_off_by_one"].weight()),
    )
    _levels[id(p)] = (p, found)
    return found


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
    by its own key): parts under that read nothing (`PROBED`). Remembered per parts'
    weights and query shape: a batch's names recur."""
    if floor_weight == -math.inf:
        return [PLAIN] * len(parts)
    prior = p.prior_weight_travel if features.kind == "travel" else p.prior_weight
    shape = (id(p), prior, floor_weight, both_kinds, bool(features.birth_dates))
    key = (shape, tuple(part.name_index for part in parts), tuple(weights))
    found = _tiers.get(key)
    if found is not None and found[0] is p:
        return list(found[1])
    out = _tiers_of(p, parts, weights, floor_weight, both_kinds, prior, bool(features.birth_dates))
    if len(_tiers) > 1 << 16:
        _tiers.clear()
    _tiers[key] = (p, tuple(out))
    return out


_tiers: dict[tuple[object, ...], tuple[Parameters, tuple[int, ...]]] = {}


def _tiers_of(
    p: Parameters,
    parts: list[PartKeys],
    weights: list[float],
    floor_weight: float,
    both_kinds: bool,
    prior: float,
    dated: bool,
) -> list[int]:
    """`tiers`, worked out."""
    best, near_level, far_level = _tier_levels(p)
    others = prior + best
    near, far = others + near_level, others + far_level
    if not dated:
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
