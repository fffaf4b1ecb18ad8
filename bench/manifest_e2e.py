"""A flight's manifest end to end through the API: `POST /manifests` with a 300-traveller
PAXLST (``airline_parse.paxlst``) or the manifest CSV, against a hub of ``--records``
synthetic records (``api_load.py``'s database): parse, store as the PIU's travel Records,
screen every traveller against the other agencies, raise hits, answer. Median of ``--runs``
fresh flights (each run's travellers are new records)."""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--travellers", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/api"))
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from airline_parse import paxlst
    from api_load import ensure_hub
    from ftfhub.api import create_app
    from ftfhub.services import Database

    url, token = ensure_hub(args.records, args.workdir)
    app = create_app(Database(url), escalate_every=0)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "text/plain"}
    times = []
    with TestClient(app) as client:
        while client.get("/ready").status_code != 200:
            time.sleep(0.5)
        for run in range(args.runs):
            body = paxlst(args.travellers).replace("SURNAME", f"SURNAME{run}Q")
            start = time.perf_counter()
            answer = client.post("/manifests", content=body.encode(), headers=headers)
            times.append(time.perf_counter() - start)
            assert answer.status_code == 200, answer.text
            result = answer.json()
    print(
        f"| records | travellers | added (last run) | hits raised (last run) | median s | runs |\n"
        f"| --- | --- | --- | --- | --- | --- |\n"
        f"| {args.records:,} | {result['travellers']} | {result['added']} | "
        f"{result['hits_raised']} | {statistics.median(times):.2f} | {args.runs} |"
    )


if __name__ == "__main__":
    main()
