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
from ftfhub.linkage.cluster import Edge, Judgement, cluster
from ftfhub.linkage.engine import Engine, unique_table
from ftfhub.linkage.engine import engine as make_engine
from ftfhub.linkage.model import LinkageModel, register, train
from ftfhub.linkage.score import PairScore, score_rows
from ftfhub.linkage.table import (
    FLOAT_COLUMNS,
    LIST_COLUMNS,
    TEXT_COLUMNS,
    TF_COLUMNS,
    Frequencies,
    Row,
    build_rows,
    with_frequencies,
)

Item = tuple[str, str, RecordData]  # (record key, owner agency, record)
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
    rows: dict[str, Row]
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


def to_arrow(rows: Iterable[Row], tf: bool = True) -> Any:
    """Feature rows as a pyarrow table with fixed types (an empty list stays a list);
    without the `tf_` columns for Splink, which reads them from registered lookups."""
    import pyarrow as pa

    rows = list(rows)
    schema = pa.schema(
        [(c, pa.string()) for c in TEXT_COLUMNS]
        + [(c, pa.list_(pa.string())) for c in LIST_COLUMNS]
        + [(c, pa.float64()) for c in (FLOAT_COLUMNS if tf else ())]
    )
    columns = {name: [row[name] for row in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


def register_frequencies(linker: Any, db_api: Any, rows: Iterable[Row]) -> None:
    """Our term frequencies (smoothed, with the common-name floor) as Splink's lookups, so
    that predict, predict_between and predict_within all use them and never recount."""
    import pyarrow as pa

    rows = list(rows)
    for column in TF_COLUMNS:
        values = {str(r[column]): r[f"tf_{column}"] for r in rows if r[column]}
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
    engine: Engine, model: LinkageModel, rows: Sequence[Row], link_type: str = "dedupe_only"
) -> list[Edge]:
    """Every blocked pair at or above the evidence floor, scored with `model`."""
    from splink import Linker

    db_api = engine.db_api()
    frames = register(db_api, to_arrow(rows, tf=False), link_type)
    linker = Linker(frames, model.settings(engine.dialect, link_type), log_level=None)
    register_frequencies(linker, db_api, rows)
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
    rows = build_rows(records)
    clock.lap("features")
    if model is None:
        frequencies = Frequencies.of(rows)
        model = train(eng, to_arrow(rows, tf=False), frequencies, link_type)
        clock.lap("training")
    rows = [with_frequencies(r, model.frequencies) for r in rows]
    edges = predict(eng, model, rows, link_type)
    clock.lap("prediction")
    decided = list(judgements)
    keys = [str(r["unique_id"]) for r in rows]
    clusters = cluster(keys, edges, weight_of(threshold), decided, strict=strict)
    clock.lap("clustering")
    by_key = {str(r["unique_id"]): r for r in rows}
    return Resolution(clusters, edges, model, by_key, threshold, decided, strict, clock.laps)


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
    from splink import Linker

    eng = make_engine(engine) if isinstance(engine, str) else engine
    new_rows = [with_frequencies(r, previous.model.frequencies) for r in build_rows(records)]
    db_api = eng.db_api()
    new = db_api.register(to_arrow(new_rows, tf=False), table_name=unique_table("new_records"))
    old = db_api.register(
        to_arrow(previous.rows.values(), tf=False), table_name=unique_table("old_records")
    )
    linker = Linker(old, previous.model.settings(eng.dialect), log_level=None)
    register_frequencies(linker, db_api, [*previous.rows.values(), *new_rows])
    floor = weight_of(EVIDENCE_FLOOR)
    edges = list(previous.edges)
    for predictions in (
        linker.inference.predict_between(
            new, old, threshold_match_weight=floor, warning_mode="never"
        ),
        linker.inference.predict_within(new, threshold_match_weight=floor, warning_mode="never"),
    ):
        edges += _edges(predictions)
    rows = {**previous.rows, **{str(r["unique_id"]): r for r in new_rows}}
    decided = previous.judgements if judgements is None else list(judgements)
    cut = previous.threshold if threshold is None else threshold
    clusters = cluster(list(rows), edges, weight_of(cut), decided, previous.strict)
    return Resolution(clusters, edges, previous.model, rows, cut, decided, previous.strict)
