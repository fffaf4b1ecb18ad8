"""A flight's manifest end to end through the API: `POST /manifests` with 300 travellers
(``scale_world.travellers``, as a person file of travel rows), against a hub of
``--records`` synthetic records (``api_load.py``'s database): parse, store as the PIU's
travel Records, screen every traveller against the other agencies, raise hits, answer.
Median of ``--runs`` fresh flights (each run's travellers are new records)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))


def manifest_csv(records: int, count: int, seed: int) -> str:
    """A flight of `count` travellers from the benchmark's generator (a few of them listed),
    as a person file of travel rows."""
    import csv
    import io

    from api_load import QUERY_POOL
    from scale_world import travellers

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["record_id", "name", "birth_date", "nationality", "gender", "documents"])
    for n, t in enumerate(travellers(min(records, QUERY_POOL), 5, count - 5, seed)[:count]):
        r = t.record
        docs = "|".join(f"passport:{d.country}:{d.number}" for d in r.documents)
        born = r.birth_dates[0].iso() if r.birth_dates else ""
        row = [f"S{seed}-{n:03d}", r.names[0].full, born, "|".join(r.nationalities)]
        writer.writerow([*row, r.gender or "", docs])
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--travellers", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=time.time_ns() % 100_000, help="new flights")
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/api"))
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from api_load import ensure_hub
    from ftfhub.api import create_app
    from ftfhub.services import Database

    url, token = ensure_hub(args.records, args.workdir)
    app = create_app(Database(url), escalate_every=0)
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": "text/csv",
        "X-Purpose": "flight check",
    }
    times, cpus = [], []
    with TestClient(app) as client:
        while client.get("/ready").status_code != 200:
            time.sleep(0.5)
        for run in range(args.runs):
            body = manifest_csv(args.records, args.travellers, seed=args.seed + run)
            start, cpu = time.perf_counter(), time.process_time()
            answer = client.post("/manifests", content=body.encode(), headers=headers)
            times.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
            assert answer.status_code == 200, answer.text
            result = answer.json()
    print(
        f"| records | travellers | added (last run) | median s (wall) | median CPU s | runs |\n"
        f"| --- | --- | --- | --- | --- | --- |\n"
        f"| {args.records:,} | {result['travellers']} | {result['added']} | "
        f"{statistics.median(times):.2f} | {statistics.median(cpus):.2f} | {args.runs} |"
    )


if __name__ == "__main__":
    main()
