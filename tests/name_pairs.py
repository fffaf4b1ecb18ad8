"""Two names compared as bare watchlist Records, and the levels the comparison reached: how
the name tests read the model's verdict on a pair."""

from __future__ import annotations

from ftfhub.domain import Name, RecordData
from ftfhub.matching.compare import Comparison, compare_records


def compare_two(a: str, b: str) -> Comparison:
    def record(name: str, key: str) -> RecordData:
        return RecordData(record_id=key, kind="watchlist", names=(Name(full=name),))

    return compare_records(record(a, "a"), record(b, "b"))


def levels(comparison: Comparison) -> set[str]:
    return {term.level for term in comparison.terms}
