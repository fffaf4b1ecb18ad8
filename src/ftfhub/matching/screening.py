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
    entries: list[_Entry] = field(default_factory=list)
    postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    part_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    nationality_counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

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
        features = record_features(record)
        position = len(self.entries)
        self.entries.append(_Entry(key, owner, record, features))
        seen_keys: set[str] = set()
        seen_parts: set[str] = set()
        for name in features.names:
            for part in name.parts:
                seen_parts.add(part.freq_key)
                seen_keys.update(part.keys)
        for block_key in seen_keys:
            self.postings[block_key].append(position)
        for part_key in seen_parts:
            self.part_counts[part_key] += 1
        for code in features.nationalities:
            self.nationality_counts[code] += 1

    def __len__(self) -> int:
        return len(self.entries)

    def frequency(self, part_key: str) -> float:
        total = max(len(self.entries), 1)
        return (self.part_counts.get(part_key, 0) + 1) / (total + 1)

    def nationality_frequency(self, code: str) -> float:
        total = max(len(self.entries), 1)
        return (self.nationality_counts.get(code, 0) + 1) / (total + 1)

    def _candidates(self, features: RecordFeatures, exclude_owner: str | None) -> list[int]:
        total = max(len(self.entries), 1)
        query_keys: dict[str, None] = {}
        for name in features.names:
            for part in name.parts:
                for block_key in part.keys:
                    query_keys.setdefault(block_key, None)
        ranked = sorted(query_keys, key=lambda k: len(self.postings.get(k, ())))
        cap = max(2000, total // 20)
        votes: dict[int, float] = defaultdict(float)
        for rank, block_key in enumerate(ranked):
            posting = self.postings.get(block_key)
            if not posting or (rank >= 2 and len(posting) > cap):
                continue
            idf = math.log((total + 1) / len(posting))
            for position in posting:
                votes[position] += idf
        if exclude_owner is not None:
            votes = {p: v for p, v in votes.items() if self.entries[p].owner != exclude_owner}
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
