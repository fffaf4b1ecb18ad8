"""`POST /match` while a big file loads: does the API keep answering?

Every `/match` answer commits its audit event first (no access unrecorded); on SQLite a load
that holds the file's one write lock for its whole run makes those commits wait. This
measures it, end to end, with the product's own processes:

1. a fresh hub (SQLite file) with ``--holdings`` synthetic watchlist records of the demo
   world's name distribution (``scale_world.holdings``) loaded by BE-FP with the product's
   own `ingest` (setup, not timed), and a BE-PIU analyst who screens;
2. a second file of ``--rows`` records (other people, the same distribution, one in 50 of
   them a BE-FP person written again) to be loaded by DE-BKA;
3. ``ftfhub serve`` on that database (the run waits for ``/ready``);
4. ``/match`` at a steady ``--rate`` (one traveller a request, open loop: each request has
   its planned moment, and its latency counts from that moment, so a stall is measured in
   full, not hidden by requests that were never sent), ``--idle`` seconds alone, then
   during ``ftfhub ingest`` of the second file by DE-BKA, from its start to its end;
5. latency p50 / p99 / max and errors, alone and during the load, and the load's own time.

    python bench/match_during_ingest.py --holdings 20000 --rows 40000 --rate 20
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))


def write_file(path: Path, size: int, seed: int, prefix: str, listed: int = 0) -> None:
    """A person file of ``size`` synthetic records; with ``listed`` > 0 every 50th of the
    first ``listed`` rows is the person of the seed-11 holdings' row (so the load raises
    hits)."""
    from dataclasses import replace

    from ftfhub.ingest.export import write_person_file
    from scale_world import holdings

    def records():  # type: ignore[no-untyped-def]
        again = holdings(min(size, listed), seed=11) if listed else iter(())
        for n, (_key, _owner, record) in enumerate(holdings(size, seed=seed)):
            same = next(again, None)
            if same is not None and n % 50 == 0:
                record = same[2]
            yield replace(record, record_id=f"{prefix}{n:07d}")

    with path.open("w", encoding="utf-8", newline="") as out:
        write_person_file(records(), out)


def build_hub(work: Path, holdings: int, rows: int) -> tuple[str, dict[str, str]]:
    """A fresh hub with BE-FP's list loaded; the tokens of BE-PIU's and DE-BKA's analysts."""
    from ftfhub.services import Context, Database
    from ftfhub.services.identity import add_agency, add_user, authenticate, init_hub
    from ftfhub.services.ingest import ingest_file

    for stale in work.glob("hub.db*"):
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    url = f"sqlite:///{(work / 'hub.db').resolve()}"
    db = Database(url)
    admin = Context(db, authenticate(db, init_hub(db, "bench-admin").token))
    tokens = {}
    for code in ("BE-FP", "BE-PIU", "DE-BKA"):
        add_agency(admin, code, code, f"duty@{code.lower()}.example")
        tokens[code] = add_user(admin, f"bench-{code.lower()}", code, "analyst").token
    start = time.perf_counter()
    write_file(work / "list.csv", holdings, 11, "BE-")
    write_file(work / "big.csv", rows, 23, "DE-", holdings)
    print(f"files written: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    start = time.perf_counter()
    owner = Context(db, authenticate(db, tokens["BE-FP"]), "bench")
    ingest_file(owner, work / "list.csv", "watchlist")
    print(f"holdings loaded: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    db.dispose()
    return url, tokens


def query_pool(size: int) -> list[dict[str, object]]:
    from scale_world import travellers

    people = []
    for traveller in travellers(size, 50, 450):
        r = traveller.record
        people.append(
            {
                "name": r.names[0].full,
                "birth_date": r.birth_dates[0].iso() if r.birth_dates else "",
                "nationality": list(r.nationalities),
            }
        )
    return people


@dataclass
class Load:
    """Open-loop `/match` requests at a steady rate; latency from each planned moment."""

    port: int
    token: str
    people: list[dict[str, object]]
    rate: float
    done: list[tuple[float, float, bool]] = field(default_factory=list)  # planned, end, ok
    stop: threading.Event = field(default_factory=threading.Event)

    def one(self, planned: float, n: int) -> None:
        body = json.dumps({"queries": {"t": self.people[n % len(self.people)]}, "kind": "travel"})
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/match",
            data=body.encode(),
            headers={
                "Authorization": f"Bearer {self.token}",
                "Content-Type": "application/json",
                "X-Purpose": "flight check",
            },
        )
        ok = True
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                ok = answer.status == 200 and "results" in json.loads(answer.read())
        except (OSError, urllib.error.HTTPError, ValueError):
            ok = False
        self.done.append((planned, time.monotonic(), ok))

    def run(self) -> None:
        with ThreadPoolExecutor(max_workers=64) as pool:
            start = time.monotonic()
            n = 0
            while not self.stop.is_set():
                planned = start + n / self.rate
                wait = planned - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                pool.submit(self.one, planned, n)
                n += 1

    def summary(self, since: float, until: float) -> dict[str, object]:
        picked = [(end - planned, ok) for planned, end, ok in self.done if since <= planned < until]
        times = sorted(ms * 1000 for ms, ok in picked if ok)
        if not times:
            return {"requests": len(picked), "errors": len(picked)}
        return {
            "requests": len(picked),
            "errors": sum(1 for _, ok in picked if not ok),
            "p50_ms": round(statistics.median(times), 1),
            "p99_ms": round(times[min(len(times) - 1, int(0.99 * len(times)))], 1),
            "max_ms": round(times[-1], 1),
        }


def wait_ready(port: int, timeout: float) -> None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server was not ready after {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--holdings", type=int, default=20_000)
    parser.add_argument("--rows", type=int, default=40_000, help="rows of the file loaded")
    parser.add_argument("--rate", type=float, default=20.0, help="/match requests a second")
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of /match alone first")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/match-ingest"))
    args = parser.parse_args()
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    url, tokens = build_hub(work, args.holdings, args.rows)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FTFHUB_")}
    env["FTFHUB_DATABASE_URL"] = url
    ftfhub = str(Path(sys.executable).parent / "ftfhub")
    server = subprocess.Popen(
        [ftfhub, "serve", "--port", str(args.port)], env=env, stderr=subprocess.DEVNULL
    )
    try:
        wait_ready(args.port, 600)
        load = Load(args.port, tokens["BE-PIU"], query_pool(2_000), args.rate)
        sender = threading.Thread(target=load.run)
        sender.start()
        time.sleep(1.0)  # the first requests check the token once; not what is measured
        idle_from = time.monotonic()
        time.sleep(args.idle)
        started = time.monotonic()
        loaded = subprocess.run(
            [ftfhub, "ingest", str(work / "big.csv"), "--kind", "watchlist"],
            env={**env, "FTFHUB_TOKEN": tokens["DE-BKA"]},
            capture_output=True,
            text=True,
            check=False,
        )
        ended = time.monotonic()
        load.stop.set()
        sender.join()
        if loaded.returncode != 0:
            raise SystemExit(f"the load failed: {loaded.stderr[-2000:]}")
        result = {
            "holdings": args.holdings,
            "rows": args.rows,
            "rate": args.rate,
            "ingest_s": round(ended - started, 1),
            "ingest_said": " ".join((loaded.stderr + loaded.stdout).split()[-25:]),
            "alone": load.summary(idle_from, started),
            "during_ingest": load.summary(started, ended),
        }
        print(json.dumps(result, indent=2))
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
