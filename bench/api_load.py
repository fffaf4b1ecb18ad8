"""`POST /match` under a steady load from a real load generator (locust), on loopback, then
a few 300-traveller flights through `POST /manifests` on the same server.

1. Holdings of ``--records`` synthetic records with the demo world's name distribution
   (``scale_world.py``, generated on two processes once and kept under
   ``bench-work/screening/``);
2. a hub database of them (row ids in the file's order, rows inserted directly as a restore
   would: ingest's own speed is not what this measures) and, at the same time in a second
   process, the screening index built from the same records as the server would build it,
   published beside the database as this database's index (the server then loads it as
   after a restart, and checks it against the store); a BE-PIU analyst made with the
   services' user commands, whose token every request carries;
3. ``ftfhub serve`` itself (uvicorn) on that database; the run waits for ``/ready``;
4. locust (FastHttpUser) sends ``--users`` clients at ``--rate`` / ``--users`` requests a
   second each, one traveller per request (listed and innocent travellers), for
   ``--seconds``; its CSV statistics give the latency percentiles and failures, ``/proc``
   the server's CPU seconds and how long its threads waited for a CPU that other processes
   held (the machine's load, in the server's terms), and ``getrusage`` locust's own CPU;
5. ``--manifests`` flights of ``--travellers`` new travellers posted to ``/manifests``:
   parsed, stored as the PIU's travel records, screened, hits raised, answered.

Every request is authenticated, policy-checked and audited as in production.

    python bench/api_load.py --records 1000000 --rate 200 --seconds 30
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

OWNERS = ("BE-FP", "DE-BKA", "GB-CTP", "TR-EGM")
QUERY_POOL = 20_000  # scale_world.CHUNK


def build_database(url: str, holdings: Path) -> None:
    """The holdings as stored Records, row ids 1, 2, … in the file's order (a restore's
    bulk insert: ingest's own speed is not what this measures)."""
    from sqlalchemy import insert

    from ftfhub.services import Database
    from ftfhub.store.models import Record
    from screening_scale import read_holdings

    db = Database(url, migrate=False)
    now = datetime.now(UTC)
    with db.transaction() as session:
        batches = _batches(session, now)
        rows: list[dict[str, Any]] = []
        for n, (key, owner, record) in enumerate(read_holdings(holdings), start=1):
            data = record.to_json()
            rows.append(
                {
                    "id": n, "agency_code": owner, "source_id": key, "version": 1,
                    "superseded": False, "kind": record.kind,
                    "primary_name": record.primary_name[:500],
                    "birth_date": record.birth_dates[0].iso() if record.birth_dates else "",
                    "nationalities": "|".join(record.nationalities)[:100],
                    "handling_code": "H0", "content_hash": record.content_hash(data),
                    "data": data, "batch_id": batches[owner], "created_at": now,
                    "screened_at": now,  # restored holdings: their hits are not this run's
                }
            )  # fmt: skip
            if len(rows) >= 20_000:
                session.execute(insert(Record), rows)
                rows = []
        if rows:
            session.execute(insert(Record), rows)


def _batches(session: Any, now: datetime) -> dict[str, int]:
    from sqlalchemy import select

    from ftfhub.domain.vocab import RecordKind
    from ftfhub.store.models import IngestBatch

    found = {b.agency_code: b.id for b in session.execute(select(IngestBatch)).scalars()}
    for code in OWNERS:
        if code not in found:
            batch = IngestBatch(
                agency_code=code, kind=RecordKind.WATCHLIST.value, file_name="restore",
                file_sha256=code.ljust(64, "0"), created_at=now,
            )  # fmt: skip
            session.add(batch)
            session.flush()
            found[code] = batch.id
    return found


def build_index(url: str, holdings: Path, instance: str) -> None:
    """The screening index of the same holdings, built as the server would build it from the
    store (each Record under its row id and owner) and published beside the database, marked
    as this database's and caught up to its last row: the server loads it as after a
    restart, and checks it against the store."""
    from ftfhub.index import ScreeningIndex
    from ftfhub.index.location import index_root
    from ftfhub.index.store import IndexStore
    from screening_scale import read_holdings

    index = ScreeningIndex(keep_features=False)
    count = 0
    for count, (_key, owner, record) in enumerate(read_holdings(holdings), start=1):
        index.add(str(count), record, owner)
    index.extra["instance"] = instance
    index.extra["high_water"] = count
    root = index_root(url)
    assert root is not None
    IndexStore(root).publish(index)


