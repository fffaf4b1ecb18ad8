"""Transliteration pairs, side by side: find an Arabic-script name's Latin romanisation.

Data: the held-out split of Google's ar2en name pairs, ``ar2en-eval.txt`` (``arabic<TAB>latin``,
``--data`` names its folder; default ``../shared/data/translit/google_ar2en``). Each Arabic word is
a query, ranked against every distinct Latin form of the split (no shortlist). Top-k counts the
rivals scoring at least as high as the right form: top-1 needs none (ties count against the
matcher, as in ``translit_topk.py``), top-5 fewer than five.

- baseline and peer score every (Arabic, Latin) pair as single-name rows / ``Person`` entities;
- ftfhub: a ``ScreeningIndex`` over the Latin forms, each Arabic word screened (the product
  path), or ``--ftfhub-mode compare`` for ``compare_records`` on every pair.

Prints a markdown table on stdout, progress on stderr.

    python bench/translit_eval.py [--matchers ftfhub,baseline,peer] [--limit N] [--data DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from common import SHARED_DATA, PairScorer, Ranked, Row, markdown_table
from matchers import run_matchers

DEFAULT_DATA = SHARED_DATA / "translit" / "google_ar2en"
MATCHERS = ("ftfhub", "baseline", "peer")


@dataclass
class Result:
    """One matcher's ranks of the right Latin form (rivals scoring at least as high)."""

    name: str
    rivals: list[int]
    seconds: float
    note: str = ""

    def top(self, k: int) -> float:
        return sum(1 for r in self.rivals if r < k) / len(self.rivals) if self.rivals else 0.0


def read_pairs(path: Path) -> list[tuple[str, str]]:
    """``(arabic, latin)`` pairs of a tab-separated file."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        arabic, _, latin = line.partition("\t")
        if arabic.strip() and latin.strip():
            pairs.append((arabic.strip(), latin.strip()))
    return pairs


def rivals_of(scores: Sequence[float], gold: int) -> int:
    """How many other candidates score at least as high as the one at ``gold``."""
    target = scores[gold]
    return sum(1 for i, score in enumerate(scores) if i != gold and score >= target)


def run_pairs(
    scorer: PairScorer,
    name: str,
    queries: list[Row],
    latins: list[Row],
    gold: list[int],
    block: int = 800,
) -> list[int]:
    """Score every query against every Latin form; the right form's rival count per query.

    Candidates are taken in blocks of ``block`` (every query against one block, then the next)
    so that nomenklatura's per-entity name cache (1,000 entities) holds a whole block.
    """
    scores: list[list[float]] = [[] for _ in queries]
    total = len(queries) * len(latins)
    done = 0
    for start in range(0, len(latins), block):
        part = latins[start : start + block]
        for i, query in enumerate(queries):
            scores[i].extend(scorer.score(query, latin) for latin in part)
        done += len(queries) * len(part)
        print(f"  {name}: {done}/{total} pairs", file=sys.stderr, flush=True)
    return [rivals_of(row, gold[i]) for i, row in enumerate(scores)]


def rivals_in_ranking(ranked: Ranked, gold_key: str) -> int:
    """Rival count from a truncated ranking: a missing right form counts as never found."""
    values = {key: (score, tie) for key, score, tie in ranked}
    if gold_key not in values:
        return 1_000_000
    gold = values[gold_key]
    return sum(1 for key, value in values.items() if key != gold_key and value >= gold)


def run_ftfhub(queries: list[Row], latins: list[Row], gold: list[int], mode: str) -> Result:
    """ftfhub's screening over the Latin forms, or ``compare_records`` on every pair."""
    from ftfhub.ingest.person_file import record_from_row

    start = time.perf_counter()
    latin_records = [record_from_row(row, i + 1) for i, row in enumerate(latins)]
    if mode == "compare":
        from ftfhub.matching.compare import compare_records

        rivals = []
        for i, query in enumerate(queries):
            record = record_from_row(query, i + 1)
            scores = [float(compare_records(record, latin).score) for latin in latin_records]
            rivals.append(rivals_of(scores, gold[i]))
        return Result("ftfhub", rivals, time.perf_counter() - start, "compare_records, all pairs")

    from ftfhub.index import ScreeningIndex

    keyed = [(row["record_id"], rec) for row, rec in zip(latins, latin_records, strict=True)]
    index = ScreeningIndex.build(keyed)
    rivals = []
    for i, query in enumerate(queries):
        matches = index.screen(record_from_row(query, i + 1), limit=10)
        ranked = [(m.key, float(m.score), float(m.weight)) for m in matches]
        rivals.append(rivals_in_ranking(ranked, latins[gold[i]]["record_id"]))
    return Result("ftfhub", rivals, time.perf_counter() - start, "ScreeningIndex.screen(limit=10)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--matchers", default=",".join(MATCHERS))
    parser.add_argument("--limit", type=int, default=0, help="only the first N Arabic words")
    parser.add_argument("--ftfhub-mode", choices=("screen", "compare"), default="screen")
    args = parser.parse_args(argv)
    wanted = [m.strip() for m in args.matchers.split(",") if m.strip()]
    unknown = sorted(set(wanted) - set(MATCHERS))
    if unknown:
        parser.error(f"unknown matcher(s) {', '.join(unknown)}; choose from {', '.join(MATCHERS)}")

    pairs = read_pairs(args.data / "ar2en-eval.txt")
    latin_forms = sorted({latin for _, latin in pairs})
    latins = [{"record_id": f"latin-{i:05d}", "name": form} for i, form in enumerate(latin_forms)]
    position = {form: i for i, form in enumerate(latin_forms)}
    chosen = pairs[: args.limit] if args.limit else pairs
    queries = [{"record_id": f"arabic-{i:05d}", "name": ar} for i, (ar, _) in enumerate(chosen)]
    gold = [position[latin] for _, latin in chosen]

    def score_pairs(scorer: PairScorer, name: str, note: str) -> Result:
        if name == "baseline":
            note = "token_sort_ratio on unidecoded Arabic"
        start = time.perf_counter()
        rivals = run_pairs(scorer, name, queries, latins, gold)
        return Result(name, rivals, time.perf_counter() - start, note)

    results, skipped = run_matchers(
        wanted, lambda: run_ftfhub(queries, latins, gold, args.ftfhub_mode), score_pairs
    )

    rows = [
        [r.name, f"{r.top(1):.3f}", f"{r.top(5):.3f}", f"{r.seconds:.1f}", r.note] for r in results
    ]
    rows += [[name, "—", "—", "—", why] for name, why in skipped.items()]
    print(
        f"Google ar2en eval split: {len(queries)} Arabic words, each ranked among "
        f"{len(latins)} distinct Latin forms (ties count against).\n"
    )
    print(markdown_table(["matcher", "top-1", "top-5", "time (s)", "notes"], rows))


if __name__ == "__main__":
    main()
