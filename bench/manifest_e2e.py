"""A flight's manifest end to end through the API: `POST /manifests` with 300 travellers
(``scale_world.travellers``, as a person file of travel rows), against a hub of
``--records`` synthetic records (``api_load.py``'s database): parse, store as the PIU's
travel Records, screen every traveller against the other agencies, raise hits, answer.
Median of ``--runs`` fresh flights (each run's travellers are new records).

``--profile`` also says where the server's CPU went, stage by stage (the median run's
CPU seconds in the thread that loads the manifest, from ``cProfile`` on ``time.thread_time``):
parsing the body, planning against the store (which rows are new, changed or unchanged, and
the store's state), screening every traveller, storing the rows, raising hits and writing the
audit events — and how many travel records the uploading agency already held, since what
grows with them is what to watch.

    python bench/manifest_e2e.py --records 1000000 --runs 5 --profile"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


# (module, function) → stage of a manifest's load; cumulative CPU of each, so a stage's
# figure includes what it calls (hit raising includes its reads of the matched rows).
STAGES = {
    ("ftfhub/ingest/detect.py", "parse_file"): "parse (decode, read every traveller)",
    ("ftfhub/services/ingest.py", "_read_rows"): "parse (decode, read every traveller)",
    ("ftfhub/services/ingest_plan.py", "snapshot"): "plan against the store",
    ("ftfhub/services/ingest_plan.py", "screen"): "screen every traveller",
    ("ftfhub/services/ingest.py", "apply"): "under the write lock: store, raise hits, audit",
    ("ftfhub/services/ingest_plan.py", "store_rows"): "- of which: store the rows",
    ("ftfhub/services/hit_raising.py", "raise_for_rows"): "- of which: raise hits",
    ("ftfhub/audit/chain.py", "record_events"): "- of which: write the audit events",
    ("ftfhub/services/ingest_plan.py", "records_state"): "the store's state (plan, then lock)",
}


def profiled(target: Any, name: str, found: list[cProfile.Profile]) -> Callable[..., Any]:
    """`target.name` wrapped to profile each call in the thread that makes it."""
    original = getattr(target, name)

    def run(*args: Any, **kwargs: Any) -> Any:
        profile = cProfile.Profile(time.thread_time)
        profile.enable()
        try:
            return original(*args, **kwargs)
        finally:
            profile.disable()
            found.append(profile)

    setattr(target, name, run)
    return original


def stages(profile: cProfile.Profile) -> dict[str, float]:
    """CPU seconds a stage took (cumulative), by stage, in the order of `STAGES`."""
    table = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    spent = dict.fromkeys(STAGES.values(), 0.0)
    total = 0.0
    for (file, _, function), (_, _, _, cumulative, _) in table.items():
        path = file.replace("\\", "/")
        named = [v for (m, f), v in STAGES.items() if path.endswith(m) and f == function]
        stage = named[0] if named else None
        if stage is not None:
            spent[stage] += cumulative
        if function == "ingest_file" and path.endswith("ftfhub/services/ingest.py"):
            total = cumulative
    spent["the whole load (ingest_file)"] = total
    return spent


def held_travel(url: str) -> int:
    """Current travel records of the bench's PIU (they grow by every flight posted)."""
    from sqlalchemy import create_engine, func, select

    from ftfhub.store.models import Record

    engine = create_engine(url)
    with engine.connect() as connection:
        stmt = select(func.count()).where(Record.kind == "travel", Record.superseded.is_(False))
        count = int(connection.execute(stmt).scalar() or 0)
    engine.dispose()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--travellers", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=time.time_ns() % 100_000, help="new flights")
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/api"))
    parser.add_argument("--profile", action="store_true", help="CPU seconds by stage")
    args = parser.parse_args()
    from fastapi.testclient import TestClient

    from api_load import ensure_hub
    from ftfhub.api import create_app
    from ftfhub.services import Database

    url, token = ensure_hub(args.records, args.workdir)
    held = held_travel(url)
    profiles: list[cProfile.Profile] = []
    if args.profile:
        import ftfhub.api.routes

        profiled(ftfhub.api.routes, "_load_manifest", profiles)
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
        f"| records | travel records held before | travellers | added (last run) | "
        f"median s (wall) | median CPU s | runs |\n| --- | --- | --- | --- | --- | --- | --- |\n"
        f"| {args.records:,} | {held:,} | {result['travellers']} | {result['added']} | "
        f"{statistics.median(times):.2f} | {statistics.median(cpus):.2f} | {args.runs} |"
    )
    if profiles:
        median = sorted(profiles, key=lambda p: stages(p)["the whole load (ingest_file)"])
        spent = stages(median[len(median) // 2])
        print("\n| stage (median run, profiled) | CPU s |\n| --- | --- |")
        for stage, seconds in spent.items():
            print(f"| {stage} | {seconds:.3f} |")


if __name__ == "__main__":
    main()
