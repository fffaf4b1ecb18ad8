"""The screening index: candidate generation from name-part keys, a cheap score, then the
shared model.

A record is posted under its blocking keys (`keys.py`). A query reads the postings of its
keys, skipping keys too common to tell anyone apart (`key_cap`; the same part joined to the
birth year still reads). Every candidate gets a cheap, optimistic weight at once with numpy:
per query name, the part weights the model would give the parts it shares keys with (from the
holdings' part frequencies), a complete-name bonus, and the prior, birth-date, nationality,
gender and document terms from per-record columns (`columns.py`). Only candidates whose cheap
weight can reach the threshold are scored with `compare_features`, and only the best `limit`
are explained.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from ftfhub.domain import RecordData
from ftfhub.index import payload
from ftfhub.index.columns import Columns, QueryCells, cheap_weights
from ftfhub.index.keys import PartKeys, other_keys, query_part_keys, query_years, record_keys
from ftfhub.index.payloads import Payloads
from ftfhub.index.postings import EMPTY, Positions, Postings
from ftfhub.index.version import model_version
from ftfhub.matching.compare import Comparison, compare_features
from ftfhub.matching.features import NameFeatures, RecordFeatures, record_features
from ftfhub.matching.frequency import floor
from ftfhub.matching.parameters import DEFAULT, Parameters

Weights = npt.NDArray[np.float64]
REFERENCE_HOLDINGS = 10_000  # holdings size the model's prior odds are set for


@dataclass(frozen=True)
class Match:
    key: str
    owner: str
    score: float
    weight: float
    comparison: Comparison

    @property
    def explanation(self) -> list[dict[str, object]]:
        return self.comparison.explanation()


class ScreeningIndex:
    """Records indexed for screening: add, remove, screen, part frequencies, version."""

    def __init__(
        self,
        params: Parameters = DEFAULT,
        *,
        candidates_per_query: int = 200,
        key_cap: int = 5000,
        slack: float = 0.0,
        keep_features: bool = True,
    ) -> None:
        self.params = params
        self.version = model_version(params)
        self.candidates_per_query = candidates_per_query
        self.key_cap = key_cap  # a key posted for more records than this is not read
        self.slack = slack  # bits below the threshold a cheap weight may be and still score
        self.loose_below = 5  # read the loose keys when the exact ones found fewer candidates
        self.keep_features = keep_features
        self.keys: list[str] = []
        self.positions: dict[str, int] = {}
        self.owners: list[str] = []
        self.owner_ids: dict[str, int] = {}
        self.columns = Columns.empty()
        self.postings = Postings()
        self.payloads = Payloads()
        self.part_counts: dict[str, int] = defaultdict(int)
        self.nationality_counts: dict[str, int] = defaultdict(int)
        self.counted = 0
        self.compact_every = 200_000
        self._features: dict[int, RecordFeatures] = {}
        self.max_cached = 300_000
        self.stats: dict[str, int] = defaultdict(int)
        self.extra: dict[
            str, object
        ] = {}  # what the builder notes (e.g. the store's high-water mark)
        self._lock = threading.RLock()
        self._shift = 0.0
        self._scoring = params

    @classmethod
    def build(
        cls,
        items: Iterable[tuple[str, RecordData]],
        owners: dict[str, str] | None = None,
        params: Parameters = DEFAULT,
    ) -> ScreeningIndex:
        """Index `(key, record)` pairs; `owners` maps a key to the agency that owns it."""
        index = cls(params)
        for key, record in items:
            index.add(key, record, (owners or {}).get(key, ""))
        return index

    # --- keeping it current -------------------------------------------------------------

    def add(self, key: str, record: RecordData, owner: str = "") -> None:
        """Index a record: it can be found, and it counts toward part frequencies. A key
        already indexed is replaced (a corrected record)."""
        with self._lock:
            self._add(key, record, owner)

    def _add(self, key: str, record: RecordData, owner: str) -> None:
        if key in self.positions:
            self._remove(key)
        features = record_features(record)
        position = len(self.keys)
        self.keys.append(key)
        self.positions[key] = position
        owner_id = self.owner_ids.get(owner)
        if owner_id is None:
            owner_id = self.owner_ids[owner] = len(self.owners)
            self.owners.append(owner)
        self.columns.append(features, owner_id)
        self.payloads.append(payload.encode(record))
        self.postings.post(record_keys(features), position)
        if self.keep_features:
            self._features[position] = features
        self._count(features, +1)
        if self.postings.delta_size > self.compact_every * 20:
            self.postings.compact()

    def remove(self, key: str) -> bool:
        """Forget a record (purged, or superseded by a correction); False if not indexed."""
        with self._lock:
            return self._remove(key)

    def _remove(self, key: str) -> bool:
        position = self.positions.pop(key, None)
        if position is None:
            return False
        self.columns.data["live"][position] = 0
        self._count(self.features(position), -1)
        self._features.pop(position, None)
        return True

    def _count(self, features: RecordFeatures, step: int) -> None:
        self.counted += step
        for part_key in {p.freq_key for name in features.names for p in name.parts}:
            self.part_counts[part_key] += step
        for code in features.nationalities:
            self.nationality_counts[code] += step

    def __len__(self) -> int:
        return len(self.positions)

    def keys_live(self) -> list[str]:
        """The keys of the records indexed now."""
        return list(self.positions)

    def __contains__(self, key: str) -> bool:
        return key in self.positions

    def features(self, position: int) -> RecordFeatures:
        """A record's features, recomputed from its stored fields on first use."""
        found = self._features.get(position)
        if found is None:
            if len(self._features) >= self.max_cached and not self.keep_features:
                self._features.clear()
            record = payload.decode(self.keys[position], self.payloads.get(position))
            found = self._features[position] = record_features(record)
        return found

    def record(self, key: str) -> RecordData:
        """The matching fields kept for an indexed record."""
        return payload.decode(key, self.payloads.get(self.positions[key]))

    # --- frequencies ---------------------------------------------------------------------

    def frequency(self, part_key: str) -> float:
        """Share of records with this part, smoothed toward a prior share: a small holding
        (where each listed person may appear on several lists) must not make every name
        common, and a large one speaks for itself."""
        count = self.part_counts.get(part_key, 0)
        prior = self.params.frequency_prior
        return (count + prior.weight * prior.share) / (self.counted + prior.weight)

    def nationality_frequency(self, code: str) -> float:
        total = max(self.counted, 1)
        return (self.nationality_counts.get(code, 0) + 1) / (total + 1)

    @property
    def scoring(self) -> Parameters:
        """The parameters scores use: the model's, with the prior odds of a pair lowered by
        one bit per doubling of the holdings beyond `REFERENCE_HOLDINGS`. The model's prior
        is the chance that a query and one record picked for comparison are one person; with
        ten times the records, any one of them is ten times less likely to be the traveller
        (and an exact birth date shared by chance ten times more likely somewhere)."""
        shift = round(max(0.0, math.log2(max(self.counted, 1) / REFERENCE_HOLDINGS)), 1)
        if shift != self._shift:
            self._shift = shift
            self._scoring = replace(
                self.params,
                prior_weight=self.params.prior_weight - shift,
                prior_weight_travel=self.params.prior_weight_travel - shift,
            )
        return self._scoring

    def part_weight(self, part_key: str, weak: bool) -> float:
        """The most a part agreeing can weigh (an exact agreement of this part)."""
        frequency = max(self.frequency(part_key), floor(part_key), self.params.min_frequency)
        weight = self.params.name_levels["exact"].weight(frequency)
        return max(weight * (self.params.kunya_factor if weak else 1.0), 0.0)

    # --- screening -----------------------------------------------------------------------

    def screen(
        self,
        query: RecordData,
        limit: int = 10,
        threshold: float = 0.0,
        exclude_owner: str | None = None,
    ) -> list[Match]:
        """The best `limit` matches scoring at least `threshold`, best first."""
        return self.screen_features(record_features(query), limit, threshold, exclude_owner)

    def screen_features(
        self,
        features: RecordFeatures,
        limit: int = 10,
        threshold: float = 0.0,
        exclude_owner: str | None = None,
    ) -> list[Match]:
        with self._lock:  # columns may not grow while numpy reads them
            return self._screen(features, limit, threshold, exclude_owner)

    def _screen(
        self, features: RecordFeatures, limit: int, threshold: float, exclude_owner: str | None
    ) -> list[Match]:
        positions = self.candidates(features, threshold, exclude_owner)
        scored = []
        for position in positions.tolist():
            quick = compare_features(
                features,
                self.features(position),
                self.frequency,
                self.scoring,
                self.nationality_frequency,
                explain=False,
            )
            if quick.score >= threshold:
                scored.append((quick.weight, position))
        self.stats["scored"] += len(positions)
        scored.sort(key=lambda item: -item[0])
        matches = []
        for _, position in scored[:limit]:
            full = compare_features(
                features,
                self.features(position),
                self.frequency,
                self.scoring,
                self.nationality_frequency,
            )
            owner = self.owners[int(self.columns.data["owner"][position])]
            matches.append(Match(self.keys[position], owner, full.score, full.weight, full))
        return matches

    def candidates(
        self, features: RecordFeatures, threshold: float = 0.0, exclude_owner: str | None = None
    ) -> Positions:
        """The positions worth scoring fully, best cheap weight first."""
        floor_weight = -math.inf
        if threshold > 0.0:
            floor_weight = math.log2(threshold / (1.0 - threshold)) if threshold < 1.0 else 60.0
        floor_weight -= self.slack
        found, names = self._name_candidates(features, floor_weight)
        doc_keys, dob_keys = other_keys(features)
        docs = self.postings.lookup(doc_keys)
        extra = [*docs, *self.postings.lookup(dob_keys)]
        every = np.unique(np.concatenate([*(c for c, _ in found), *extra, EMPTY]))
        live = self.columns.view("live")[every] == 1
        if exclude_owner is not None and exclude_owner in self.owner_ids:
            live &= self.columns.view("owner")[every] != self.owner_ids[exclude_owner]
        every = np.asarray(every[live], dtype=np.int32)
        self.stats["queries"] += 1
        self.stats["candidates"] += len(every)
        if not len(every):
            return every
        name_weight = self._name_weights(every, found, names)
        document = np.isin(every, np.concatenate([*docs, EMPTY]))
        cheap = cheap_weights(
            QueryCells.of(features), self.columns, every, name_weight, document, self.scoring
        )
        keep = cheap >= floor_weight
        every, cheap = every[keep], cheap[keep]
        order = np.argsort(-cheap, kind="stable")[: self.candidates_per_query]
        best: Positions = every[order]
        return best

    def _name_candidates(
        self, features: RecordFeatures, floor_weight: float
    ) -> tuple[list[tuple[Positions, Weights]], list[NameFeatures]]:
        """Per query name: the records sharing a key with it and the weight its shared parts
        could add up to (plus the complete-name bonus when every part is shared).

        A part too common to carry a candidate to `floor_weight` without an agreeing birth
        year (with the other common parts of its name, at best) reads only its keys joined to
        the query's birth years: at a million records that skips `mohamed`'s 50,000 postings
        and reads `mohamed`-born-in-1990's 1,200."""
        years = query_years(features)
        names = list(features.names)
        parts = [p for i, n in enumerate(names) for p in query_part_keys(i, n, years)]
        weights = [
            self.part_weight(
                names[p.name_index].parts[p.part_index].freq_key,
                names[p.name_index].parts[p.part_index].weak,
            )
            for p in parts
        ]
        plain_needed = self._plain_needed(features, parts, weights, floor_weight)
        groups = [
            (*(p.plain if plain else ()), *p.joined)
            for p, plain in zip(parts, plain_needed, strict=True)
        ]
        found = self._read(groups)
        loose: list[Positions] = [EMPTY] * len(parts)
        if sum(len(f) for f in found) < self.loose_below:
            loose = self._read(
                [p.loose if plain else () for p, plain in zip(parts, plain_needed, strict=True)]
            )
        out: list[tuple[Positions, Weights]] = []
        for name_index in range(len(names)):
            mine = [i for i, p in enumerate(parts) if p.name_index == name_index]
            unique = np.unique(
                np.concatenate([*(found[i] for i in mine), *(loose[i] for i in mine), EMPTY])
            )
            exact = {i: self._member(unique, found[i]) for i in mine}
            somewhere = np.logical_or.reduce(
                [exact[i] for i in mine] + [np.zeros(len(unique), bool)]
            )
            # A part read only by birth year is known not to be shared by a candidate born
            # in a year its keys did not find; for the others (sharing another part), its
            # plain postings are searched for just those candidates, never read whole. A
            # part shared by a loose key only (the first two consonants) counts half: at
            # best a distant spelling.
            unsure = self._year_unknown(unique, years) & somewhere
            sums = np.zeros(len(unique))
            counts = np.zeros(len(unique), dtype=np.int64)
            for i in mine:
                shared = exact[i]
                if not plain_needed[i] and unsure.any():
                    shared = shared | self._posted(parts[i].plain, unique, unsure)
                near = self._member(unique, loose[i]) & ~shared
                sums += np.where(shared, weights[i], np.where(near, 0.5 * weights[i], 0.0))
                counts += shared | near
            if len(mine) >= 2:
                sums += np.where(counts >= len(mine), self.params.complete_name, 0.0)
            out.append((unique.astype(np.int32), np.minimum(sums, self.params.max_name_weight)))
        return out, names

    def _year_unknown(self, positions: Positions, years: list[int]) -> npt.NDArray[np.bool_]:
        """Candidates whose birth year is not one of the query's (or not known)."""
        kind = self.columns.view("date_kind")[positions]
        year = self.columns.view("year")[positions]
        known = np.zeros(len(positions), dtype=bool)
        for y in years:
            known |= year == y
        unknown: npt.NDArray[np.bool_] = ~((kind == 1) & known)
        return unknown

    def _posted(
        self, keys: tuple[str, ...], unique: Positions, where: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.bool_]:
        """Which candidates (at `where`) are posted under any of `keys`: a binary search in
        each key's sorted postings, however long."""
        found = np.zeros(len(unique), dtype=bool)
        probe = unique[where]
        hit = np.zeros(len(probe), dtype=bool)
        for postings in self.postings.lookup(keys):
            if len(postings):
                at = np.minimum(np.searchsorted(postings, probe), len(postings) - 1)
                hit |= postings[at] == probe
        found[where] = hit
        return found

    @staticmethod
    def _member(unique: Positions, found: Positions) -> npt.NDArray[np.bool_]:
        """Which of the sorted `unique` positions are in `found` (a subset of them)."""
        member = np.zeros(len(unique), dtype=bool)
        if len(found):
            member[np.searchsorted(unique, found)] = True
        return member

    def _plain_needed(
        self,
        features: RecordFeatures,
        parts: list[PartKeys],
        weights: list[float],
        floor_weight: float,
    ) -> list[bool]:
        """Which parts must read their plain keys: per name, the commonest parts whose
        weights together (and the best terms but a birth date's) stay under `floor_weight`
        read only the year-joined keys."""
        if floor_weight == -math.inf or not query_years(features):
            return [True] * len(parts)
        p = self.scoring
        prior = p.prior_weight_travel if features.kind == "travel" else p.prior_weight
        others = prior + p.nationality_max_weight + p.gender_same.weight()
        others += max(0.0, p.date_levels["year_off_by_one"].weight())
        needed = [True] * len(parts)
        for name_index in {part.name_index for part in parts}:
            mine = sorted(
                (i for i, part in enumerate(parts) if part.name_index == name_index),
                key=weights.__getitem__,
            )
            total = 0.0
            for count, i in enumerate(mine, start=1):
                total += weights[i]
                bonus = p.complete_name if count == len(mine) and count >= 2 else 0.0
                if (
                    min(total + bonus, p.max_name_weight) * (1 + p.second_name_factor) + others
                    >= floor_weight
                ):
                    break
                needed[i] = False
        return needed

    def _read(self, key_groups: list[tuple[str, ...]]) -> list[Positions]:
        """Per group of keys, the union of their postings, leaving out keys over the cap."""
        flat = [k for group in key_groups for k in group]
        found = dict(zip(flat, self.postings.lookup(flat), strict=True))
        out = []
        for group in key_groups:
            usable = [found[k] for k in group if len(found[k]) <= self.key_cap]
            self.stats["postings"] += sum(len(p) for p in usable)
            self.stats["capped"] += sum(1 for k in group if len(found[k]) > self.key_cap)
            if len(usable) == 1:  # one key's postings: sorted and unique already
                out.append(usable[0])
            else:
                out.append(np.unique(np.concatenate([*usable, EMPTY])) if usable else EMPTY)
        return out

    def _name_weights(
        self,
        every: Positions,
        found: list[tuple[Positions, Weights]],
        names: list[NameFeatures],
    ) -> Weights:
        """Per candidate: the best name's optimistic weight, and half the other kind's (a
        kunya agreeing beside the real name), as the model combines them."""
        best = {False: np.zeros(len(every)), True: np.zeros(len(every))}
        for (positions, weights), name in zip(found, names, strict=True):
            if not len(positions):
                continue
            at = np.searchsorted(every, positions)
            at = np.minimum(at, len(every) - 1)
            ok = every[at] == positions
            column = np.zeros(len(every))
            column[at[ok]] = weights[ok]
            best[name.kunya] = np.maximum(best[name.kunya], column)
        high = np.maximum(best[False], best[True])
        low = np.minimum(best[False], best[True])
        return high + self.params.second_name_factor * low
