"""Shared pieces of the side-by-side evaluations in ``bench/``.

- reading the generic person file (CSV) into plain ``dict[str, str]`` rows;
- the candidate retrieval used for the pair scorers (the fuzzy baseline and the peer): a
  character-trigram TF-IDF cosine over unidecoded names, matcher-neutral and cheap, keeping the
  top ``k`` persons per query (ftfhub does its own candidate generation and does not use it);
- ranking a query's candidates with a pair scorer;
- the "same false-hit rate on the innocents" threshold and hit@1 at that threshold.

Rows are the generic-person-file keys: ``record_id``, ``name``, ``aliases`` (``|``-separated),
``birth_date`` and ``nationality`` (``|``-separated ISO alpha-2).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np
from scipy import sparse  # type: ignore[import-untyped,unused-ignore]
from unidecode import unidecode

Row = dict[str, str]
Ranked = list[tuple[str, float, float]]
"""A query's candidates as ``(record_id, score, tie-break)``, best first. The tie-break orders
candidates of equal score where a matcher has a finer value (ftfhub's match weight); 0 else."""

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"
BUDGETS = (0.002, 0.01)
"""False-hit budgets on the innocents: 0.2 % and 1 % of innocent queries may raise a hit."""

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


class PairScorer(Protocol):
    """A matcher that scores one query row against one candidate row, in [0, 1]."""

    def score(self, query: Row, candidate: Row) -> float: ...


def read_person_csv(path: Path) -> list[Row]:
    """Read a generic person CSV (UTF-8, header row) into rows of stripped strings."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items() if key}
            for row in csv.DictReader(handle)
        ]


def split_multi(value: str | None) -> list[str]:
    """The non-empty parts of a ``|``-separated field."""
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def row_names(row: Row) -> list[str]:
    """The primary name followed by the aliases of a row."""
    names = [row["name"]] if row.get("name") else []
    return names + split_multi(row.get("aliases"))


@lru_cache(maxsize=200_000)
def normalise(name: str) -> str:
    """Unidecoded, lower-case, punctuation to spaces, spaces collapsed."""
    return _NON_ALNUM.sub(" ", unidecode(name).lower()).strip()


def trigrams(name: str) -> list[str]:
    """Character trigrams of the normalised name, padded with a space at both ends."""
    text = f" {normalise(name)} "
    return [text[i : i + 3] for i in range(len(text) - 2)]


class TrigramRetriever:
    """Top-k candidate persons by character-trigram TF-IDF cosine over unidecoded names.

    Every name (primary and aliases) of a reference person is a document; term weights are
    ``1 + ln(tf)`` times the smoothed IDF ``ln((1 + N) / (1 + df)) + 1`` over those documents,
    L2-normalised. A query's score for a person is the best cosine between any of the query's
    names and any of the person's names; ties keep reference order.
    """

    def __init__(self, references: Sequence[Row]) -> None:
        self.references = list(references)
        doc_names: list[str] = []
        starts: list[int] = []
        for row in self.references:
            starts.append(len(doc_names))
            doc_names.extend(row_names(row) or [""])
        self._starts = np.asarray(starts, dtype=np.int64)
        self._vocab: dict[str, int] = {}
        for name in doc_names:
            for gram in trigrams(name):
                self._vocab.setdefault(gram, len(self._vocab))
        counts = self._counts(doc_names)
        df = np.bincount(counts.indices, minlength=len(self._vocab))
        self._idf = np.log((1 + len(doc_names)) / (1 + df)) + 1.0
        self._docs = self._weigh(counts).T.tocsr()

    def _counts(self, names: Sequence[str]) -> sparse.csr_matrix:
        rows: list[int] = []
        cols: list[int] = []
        for i, name in enumerate(names):
            for gram in trigrams(name):
                col = self._vocab.get(gram)
                if col is not None:
                    rows.append(i)
                    cols.append(col)
        data = np.ones(len(rows), dtype=np.float64)
        shape = (len(names), len(self._vocab))
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=shape)
        matrix.sum_duplicates()
        return matrix

    def _weigh(self, counts: sparse.csr_matrix) -> sparse.csr_matrix:
        weighted = counts.copy()
        weighted.data = (1.0 + np.log(weighted.data)) * self._idf[weighted.indices]
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms) @ weighted)

    def top(self, queries: Sequence[Row], k: int, chunk: int = 256) -> list[list[int]]:
        """For each query row, the indices of its ``k`` best reference persons, best first."""
        out: list[list[int]] = []
        k = min(k, len(self.references))
        for begin in range(0, len(queries), chunk):
            block = queries[begin : begin + chunk]
            q_names: list[str] = []
            owner: list[int] = []
            for i, row in enumerate(block):
                names = row_names(row) or [""]
                q_names.extend(names)
                owner.extend([i] * len(names))
            cosine = (self._weigh(self._counts(q_names)) @ self._docs).toarray()
            per_person = np.maximum.reduceat(cosine, self._starts, axis=1)
            best = np.full((len(block), len(self.references)), -1.0)
            np.maximum.at(best, np.asarray(owner), per_person)
            for scores in best:
                part = np.argpartition(-scores, k - 1)[:k]
                order = sorted(part.tolist(), key=lambda j: (-scores[j], j))
                out.append(order)
        return out


def rank_candidates(scorer: PairScorer, query: Row, candidates: Iterable[Row]) -> Ranked:
    """Score every candidate with ``scorer``; best first, ties in candidate order."""
    scored = [(row["record_id"], scorer.score(query, row), 0.0) for row in candidates]
    return sorted(scored, key=lambda item: -item[1])


def rank_all(
    scorer: PairScorer,
    queries: Sequence[Row],
    references: Sequence[Row],
    retrieved: Sequence[Sequence[int]],
    progress: Callable[[int], None] | None = None,
) -> list[Ranked]:
    """Rank each query's retrieved candidates (indices into ``references``) with ``scorer``."""
    ranked: list[Ranked] = []
    for i, (query, indices) in enumerate(zip(queries, retrieved, strict=True)):
        ranked.append(rank_candidates(scorer, query, (references[j] for j in indices)))
        if progress is not None:
            progress(i + 1)
    return ranked


def top_score(ranked: Ranked) -> float:
    """The best score of a ranking, 0 when there is no candidate."""
    return ranked[0][1] if ranked else 0.0


def threshold_for_budget(innocent_top_scores: Sequence[float], budget: float) -> float:
    """The lowest threshold at which at most ``budget`` of the innocents raise a hit.

    An innocent raises a hit when any of its candidates scores ``>= threshold``. With the
    innocents' best scores sorted high to low (``m[0] >= m[1] >= ...``) and ``n = floor(budget *
    N)`` hits allowed, that threshold is the next float above ``m[n]``.
    """
    ordered = sorted(innocent_top_scores, reverse=True)
    allowed = math.floor(budget * len(ordered) + 1e-9)
    if allowed >= len(ordered):
        return 0.0
    return math.nextafter(max(ordered[allowed], 0.0), math.inf)


def is_top1(ranked: Ranked, truth: str) -> bool:
    """True when ``truth`` is first and no other candidate ties with it (ties count against)."""
    if not ranked or ranked[0][0] != truth:
        return False
    return len(ranked) == 1 or ranked[1][1:] < ranked[0][1:]


def hit_at_1(rankings: Sequence[Ranked], truths: Sequence[str], threshold: float) -> float:
    """Fraction of queries whose top candidate is the right one and scores ``>= threshold``."""
    hits = sum(
        1
        for ranked, truth in zip(rankings, truths, strict=True)
        if is_top1(ranked, truth) and ranked[0][1] >= threshold
    )
    return hits / len(truths) if truths else 0.0


@dataclass(frozen=True)
class BudgetResult:
    """hit@1 of one matcher at one false-hit budget."""

    budget: float
    threshold: float
    hit_at_1: float


def evaluate_budgets(
    held_out: Sequence[Ranked],
    truths: Sequence[str],
    innocents: Sequence[Ranked],
    budgets: Sequence[float] = BUDGETS,
) -> list[BudgetResult]:
    """Threshold and hit@1 for each false-hit budget."""
    tops = [top_score(ranked) for ranked in innocents]
    results = []
    for budget in budgets:
        threshold = threshold_for_budget(tops, budget)
        results.append(BudgetResult(budget, threshold, hit_at_1(held_out, truths, threshold)))
    return results


def format_threshold(threshold: float) -> str:
    """A threshold as "> s", s being the innocent score it sits just above; near 1 as 1 - e."""
    if threshold <= 0.0:
        return ">= 0"
    below = math.nextafter(threshold, -math.inf)
    if below > 0.999:
        return f"> 1 - {1.0 - below:.1e}"
    return f"> {below:.4f}"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
