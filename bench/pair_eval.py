"""Pair judgement: is this the same person's name? ftfhub, the fuzzy baseline and the peer.

The labelled pairs of `pair_data.py` (real aliases of the OFAC and UK lists, generated typing
slips, joins, splits, reorderings, initials, Cyrillic and Arabic script; hard negatives:
relatives, brothers in one lineage, shared words, other scripts), each scored by name alone:

- ftfhub: `compare_records` with no holdings (the shipped population table), the score an
  analyst sees from `ftfhub compare`;
- baseline: rapidfuzz `token_sort_ratio` on unidecoded names (`baseline.py`);
- peer: nomenklatura `logic-v2` (`peer.py`).

Reported: ROC AUC (ties count half), the best F1 over thresholds, and precision / recall at
0.7 (ftfhub's default hit threshold; the baseline and peer are read at the same number, which
is also yente's default); then AUC and the share accepted at 0.7 per script, per kind of
variation (its positives against every negative) and per kind of negative (every positive
against it), and per list.

    python bench/pair_eval.py [--per-kind 250] [--matchers ftfhub,baseline,peer] [--seed 15]
                              [--surname-first]

`--surname-first` writes every Latin name of two words or more as lists do, `SURNAME, Given`
(the last word first, in capitals): the same pairs, judged through the other way a name is
written. Kinds whose variation is in the last word (join, split, reorder) then move the
stated surname itself, so read it for the other kinds.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from baseline import FuzzyBaseline
from common import markdown_table
from pair_data import Pair, build_pairs
from peer import load_peer

THRESHOLD = 0.7


def auc(positives: Sequence[float], negatives: Sequence[float]) -> float:
    """Probability that a positive outscores a negative (ties half): Mann–Whitney."""
    if not positives or not negatives:
        return float("nan")
    ranked = sorted([(s, 1) for s in positives] + [(s, 0) for s in negatives])
    rank_sum, i = 0.0, 0
    while i < len(ranked):
        j = i
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            j += 1
        mid = (i + j + 1) / 2  # average 1-based rank of the tie group
        rank_sum += mid * sum(1 for k in range(i, j) if ranked[k][1])
        i = j
    n_pos, n_neg = len(positives), len(negatives)
    return (rank_sum - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def best_f1(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    """The best F1 over all thresholds, and the threshold that gives it."""
    order = sorted(zip(scores, labels, strict=True), key=lambda x: -x[0])
    total_pos = sum(labels)
    tp = fp = 0
    best, at = 0.0, 1.0
    for k, (score, label) in enumerate(order):
        tp += label
        fp += not label
        if k + 1 < len(order) and order[k + 1][0] == score:
            continue
        f1 = 2 * tp / (tp + fp + total_pos) if tp else 0.0
        if f1 > best:
            best, at = f1, score
    return best, at


def precision_recall(scores: Sequence[float], labels: Sequence[bool]) -> tuple[float, float]:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if y and s >= THRESHOLD)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if not y and s >= THRESHOLD)
    pos = sum(labels)
    return (tp / (tp + fp) if tp + fp else 0.0), (tp / pos if pos else 0.0)


def _ftfhub() -> Callable[[str, str], float]:
    from ftfhub.domain import Name, RecordData
    from ftfhub.matching.compare import compare_records

    def record(name: str) -> RecordData:
        return RecordData(record_id="x", kind="watchlist", names=(Name(full=name),))

    return lambda a, b: compare_records(record(a), record(b)).score


def _scorers(wanted: Sequence[str]) -> dict[str, Callable[[str, str], float]]:
    found: dict[str, Callable[[str, str], float]] = {}
    for name in wanted:
        if name == "ftfhub":
            found[name] = _ftfhub()
        elif name == "baseline":
            base = FuzzyBaseline()
            found[name] = lambda a, b, m=base: m.score({"name": a}, {"name": b})
        else:
            peer, note = load_peer()
            if peer is None:
                print(f"peer: {note}", file=sys.stderr)
                continue
            found[name] = lambda a, b, m=peer: m.score(
                {"record_id": "q", "name": a}, {"record_id": "c", "name": b}
            )
    return found


def _group_rows(
    pairs: list[Pair], scores: dict[str, list[float]], key: Callable[[Pair], str], positive: bool
) -> list[list[str]]:
    """Per group: AUC of the group's pairs against every pair of the other label, the share
    of the group's pairs accepted (positives) or wrongly accepted (negatives) at 0.7, and how
    many (positive, negative) orderings are wrong (ties half): what separates 0.9999 from 1."""
    rows = []
    groups = sorted({key(p) for p in pairs if p.same == positive})
    for group in groups:
        idx = [i for i, p in enumerate(pairs) if p.same == positive and key(p) == group]
        rest = [i for i, p in enumerate(pairs) if p.same != positive]
        row = [group, str(len(idx))]
        for s in scores.values():
            mine, other = [s[i] for i in idx], [s[i] for i in rest]
            value = auc(mine, other) if positive else auc(other, mine)
            accepted = sum(1 for x in mine if x >= THRESHOLD) / len(mine)
            wrong = (1 - value) * len(mine) * len(other)
            row.append(f"{value:.4f} / {accepted:.2f} / {round(wrong, 1):g}")
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-kind", type=int, default=250)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--matchers", default="ftfhub,baseline,peer")
    parser.add_argument("--surname-first", action="store_true")
    parser.add_argument("--scores", type=Path, help="write every pair's scores (TSV) here")
    args = parser.parse_args()
    pairs = build_pairs(args.per_kind, args.seed)
    if args.surname_first:
        pairs = [replace(p, a=surname_first(p.a), b=surname_first(p.b)) for p in pairs]
    labels = [p.same for p in pairs]
    print(f"{len(pairs)} pairs: {sum(labels)} same person, {len(pairs) - sum(labels)} not.\n")
    scores: dict[str, list[float]] = {}
    times: dict[str, float] = {}
    for name, scorer in _scorers(args.matchers.split(",")).items():
        print(f"{name}: scoring", file=sys.stderr, flush=True)
        start = time.perf_counter()
        scores[name] = [scorer(p.a, p.b) for p in pairs]
        times[name] = time.perf_counter() - start
    if args.scores:
        with args.scores.open("w", encoding="utf-8") as out:
            for k, p in enumerate(pairs):
                line = [p.kind, str(p.same), p.a, p.b, *(f"{s[k]:.4f}" for s in scores.values())]
                out.write("\t".join(line) + "\n")
    rows = []
    for name, s in scores.items():
        pos = [x for x, y in zip(s, labels, strict=True) if y]
        neg = [x for x, y in zip(s, labels, strict=True) if not y]
        f1, at = best_f1(s, labels)
        precision, recall = precision_recall(s, labels)
        rows.append(
            [name, f"{auc(pos, neg):.4f}", f"{f1:.3f} (at {at:.2f})", f"{precision:.3f}",
             f"{recall:.3f}", f"{times[name]:.1f}"]
        )  # fmt: skip
    head = ["matcher", "ROC AUC", "best F1", "precision @0.7", "recall @0.7", "time (s)"]
    print(markdown_table(head, rows))
    names = list(scores)
    cell = [f"{n}: AUC / accepted @0.7 / orderings wrong" for n in names]
    print("\nSame person, by kind of variation (against every negative):\n")
    print(markdown_table(["kind", "pairs", *cell], _group_rows(pairs, scores, _kind, True)))
    print("\nDifferent people, by kind (every positive against them; share wrongly accepted):\n")
    print(markdown_table(["kind", "pairs", *cell], _group_rows(pairs, scores, _kind, False)))
    print("\nBy script of the non-Latin side (positives of the script against every negative):\n")
    print(markdown_table(["script", "pairs", *cell], _group_rows(pairs, scores, _script, True)))
    print("\nBy list (positives of the list against every negative):\n")
    print(markdown_table(["source", "pairs", *cell], _group_rows(pairs, scores, _source, True)))


def surname_first(name: str) -> str:
    """`Zoran Dragovic` as a list writes it, `DRAGOVIC, Zoran` (Latin names of two words up)."""
    words = name.split()
    if len(words) < 2 or not name.isascii():
        return name
    return f"{words[-1].upper()}, {' '.join(words[:-1])}"


def _kind(p: Pair) -> str:
    return p.kind


def _script(p: Pair) -> str:
    return p.script


def _source(p: Pair) -> str:
    return p.source


if __name__ == "__main__":
    main()