def prepare(url: str) -> str:
    """A fresh hub: the schema, the agencies, the ingest batches; its instance id."""
    from ftfhub.services import Database
    from ftfhub.store.db import database_instance
    from ftfhub.store.models import Agency

    db = Database(url)
    with db.transaction() as session:
        for code in (*OWNERS, "BE-PIU"):
            session.add(Agency(code=code, name=code, contact=f"duty@{code.lower()}.example"))
        session.flush()
        _batches(session, datetime.now(UTC))
        instance = database_instance(session)
    db.dispose()  # the two writers fork from here
    return instance


def make_token(url: str) -> str:
    """A BE-PIU analyst's token, made with the services' user commands."""
    from ftfhub.domain.vocab import Role
    from ftfhub.services import Caller, Context, Database, identity

    db = Database(url)
    admin = identity.init_hub(db)
    ctx = Context(db, Caller(admin.user, admin.agency, admin.role))
    return identity.add_user(ctx, "bench-analyst", "BE-PIU", Role.ANALYST).token


def queries(size: int, path: Path) -> None:
    from scale_world import travellers

    people = []
    # Listed travellers are drawn from the holdings' first chunk (the generator is seeded per
    # chunk, so those rows are the same at any size): regenerating people from all over a
    # million rows would take minutes.
    for traveller in travellers(min(size, QUERY_POOL), 100, 900):
        r = traveller.record
        people.append(
            {
                "name": r.names[0].full,
                "birth_date": r.birth_dates[0].iso() if r.birth_dates else "",
                "nationality": list(r.nationalities),
                "gender": r.gender or "",
                "documents": [f"passport:{d.country}:{d.number}" for d in r.documents],
            }
        )
    path.write_text(json.dumps(people), "utf-8")


def ensure_hub(records: int, workdir: Path) -> tuple[str, str]:
    """The bench hub's database URL and its analyst's token (made on first use): the rows
    and the index are written by two processes at once."""
    work = workdir / f"hub-{records}"
    work.mkdir(parents=True, exist_ok=True)
    holdings = Path("bench-work/screening") / f"holdings-{records}.jsonl"
    if not holdings.exists():
        from screening_scale import generate

        start = time.perf_counter()
        holdings.parent.mkdir(parents=True, exist_ok=True)
        generate(records, holdings, 11)
        print(f"holdings generated: {time.perf_counter() - start:.0f} s", file=sys.stderr)
    url = f"sqlite:///{(work / 'hub.db').resolve()}"
    token_file = work / "token"
    if not token_file.exists():
        import multiprocessing

        for stale in work.glob("hub.db*"):
            shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
        start = time.perf_counter()
        instance = prepare(url)
        context = multiprocessing.get_context("fork")
        jobs = [
            context.Process(target=build_database, args=(url, holdings)),
            context.Process(target=build_index, args=(url, holdings, instance)),
        ]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join()
            if job.exitcode:
                raise SystemExit("building the bench hub failed")
        token_file.write_text(make_token(url), "utf-8")
        took = time.perf_counter() - start
        print(f"database and index written: {took:.0f} s", file=sys.stderr)
    return url, token_file.read_text("utf-8")


