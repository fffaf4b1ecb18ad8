"""Estimating the model from the holdings: the prior, u and m, counted inside DuckDB.

Fellegi–Sunter as Splink estimates it — the prior from deterministic rules, u from random
pairs, m by expectation maximisation on blocked pairs, each EM session leaving out the
comparison its block fixes — but every step reads the comparison vectors the engine counts
(one GROUP BY over the levels' own SQL, the same SQL `predict` runs), and EM iterates on
those counts in numpy. That takes seconds on a sample of 200,000 records, never derives a
pair in Python, and keeps every level possible: a small pseudo-count stops an m from
falling to zero, which Splink's trainer refuses mid-session (leaving the model half
trained, the birth date untrained on the synthetic holdings).

Training always runs on DuckDB, on a sample: the model is engine-independent (levels by
label), so a Spark run predicts with a model estimated here.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ftfhub.linkage.levels import DUCKDB, Cond, to_sql
from ftfhub.linkage.model import LevelParams, LinkageModel
from ftfhub.linkage.spec import COMPARISONS
from ftfhub.linkage.table import Frequencies

TRAINING_SAMPLE = 200_000  # records the parameters are estimated on
U_PAIRS = 2_000_000  # random pairs u is counted on
EM_PAIRS = 1_000_000  # blocked pairs each EM session runs on at most
MIN_EM_PAIRS = 50  # a block with fewer pairs says too little to estimate from
PSEUDO_COUNT = 0.5  # added to every level's count: no level becomes impossible
PRIOR_RECALL = 0.7  # the share of true matches the deterministic rules are assumed to find

# Deterministic rules for the prior: pairs that are almost surely one person.
PRIOR_RULES = (
    "l.doc_first = r.doc_first AND l.doc_first <> '' AND l.surname = r.surname",
    "l.surname = r.surname AND l.given = r.given AND l.dob_first = r.dob_first"
    " AND l.dob_first <> '' AND l.surname <> ''",
)


@dataclass(frozen=True)
class Session:
    """An EM block, and the comparison it fixes (whose m it cannot estimate). The same birth
    date, then the same document: among such pairs the people are few enough for EM to find
    them. The same name comes last, only for what the others could not estimate (no
    documents): namesakes sharing a country and a city crowd that block, and EM there takes
    half its pairs for matches (a tenth are, on the synthetic holdings)."""

    rule: str
    fixed: str


EM_SESSIONS = (
    Session("l.dob_first = r.dob_first AND l.dob_first <> ''", "birth_date"),
    Session("l.doc_first = r.doc_first AND l.doc_first <> ''", "document"),
    Session(
        "l.surname = r.surname AND l.given = r.given AND l.surname <> '' AND l.given <> ''",
        "name",
    ),
)


def _columns(cond: Cond) -> Iterator[str]:
    if cond.column:
        yield cond.column
    for part in cond.parts:
        yield from _columns(part)


def _compared_columns() -> list[str]:
    found = {c for spec in COMPARISONS for lv in spec.levels if lv.cond for c in _columns(lv.cond)}
    return sorted(found)


def _gamma_sql() -> str:
    """Each comparison's level index (its position in `spec`), as Splink numbers levels."""
    out = []
    for c, spec in enumerate(COMPARISONS):
        whens = " ".join(
            f"WHEN {to_sql(lv.cond, DUCKDB)} THEN {i}"
            for i, lv in enumerate(spec.levels)
            if lv.cond is not None
        )
        out.append(f"CASE {whens} ELSE {len(spec.levels) - 1} END AS g{c}")
    return ", ".join(out)


def _vectors(con: Any, pairs_sql: str) -> tuple[np.ndarray, np.ndarray]:
    """Distinct comparison vectors of the pairs (`id_l`, `id_r` over table `t`) and counts."""
    sides = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in _compared_columns())
    sql = f"""
        WITH pairs AS ({pairs_sql}),
        p AS (SELECT {sides} FROM pairs JOIN t l ON l.rn = pairs.id_l JOIN t r ON r.rn = pairs.id_r)
        SELECT {_gamma_sql()}, count(*) AS n FROM p GROUP BY ALL
    """
    rows = con.execute(sql).fetchall()
    if not rows:
        return np.zeros((0, len(COMPARISONS)), dtype=np.int64), np.zeros(0)
    data = np.array(rows, dtype=np.float64)
    return data[:, :-1].astype(np.int64), data[:, -1]


def _null(c: int) -> np.ndarray:
    return np.array([lv.null for lv in COMPARISONS[c].levels])


def _shares(vectors: np.ndarray, weights: np.ndarray, c: int) -> np.ndarray:
    """Each level's share of the weighted pairs where comparison `c` is not null, with the
    pseudo-count added."""
    levels = len(COMPARISONS[c].levels)
    null = _null(c)
    counts = np.bincount(vectors[:, c], weights=weights, minlength=levels)
    counts = np.where(null, 0.0, counts + PSEUDO_COUNT)
    total = counts.sum()
    return counts / total if total else np.where(null, 0.0, 1.0 / max(1, (~null).sum()))


def _initial_m(c: int) -> np.ndarray:
    """A starting point: the first (strongest) level likeliest among matches, the else level
    least."""
    null = _null(c)
    real = np.flatnonzero(~null)
    m = np.zeros(len(null))
    m[real] = 0.4 / max(1, len(real) - 2)
    m[real[0]], m[real[-1]] = 0.55, 0.05
    out: np.ndarray = m / m.sum()
    return out


