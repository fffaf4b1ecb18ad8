"""The screening index: candidate generation without comparing every pair, then scoring.

Every name part contributes its blocking keys (consonant skeletons across spellings and
scripts) to an inverted index. A query collects the records that share keys with it, ranked
by how rare the shared keys are, and only the best few hundred are scored with the full
model. Part frequencies for the term-frequency adjustment come from the indexed holdings.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ftfhub.domain import RecordData
from ftfhub.matching.compare import Comparison, compare_features
from ftfhub.matching.features import RecordFeatures, record_features
from ftfhub.matching.parameters import DEFAULT, Parameters


def _record_keys(features: RecordFeatures) -> list[str]:
    """Blocking keys: every name part's skeleton keys, each identity document, and a full
    birth date (which finds a person whose name is spelt beyond recognition)."""
    keys = [k for name in features.names for part in name.parts for k in part.keys]
    keys += [f"doc|{country}|{number}" for country, number in features.documents]
    keys += [f"dob|{d.iso()}" for d in features.birth_dates if d.day is not None]
    return keys


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


@dataclass
class _Entry:
    key: str
    owner: str
    record: RecordData
    features: RecordFeatures


@dataclass
class ScreeningIndex:
    params: Parameters = DEFAULT
    candidates_per_query: int = 200
    loose_below: int = 5  # use the loose keys when the exact ones found fewer candidates
    entries: list[_Entry] = field(default_factory=list)
    # block key → owner → positions: a query never wades through its own agency's records.
    postings: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    part_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    nationality_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    counted: int = 0

    @classmethod
    def build(
        cls,
        items: Iterable[tuple[str, RecordData]],
        owners: dict[str, str] | None = None,
        params: Parameters = DEFAULT,
    ) -> ScreeningIndex:
        """Index `(key, record)` pairs; `owners` maps a key to the agency that owns it."""
        index = cls(params=params)
        for key, record in items:
            index.add(key, record, (owners or {}).get(key, ""))
        return index

    def add(self, key: str, record: RecordData, owner: str = "") -> None:
        """Index a record: it can be found, and it counts toward part frequencies."""
        features = record_features(record)
        position = len(self.entries)
        self.entries.append(_Entry(key, owner, record, features))
        seen_keys = set(_record_keys(features))
        for block_key in seen_keys:
            self.postings.setdefault(block_key, {}).setdefault(owner, []).append(position)
        self._count(features)

    def _count(self, features: RecordFeatures) -> None:
        self.counted += 1
        for part_key in {p.freq_key for name in features.names for p in name.parts}:
            self.part_counts[part_key] += 1
        for code in features.nationalities:
            self.nationality_counts[code] += 1

    def __len__(self) -> int:
        return len(self.entries)

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

    def _candidates(self, features: RecordFeatures, exclude_owner: str | None) -> list[int]:
        total = max(self.counted, 1)
        query_keys: dict[str, list[list[int]]] = {}
        for block_key in _record_keys(features):
            if block_key in query_keys or block_key not in self.postings:
                continue
            query_keys[block_key] = [
                positions
                for owner, positions in self.postings[block_key].items()
                if owner != exclude_owner
            ]
        sizes = {k: sum(len(p) for p in lists) for k, lists in query_keys.items()}
        cap = max(2000, total // 20)
        votes: dict[int, float] = defaultdict(float)
        # Exact skeleton keys first; the loose keys (marked ~) only when those found little.
        for loose in (False, True):
            if loose and len(votes) >= self.loose_below:
                break
            ranked = sorted((k for k in query_keys if ("~" in k) == loose), key=sizes.__getitem__)
            for rank, block_key in enumerate(ranked):
                size = sizes[block_key]
                if not size or (rank >= 2 and size > cap):
                    continue
                idf = math.log((total + 1) / size)
                for positions in query_keys[block_key]:
                    for position in positions:
                        votes[position] += idf
        best = sorted(votes.items(), key=lambda item: -item[1])[: self.candidates_per_query]
        return [position for position, _ in best]

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
        scored = []
        for position in self._candidates(features, exclude_owner):
            quick = compare_features(
                features,
                self.entries[position].features,
                self.frequency,
                self.params,
                self.nationality_frequency,
                explain=False,
            )
            if quick.score >= threshold:
                scored.append((quick.weight, position))
        scored.sort(key=lambda item: -item[0])
        matches = []
        for _, position in scored[:limit]:
            entry = self.entries[position]
            full = compare_features(
                features, entry.features, self.frequency, self.params, self.nationality_frequency
            )
            matches.append(Match(entry.key, entry.owner, full.score, full.weight, full))
        return matches
