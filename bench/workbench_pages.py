"""Server time of each workbench page on the demo hub, and of the hits inbox with 100,000
hits stored (a benchmark, not a test).

    python bench/workbench_pages.py [--hits 100000] [--repeat 5] [--workdir /tmp/ftfhub-bench-wb]
        [--fighters 40 --travellers 300] [--no-resolve]

With `--fighters 300 --travellers 20000` the hub holds what `make demo` loads (29,499
Records); `--no-resolve` times the pages before any `ftfhub resolve` (no Identities yet).

The demo hub is the one `ftfhub demo --serve` builds. Each page is fetched through the ASGI
app in process (FastAPI's TestClient, no network), signed in through the log-in form, and
its median time over `--repeat` fetches is reported — the time the server spends on it —
with the CPU seconds this process spent per fetch (on a shared machine the steadier figure).
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from ftfhub.api import create_app
from ftfhub.clock import utcnow
from ftfhub.demo_hub import DemoHub, build_demo_hub, user_name
from ftfhub.domain.vocab import Role
from ftfhub.hits.raising import hit_ref
from ftfhub.services import Database
from ftfhub.services.network import link_keys, network
from ftfhub.services.rows import held
from ftfhub.store.models import Case, Hit, Record
from ftfhub.store.records import current_records, record_data

TARGET_MS = 300.0


# The demo's users, named as `make demo` names them.
BE_FP = user_name("BE-FP", Role.ANALYST)
HUB_ANALYST = user_name("HUB", Role.ANALYST)
DUTY = user_name("HUB", Role.DUTY_OFFICER)
AUDITOR = user_name("HUB", Role.AUDITOR)


def signed_in(app: object, hub: DemoHub, user: str) -> TestClient:
    client = TestClient(app)  # type: ignore[arg-type]
    form = client.get("/workbench/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf is not None
    client.post("/workbench/login", data={"csrf": csrf.group(1), "token": hub.logins[user].token})
    # The purpose of access is stated once, by the purpose page's form, and kept in the
    # session for every read that follows (the workbench never takes it from an address).
    home = re.search(r'name="csrf" value="([^"]+)"', client.get("/workbench/").text)
    assert home is not None
    data = {"csrf": home.group(1), "purpose": "benchmark", "next": "/workbench/"}
    client.post("/workbench/purpose", data=data)
    return client


def timed(client: TestClient, path: str, repeat: int) -> tuple[float, float]:
    """Median wall milliseconds and median CPU seconds of one fetch."""
    times, cpu = [], []
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        answer = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append(time.process_time() - used)
        assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
    return statistics.median(times), statistics.median(cpu)


def pages(hub: DemoHub, db: Database) -> list[tuple[str, str]]:
    """(user, path) for every page, with ids that exist in this hub."""
    ctx = hub.context(HUB_ANALYST)
    with db.transaction() as session:
        hubs = current_records(session, "HUB")
        refs = [held(r).reference for r in hubs]
        quiet = [held(r).reference for r in hubs if not link_keys(record_data(r))]
        be = [held(r).reference for r in current_records(session, "BE-FP")]
        hit = session.execute(select(Hit.ref).where(Hit.owner_agency == "BE-FP")).scalar()
        cases = session.execute(select(Case.number).where(Case.agency_code == "BE-FP")).scalars()
        case = [(BE_FP, f"/workbench/cases/{c}") for c in list(cases)[:1]]
    centre = next((n.centre for n in (network(ctx, r) for r in refs) if len(n.nodes) > 1), refs[0])
    alone = (quiet or refs)[0]  # a Record that links to none (the hub sees its own in full)
    from ftfhub.services.identities import identities_of

    identities = sorted(identities_of(hub.context(BE_FP)))
    dossier = [(BE_FP, f"/workbench/identities/{i}") for i in identities[:1]]
    return [
        (BE_FP, "/workbench/"),
        (BE_FP, f"/workbench/hits/{hit}"),
        (BE_FP, f"/workbench/records/{be[0]}"),
        (BE_FP, "/workbench/search"),
        (BE_FP, "/workbench/identities"),
        *dossier,
        (BE_FP, "/workbench/review"),
        (BE_FP, "/workbench/cases"),
        *case,  # cases are of Identities: none before a resolve
        (BE_FP, "/workbench/capacity"),
        (HUB_ANALYST, f"/workbench/network/{centre}"),
        (HUB_ANALYST, f"/workbench/network/{alone}"),
        (DUTY, "/workbench/"),
        (AUDITOR, "/workbench/oversight"),
    ]


def add_hits(db: Database, owner: str, count: int) -> int:
    """`count` more hits owned by `owner`, between its Records and copies of another
    agency's Record (a hit is one per pair), inserted in bulk."""
    with db.transaction() as session:
        own = list(session.execute(select(Record.id).where(Record.agency_code == owner)).scalars())
        template = session.execute(
            select(Record).where(Record.agency_code != owner).limit(1)
        ).scalar_one()
        needed = -(-count // len(own))
        now = utcnow()
        columns = {
            c.key: getattr(template, c.key) for c in Record.__table__.columns if c.key != "id"
        }
        copies = [
            {**columns, "source_id": f"BENCH-{i}", "content_hash": f"{i:064d}"}
            for i in range(needed)
        ]
        session.execute(insert(Record), copies)
        others = list(
            session.execute(select(Record.id).where(Record.source_id.like("BENCH-%"))).scalars()
        )
        rows = [
            {
                "ref": hit_ref(),
                "query_record_id": q,
                "matched_record_id": m,
                "owner_agency": owner,
                "querying_agency": template.agency_code,
                "score": 0.9,
                "explanation": [],
                "status": "new",
                "created_at": now,
                "deadline": now + timedelta(hours=48 + i % 500),
                "escalation_level": 0,
                "acknowledged_by": "",
                "note": "",
            }
            for i, (q, m) in enumerate((q, m) for q in others for m in own)
        ][:count]
        for start in range(0, len(rows), 20_000):
            session.execute(insert(Hit), rows[start : start + 20_000])
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hits", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ftfhub-bench-wb"))
    parser.add_argument("--fighters", type=int, default=40)
    parser.add_argument("--travellers", type=int, default=300)
    parser.add_argument("--no-resolve", action="store_true", help="time before any resolve")
    args = parser.parse_args()
    hub = build_demo_hub(
        args.workdir,
        fighters=args.fighters,
        travellers=args.travellers,
        resolve=not args.no_resolve,
    )
    db = Database(hub.url)
    app = create_app(db, escalate_every=0)
    clients: dict[str, TestClient] = {}
    print(f"demo hub: {hub.records} records, {hub.hits} hits, {hub.identities} identities")
    print(f"{'page':58} {'user':15} median ms  CPU s")
    worst = 0.0
    for user, path in pages(hub, db):
        client = clients.setdefault(user, signed_in(app, hub, user))
        ms, cpu = timed(client, path, args.repeat)
        worst = max(worst, ms)
        print(f"{path:58} {user:15} {ms:9.1f} {cpu:6.2f}")
    print(f"slowest page: {worst:.1f} ms (target < {TARGET_MS:.0f} ms)")
    added = add_hits(db, "BE-FP", args.hits)
    client = clients[BE_FP]
    ms, cpu = timed(client, "/workbench/", args.repeat)
    print(f"inbox with {added:,} more hits for BE-FP: {ms:.1f} ms, {cpu:.2f} CPU s", end=" ")
    print(f"(target < {TARGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
