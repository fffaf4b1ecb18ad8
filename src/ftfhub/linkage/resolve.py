"""Resolving Records into Identities: features → Splink (train, predict) → clusters.

`resolve` is pure: records in, clusters and the pairwise evidence out. The store and the
services layer decide where records come from and where Identities go. `link_new` adds
Records to a previous Resolution by scoring only the new pairs (new against existing, new
among themselves) with the same model; clustering then runs over old and new evidence.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ftfhub.domain import RecordData
from ftfhub.linkage.batch import Rows, blocking_table, build_table, to_arrow
from ftfhub.linkage.cluster import Edge, Judgement, cluster
from ftfhub.linkage.engine import Engine, unique_table
from ftfhub.linkage.engine import engine as make_engine
from ftfhub.linkage.model import LinkageModel, register
from ftfhub.linkage.score import PairScore, score_rows
from ftfhub.linkage.table import TF_COLUMNS
from ftfhub.linkage.training import train

Item = tuple[str, str, RecordData]  # (record key, owner agency, record)
__all__ = ["Resolution", "Rows", "build_table", "link_new", "predict", "resolve", "to_arrow"]
# Pairs kept as evidence: above this probability they may be worth an analyst's look.
EVIDENCE_FLOOR = 0.05


def weight_of(probability: float) -> float:
    """A probability threshold as a match weight (log2 odds)."""
    p = min(max(probability, 1e-9), 1 - 1e-9)
    return math.log2(p / (1 - p))


@dataclass
class Resolution:
    clusters: list[list[str]]
    edges: list[Edge]
    model: LinkageModel
    rows: Rows
    threshold: float  # probability
    judgements: list[Judgement] = field(default_factory=list)
    strict: bool = True
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage

    def identity_of(self) -> dict[str, int]:
        """Record key → cluster number (1-based, in the order of `clusters`)."""
        return {key: n for n, members in enumerate(self.clusters, 1) for key in members}

    def explain(self, left: str, right: str) -> PairScore:
        """The pair's evidence term by term (the same model and rows as the batch run)."""
        return score_rows(self.model, self.rows[left], self.rows[right])

    def evidence(self, members: Sequence[str]) -> list[Edge]:
        """The scored pairs inside one cluster, strongest first."""
        inside = set(members)
        found = [e for e in self.edges if e.left in inside and e.right in inside]
        return sorted(found, key=lambda e: -e.weight)


def register_frequencies(linker: Any, db_api: Any, tables: Sequence[Any]) -> None:
    """Our term frequencies (smoothed, with the common-name floor) as Splink's lookups, so
    that predict, predict_between and predict_within all use them and never recount."""
    import pyarrow as pa

    for column in TF_COLUMNS:
        values: dict[str, float] = {}
        for t in tables:
            pairs = zip(
                t.column(column).to_pylist(), t.column(f"tf_{column}").to_pylist(), strict=True
            )
            values.update((v, f) for v, f in pairs if v)
        table = pa.table(
            {column: list(values), f"tf_{column}": list(values.values())},
            schema=pa.schema([(column, pa.string()), (f"tf_{column}", pa.float64())]),
        )
        frame = db_api.register(table, table_name=unique_table(f"ftfhub_tf_{column}"))
        linker.table_management.register_term_frequency_lookup(frame, column)


def _edges(predictions: Any) -> list[Edge]:
    table = predictions.as_pyarrow_table()
    lefts = table.column("unique_id_l").to_pylist()
    rights = table.column("unique_id_r").to_pylist()
    weights = table.column("match_weight").to_pylist()
    predictions.drop_table_from_database_and_remove_from_cache()
    return [
        Edge(a, b, w) if a < b else Edge(b, a, w)
        for a, b, w in zip(lefts, rights, weights, strict=True)
    ]


def predict(
    engine: Engine, model: LinkageModel, rows: Rows, link_type: str = "dedupe_only"
) -> list[Edge]:
    """Every blocked pair at or above the evidence floor, scored with `model`."""
    from splink import Linker

    db_api = engine.db_api()
    frames = register(db_api, blocking_table(rows.without_tf()), link_type)
    linker = Linker(frames, model.settings(engine.dialect, link_type), log_level=None)
    register_frequencies(linker, db_api, [rows.table])
    predictions = linker.inference.predict(
        threshold_match_weight=weight_of(EVIDENCE_FLOOR), warning_mode="never"
    )
    return _edges(predictions)


def resolve(
    records: Iterable[Item],
    engine: str | Engine = "duckdb",
    threshold: float = 0.9,
    model: LinkageModel | None = None,
    judgements: Iterable[Judgement] = (),
    strict: bool = True,
    link_type: str = "dedupe_only",
) -> Resolution:
    """Cluster `(key, owner, record)` items into Identities at match probability `threshold`.

    Without a `model`, one is trained on these records (u by random sampling, m by EM).
    `link_type="link_only"` compares only records of different owners (two files linked).
    """
    logging.getLogger("splink").setLevel(logging.WARNING)
    eng = make_engine(engine) if isinstance(engine, str) else engine
    clock = _Stopwatch()
    rows, frequencies = build_table(records, None if model is None else model.frequencies)
    clock.lap("features")
    if model is None:
        model = train(rows.without_tf(), frequencies, link_type)
        clock.lap("training")
    try:
        edges = predict(eng, model, rows, link_type)
    finally:
        if isinstance(engine, str):  # started here, stopped here (Spark and its checkpoints)
            eng.stop()
    clock.lap("prediction")
    decided = list(judgements)
    clusters = cluster(list(rows), edges, weight_of(threshold), decided, strict=strict)
    clock.lap("clustering")
    return Resolution(clusters, edges, model, rows, threshold, decided, strict, clock.laps)


class _Stopwatch:
    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = now - self._last
        self._last = now


def link_new(
    previous: Resolution,
    records: Iterable[Item],
    engine: str | Engine = "duckdb",
    judgements: Iterable[Judgement] | None = None,
    threshold: float | None = None,
) -> Resolution:
    """Add new records to `previous` without re-scoring the pairs it already scored."""
    import pyarrow as pa
    from splink import Linker

    eng = make_engine(engine) if isinstance(engine, str) else engine
    new_rows, _ = build_table(records, previous.model.frequencies)
    try:
        db_api = eng.db_api()
        # Rare keys are counted over old and new records together, as a full run counts them.
        both = blocking_table(pa.concat_tables([previous.rows.without_tf(), new_rows.without_tf()]))
        count = len(previous.rows)
        old = db_api.register(both.slice(0, count), table_name=unique_table("old_records"))
        new = db_api.register(both.slice(count), table_name=unique_table("new_records"))
        linker = Linker(old, previous.model.settings(eng.dialect), log_level=None)
        register_frequencies(linker, db_api, [previous.rows.table, new_rows.table])
        floor = weight_of(EVIDENCE_FLOOR)
        edges = list(previous.edges)
        for predictions in (
            linker.inference.predict_between(
                new, old, threshold_match_weight=floor, warning_mode="never"
            ),
            linker.inference.predict_within(
                new, threshold_match_weight=floor, warning_mode="never"
            ),
        ):
            edges += _edges(predictions)
    finally:
        if isinstance(engine, str):
            eng.stop()
    rows = Rows(pa.concat_tables([previous.rows.table, new_rows.table]))
    decided = previous.judgements if judgements is None else list(judgements)
    cut = previous.threshold if threshold is None else threshold
    clusters = cluster(list(rows), edges, weight_of(cut), decided, previous.strict)
    return Resolution(clusters, edges, previous.model, rows, cut, decided, previous.strict)
