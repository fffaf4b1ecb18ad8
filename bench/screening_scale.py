"""Screening at scale: a persistent index over synthetic holdings of 10,000 to 1,000,000 records.

Holdings and travellers come from ``scale_world.py`` (the demo world's name tables and owners'
habits). For each size, three stages run as separate processes so that memory and restart
times are the real ones:

1. ``generate`` (not timed): the holdings, written once as JSON lines under ``--workdir``
   and reused by later runs;
2. ``build``: read the holdings, index them (features, keys, columns), publish the index to
   disk (``IndexStore``); wall time, CPU time and peak resident memory;
3. ``screen``: a fresh process loads the published index (the restart), screens every
   traveller one by one (single-query latency, p50 / p99), then the whole batch on two worker
   processes (throughput), and measures accuracy at ``screen``'s default threshold 0.5:
   listed travellers whose own record is among the matches, innocent travellers with any
   match. Candidate recall on a sample of travellers: the share of the records the full model
   scores >= 0.5 that reach scoring. The reference is every record (brute force) up to
   ``--brute-max`` records, above that every record sharing an exact key with the traveller
   (a name part's plain or year-joined keys, a document, a full birth date) with no cap and
   no cheap score, on ``--recall-sample`` travellers. Then the throughput a PIU needs: a
   batch of ``--batch`` other travellers (20,000: a busy airport's day is tens of thousands)
   on ``--workers`` forked processes, their start-up timed apart from the screening, checked
   against the same travellers one by one. Batches are screened as ``ftfhub screen`` screens
   a file (``ScreeningIndex.screen_many``: each span's keys looked up at once), with the
   collector's full passes rare (``index/pace.py``); one by one (``screen``) at its default
   pace, as the server answers ``POST /match``.

Beside it, the same run's brute-force fuzzy baseline: rapidfuzz ``token_sort_ratio`` of each
traveller's names against every holdings name (``process.cdist``, two workers), at 0.9, on a
sample of travellers (``--baseline-sample``).

    python bench/screening_scale.py --sizes 10000,100000
    nice -n 10 python bench/screening_scale.py --sizes 1000000 --baseline-sample 100
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import multiprocessing
import os
import pickle
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

THRESHOLD = 0.5


def normalise(name: str) -> str:
    """Unidecoded, lower-case, punctuation to spaces (as ``common.normalise``, without the
    retrieval's dependencies)."""
    import re

    from unidecode import unidecode

    return re.sub(r"[^0-9a-z]+", " ", unidecode(name).lower()).strip()


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(size: int, path: Path, seed: int, workers: int = 2) -> None:
    """Write the holdings, the chunks shared out over `workers` processes."""
    context = multiprocessing.get_context("fork")
    parts = [path.with_suffix(f".part{k}") for k in range(workers)]
    with context.Pool(workers) as pool:
        pool.starmap(_generate_part, [(size, p, seed, k, workers) for k, p in enumerate(parts)])
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        for part in parts:
            handle.write(part.read_bytes())
            part.unlink()
    tmp.rename(path)


def _generate_part(size: int, path: Path, seed: int, part: int, parts: int) -> None:
    from ftfhub.index import payload
    from scale_world import holdings

    with path.open("wb") as handle:
        for key, owner, record in holdings(size, seed, part, parts):
            handle.write(f"{key}\t{owner}\t".encode() + payload.encode(record) + b"\n")


def cached_travellers(args: argparse.Namespace, size: int) -> list[Any]:
    """The travellers of this size (regenerating the listed people is the slow part at a
    million: cached beside the holdings for the other stages)."""
    from scale_world import travellers

    path = args.holdings.with_name(f"travellers-{size}-{args.listed}-{args.innocents}.pickle")
    if path.exists():
        found: list[Any] = pickle.loads(path.read_bytes())
        return found
    crowd = travellers(size, args.listed, args.innocents, args.seed)
    path.write_bytes(pickle.dumps(crowd))
    return crowd


def read_holdings(path: Path) -> Any:
    from ftfhub.index import payload

    with path.open("rb") as handle:
        for line in handle:
            key, owner, raw = line.rstrip(b"\n").split(b"\t", 2)
            yield key.decode(), owner.decode(), payload.decode(key.decode(), raw)


def stage_build(args: argparse.Namespace) -> dict[str, Any]:
    from ftfhub.index import ScreeningIndex
    from ftfhub.index.store import IndexStore

    start, cpu = time.perf_counter(), time.process_time()
    index = ScreeningIndex(keep_features=False)
    for key, owner, record in read_holdings(args.holdings):
        index.add(key, record, owner)
    built = time.perf_counter() - start
    folder = IndexStore(args.index).publish(index)
    size = sum(f.stat().st_size for f in folder.iterdir())
    return {
        "records": len(index),
        "build_s": time.perf_counter() - start,
        "index_s": built,
        "build_cpu_s": time.process_time() - cpu,
        "build_rss_mib": rss_mib(),
        "disk_mib": size / 2**20,
    }


_INDEX: Any = None
_QUERIES: list[Any] = []  # the batch, set before the workers fork (nothing is pickled to them)


def _screen_chunk(queries: list[Any]) -> list[list[str]]:
    from ftfhub.index.pace import batch_pace

    with batch_pace():  # as `ftfhub screen` screens a file
        found = _INDEX.screen_many(queries, limit=10, threshold=THRESHOLD)
        return [[m.key for m in matches] for matches in found]


_BARRIER: Any = None  # every worker waits here once: all of them are up when it opens


def _ready(_: int) -> int:
    _BARRIER.wait(timeout=600)
    return os.getpid()


def _screen_span(span: tuple[int, int]) -> tuple[list[list[str]], float]:
    """Screen `_QUERIES[start:end]`; the keys matched per traveller, and the CPU seconds."""
    from ftfhub.index.pace import batch_pace

    cpu = time.process_time()
    with batch_pace():  # as `ftfhub screen` screens a file
        batch = _INDEX.screen_many(_QUERIES[span[0] : span[1]], limit=10, threshold=THRESHOLD)
        found = [[m.key for m in matches] for matches in batch]
    return found, time.process_time() - cpu


def throughput(index: Any, args: argparse.Namespace) -> dict[str, Any]:
    """A larger batch (``--batch`` travellers, a flight day's worth rather than a sample) on
    ``--workers`` forked processes sharing the loaded index: the start-up (forking and every
    worker answering) timed apart from the screening, names analysed afresh and no record's
    features cached. Checked against the same travellers one by one in this process, which
    gives the one-process CPU rate too."""
    from ftfhub.index.pace import batch_pace
    from ftfhub.matching.features import clear_caches
    from scale_world import travellers

    global _QUERIES, _BARRIER
    path = args.holdings.with_name(f"batch-{len(index)}-{args.batch}.pickle")
    if path.exists():
        crowd = pickle.loads(path.read_bytes())
    else:
        crowd = travellers(len(index), args.listed, args.batch - args.listed, args.seed + 1)
        path.write_bytes(pickle.dumps(crowd))
    _QUERIES = [t.record for t in crowd]
    clear_caches()
    index.forget_features()
    # Small spans, handed out as workers free up, so that the workers end together: the
    # slowest tenth of travellers take 70 % of the time, and at a span of 1/16 of the batch
    # one worker could wait a quarter of a second for the other's last span.
    step = max(1, len(_QUERIES) // (args.workers * 32))
    spans = [(k, min(k + step, len(_QUERIES))) for k in range(0, len(_QUERIES), step)]
    context = multiprocessing.get_context("fork")
    _BARRIER = context.Barrier(args.workers)
    start = time.perf_counter()
    with context.Pool(args.workers) as pool:
        pids = set(pool.map(_ready, range(args.workers), chunksize=1))
        started = time.perf_counter()
        parts = pool.map(_screen_span, spans, chunksize=1)
        done = time.perf_counter()
    batched = [found for part, _ in parts for found in part]
    out: dict[str, Any] = {
        "big_batch": len(_QUERIES),
        "big_workers": len(pids),
        "big_startup_s": started - start,
        "big_wall_s": done - started,
        "big_rate": len(_QUERIES) / (done - started),
        "big_rate_with_startup": len(_QUERIES) / (done - start),
        "big_cpu_rate": len(_QUERIES) / sum(cpu for _, cpu in parts),
        "big_matched": sum(1 for found in batched if found),
    }
    clear_caches()
    index.forget_features()
    cpu = time.process_time()
    with batch_pace():
        single = [[m.key for m in index.screen(q, 10, THRESHOLD)] for q in _QUERIES]
    out["big_single_cpu_rate"] = len(_QUERIES) / (time.process_time() - cpu)
    assert batched == single, "the batch on workers differs from one by one"
    return out


def stage_screen(args: argparse.Namespace) -> dict[str, Any]:
    global _INDEX
    from ftfhub.index.store import IndexStore
    from ftfhub.matching.features import clear_caches

    start, cpu = time.perf_counter(), time.process_time()
    index = IndexStore(args.index).load()
    assert index is not None, "no index published"
    gc.collect()
    gc.freeze()  # as the server does after loading
    out: dict[str, Any] = {"load_s": time.perf_counter() - start}
    out["load_cpu_s"] = time.process_time() - cpu
    out["load_rss_mib"] = rss_mib()
    crowd = cached_travellers(args, len(index))
    # One by one: the latency an analyst or an API call sees (first query warms caches;
    # every traveller's names are analysed afresh).
    latencies, results = [], []
    index.screen(crowd[0].record, limit=10, threshold=THRESHOLD)
    clear_caches()
    start, cpu = time.perf_counter(), time.process_time()
    for traveller in crowd:
        t0 = time.perf_counter()
        results.append([m.key for m in index.screen(traveller.record, 10, THRESHOLD)])
        latencies.append(time.perf_counter() - t0)
    out["single_rate"] = len(crowd) / (time.perf_counter() - start)
    out["single_cpu_rate"] = len(crowd) / (time.process_time() - cpu)
    latencies.sort()
    out["p50_ms"] = 1000 * latencies[len(latencies) // 2]
    out["p99_ms"] = 1000 * latencies[int(len(latencies) * 0.99)]
    out["stats"] = {k: v / max(index.stats["queries"], 1) for k, v in index.stats.items()}
    # The batch on worker processes sharing the loaded index (fork: copy on write), names
    # analysed afresh there too.
    _INDEX = index
    clear_caches()
    records = [t.record for t in crowd]
    chunks = [records[k :: args.workers] for k in range(args.workers)]
    context = multiprocessing.get_context("fork")
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with context.Pool(args.workers) as pool:
        parts = pool.map(_screen_chunk, chunks)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    batched = [None] * len(records)
    for k, part in enumerate(parts):
        batched[k :: args.workers] = part
    out["batch_cpu_s"] = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    out["batch_rate"] = len(records) / wall
    assert batched == results
    listed = [(t, r) for t, r in zip(crowd, results, strict=True) if t.listed_key]
    innocent = [r for t, r in zip(crowd, results, strict=True) if not t.listed_key]
    out["listed"] = len(listed)
    out["listed_found"] = sum(t.listed_key in r for t, r in listed) / max(len(listed), 1)
    out["innocents"] = len(innocent)
    out["innocents_hit"] = sum(1 for r in innocent if r)
    out["explained"] = explain_errors(index, crowd, results)
    out.update(candidate_recall(index, crowd, args))
    out.update(throughput(index, args))
    return out


def explain_errors(index: Any, crowd: list[Any], results: list[list[str]]) -> list[str]:
    """One line per listed traveller missed (the model's terms against their own record) and
    per innocent traveller matched (against the best match): what the curve's errors are."""
    from ftfhub.matching.features import record_features

    lines = []
    for traveller, found in zip(crowd, results, strict=True):
        listed = traveller.listed_key
        if (listed and listed in found) or (not listed and not found):
            continue
        key = listed or found[0]
        features = record_features(traveller.record)
        full = index.compare(features, index.positions[key])
        terms = "; ".join(
            f"{t['detail']} {float(str(t['weight'])):+.2f}"
            for t in full.explanation()
            if t["feature"] != "name" or t["level"] != "names"
        )
        names = " / ".join(n.full for n in traveller.record.names[:1])
        theirs = " / ".join(n.full for n in index.record(key).names)
        what = "listed missed" if listed else "innocent matched"
        lines.append(
            f"{what}: {names} ~ {theirs} ({key}): score {full.score:.3f}, "
            f"{full.weight:+.2f} bits: {terms}"
        )
    return lines


def candidate_recall(index: Any, crowd: list[Any], args: argparse.Namespace) -> dict[str, Any]:
    """Share of the full model's matches (>= THRESHOLD) that the index scores, on a sample of
    travellers (two thirds listed, where the matches are), on worker processes."""
    listed = [t for t in crowd if t.listed_key]
    innocent = [t for t in crowd if not t.listed_key]
    take = min(args.recall_sample * 2 // 3, len(listed))
    sample = listed[:take] + innocent[: args.recall_sample - take]
    context = multiprocessing.get_context("fork")
    chunks = [sample[k :: args.workers] for k in range(args.workers)]
    with context.Pool(args.workers) as pool:
        parts = pool.starmap(_recall_chunk, [(c, len(index) <= args.brute_max) for c in chunks])
    expected = sum(e for e, _, _, _ in parts)
    reached = sum(r for _, r, _, _ in parts)
    return {
        "recall_lost": [line for _, _, _, lost in parts for line in lost],
        "recall": reached / expected if expected else 1.0,
        "recall_matches": expected,
        "recall_queries": len(sample),
        "recall_scored": sum(n for _, _, n, _ in parts) / max(len(sample), 1),
        "recall_reference": "all records"
        if len(index) <= args.brute_max
        else "all key-sharing records",
    }


def _recall_chunk(sample: list[Any], brute: bool) -> tuple[int, int, int, list[str]]:
    """(model matches, of them reached by the index, records fully scored, a line per match
    lost: `lost_match`) for `sample`.

    The reference pool is every record (brute force) or every record sharing an exact key
    with the traveller (a name part's plain or year-joined keys, uncapped; a document; a full
    birth date). Records whose model weight cannot reach the threshold even with the most a
    name can weigh (the model's cap, and the other terms from the record's own columns,
    each at its best) are left out before full scoring: that bound uses no name key."""
    import numpy as np

    from ftfhub.index.columns import QueryCells, cheap_weights
    from ftfhub.index.keys import other_keys, query_part_keys, query_years
    from ftfhub.index.together import query_keys
    from ftfhub.matching.features import record_features

    index = _INDEX
    floor = math.log2(THRESHOLD / (1 - THRESHOLD))
    live = np.frombuffer(index.columns.data["live"], dtype=np.uint8)
    every = np.flatnonzero(live).astype(np.int32)
    expected = reached = scored = 0
    lost: list[str] = []
    for traveller in sample:
        features = record_features(traveller.record)
        if brute:
            pool = every
        else:
            years = query_years(features)
            keys = [
                k
                for i, n in enumerate(features.names)
                for p in query_part_keys(i, n, years)
                for k in (*p.plain, *p.joined)
            ]
            docs, dobs = other_keys(features)
            found = index.postings.lookup([*keys, *docs, *dobs])
            pool = np.unique(np.concatenate([*found, np.zeros(0, np.int32)]))
            pool = pool[live[pool] == 1]
        kinds = {n.kunya for n in features.names}
        p = index.scoring
        most = p.max_name_weight * (1 + p.second_name_factor if len(kinds) > 1 else 1)
        shared_doc = np.isin(
            pool,
            np.concatenate(
                [*index.postings.lookup(other_keys(features)[0]), np.zeros(0, np.int32)]
            ),
        )
        bound = cheap_weights(
            QueryCells.of(features), index.columns, pool, np.full(len(pool), most), shared_doc, p
        )
        pool = pool[bound >= floor]
        scored += len(pool)
        reach = set(index.candidates(features, THRESHOLD).tolist())
        shared = query_keys(features)
        for position in pool.tolist():
            full = index.compare(features, position, shared, explain=False)
            if full.score >= THRESHOLD:
                expected += 1
                reached += position in reach
                if position not in reach:
                    lost.append(lost_match(index, traveller.record, features, position, full))
    return expected, reached, scored, lost


def lost_match(index: Any, record: Any, features: Any, position: int, full: Any) -> str:
    """Why the index did not score a match the full model finds: the traveller's part keys
    with their postings (capped: over the index's `key_cap`, not read), the keys the record
    shares with the traveller, and how it could have been found."""
    from ftfhub.index.keys import other_keys, query_part_keys, query_years, record_keys

    theirs = record_keys(index.features(position))
    years = query_years(features)
    parts = []
    for i, name in enumerate(features.names):
        for p in query_part_keys(i, name, years):
            keys = [*p.plain, *p.joined, *p.loose]
            sizes = dict(zip(keys, index.postings.sizes(keys), strict=True))
            plain = ",".join(
                f"{k}:{sizes[k]}{' capped' if sizes[k] > index.key_cap else ''}" for k in p.plain
            )
            shared = [k for k in keys if k in theirs]
            parts.append(f"{name.parts[p.part_index].freq_key} [{plain}] shares {shared or '-'}")
    docs, dobs = other_keys(features)
    by = [k for k in (*docs, *dobs) if k in theirs]
    names = " / ".join(n.full for n in record.names[:1])
    found = " / ".join(n.full for n in index.record(index.keys[position]).names)
    return (
        f"{names} ~ {found} ({index.keys[position]}): score {full.score:.3f}; "
        f"found by {by or 'no document or birth date'}; parts: {'; '.join(dict.fromkeys(parts))}"
    )


def stage_baseline(args: argparse.Namespace) -> dict[str, Any]:
    """rapidfuzz token_sort_ratio of every traveller name against every holdings name."""
    import numpy as np
    from rapidfuzz import fuzz, process

    names: list[str] = []
    owner_of: list[str] = []
    for key, _, record in read_holdings(args.holdings):
        for name in dict.fromkeys(normalise(n.full) for n in record.names):
            names.append(name)
            owner_of.append(key)
    crowd = cached_travellers(args, args.size)
    step = max(1, len(crowd) // args.baseline_sample)
    sample = crowd[::step][: args.baseline_sample]
    queries = [normalise(t.record.names[0].full) for t in sample]
    keys = np.array(owner_of)
    start = time.perf_counter()
    scores = process.cdist(
        queries,
        names,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=90,
        workers=args.workers,
        dtype=np.uint8,
    )
    seconds = time.perf_counter() - start
    listed = [(t, row) for t, row in zip(sample, scores, strict=True) if t.listed_key]
    innocent = [row for t, row in zip(sample, scores, strict=True) if not t.listed_key]
    return {
        "baseline_rate": len(sample) / seconds,
        "baseline_queries": len(sample),
        "baseline_listed_found": sum(t.listed_key in set(keys[row >= 90]) for t, row in listed)
        / max(len(listed), 1),
        "baseline_innocents_hit": sum(1 for row in innocent if (row >= 90).any())
        / max(len(innocent), 1),
    }


def run_stage(stage: str, args: argparse.Namespace, size: int, workdir: Path) -> dict[str, Any]:
    command = [
        sys.executable,
        __file__,
        "--stage",
        stage,
        "--size",
        str(size),
        "--holdings",
        str(workdir / f"holdings-{size}.jsonl"),
        "--index",
        str(workdir / f"index-{size}"),
        *(f"--{k.replace('_', '-')}={v}" for k, v in vars(args).items() if k in PASSED),
    ]
    print(f"[{size}] {stage} …", file=sys.stderr, flush=True)
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    sys.stderr.write(done.stderr)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


PASSED = (
    "seed",
    "listed",
    "innocents",
    "recall_sample",
    "brute_max",
    "baseline_sample",
    "workers",
    "batch",
)


def table(rows: list[dict[str, Any]]) -> str:
    header = [
        "records", "build (s, wall / CPU)", "build peak RSS", "load after restart (s)",
        "batch of 2,000 travellers/s, wall (per CPU-second)",
        "big batch travellers/s, wall (with start-up; per CPU-second a worker; one process)",
        "one by one /s, wall (per CPU-second)",
        "latency p50 / p99 (ms)", "postings / candidates / fully scored per traveller",
        "candidate recall", "listed found", "innocents with any match",
        "baseline travellers/s", "baseline listed found", "baseline innocents with a match",
    ]  # fmt: skip
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for r in rows:
        travellers = r["listed"] + r["innocents"]
        one_in = r["innocents"] / max(r["innocents_hit"], 1)
        cells = [
            f"{r['records']:,}",
            f"{r['build_s']:.0f} / {r['build_cpu_s']:.0f}",
            f"{r['build_rss_mib'] / 1024:.2f} GiB",
            f"{r['load_s']:.1f}",
            f"{r['batch_rate']:,.0f} ({travellers / r['batch_cpu_s']:,.0f})",
            f"{r['big_batch']:,}: **{r['big_rate']:,.0f}** ({r['big_rate_with_startup']:,.0f} with "
            f"{r['big_startup_s']:.2f} s start-up; {r['big_cpu_rate']:,.0f}; "
            f"{r['big_single_cpu_rate']:,.0f})",
            f"{r['single_rate']:,.0f} ({r['single_cpu_rate']:,.0f})",
            f"{r['p50_ms']:.2f} / {r['p99_ms']:.2f}",
            f"{r['stats']['postings']:,.0f} / {r['stats']['candidates']:,.0f} / "
            f"{r['stats']['scored']:.2f}",
            f"{r['recall']:.3f} ({r['recall_matches']} matches of {r['recall_queries']} "
            f"travellers; {r['recall_reference']})",
            f"{r['listed_found']:.2f} of {r['listed']}",
            f"{r['innocents_hit']} of {r['innocents']} (1 in {one_in:,.0f})",
            f"{r['baseline_rate']:,.1f}",
            f"{r['baseline_listed_found']:.2f}",
            f"{r['baseline_innocents_hit']:.3f}",
        ]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/screening"))
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--listed", type=int, default=100)
    parser.add_argument("--innocents", type=int, default=1900)
    parser.add_argument("--recall-sample", type=int, default=200)
    parser.add_argument("--brute-max", type=int, default=20_000)
    parser.add_argument("--baseline-sample", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=20_000, help="travellers in the big batch")
    parser.add_argument("--reuse", action="store_true", help="reuse stages already measured")
    parser.add_argument("--stage", choices=("build", "screen", "baseline"))
    parser.add_argument("--size", type=int)
    parser.add_argument("--holdings", type=Path)
    parser.add_argument("--index", type=Path)
    args = parser.parse_args(argv)
    if args.stage:
        stages = {"build": stage_build, "screen": stage_screen, "baseline": stage_baseline}
        print(json.dumps(stages[args.stage](args)))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        path = args.workdir / f"holdings-{size}.jsonl"
        if not path.exists():
            print(f"[{size}] generating holdings …", file=sys.stderr, flush=True)
            generate(size, path, args.seed)
        row: dict[str, Any] = {}
        for stage in ("build", "screen", "baseline"):
            saved = args.workdir / f"result-{size}-{stage}.json"
            if args.reuse and saved.exists():
                result = json.loads(saved.read_text("utf-8"))
            else:
                result = run_stage(stage, args, size, args.workdir)
                saved.write_text(json.dumps(result), "utf-8")
            row.update(result)
            print(f"[{size}] {json.dumps(row)}", file=sys.stderr, flush=True)
        rows.append(row)
    print(f"Machine: {os.cpu_count()} cores; threshold {THRESHOLD}; {args.listed} listed and "
          f"{args.innocents} innocent travellers (seed {args.seed}).\n")  # fmt: skip
    print(table(rows))
    for row in rows:
        print(f"\n{row['records']:,} records:")
        for line in row.get("explained", []):
            print(f"- {line}")
        for line in row.get("recall_lost", []):
            print(f"- not scored by the index: {line}")


if __name__ == "__main__":
    main()
