"""Real-list evaluation: find a listed person from a held-out alias, at a fixed false-hit rate.

Data: the OFAC SDN 2021 non-terror individuals as a generic person file (``--data``; default
``../shared/data/watchlists/ofac_sdn_2021_non_terror.csv`` beside the repository).

Protocol:
- every person with at least one alias gives one held-out query: their LAST alias, name only
  (no birth date, no nationality);
- the reference holdings are every person with their remaining names (primary name and other
  aliases), birth date and nationality;
- innocents: 3,000 look-alike ``SURNAME, Given`` queries recombined from the list's own names,
  seeded, with the list's token counts (``--innocent-style tokens``, the default: each token drawn
  on its own; ``parts``: whole surname part of one person, whole given names of another), any
  equal to an existing name (same tokens in any order) dropped;
- per matcher, the threshold at which at most 0.2 % (and 1 %) of innocents raise any hit, and
  hit@1 there: the right person ranked first, strictly above every other candidate, and scoring at
  least the threshold.

ftfhub screens the whole holdings with its own ``ScreeningIndex``; the baseline and the peer
score the top ``--top-k`` persons of a shared trigram TF-IDF retrieval (see ``common.py``).
Prints a markdown table for ``docs/benchmarks.md`` on stdout, progress on stderr.

    python bench/watchlist_eval.py [--matchers ftfhub,baseline,peer] [--limit N] [--data CSV]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from common import (
    SHARED_DATA,
    PairScorer,
    Ranked,
    Row,
    TrigramRetriever,
    evaluate_budgets,
    format_threshold,
    hit_at_1,
    is_top1,
    markdown_table,
    normalise,
    rank_all,
    read_person_csv,
    row_names,
    split_multi,
    top_score,
)
from matchers import run_matchers

DEFAULT_DATA = SHARED_DATA / "watchlists" / "ofac_sdn_2021_non_terror.csv"
MATCHERS = ("ftfhub", "baseline", "peer")
KEEP = ("record_id", "name", "aliases", "birth_date", "nationality")
"""Columns the reference holdings keep: names, birth date, nationality."""


@dataclass
class Holdings:
    """The reference holdings, the held-out alias queries with their persons, the innocents."""

    references: list[Row]
    queries: list[Row]
    truths: list[str]
    innocents: list[Row]


@dataclass
class Run:
    """One matcher's rankings of the held-out queries and the innocents."""

    name: str
    held_out: list[Ranked]
    innocents: list[Ranked]
    seconds: float
    note: str = ""


def hold_out(rows: Sequence[Row]) -> tuple[list[Row], list[Row], list[str]]:
    """References (last alias removed) and one name-only query per person with an alias."""
    references: list[Row] = []
    queries: list[Row] = []
    truths: list[str] = []
    for row in rows:
        ref = {key: row.get(key, "") for key in KEEP}
        aliases = split_multi(row.get("aliases"))
        if aliases:
            ref["aliases"] = "|".join(aliases[:-1])
            queries.append({"record_id": f"held-{row['record_id']}", "name": aliases[-1]})
            truths.append(row["record_id"])
        references.append(ref)
    return references, queries, truths


def split_name(name: str) -> tuple[str, str]:
    """``SURNAME, Given`` (OFAC) or ``Given SURNAME`` (UK HMT: the trailing capitals) ->
    (surname part, given part); neither -> (name, "")."""
    if "," in name:
        surname, _, given = name.partition(",")
        return surname.strip(), given.strip()
    words = name.split()
    k = len(words)
    while k > 0 and words[k - 1].isupper():
        k -= 1
    if 0 < k < len(words):
        return " ".join(words[k:]), " ".join(words[:k])
    return name.strip(), ""


def name_key(name: str) -> str:
    """Normalised tokens in sorted order: equal keys are the same name in any order."""
    return " ".join(sorted(normalise(name).split()))


