"""Candidate generation for the screening index: the records worth scoring fully for a query.

A query reads the postings of its name parts' keys (skipping keys too common to tell anyone
apart, `key_cap`; the same part joined to the birth year still reads), its documents' and full
birth date's keys; every record found gets a cheap, optimistic weight at once with numpy (the
parts it shares, a complete-name bonus, the prior, birth-date, nationality, gender and
document terms from per-record columns), and only those whose weight can reach the threshold
are kept, best first. Split from `screening.py`, which owns the records and the scoring.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ftfhub.index.bounds import (
    DateCodes,
    other_bound,
    reachable_codes,
    reachable_dates,
    year_unknown,
)
from ftfhub.index.bounds import tiers as part_tiers
from ftfhub.index.candidates import (
    PLAIN,
    PROBED,
    KeyTable,
    NameSearch,
    QueryName,
    Scratch,
    distinct_names,
    fewer_than,
    query_parts,
    reachable,
    read,
)
from ftfhub.index.cheap import SMALL, cheap_weights_few
from ftfhub.index.columns import Columns, QueryCells, cheap_weights
from ftfhub.index.keys import PartKeys, neighbour_keys, other_keys, query_years
from ftfhub.index.offyears import OffYears, dropped_years
from ftfhub.index.postings import EMPTY, Positions, Postings
from ftfhub.index.probes import paired_keys
from ftfhub.matching.features import NameFeatures, PartFeatures, RecordFeatures
from ftfhub.matching.frequency import floor
from ftfhub.matching.parameters import Parameters

Weights = npt.NDArray[np.float64]


class PartMemo:
    """A value per name part (its frequency key and whether it is weak), worked out once and
    kept while the index's counts stay as they are (a batch's parts recur)."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, bool], float] = {}
        self.counts: tuple[int, int] = (0, 0)

    def of(
        self,
        parts: list[PartFeatures],
        counts: tuple[int, int],
        work_out: Callable[[str, bool], float],
    ) -> list[float]:
        if counts != self.counts:
            self.values = {}
            self.counts = counts
        out = []
        for part in parts:
            key = (part.freq_key, part.weak)
            value = self.values.get(key)
            if value is None:
                value = self.values[key] = work_out(*key)
            out.append(value)
        return out

    def forget(self) -> None:
        """Drop every value: the counts changed (an add and a remove leave the same number
        counted, so the number alone does not say so)."""
        self.values = {}


@dataclass(frozen=True)
class SearchKeys:
    """The keys a query may read: its documents' and full birth dates', and per distinct
    name each part's (`query_parts`, joined to the birth `years`); `flat` is every one of
    them, looked up at once, one traveller at a time (`Postings.lookup`) or for a whole
    batch first (`Postings.prefetch`)."""

    docs: list[str]
    dobs: list[str]
    years: list[int]
    names: list[tuple[NameFeatures, bool]]
    parts: list[PartKeys]
    flat: list[str]

    @classmethod
    def of(cls, features: RecordFeatures) -> SearchKeys:
        docs, dobs = other_keys(features)
        years = query_years(features)
        names = distinct_names(features.names)
        span = tuple(years)
        parts = [p for i, (n, _) in enumerate(names) for p in query_parts(i, n, span)]
        flat = [*docs, *dobs, *(k for p in parts for k in (*p.plain, *p.joined, *p.loose))]
        return cls(docs, dobs, years, names, parts, flat)


