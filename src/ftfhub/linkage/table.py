"""One row of columns per Record, computed in Python by ftfhub's own feature functions.

Splink compares columns; the hard part of comparing names (spellings, scripts, structure)
is done here once per record, by `matching.features`, so that inside the engine only cheap
list and string operations remain. The same rows feed the real-time scorer.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date as date_
from functools import lru_cache

from ftfhub.dates import hijri_year_span
from ftfhub.domain import PartialDate, RecordData
from ftfhub.matching.features import NameFeatures, PartFeatures, RecordFeatures, record_features
from ftfhub.matching.frequency import floor
from ftfhub.matching.parameters import DEFAULT, Parameters

Row = dict[str, object]
LIST_COLUMNS = (
    "name_parts",
    "name_keys",
    "full_names",
    "full_keys",
    "name_pairs",
    "surname_keys",
    "given_keys",
    "kunya_names",
    "dob_full",
    "dob_ym",
    "dob_y",
    "dob_months",
    "dob_near",
    "doc_numbers",
    "nationalities",
    "address_tokens",
    # Blocking keys only (no level reads them): a name pair or kunya with a birth year.
    "name_years",
    "kunya_years",
)
TEXT_COLUMNS = (
    "unique_id",
    "owner",
    "full_name",
    "surname",
    "surname_soft",
    "given",
    "given_soft",
    "dob_first",
    "doc_first",
    "gender",
    "address",
)
FLOAT_COLUMNS = ("tf_full_name", "tf_surname", "tf_given")
TF_COLUMNS = ("full_name", "surname", "given")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _strong(name: NameFeatures) -> list[PartFeatures]:
    """The parts that say who a person is: not a kunya, father's name or country nisba."""
    return [p for p in name.parts if not p.weak]


def _soft(part: PartFeatures) -> str:
    return part.soft[0] if part.soft else part.freq_key


@lru_cache(maxsize=200_000)
def _part_keys(part: PartFeatures) -> tuple[str, ...]:
    return tuple(k for k in part.keys if "~" not in k)


def _exact_keys(part: PartFeatures) -> list[str]:
    return list(_part_keys(part))


@dataclass(frozen=True)
class _NameColumns:
    parts: tuple[str, ...]  # frequency keys of the strong parts
    keys: tuple[str, ...]  # their exact spelling keys
    full: str  # the strong parts' keys, sorted: the whole name in any order
    pairs: tuple[str, ...]  # every key of one part with every key of another
    combos: tuple[str, ...]  # the whole name in spelling keys, one key per part, any order


@lru_cache(maxsize=200_000)
def _name_columns(name: NameFeatures) -> _NameColumns:
    """A name's share of the columns (cached: a name seen once is seen again)."""
    strong = _strong(name)
    keyed = [_part_keys(p) for p in strong]
    # Every spelling key of one part with every key of another: two parts agreeing in any
    # reading (an Arabic-script name meets its Latin transliteration here).
    pairs = [
        "+".join(sorted((a, b)))
        for i, keys_i in enumerate(keyed)
        for keys_j in keyed[i + 1 :]
        for a in keys_i
        for b in keys_j
        if a != b
    ]
    return _NameColumns(
        tuple(p.freq_key for p in strong),
        tuple(k for keys in keyed for k in keys),
        " ".join(sorted(p.freq_key for p in strong)),
        tuple(pairs),
        _combos(keyed),
    )


MAX_COMBOS = 64


def _combos(keyed: list[tuple[str, ...]]) -> tuple[str, ...]:
    """Every reading of a whole name, one spelling key per part, sorted: two names with one
    reading in common agree part for part, in any script (`Thomas Martin`, `توماس مارتن`).
    A long name with many readings keeps only its first key per part."""
    keyed = [k for k in keyed if k]
    if not keyed:
        return ()
    if math.prod(len(k) for k in keyed) > MAX_COMBOS:
        keyed = [k[:1] for k in keyed]
    return tuple(" ".join(sorted(c)) for c in itertools.product(*keyed))


def _surname_given(names: tuple[NameFeatures, ...]) -> tuple[PartFeatures | None, ...]:
    """The family and given part of the first real (not kunya) name with two parts."""
    for name in names:
        parts = _strong(name)
        if name.kunya or len(parts) < 2:
            continue
        at = next((i for i, p in enumerate(parts) if p.surname), len(parts) - 1)
        given = parts[1] if at == 0 else parts[0]  # a repeated part may be both
        return parts[at], given
    return None, None


def _hijri_span(date: PartialDate) -> tuple[date_, date_] | None:
    """First and last Gregorian day of a year-only Hijri date (its year is in `original`)."""
    if date.calendar != "hijri" or date.month is not None:
        return None
    digits = "".join(str(unicodedata.digit(c)) for c in date.original if c.isdigit())
    if not digits or not 1343 <= int(digits) <= 1500:
        return None
    return hijri_year_span(int(digits))