def expectation_maximisation(
    vectors: np.ndarray,
    counts: np.ndarray,
    u: list[np.ndarray],
    fixed: int,
    iterations: int = 40,
) -> tuple[list[np.ndarray], float]:
    """m for every comparison but `fixed`, and the share of matches, on counted vectors."""
    m = [_initial_m(c) for c in range(len(COMPARISONS))]
    share = 0.1
    free = [c for c in range(len(COMPARISONS)) if c != fixed]
    for _ in range(iterations):
        log_odds = np.full(len(counts), math.log(share / (1 - share)))
        for c in free:
            ratio = np.where(_null(c), 1.0, m[c] / np.maximum(u[c], 1e-300))
            log_odds += np.log(np.maximum(ratio[vectors[:, c]], 1e-300))
        p = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        weights = counts * p
        new = [_shares(vectors, weights, c) if c in free else m[c] for c in range(len(m))]
        change = max(float(np.abs(a - b).max()) for a, b in zip(new, m, strict=True))
        m = new
        share = float(np.clip(weights.sum() / counts.sum(), 1e-9, 1 - 1e-9))
        if change < 1e-5:
            break
    return m, share


def _connect(table: Any) -> Any:
    import duckdb

    limit = os.environ.get("FTFHUB_DUCKDB_MEMORY", "4GB")
    con = duckdb.connect(config={"memory_limit": limit})
    con.register("source", table)
    con.execute("CREATE TABLE t AS SELECT row_number() OVER () - 1 AS rn, * FROM source")
    return con


def _where(link_type: str) -> str:
    different = " AND l.owner <> r.owner" if link_type != "dedupe_only" else ""
    return f"l.unique_id < r.unique_id{different}"


def _count(con: Any, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0] or 0)


def _total_pairs(con: Any, link_type: str) -> float:
    n = _count(con, "SELECT count(*) FROM t")
    if link_type == "dedupe_only":
        return n * (n - 1) / 2
    same = _count(
        con, "SELECT sum(k * (k - 1) // 2) FROM (SELECT count(*) k FROM t GROUP BY owner)"
    )
    return n * (n - 1) / 2 - same


def _prior(con: Any, link_type: str) -> float:
    where = _where(link_type)
    union = " UNION ".join(
        f"SELECT l.rn AS a, r.rn AS b FROM t l JOIN t r ON {rule} WHERE {where}"
        for rule in PRIOR_RULES
    )
    found = _count(con, f"SELECT count(*) FROM ({union})")
    total = _total_pairs(con, link_type)
    return min(max((found / PRIOR_RECALL) / max(total, 1.0), 1e-12), 0.5)


def _u(con: Any, link_type: str, seed: int) -> list[np.ndarray]:
    import pyarrow as pa

    n = _count(con, "SELECT count(*) FROM t")
    rng = np.random.default_rng(seed)
    left, right = rng.integers(0, n, U_PAIRS), rng.integers(0, n, U_PAIRS)
    keep = left != right
    con.register("random_pairs", pa.table({"id_l": left[keep], "id_r": right[keep]}))
    pairs = "SELECT id_l, id_r FROM random_pairs"
    if link_type != "dedupe_only":
        pairs = (
            "SELECT id_l, id_r FROM random_pairs JOIN t l ON l.rn = id_l "
            "JOIN t r ON r.rn = id_r WHERE l.owner <> r.owner"
        )
    vectors, counts = _vectors(con, pairs)
    return [_shares(vectors, counts, c) for c in range(len(COMPARISONS))]


def _blocked(con: Any, rule: str, link_type: str) -> str:
    """The pairs of `rule`, at most about EM_PAIRS of them (a fixed hash sample)."""
    pairs = (
        f"SELECT l.rn AS id_l, r.rn AS id_r FROM t l JOIN t r ON {rule} WHERE {_where(link_type)}"
    )
    found = _count(con, f"SELECT count(*) FROM ({pairs})")
    every = max(1, math.ceil(found / EM_PAIRS))
    if every == 1:
        return pairs
    return f"SELECT * FROM ({pairs}) WHERE hash(id_l * 1000003 + id_r) % {every} = 0"


def train(
    table: Any, frequencies: Frequencies, link_type: str = "dedupe_only", seed: int = 7
) -> LinkageModel:
    """Estimate a model on `table` (a pyarrow table of feature rows); `frequencies`, counted
    on the same rows, become part of it."""
    if table.num_rows > TRAINING_SAMPLE:
        # m and u are shares: a large random sample estimates them as well as everything.
        rng = np.random.default_rng(seed)
        table = table.take(np.sort(rng.choice(table.num_rows, TRAINING_SAMPLE, replace=False)))
    con = _connect(table)
    try:
        prior = _prior(con, link_type)
        u = _u(con, link_type, seed)
        estimates: list[list[np.ndarray]] = [[] for _ in COMPARISONS]
        for session in EM_SESSIONS:
            fixed = next(i for i, c in enumerate(COMPARISONS) if c.name == session.fixed)
            if all(estimates[c] for c in range(len(COMPARISONS)) if c != fixed):
                continue  # a later block only stands in for one that found too few pairs
            vectors, counts = _vectors(con, _blocked(con, session.rule, link_type))
            if counts.sum() < MIN_EM_PAIRS:
                continue
            m, _ = expectation_maximisation(vectors, counts, u, fixed)
            for c in range(len(COMPARISONS)):
                if c != fixed:
                    estimates[c].append(m[c])
    finally:
        con.close()
    levels = {}
    for c, spec in enumerate(COMPARISONS):
        m_c = np.mean(estimates[c], axis=0) if estimates[c] else None
        levels[spec.name] = [
            LevelParams(
                lv.label,
                None if lv.null or m_c is None else float(m_c[i]),
                None if lv.null else float(u[c][i]),
            )
            for i, lv in enumerate(spec.levels)
        ]
    return LinkageModel(prior, levels, frequencies)
