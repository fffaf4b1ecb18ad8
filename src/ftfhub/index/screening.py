"""The screening index: candidate generation from name-part keys, a cheap score, then the
shared model.

A record is posted under its blocking keys (`keys.py`). A query reads the postings of its
keys, skipping keys too common to tell anyone apart (`key_cap`; the same part joined to the
birth year still reads). Every candidate gets a cheap, optimistic weight at once with numpy:
per query name, the part weights the model would give the parts it shares keys with (from the
holdings' part frequencies), a complete-name bonus, and the prior, birth-date, nationality,
gender and document terms from per-record columns (`columns.py`); that half is `search.py`.
Only candidates whose cheap weight can reach the threshold are scored with
`compare_features`, and only the best `limit` are explained.
"""

from __future__ import annotations

import math
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from ftfhub.domain import RecordData
from ftfhub.index import payload
from ftfhub.index.bounds import DateCodes
from ftfhub.index.candidates import Scratch
from ftfhub.index.columns import Columns
from ftfhub.index.kept import KeptFeatures
from ftfhub.index.keys import record_keys
from ftfhub.index.offyears import OffYears
from ftfhub.index.payloads import Payloads
from ftfhub.index.postings import Postings
from ftfhub.index.search import CandidateSearch, PartMemo, SearchKeys
from ftfhub.index.together import Carriers, Frequency, Together, birth_years, query_keys
from ftfhub.index.version import model_version
from ftfhub.matching.compare import Comparison, compare_features
from ftfhub.matching.features import PartFeatures, RecordFeatures, record_features
from ftfhub.matching.frequency import floor
from ftfhub.matching.parameters import DEFAULT, Parameters, probability

REFERENCE_HOLDINGS = 10_000  # holdings size the model's prior odds are set for
Shares = tuple[Frequency, Frequency]  # nationality and gender shares among a name's bearers


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


def floor_weight(threshold: float) -> float | None:
    """A weight whose score is under `threshold`, a hair below the weight the threshold
    stands for: a pair known to weigh less than it does not reach the threshold. None when
    every score reaches the threshold."""
    if not 0.0 < threshold < 1.0:
        return None
    weight, step = math.log2(threshold / (1.0 - threshold)), 1e-12
    while probability(weight) >= threshold:
        weight, step = weight - step, step * 2
    return weight


