"""The plain fuzzy baseline the project is measured against.

rapidfuzz ``token_sort_ratio`` on unidecoded, lower-cased, punctuation-stripped names; a pair's
score is the best ratio over every (query name, candidate name) pair, where a row's names are
its primary name and its aliases. Birth date and nationality are ignored. Scores are in [0, 1].
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from common import Row, normalise, row_names


@lru_cache(maxsize=200_000)
def _names(name: str, aliases: str) -> tuple[str, ...]:
    row = {"name": name, "aliases": aliases}
    return tuple(dict.fromkeys(n for n in map(normalise, row_names(row)) if n))


class FuzzyBaseline:
    """``token_sort_ratio`` / 100, max over the query's and the candidate's names."""

    name = "baseline"

    def score(self, query: Row, candidate: Row) -> float:
        """Best ``token_sort_ratio`` over all name pairs, scaled to [0, 1]."""
        q_names = _names(query.get("name", ""), query.get("aliases", ""))
        c_names = _names(candidate.get("name", ""), candidate.get("aliases", ""))
        best = 0.0
        for q in q_names:
            for c in c_names:
                best = max(best, fuzz.token_sort_ratio(q, c))
                if best >= 100.0:
                    return 1.0
        return best / 100.0