def make_innocents(rows: Sequence[Row], count: int, seed: int, style: str = "tokens") -> list[Row]:
    """``count`` look-alike queries recombined from the list's own names, in its own form.

    A listed name (primary or alias) is drawn as a template for the token counts of its surname
    part and its given-name part, so the joint token-count distribution is the list's own. Then:

    - ``parts``: the surname part is taken whole from a listed name whose surname part has that
      many tokens, the given-name part whole from another person's name with that many given
      names (``TREVINO MORALES, Roman``: real compound surnames, real given-name runs);
    - ``tokens``: every token is drawn on its own from all surname (given-name) tokens of the
      list (``OREJUELA PAVLOV, Carlos``): looser, easier look-alikes.

    Any result equal to a listed name (token order ignored) is dropped, as are repeats.
    """
    rng = random.Random(seed)
    parts = [
        (person, *split_name(name)) for person, row in enumerate(rows) for name in row_names(row)
    ]
    parts = [(person, surname, given) for person, surname, given in parts if surname and given]
    surnames: dict[int, list[tuple[int, str]]] = defaultdict(list)
    givens: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for person, surname, given in parts:
        surnames[len(surname.split())].append((person, surname))
        givens[len(given.split())].append((person, given))
    surname_tokens = [t for _, surname, _ in parts for t in surname.split()]
    given_tokens = [t for _, _, given in parts for t in given.split()]
    existing = {name_key(name) for row in rows for name in row_names(row)}
    # Innocents are written the way the list writes names, so no form tells them apart.
    comma_form = sum("," in row["name"] for row in rows) * 2 > len(rows)
    seen: set[str] = set()
    innocents: list[Row] = []
    for _ in range(count * 50):
        if len(innocents) >= count:
            break
        _, template_surname, template_given = rng.choice(parts)
        n_surname, n_given = len(template_surname.split()), len(template_given.split())
        if style == "tokens":
            surname = " ".join(rng.choice(surname_tokens) for _ in range(n_surname))
            given = " ".join(rng.choice(given_tokens) for _ in range(n_given))
        else:
            a, surname = rng.choice(surnames[n_surname])
            b, given = rng.choice(givens[n_given])
            if a == b:
                continue
        name = f"{surname}, {given}" if comma_form else f"{given} {surname}"
        key = name_key(name)
        if key in existing or key in seen:
            continue
        seen.add(key)
        innocents.append({"record_id": f"innocent-{len(innocents) + 1:05d}", "name": name})
    return innocents


def load_holdings(path: Path, innocents: int, seed: int, limit: int, style: str) -> Holdings:
    """Read the list and build the protocol; ``limit`` samples that many queries of each kind."""
    rows = read_person_csv(path)
    references, queries, truths = hold_out(rows)
    look_alikes = make_innocents(rows, innocents, seed, style)
    if limit:
        picked = sorted(random.Random(seed).sample(range(len(queries)), min(limit, len(queries))))
        queries = [queries[i] for i in picked]
        truths = [truths[i] for i in picked]
        look_alikes = look_alikes[:limit]
    return Holdings(references, queries, truths, look_alikes)