def wait_ready(port: int, timeout: float) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as answer:
                if answer.status == 200:
                    return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"the server was not ready after {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workdir", type=Path, default=Path("bench-work/api"))
    parser.add_argument("--manifests", type=int, default=3, help="flights posted afterwards")
    parser.add_argument("--travellers", type=int, default=300, help="travellers per flight")
    args = parser.parse_args()
    import importlib.util

    if importlib.util.find_spec("locust") is None:
        raise SystemExit("the load generator is missing: .venv/bin/pip install -e '.[bench]'")
    work = args.workdir / f"hub-{args.records}"
    url, token = ensure_hub(args.records, args.workdir)
    queries_file = work / "queries.json"
    queries(args.records, queries_file)
    env = {**os.environ, "FTFHUB_DATABASE_URL": url}
    ftfhub = str(Path(sys.executable).parent / "ftfhub")  # the installed command itself
    server = subprocess.Popen([ftfhub, "serve", "--port", str(args.port)], env=env)
    try:
        ready = wait_ready(args.port, 1800)
        print(f"ready after {ready:.0f} s", file=sys.stderr, flush=True)
        prefix = work / "locust"
        cpu_before, waited_before = server_cpu(server.pid), server_waited(server.pid)
        locust_before = children_cpu()
        load_env = {
            **os.environ,
            "LOAD_QUERIES": str(queries_file),
            "LOAD_TOKEN": token,
            "LOAD_RATE": str(args.rate / args.users),
        }
        subprocess.run(
            [
                sys.executable, "-m", "locust", "-f", str(BENCH / "locustfile.py"), "--headless",
                "--users", str(args.users), "--spawn-rate", str(args.users),
                "--run-time", f"{args.seconds}s", "--host", f"http://127.0.0.1:{args.port}",
                "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
            ],
            env=load_env, check=False,
        )  # fmt: skip
        cpu = server_cpu(server.pid) - cpu_before
        used = Usage(cpu, server_waited(server.pid) - waited_before, children_cpu() - locust_before)
        report(prefix, args, ready, used)
        if args.manifests:
            from manifest_e2e import held_travel

            flights(args, token, server.pid, held_travel(url))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def flights(args: argparse.Namespace, token: str, pid: int, held: int) -> None:
    """`POST /manifests` to the same server: a 300-traveller flight (new travellers each
    time) parsed, stored, screened and its hits raised, timed from the client's side.
    `held`: the travel records the hub held before (every run adds its flights to them)."""
    import statistics

    from manifest_e2e import manifest_csv

    seed = time.time_ns() % 100_000
    times, cpus, added = [], [], 0
    for run in range(args.manifests):
        body = manifest_csv(args.records, args.travellers, seed=seed + run).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{args.port}/manifests",
            data=body,
            headers={
                "Authorization": f"Bearer {token}",
                "Content-Type": "text/csv",
                "X-Purpose": "flight check",
            },
            method="POST",
        )
        cpu, start = server_cpu(pid), time.perf_counter()
        with urllib.request.urlopen(request, timeout=300) as answer:
            result = json.loads(answer.read())
        times.append(time.perf_counter() - start)
        cpus.append(server_cpu(pid) - cpu)
        added = result["added"]
    print(
        f"\n| records | travel records held before | travellers | stored (last run) | "
        f"median s (wall) | median server CPU s | runs |\n|{' --- |' * 7}\n"
        f"| {args.records:,} | {held:,} | {args.travellers} | {added} | "
        f"{statistics.median(times):.2f} | {statistics.median(cpus):.2f} | {args.manifests} |"
    )


@dataclass(frozen=True)
class Usage:
    server_cpu: float
    server_waited: float
    locust_cpu: float


def children_cpu() -> float:
    """CPU seconds of the children this process has waited for (locust, once it ends)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def server_waited(pid: int) -> float:
    """Seconds the server's threads (those alive now) were ready to run but waited for a CPU
    (`/proc/…/schedstat`): zero on an idle machine."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError, IndexError, ValueError):  # the thread ended
            total += int((task / "schedstat").read_text().split()[1])
    return total / 1e9


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) the server process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(prefix: Path, args: argparse.Namespace, ready: float, used: Usage) -> None:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "/match")
    requests, failures = int(row["Request Count"]), int(row["Failure Count"])
    load = os.getloadavg()[0]
    per = 1000 / max(requests, 1)
    print(
        f"| records | target rate | achieved | requests | failures | p50 ms | p95 ms | p99 ms | "
        f"max ms | server CPU per request | locust CPU per request | server waited for a CPU "
        f"| load average | first start |\n|{' --- |' * 14}\n"
        f"| {args.records:,} | {args.rate:.0f}/s | {float(row['Requests/s']):.0f}/s | {requests:,} "
        f"| {failures} | {row['50%']} | {row['95%']} | {row['99%']} | "
        f"{float(row['Max Response Time']):.0f} | {used.server_cpu * per:.1f} ms | "
        f"{used.locust_cpu * per:.1f} ms | {used.server_waited:.1f} s | {load:.1f} | "
        f"{ready:.0f} s |"
    )


if __name__ == "__main__":
    main()