class ScreeningIndex(CandidateSearch):
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
        self.kept = KeptFeatures()  # every position's features, as rows (`kept.py`)
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
        self.scratch = Scratch()
        self.date_codes = DateCodes()
        self.off_years = OffYears()  # records of other date codes per key joined to a year
        # Part weights as part_weight gives them, while the counts stay as they are.
        self.part_memo = PartMemo()
        self.fuzzy_memo = PartMemo()
        self._shift = 0.0
        self._scoring = params
        self._scoring_for = -1  # the count `_scoring` was worked out for
        self.condition = True  # weigh parts that come together as a whole name (`together.py`)

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
        self.kept.append(features)
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
        self.part_memo.forget()
        self.fuzzy_memo.forget()
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
        """A record's features, made from the rows kept for it on first use (`kept.py`)."""
        found = self._features.get(position)
        if found is None:
            if len(self._features) >= self.max_cached and not self.keep_features:
                self._features.clear()
            found = self._features[position] = self.kept.get(position)
        return found

    def forget_features(self) -> None:
        """Drop the features made from rows on use (benchmarks measure from nothing made);
        an index that keeps every record's features as objects keeps them."""
        self.kept.forget()
        if not self.keep_features:
            self._features.clear()

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
        if self.counted == self._scoring_for:  # read a few times per query: worked out once
            return self._scoring
        self._scoring_for = self.counted
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
        factor = max(self.params.kunya_factor, self.params.kunya_alone_factor) if weak else 1.0
        return max(weight * factor, 0.0)

    def _part_weights(self, parts: list[PartFeatures]) -> list[float]:
        """`part_weight` of each part, remembered until the counts change (a batch's parts
        recur)."""
        return self.part_memo.of(parts, (id(self.part_counts), self.counted), self.part_weight)

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

    def screen_many(
        self,
        queries: Sequence[RecordData],
        limit: int = 10,
        threshold: float = 0.0,
        exclude_owner: str | None = None,
    ) -> list[list[Match]]:
        """`screen` of each query, the same matches, with the batch's keys looked up at once
        first (`Postings.prefetch`) rather than one traveller at a time. The lock is held
        per query, as `screen` holds it, so that single queries are not held up by a batch
        (a key's slice dropped in between is looked up again by the query that reads it)."""
        features = [record_features(q) for q in queries]
        keys = [SearchKeys.of(f) for f in features]
        with self._lock:
            self.postings.prefetch(k for q in keys for k in q.flat)
        out = []
        for f, q in zip(features, keys, strict=True):
            with self._lock:
                out.append(self._screen(f, limit, threshold, exclude_owner, q))
        return out

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
        self,
        features: RecordFeatures,
        limit: int,
        threshold: float,
        exclude_owner: str | None,
        keys: SearchKeys | None = None,
    ) -> list[Match]:
        positions = self.candidates(features, threshold, exclude_owner, keys)
        shared: frozenset[str] | None = None  # the query's keys, once a candidate needs them
        scored = []
        shares: dict[int, Shares | None] = {}  # each candidate's `carriers`, worked out once
        floor = floor_weight(threshold)
        for position in positions.tolist():
            # Parts weighed together only ever weigh less: a candidate under the threshold
            # with each part weighed alone is under it either way. One whose names' bound
            # keeps it under the threshold is not weighed exactly (`compare_features`).
            alone = self.compare(
                features,
                position,
                explain=False,
                frequency=self.frequency,
                carried=False,
                floor=floor,
            )
            if alone.bounded or alone.score < threshold:
                continue
            if shared is None:
                shared = query_keys(features)
            frequency = self.frequency_for(features, position, shared, alone.weight)
            quick = alone
            if frequency is not None:
                shares[position] = self.carriers(features, position, shared)
                quick = self.compare(
                    features, position, explain=False, frequency=frequency, shares=shares
                )
            if quick.score >= threshold:
                scored.append((quick.weight, position, frequency))
        self.stats["scored"] += len(positions)
        scored.sort(key=lambda item: -item[0])
        matches = []
        for _, position, frequency in scored[:limit]:
            frequency = frequency or self.frequency
            full = self.compare(features, position, shared, frequency=frequency, shares=shares)
            owner = self.owners[int(self.columns.data["owner"][position])]
            matches.append(Match(self.keys[position], owner, full.score, full.weight, full))
        return matches

    def compare(
        self,
        features: RecordFeatures,
        position: int,
        shared: frozenset[str] | None = None,
        explain: bool = True,
        frequency: Frequency | None = None,
        carried: bool = True,
        shares: Mapping[int, Shares | None] | None = None,
        floor: float | None = None,
    ) -> Comparison:
        """The model's comparison of a query with an indexed record: the holdings' part
        frequencies (a part that comes with the record's rarest shared part weighed among
        that part's bearers, `together.py`) and the prior for the holdings' size. `shared`
        is the query's keys (`query_keys`) and `frequency` the pair's (`frequency_for`),
        when the caller has them already. Nationality and gender are weighed among the
        name's bearers (`Carriers`) unless `carried` is False (each alone: an upper bound);
        `shares` holds the `carriers` of the positions it has them for; `floor` as
        `compare_features` takes it."""
        if frequency is None:
            frequency = self.frequency_for(features, position, shared)
        carriers = None
        if carried:
            if shares is not None and position in shares:
                carriers = shares[position]
            else:
                carriers = self.carriers(features, position, shared)
        nationality, gender = carriers or (self.nationality_frequency, None)
        return compare_features(
            features,
            self.features(position),
            frequency or self.frequency,
            self.scoring,
            nationality,
            explain=explain,
            gender_freq=gender,
            floor=floor,
        )

    def carriers(
        self, features: RecordFeatures, position: int, shared: frozenset[str] | None = None
    ) -> Shares | None:
        """The query's nationality's and gender's shares among the bearers of the name it
        shares with the record (`Carriers`), for a traveller against holdings as
        `frequency_for`; None otherwise."""
        record = self.features(position)
        if not self.condition or "travel" not in (features.kind, record.kind):
            return None
        with self._lock:  # the scratch stamps are shared
            self.scratch.ensure(len(self.keys))
            together = Together(self.postings, self.columns, self.frequency, self.scratch)
            carriers = Carriers(together, self.nationality_frequency, position)
            return carriers.shares(
                features, query_keys(features) if shared is None else shared, record
            )

    def frequency_for(
        self,
        features: RecordFeatures,
        position: int,
        shared: frozenset[str] | None = None,
        alone: float | None = None,
    ) -> Frequency | None:
        """The part frequencies a query is weighed with against one record: its parts
        weighed together (`together.py`), unless that weighs the pair more than each part
        alone would (a part that differs weighs a little less against a commoner name);
        None for each part alone (`frequency`).

        Only when one side is a traveller, as the model's prior is chosen: a traveller comes
        from another population than the holdings (another mix of origins), where a part's
        share of the holdings says little, but its share among the bearers of the family
        name it comes with carries over. Between two listed records (resolving lists) the
        holdings are the population itself; there, held-out aliases of a real list
        (`bench/watchlist_eval.py`) lost recall against innocents recombined from single
        tokens, which by construction never come together as real names do. `alone`: the
        pair's weight with each part alone (`frequency`), when the caller has it already."""
        record = self.features(position)
        if not self.condition or "travel" not in (features.kind, record.kind):
            return None
        with self._lock:  # the scratch stamps are shared
            self.scratch.ensure(len(self.keys))
            together = Together(self.postings, self.columns, self.frequency, self.scratch)
            frequency = together.frequency_for(
                query_keys(features) if shared is None else shared, record, birth_years(features)
            )
        if frequency is None:
            return None
        args = (self.scoring, self.nationality_frequency)
        joint = compare_features(features, record, frequency, *args, explain=False).weight
        if alone is None:
            alone = compare_features(features, record, self.frequency, *args, explain=False).weight
        return frequency if joint <= alone else None
