"""Per-record numbers for the cheap score: birth date, gender, nationalities, kind, owner.

The full model compares Python objects (about 0.1 ms a pair); these columns let a whole
candidate list be scored at once with numpy, with each term at or above what the full model
could give (a birth-date level computed as the model does for a single Gregorian date, the
best nationality and gender terms, the prior of the pair's kind). Only candidates whose cheap
score can reach the threshold are scored fully.
"""

from __future__ import annotations

import zlib
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ftfhub.matching.features import RecordFeatures
from ftfhub.matching.parameters import Parameters

# Column name → array typecode. Dates: kind 0 none, 1 one Gregorian date, 2 anything else
# (several dates, Hijri: the cheap score assumes the best date level).
COLUMNS = {
    "year": "h",
    "month": "b",
    "day": "b",
    "date_kind": "b",
    "gender": "b",
    "nationality": "Q",
    "flags": "B",
    "owner": "h",
    "live": "B",
}
TRAVEL, KUNYA, REAL = 1, 2, 4
GENDERS = {"m": 1, "f": 2}
Array = npt.NDArray[np.int64]


def nationality_mask(codes: frozenset[str] | tuple[str, ...]) -> int:
    """One bit per nationality (hashed to 64): disjoint masks mean no shared nationality."""
    mask = 0
    for code in codes:
        mask |= 1 << (zlib.crc32(code.encode()) % 64)
    return mask


def date_cells(features: RecordFeatures) -> tuple[int, int, int, int]:
    dates = features.birth_dates
    if not dates:
        return 0, 0, 0, 0
    if len(dates) > 1 or dates[0].calendar != "gregorian":
        return 0, 0, 0, 2
    d = dates[0]
    return d.year, d.month or 0, d.day or 0, 1


def flags(features: RecordFeatures) -> int:
    value = TRAVEL if features.kind == "travel" else 0
    for name in features.names:
        value |= KUNYA if name.kunya else REAL
    return value


@dataclass
class Columns:
    """Growable typed columns, one row per indexed position."""

    data: dict[str, array]  # type: ignore[type-arg]

    @classmethod
    def empty(cls) -> Columns:
        return cls({name: array(code) for name, code in COLUMNS.items()})

    def append(self, features: RecordFeatures, owner: int) -> None:
        year, month, day, kind = date_cells(features)
        row = {
            "year": year,
            "month": month,
            "day": day,
            "date_kind": kind,
            "gender": GENDERS.get(features.gender or "", 0),
            "nationality": nationality_mask(features.nationalities),
            "flags": flags(features),
            "owner": owner,
            "live": 1,
        }
        for name, value in row.items():
            self.data[name].append(value)

    def __len__(self) -> int:
        return len(self.data["live"])

    def view(self, name: str) -> npt.NDArray[Any]:
        """A numpy view (no copy) of one column; do not keep it across appends."""
        return np.frombuffer(self.data[name], dtype=self.data[name].typecode)

    def save(self, folder: Path) -> None:
        for name, column in self.data.items():
            (folder / f"col_{name}.bin").write_bytes(column.tobytes())

    @classmethod
    def load(cls, folder: Path) -> Columns:
        data = {}
        for name, code in COLUMNS.items():
            column = array(code)
            column.frombytes((folder / f"col_{name}.bin").read_bytes())
            data[name] = column
        return cls(data)


@dataclass(frozen=True)
class QueryCells:
    """The query's side of the cheap score."""

    year: int
    month: int
    day: int
    date_kind: int
    gender: int
    nationality: int
    travel: bool

    @classmethod
    def of(cls, features: RecordFeatures) -> QueryCells:
        year, month, day, kind = date_cells(features)
        return cls(
            year,
            month,
            day,
            kind,
            GENDERS.get(features.gender or "", 0),
            nationality_mask(features.nationalities),
            features.kind == "travel",
        )


_DATE_LEVELS = (
    "exact",
    "day_month_swapped",
    "year_month",
    "same_month_other_day",
    "year",
    "same_year_other_day",
    "year_off_by_one",
    "different",
    "far_apart",
)


def _date_weights(
    q: QueryCells, cols: Columns, at: Array, params: Parameters
) -> npt.NDArray[np.float64]:
    """The model's birth-date term for one Gregorian date on each side; the best term
    (exact) where a side has several or Hijri dates; 0 where a side has none."""
    w = {level: params.date_levels[level].weight() for level in _DATE_LEVELS}
    kind = cols.view("date_kind")[at]
    out = np.zeros(len(at))
    if q.date_kind == 0:
        return out
    if q.date_kind == 2:
        return np.where(kind == 0, 0.0, w["exact"])
    y = cols.view("year")[at].astype(np.int32)
    m = cols.view("month")[at].astype(np.int32)
    d = cols.view("day")[at].astype(np.int32)
    dy = np.abs(y - q.year)
    unknown_month = (m == 0) | (q.month == 0)
    unknown_day = (d == 0) | (q.day == 0)
    same_md = (m == q.month) & (d == q.day)
    year_typo = (q.month > 0) & (q.day > 0) & same_md & ((dy == 10) | (dy == 100))
    off_by_one = ((dy == 1) & (unknown_month | same_md)) | year_typo
    conditions = [
        (dy > 0) & off_by_one,
        (dy >= 5),
        (dy > 0),
        unknown_month,
        unknown_day & (m == q.month),
        unknown_day,
        (m == q.month) & (d == q.day),
        (m == q.month),
        (m == q.day) & (d == q.month),
    ]
    choices = [
        w["year_off_by_one"],
        w["far_apart"],
        w["different"],
        w["year"],
        w["year_month"],
        w["same_year_other_day"],
        w["exact"],
        w["same_month_other_day"],
        w["day_month_swapped"],
    ]
    levels = np.select(conditions, choices, default=w["same_year_other_day"])
    return np.where(kind == 1, levels, np.where(kind == 2, w["exact"], 0.0))


def cheap_weights(
    q: QueryCells,
    cols: Columns,
    at: Array,
    names: npt.NDArray[np.float64],
    document: npt.NDArray[np.bool_],
    params: Parameters,
) -> npt.NDArray[np.float64]:
    """An optimistic match weight per candidate at `at`, given its optimistic name weight."""
    flags_at = cols.view("flags")[at]
    travel = ((flags_at & TRAVEL) > 0) | q.travel
    total = np.where(travel, params.prior_weight_travel, params.prior_weight) + names
    total += _date_weights(q, cols, at, params)
    if q.nationality:
        nat = cols.view("nationality")[at]
        shared = (nat & np.uint64(q.nationality)) > 0
        disagree = params.nationality_disagree.weight()
        total += np.where(nat == 0, 0.0, np.where(shared, params.nationality_max_weight, disagree))
    if q.gender:
        gender = cols.view("gender")[at]
        same, other = params.gender_same.weight(), params.gender_different.weight()
        total += np.where(gender == 0, 0.0, np.where(gender == q.gender, same, other))
    total += np.where(document, params.document_same.weight(), 0.0)
    return total