class CandidateSearch:
    """The candidate half of `ScreeningIndex` (which sets these attributes)."""

    params: Parameters
    slack: float
    key_cap: int
    loose_below: int
    candidates_per_query: int
    keys: list[str]
    owner_ids: dict[str, int]
    columns: Columns
    postings: Postings
    stats: dict[str, int]
    scratch: Scratch
    date_codes: DateCodes
    off_years: OffYears

    @property
    def scoring(self) -> Parameters:
        raise NotImplementedError

    part_counts: dict[str, int]
    counted: int
    fuzzy_memo: PartMemo

    def _part_weights(self, parts: list[PartFeatures]) -> list[float]:
        raise NotImplementedError

    def frequency(self, part_key: str) -> float:
        raise NotImplementedError

    def candidates(
        self,
        features: RecordFeatures,
        threshold: float = 0.0,
        exclude_owner: str | None = None,
        keys: SearchKeys | None = None,
    ) -> Positions:
        """The positions worth scoring fully, best cheap weight first (`keys`: the query's
        `SearchKeys`, when a batch has worked them out already)."""
        floor_weight = -math.inf
        if threshold > 0.0:
            floor_weight = math.log2(threshold / (1.0 - threshold)) if threshold < 1.0 else 60.0
        floor_weight -= self.slack
        q = keys or SearchKeys.of(features)
        # Every key the query may read, looked up at once (one binary search of the key
        # hashes, not one per part and tier).
        table = dict(zip(q.flat, self.postings.lookup(q.flat), strict=True))
        docs = [table[k] for k in q.docs]
        dobs = [table[k] for k in q.dobs]
        extra = [a for a in (*docs, *dobs) if len(a)]
        cells = QueryCells.of(features)

        def others(at: Positions) -> Weights:
            """The most the terms but the name's could add (the birth-date levels, the
            dearest cheap term, are computed only for the candidates this leaves)."""
            same_day = self.scratch.member(at, dobs) if cells.date_kind == 1 else None
            codes = self.date_codes.of(self.columns)[at]
            bound = other_bound(self.scoring, self.columns, cells, at, codes, same_day)
            if any(len(d) for d in docs):
                shared = self.scratch.member(at, docs)
                bound += np.where(shared, self.scoring.document_same.weight(), 0.0)
            return bound

        every, name_weight, other_terms = self._name_candidates(
            features,
            (q.years, q.names, q.parts, table, cells),
            floor_weight,
            extra,
            others,
            any(len(d) for d in docs),
        )
        self.stats["queries"] += 1
        if not len(every):
            return EMPTY
        live = self.columns.view("live")[every] == 1
        if exclude_owner is not None and exclude_owner in self.owner_ids:
            live &= self.columns.view("owner")[every] != self.owner_ids[exclude_owner]
        self.stats["candidates"] += int(np.count_nonzero(live))
        # Live and within reach at once (each candidate's bound is its own sum either way).
        keep = (name_weight + other_terms >= floor_weight) & live
        every, name_weight = every[keep], name_weight[keep]
        if not len(every):
            return EMPTY
        document = self.scratch.member(every, docs)
        if len(every) < SMALL:
            cheap = np.array(
                cheap_weights_few(cells, self.columns, every, name_weight, document, self.scoring)
            )
        else:
            cheap = cheap_weights(cells, self.columns, every, name_weight, document, self.scoring)
        keep = cheap >= floor_weight
        every, cheap = every[keep], cheap[keep]
        order = np.argsort(-cheap, kind="stable")[: self.candidates_per_query]
        best: Positions = every[order]
        return best

    def _name_candidates(
        self,
        features: RecordFeatures,
        query: tuple[
            list[int], list[tuple[NameFeatures, bool]], list[PartKeys], KeyTable, QueryCells
        ],
        floor_weight: float,
        extra: list[Positions],
        others: Callable[[Positions], Weights],
        documents: bool = False,
    ) -> tuple[Positions, Weights, Weights]:
        """Every record found by a key of the query (its name parts' keys as their tiers
        allow, and the `extra` found by documents and full birth dates), sorted, and the
        weight its shared name parts could add up to (plus the complete-name bonus when
        every part is shared), the best name of each kind combined as the model combines
        them (`NameSearch`). `query`: its birth years, distinct names, their parts' keys and
        every key's postings; `documents`: whether its documents found anyone."""
        years, names, parts, table, cells = query
        weights = self._part_weights([names[p.name_index][0].parts[p.part_index] for p in parts])
        near = [0.5 * w for w in weights]
        p = self.params
        kinds = {kunya for _, kunya in names}
        tiers = part_tiers(self.scoring, features, parts, weights, floor_weight, len(kinds) > 1)
        groups = [
            (*(p.plain if tier == PLAIN else ()), *(p.joined if tier != PROBED else ()))
            for p, tier in zip(parts, tiers, strict=True)
        ]
        found = read(groups, table, self.key_cap, self.stats)
        loose: list[Positions] = [EMPTY] * len(parts)
        if fewer_than(found, self.loose_below):
            loose = read(
                [p.loose if tier == PLAIN else () for p, tier in zip(parts, tiers, strict=True)],
                table,
                self.key_cap,
                self.stats,
            )
        if not extra and not any(len(a) for a in (*found, *loose)):
            # Nothing found (two travellers in five at a million: parts too common to read
            # alone, and no record with their birth year): no candidate to weigh or probe.
            return EMPTY, np.zeros(0), np.zeros(0)
        most = max(
            sum(weights[i] for i in mine) + (p.complete_name if len(mine) >= 2 else 0.0)
            for mine in (
                [i for i, part in enumerate(parts) if part.name_index == n]
                for n in range(len(names))
            )
        )
        dates = reachable_dates(self.scoring, cells, floor_weight, len(kinds) > 1, most)
        if dates is not None:
            reach, best = dates

            def reaches(codes: npt.NDArray[np.int32]) -> npt.NDArray[np.bool_]:
                return reachable_codes(self.scoring, cells, reach, codes, floor_weight, best)

            codes = self.date_codes.of(self.columns)
            self.scratch.ensure(len(self.keys))
            dropped = {} if documents else dropped_years(years, cells.year, reach)
            if dropped:  # the keys of years the filter drops whole, narrowed first
                found = self.off_years.groups(groups, table, self.key_cap, dropped, codes)
            found, loose = reachable([found, loose], extra, reaches, codes, self.scratch)
        search = NameSearch(
            parts,
            weights,
            near,
            tiers,
            found,
            loose,
            table,
            [
                QueryName(kunya, tuple(i for i, p in enumerate(parts) if p.name_index == n))
                for n, (_, kunya) in enumerate(names)
            ],
            lambda: (
                self._fuzzy_weights([names[p.name_index][0].parts[p.part_index] for p in parts]),
                [neighbour_keys(p.plain) + paired_keys(p.plain) for p in parts],
            ),
            self.postings.lookup,
        )
        self.scratch.ensure(len(self.keys))
        try:
            return search.weigh(
                self.scratch,
                extra,
                lambda at: year_unknown(self.date_codes.of(self.columns)[at], years),
                (p.complete_name, p.max_name_weight, p.second_name_factor),
                (others, floor_weight),
            )
        finally:
            self.stats["probed"] += search.probed

    def _fuzzy_weights(self, parts: list[PartFeatures]) -> list[float]:
        """Per part, the most it weighs agreeing at a level short of exact (the model's
        best such level at the part's frequency, as `part_weight` weighs exact agreement):
        what a part sharing only a key one letter away may add. Remembered per part while
        the counts stay as they are."""
        counts = (id(self.part_counts), self.counted)
        return self.fuzzy_memo.of(parts, counts, self._fuzzy_weight)

    def _fuzzy_weight(self, freq_key: str, weak: bool) -> float:
        p = self.params
        share = max(self.frequency(freq_key), floor(freq_key), p.min_frequency)
        best = max(v.weight(share) for k, v in p.name_levels.items() if k != "exact")
        factor = max(p.kunya_factor, p.kunya_alone_factor) if weak else 1.0
        return max(best * factor, 0.0)
