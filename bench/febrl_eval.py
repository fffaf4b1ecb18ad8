"""FEBRL (the labelled linkage sets in ../shared/data/linkage/febrl/) resolved by `ftfhub.linkage`.

Each FEBRL row goes through the generic person file as any agency's file would: the name
(given + surname), the birth date, the social security number as a national-id document and
the address. Dataset 4a is linked to 4b (pairs across the two files), dataset 3 deduplicated;
pairwise precision, recall and F1 against the `rec-N` labels.

    .venv/bin/python bench/febrl_eval.py [--engine duckdb|spark] [--threshold 0.9] [--datasets 4 3]
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import logging
import sys
import time
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from ftfhub.domain import RecordData
from ftfhub.ingest.person_file import COLUMNS, read_person_file
from ftfhub.linkage import resolve

FEBRL = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "linkage" / "febrl"


def _date(text: str) -> str:
    text = text.strip()
    if len(text) != 8 or not text.isdigit():
        return ""
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:])).isoformat()
    except ValueError:  # FEBRL's typos make impossible dates; the file would refuse them
        return ""


def person_file(path: Path) -> str:
    """A FEBRL file as a generic person file (CSV text)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
    writer.writeheader()
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, skipinitialspace=True):
            name = " ".join(p for p in (row["given_name"], row["surname"]) if p.strip())
            ssn = row["soc_sec_id"].strip()
            address = " ".join(
                row[c].strip()
                for c in ("street_number", "address_1", "address_2", "suburb", "postcode", "state")
                if row[c].strip()
            )
            writer.writerow(
                {
                    "record_id": row["rec_id"].strip(),
                    "name": name or "unknown",
                    "birth_date": _date(row["date_of_birth"]),
                    "documents": f"national_id:AU:{ssn}" if ssn else "",
                    "address": address,
                }
            )
    return out.getvalue()


def records(path: Path) -> Iterator[RecordData]:
    for parsed in read_person_file(person_file(path), str(path), "watchlist"):
        if parsed.record is None:
            raise SystemExit(f"{path}: line {parsed.line}: {parsed.error}")
        yield parsed.record


def _entity(record_id: str) -> str:
    return record_id.split("-")[1]


def pairwise(
    clusters: Iterable[list[str]], truth_pairs: set[frozenset[str]], keep: object
) -> tuple[float, float, float]:
    predicted = {
        frozenset(p)
        for members in clusters
        for p in itertools.combinations(members, 2)
        if keep(p)  # type: ignore[operator]
    }
    tp = len(predicted & truth_pairs)
    precision = tp / len(predicted) if predicted else 0.0
    recall = tp / len(truth_pairs) if truth_pairs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if tp else 0.0
    return precision, recall, f1


def _truth(keys: list[str], keep: object) -> set[frozenset[str]]:
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(_entity(key.split("/")[-1]), []).append(key)
    return {frozenset(p) for g in groups.values() for p in itertools.combinations(g, 2) if keep(p)}  # type: ignore[operator]


def run(
    name: str, items: list[tuple[str, str, RecordData]], cross: bool, engine: str, threshold: float
) -> dict[str, float]:
    started = time.perf_counter()
    link_type = "link_only" if cross else "dedupe_only"
    result = resolve(items, engine=engine, threshold=threshold, link_type=link_type)
    seconds = time.perf_counter() - started

    def keep(pair: tuple[str, str]) -> bool:
        return not cross or pair[0].split("/")[0] != pair[1].split("/")[0]

    truth = _truth([k for k, _, _ in items], keep)
    precision, recall, f1 = pairwise(result.clusters, truth, keep)
    print(
        f"{name}: {len(items)} records, {len(truth)} true pairs, {len(result.edges)} scored pairs; "
        f"precision {precision:.4f} recall {recall:.4f} F1 {f1:.4f} in {seconds:.1f} s "
        f"(engine {engine}, threshold {threshold})"
    )
    return {"precision": precision, "recall": recall, "f1": f1, "seconds": seconds}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="duckdb", choices=("duckdb", "spark"))
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--datasets", nargs="*", default=["4", "3"])
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)  # Splink's notes on levels EM could not observe
    for dataset in args.datasets:
        if dataset == "4":
            items = [(f"a/{r.record_id}", "4a", r) for r in records(FEBRL / "dataset4a.csv")]
            items += [(f"b/{r.record_id}", "4b", r) for r in records(FEBRL / "dataset4b.csv")]
            run("FEBRL 4a-4b link", items, True, args.engine, args.threshold)
        else:
            path = FEBRL / f"dataset{dataset}.csv"
            items = [(r.record_id, "febrl", r) for r in records(path)]
            run(f"FEBRL {dataset} dedupe", items, False, args.engine, args.threshold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
