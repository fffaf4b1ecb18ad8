"""Accuracy through the API equals accuracy through the CLI, on the synthetic world.

The demo's world (``ftfhub.scenario.build_world``, seeded) is loaded into a fresh hub through
the services, owner by owner (its watchlists, deportation notices and captured forms; no hits
raised); then every BE-PIU manifest is screened by a BE-PIU analyst twice with the real
command line: ``ftfhub screen FILE --kind travel`` on the database, and the same command with
``--server URL`` against a real ``ftfhub serve`` (uvicorn, loopback), which sends the rows to
``POST /match``. The two outputs are compared line by line, and from each the same figures are
computed against the generator's truth: fighter rows whose own person is among the matches
(by the owner's reference of each matched record, which even a hit-only answer carries), and
innocent rows with any match, at the default threshold.

    python bench/api_accuracy.py [--travellers 5000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PIU = "BE-PIU"
FTFHUB = str(Path(sys.executable).parent / "ftfhub")  # the installed command


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--fighters", type=int, default=300)
    parser.add_argument("--travellers", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ftfhub-api-accuracy-") as folder:
        work = Path(folder)
        url, token, manifests, truth, references = load(work, args)
        env = {**os.environ, "FTFHUB_DATABASE_URL": url, "FTFHUB_TOKEN": token}
        start = time.perf_counter()
        local = screen_all(manifests, env, [])
        local_s = time.perf_counter() - start
        port = free_port()
        server = subprocess.Popen(
            [FTFHUB, "serve", "--port", str(port),
             "--escalate-every", "0"],
            env=env,
        )  # fmt: skip
        try:
            wait_ready(port)
            start = time.perf_counter()
            remote = screen_all(manifests, env, ["--server", f"http://127.0.0.1:{port}"])
            remote_s = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait(timeout=30)
    report(local, remote, truth, references, (local_s, remote_s))


def load(
    work: Path, args: argparse.Namespace
) -> tuple[str, str, list[Path], dict[str, dict[str, str]], dict[str, str]]:
    from sqlalchemy import select

    from ftfhub.domain.vocab import Role
    from ftfhub.scenario import build_world
    from ftfhub.services import Caller, Context, Database, identity
    from ftfhub.services.ingest import ingest_file
    from ftfhub.store.models import Record
    from ftfhub.store.records import reference

    files = build_world(work / "world", seed=args.seed, fighters=args.fighters,
                        travellers=args.travellers)  # fmt: skip
    url = f"sqlite:///{work / 'hub.db'}"
    db = Database(url)
    admin_token = identity.init_hub(db)
    admin = Context(db, identity.authenticate(db, admin_token.token))
    owners = {agency for agency, _, _ in files.inputs} | {PIU}
    for code in sorted(owners - {"HUB"}):
        identity.add_agency(admin, code, code)
    token = identity.add_user(admin, "piu-analyst", PIU, Role.ANALYST).token
    manifests = []
    for agency, kind, path in files.inputs:
        if agency == PIU:
            manifests.append(path)
            continue
        ctx = Context(db, Caller(f"loader@{agency.lower()}", agency, Role.ANALYST), "load")
        ingest_file(ctx, path, kind, raise_hits=False)
    with files.truth.open(encoding="utf-8", newline="") as handle:
        truth = {f"{r['agency']}:{r['record_id']}": r for r in csv.DictReader(handle)}
    with db.transaction() as session:
        rows = session.execute(select(Record).where(Record.superseded.is_(False))).scalars()
        references = {reference(r): f"{r.agency_code}:{r.source_id}" for r in rows}
    db.dispose()
    return url, token, manifests, truth, references


def screen_all(
    manifests: list[Path], env: dict[str, str], extra: list[str]
) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    for path in manifests:
        done = subprocess.run(
            [FTFHUB, "screen", str(path), "--kind", "travel",
             "--purpose", "accuracy benchmark", "--on-error", "skip", "--no-progress", *extra],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode:
            raise SystemExit(f"ftfhub screen {path.name} {' '.join(extra)}: {done.stderr}")
        lines += [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    return lines


def figures(
    lines: list[dict[str, object]], truth: dict[str, dict[str, str]], references: dict[str, str]
) -> dict[str, float]:
    fighters = found = innocents = flagged = 0
    for line in lines:
        query = truth[f"{PIU}:{line['query_id']}"]
        matches = line["matches"]
        assert isinstance(matches, list)
        persons = {
            truth[references[m["held"]["reference"]]]["person_id"]
            for m in matches
            if m["held"]["reference"] in references
        }
        if query["role"] == "fighter":
            fighters += 1
            found += query["person_id"] in persons
        else:
            innocents += 1
            flagged += bool(matches)
    return {
        "fighter rows": fighters,
        "fighters found": found / max(fighters, 1),
        "innocent rows": innocents,
        "innocents with any match": flagged / max(innocents, 1),
    }


def report(
    local: list[dict[str, object]],
    remote: list[dict[str, object]],
    truth: dict[str, dict[str, str]],
    references: dict[str, str],
    seconds: tuple[float, float],
) -> None:
    same = sum(a == b for a, b in zip(local, remote, strict=False))
    a, b = figures(local, truth, references), figures(remote, truth, references)
    print(f"identical output lines: {same:,} of {len(local):,} (API: {len(remote):,})")
    print(
        "| path | fighter rows | fighters found | innocent rows "
        "| innocents with any match | wall s |"
    )
    print("| --- | --- | --- | --- | --- | --- |")
    for name, f, s in (("CLI (`ftfhub screen`)", a, seconds[0]),
                       ("API (`--server`, POST /match)", b, seconds[1])):  # fmt: skip
        print(
            f"| {name} | {f['fighter rows']:,.0f} | {f['fighters found']:.3f} | "
            f"{f['innocent rows']:,.0f} | {f['innocents with any match']:.4f} | {s:.0f} |"
        )
    if same != len(local) or len(local) != len(remote):
        raise SystemExit("the API's answers differ from the CLI's")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_ready(port: int, timeout: float = 600) -> None:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not become ready")


if __name__ == "__main__":
    main()