def _months(first: date_, last: date_) -> list[str]:
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _dates(dates: tuple[PartialDate, ...]) -> tuple[list[str], ...]:
    """Full dates, year-months, years, years one off, and every month the record allows (a
    year-only Hijri date spans twelve or thirteen Gregorian months over two years: 1407 AH
    is September 1986 to August 1987, read as 1987, the year holding most of it)."""
    full = [d.iso() for d in dates if d.day is not None]
    ym = [d.iso()[:7] for d in dates if d.month is not None]
    years = {d.year for d in dates}
    months = list(ym)
    for d in dates:
        span = _hijri_span(d)
        if span is None and d.calendar == "hijri" and d.month is None:
            years.add(d.year + 1)
        elif span is not None:
            years |= {span[0].year, span[1].year}
            months += _months(*span)
    near = {y + k for y in years for k in (-1, 0, 1)}
    return (
        full,
        ym,
        sorted(str(y) for y in years),
        sorted(str(y) for y in near),
        _unique(months),
    )


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))


def feature_row(key: str, owner: str, record: RecordData, features: RecordFeatures) -> Row:
    """The columns of one record (term frequencies are added over the whole batch)."""
    real = [_name_columns(n) for n in features.names if not n.kunya]
    family, given = _surname_given(features.names)
    full, ym, years, near, months = _dates(features.birth_dates)
    numbers = _unique(_NOT_ALNUM.sub("", n.lower()) for _, n in sorted(features.documents))
    address = " ".join(_NOT_ALNUM.sub(" ", " ".join(record.places).lower()).split())
    full_names = _unique(n.full for n in real)
    name_pairs = _unique(k for n in real for k in n.pairs)
    # A kunya in its spelling keys, so that `Abu Mohamed al-Faransi` meets `أبو محمد الفرنسي`.
    kunyas = _unique(
        c for n in features.names if n.kunya for c in _combos([_part_keys(p) for p in n.parts])
    )
    return {
        "unique_id": key,
        "owner": owner,
        "name_parts": _unique(k for n in real for k in n.parts),
        "name_keys": _unique(k for n in real for k in n.keys),
        "full_names": full_names,
        "full_name": full_names[0] if full_names else "",
        "full_keys": _unique(c for n in real for c in n.combos),
        "name_pairs": name_pairs,
        "surname": family.freq_key if family else "",
        "surname_soft": _soft(family) if family else "",
        "surname_keys": _exact_keys(family) if family else [],
        "given": given.freq_key if given else "",
        "given_soft": _soft(given) if given else "",
        "given_keys": _exact_keys(given) if given else [],
        "kunya_names": kunyas,
        "dob_full": full,
        "dob_ym": _unique(ym),
        "dob_y": years,
        "dob_months": months,
        "dob_near": near,
        "dob_first": full[0].replace("-", "") if full else "",
        "doc_numbers": numbers,
        "doc_first": numbers[0] if numbers else "",
        "nationalities": sorted(features.nationalities),
        "gender": features.gender or "",
        "address": address,
        "address_tokens": _unique(address.split()),
        "name_years": [f"{k}@{y}" for k in name_pairs for y in years],
        "kunya_years": [f"{k}@{y}" for k in kunyas for y in years],
    }


@dataclass
class Frequencies:
    """Counts of full names, surnames and given names over the holdings a model was trained
    on: its term-frequency table, smoothed as the screening index smooths its own (a small
    holding must not make every name common) and never below the floor of well-known common
    names. Part of the model, so that a pair scores the same in every later run; a value the
    table never saw counts as seen once (the record that brings it)."""

    counts: Counter[str]
    total: int
    params: Parameters = DEFAULT

    @classmethod
    def of(cls, rows: Iterable[Mapping[str, object]], params: Parameters = DEFAULT) -> Frequencies:
        freq = cls(Counter(), 0, params)
        freq.count(rows)
        return freq

    def count(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            self.total += 1
            self.counts.update(_tf_values(row))

    def to_json(self) -> dict[str, object]:
        """Values seen more than once (the rest read as seen once anyway)."""
        return {"total": self.total, "counts": {k: n for k, n in self.counts.items() if n > 1}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Frequencies:
        counts = data["counts"]
        total = data["total"]
        assert isinstance(counts, dict) and isinstance(total, int)
        return cls(Counter({str(k): int(v) for k, v in counts.items()}), total)

    def share(self, key: str) -> float:
        prior = self.params.frequency_prior
        smoothed = (self.counts.get(key, 1) + prior.weight * prior.share) / (
            self.total + prior.weight
        )
        return max(smoothed, floor(key), self.params.min_frequency)


def _tf_values(row: Mapping[str, object]) -> set[str]:
    """The values counted for term frequencies; a full name is counted apart from its parts
    (a one-part name is also its own surname, and must not count twice)."""
    return {f"{c}={row[c]}" if c == "full_name" else str(row[c]) for c in TF_COLUMNS if row[c]}


def tf_value(column: str, value: str, freq: Frequencies) -> float | None:
    """A value's term frequency in `column` (blank values have none)."""
    if not value:
        return None
    return freq.share(f"full_name={value}" if column == "full_name" else value)


def with_frequencies(row: Row, freq: Frequencies) -> Row:
    """The row with its `tf_` columns (blank values have none)."""
    out = dict(row)
    for column in TF_COLUMNS:
        value = str(row[column])
        key = f"full_name={value}" if column == "full_name" else value
        out[f"tf_{column}"] = freq.share(key) if value else None
    return out


def build_rows(items: Iterable[tuple[str, str, RecordData]]) -> list[Row]:
    """Feature rows for `(key, owner, record)` items, in order."""
    return [feature_row(key, owner, rec, record_features(rec)) for key, owner, rec in items]
