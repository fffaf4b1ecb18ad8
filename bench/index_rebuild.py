"""The screening index built from the hub's own database, as `ftfhub serve` or the CLI
builds it when there is none on disk or it was made by another model version (after an
upgrade): every current Record read from the store and indexed, then published.

``screening_scale.py`` measures the index built from the holdings file; this measures the
product's path from the store. It copies the bench hub of ``api_load.py`` (built there if
missing) without its index into a scratch folder, then, in a fresh process, opens the index
through the services (`index_access.open_index`) and reports wall clock, CPU and the
process's peak resident memory.

    python bench/index_rebuild.py --records 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))


def rebuild(url: str) -> dict[str, float]:
    """Open (build and publish) the index of the database at `url`, in this process."""
    from ftfhub.services import Database
    from ftfhub.services.index_access import open_index

    start, cpu = time.perf_counter(), time.process_time()
    db = Database(url)
    with db.reading() as session:
        index = open_index(session, url)
    return {
        "records": len(index),
        "wall_s": time.perf_counter() - start,
        "cpu_s": time.process_time() - cpu,
        "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/api"))
    parser.add_argument("--url", help=argparse.SUPPRESS)  # the child's own run
    args = parser.parse_args()
    if args.url:
        print(json.dumps(rebuild(args.url)))
        return
    from api_load import ensure_hub

    ensure_hub(args.records, args.workdir)
    scratch = Path("bench-work/rebuild") / f"hub-{args.records}"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    source = args.workdir / f"hub-{args.records}"
    for name in ("hub.db", "hub.db-wal", "hub.db-shm"):
        if (source / name).exists():
            shutil.copy2(source / name, scratch / name)
    url = f"sqlite:///{(scratch / 'hub.db').resolve()}"
    out = subprocess.run(
        [sys.executable, __file__, "--url", url], check=True, capture_output=True, text=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print("| records | build from the store, wall (s) | CPU (s) | peak RSS |")
    print("| --- | --- | --- | --- |")
    print(
        f"| {result['records']:,} | {result['wall_s']:.0f} | {result['cpu_s']:.0f} "
        f"| {result['peak_rss_gib']:.2f} GiB |"
    )
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