def progress(label: str, total: int) -> Callable[[int], None]:
    """A stderr progress reporter every 10 % of ``total``."""
    step = max(1, total // 10)

    def report(done: int) -> None:
        if done % step == 0 or done == total:
            print(f"  {label}: {done}/{total}", file=sys.stderr, flush=True)

    return report


def run_pairs(
    scorer: PairScorer, name: str, holdings: Holdings, retrieved: list[list[int]], note: str
) -> Run:
    """Score the retrieved candidates of every held-out query and innocent with ``scorer``."""
    queries = holdings.queries + holdings.innocents
    start = time.perf_counter()
    ranked = rank_all(scorer, queries, holdings.references, retrieved, progress(name, len(queries)))
    seconds = time.perf_counter() - start
    split = len(holdings.queries)
    return Run(name, ranked[:split], ranked[split:], seconds, note)


def run_ftfhub(holdings: Holdings, limit: int) -> Run:
    """Screen every query over the whole holdings with ftfhub's ``ScreeningIndex``."""
    from ftfhub.index import ScreeningIndex
    from ftfhub.ingest.person_file import record_from_row

    start = time.perf_counter()
    refs = holdings.references
    index = ScreeningIndex.build(
        [(row["record_id"], record_from_row(row, i + 2)) for i, row in enumerate(refs)]
    )
    built = time.perf_counter() - start
    queries = holdings.queries + holdings.innocents
    report = progress("ftfhub", len(queries))
    ranked: list[Ranked] = []
    for i, query in enumerate(queries):
        matches = index.screen(record_from_row(query, i + 2), limit=limit)
        found = [(m.key, float(m.score), float(m.weight)) for m in matches]
        ranked.append(sorted(found, key=lambda m: (-m[1], -m[2])))
        report(i + 1)
    seconds = time.perf_counter() - start
    split = len(holdings.queries)
    note = f"own candidates (screen limit {limit}); index build {built:.1f} s"
    return Run("ftfhub", ranked[:split], ranked[split:], seconds, note)


def recall(retrieved: Sequence[Sequence[str]], truths: Sequence[str]) -> float:
    """Fraction of queries whose true person is among their candidates."""
    kept = sum(1 for found, truth in zip(retrieved, truths, strict=True) if truth in found)
    return kept / len(truths) if truths else 0.0


def report(runs: Sequence[Run], skipped: dict[str, str], holdings: Holdings, header: str) -> str:
    """The markdown section: a setup line and one table row per matcher."""
    columns = ["matcher", "hit@1 @0.2%", "threshold @0.2%", "hit@1 @1%", "threshold @1%"]
    columns += ["top-1 (no threshold)", "time (s)", "notes"]
    rows: list[list[str]] = []
    for run in runs:
        budgets = evaluate_budgets(run.held_out, holdings.truths, run.innocents)
        top1 = sum(map(is_top1, run.held_out, holdings.truths)) / len(holdings.truths)
        cells = [run.name]
        for result in budgets:
            cells += [f"{result.hit_at_1:.3f}", format_threshold(result.threshold)]
        cells += [f"{top1:.3f}", f"{run.seconds:.1f}", run.note]
        rows.append(cells)
    for name, why in skipped.items():
        rows.append([name, "—", "—", "—", "—", "—", "—", why])
    return header + "\n\n" + markdown_table(columns, rows) + "\n\n" + calibration(runs, holdings)


CALIBRATION = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def calibration(runs: Sequence[Run], holdings: Holdings) -> str:
    """Per matcher and threshold: the share of look-alike innocents with any candidate at or
    above it (the false-hit rate an analyst would see), and hit@1 there."""
    columns = ["threshold", *(f"{run.name}: false hits / hit@1" for run in runs)]
    rows = []
    for t in CALIBRATION:
        cells = [f"{t:.2f}"]
        for run in runs:
            tops = [top_score(r) for r in run.innocents]
            false_rate = sum(1 for x in tops if x >= t) / max(len(tops), 1)
            cells.append(f"{false_rate:.4f} / {hit_at_1(run.held_out, holdings.truths, t):.3f}")
        rows.append(cells)
    return markdown_table(columns, rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--matchers", default=",".join(MATCHERS))
    parser.add_argument("--limit", type=int, default=0, help="N held-out queries and N innocents")
    parser.add_argument("--innocents", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20210707)
    parser.add_argument(
        "--innocent-style",
        choices=("tokens", "parts"),
        default="tokens",
        help="recombine whole surname/given-name parts, or single tokens",
    )
    parser.add_argument("--top-k", type=int, default=50, help="retrieved candidates per query")
    parser.add_argument("--screen-limit", type=int, default=10, help="ftfhub screen(limit=)")
    args = parser.parse_args(argv)
    wanted = [m.strip() for m in args.matchers.split(",") if m.strip()]
    unknown = sorted(set(wanted) - set(MATCHERS))
    if unknown:
        parser.error(f"unknown matcher(s) {', '.join(unknown)}; choose from {', '.join(MATCHERS)}")

    holdings = load_holdings(args.data, args.innocents, args.seed, args.limit, args.innocent_style)
    retrieval_line = ""
    retrieved: list[list[int]] = []
    if {"baseline", "peer"} & set(wanted):
        start = time.perf_counter()
        retriever = TrigramRetriever(holdings.references)
        retrieved = retriever.top(holdings.queries + holdings.innocents, args.top_k)
        took = time.perf_counter() - start
        ids = [[holdings.references[j]["record_id"] for j in found] for found in retrieved]
        ceiling = recall(ids[: len(holdings.queries)], holdings.truths)
        retrieval_line = (
            f"Baseline and peer score the top {args.top_k} persons of a character-trigram TF-IDF "
            f"retrieval ({took:.1f} s); it keeps the true person for {ceiling:.3f} of held-out "
            "queries (their ceiling)."
        )
        print(f"retrieval: ceiling {ceiling:.3f} in {took:.1f} s", file=sys.stderr)
    runs, skipped = run_matchers(
        wanted,
        lambda: run_ftfhub(holdings, args.screen_limit),
        lambda scorer, name, note: run_pairs(scorer, name, holdings, retrieved, note),
    )

    header = (
        f"{args.data.name}: {len(holdings.references)} persons in the "
        f"holdings, {len(holdings.queries)} held-out last-alias queries (name only), "
        f"{len(holdings.innocents)} innocents recombined from the list's {args.innocent_style} "
        f"(seed {args.seed}). {retrieval_line}"
    )
    print(report(runs, skipped, holdings, header.strip()))


if __name__ == "__main__":
    main()
