"""Building the world: people, who appears where, every owner's files, and the ground truth.

Everything is drawn from seeded generators (one per stage, so changing one owner's habits does
not reshuffle the others), rows are written in a fixed order, and nothing depends on the
clock but watchlists' review-by dates, which count from the day the world is built (`today`):
the same seed and day give byte-identical files, and the same people and matches on any day.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ftfhub.clock import utcnow
from ftfhub.scenario.captured import captured_batches
from ftfhub.scenario.lists import PERSON_COLUMNS, list_rows
from ftfhub.scenario.people import make_people
from ftfhub.scenario.tables import load_tables
from ftfhub.scenario.travel import MANIFEST_COLUMNS, manifests
from ftfhub.scenario.world import World, plan_world

TRUTH_COLUMNS = ("agency", "record_id", "person_id", "role")


@dataclass(frozen=True)
class WorldFiles:
    """The files of a built world: inputs in ingest order, and the ground truth."""

    inputs: list[tuple[str, str, Path]]  # (agency, kind, path), in ingest order
    truth: Path  # CSV agency,record_id,person_id,role


def _write(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])


def build_world(
    out_dir: Path,
    *,
    seed: int = 7,
    fighters: int = 300,
    travellers: int = 20000,
    today: date | None = None,
) -> WorldFiles:
    """Write the world's files under ``out_dir`` and return where they are.

    Inputs come in the order they should be ingested: the watchlists, the deportation
    notices, the captured forms, then the flight manifests quarter by quarter.
    """
    tables = load_tables()
    people = make_people(seed, tables, fighters, travellers)
    world = plan_world(seed, people, tables.owners)
    out_dir.mkdir(parents=True, exist_ok=True)
    inputs: list[tuple[str, str, Path]] = []
    truth: list[dict[str, str]] = []
    roles = {p.pid: p.role for p in people}

    def emit(
        agency: str, kind: str, name: str, columns: Sequence[str], rows: list[dict[str, str]]
    ) -> None:
        path = out_dir / name
        _write(path, columns, rows)
        inputs.append((agency, kind, path))
        id_column = columns[0]
        truth.extend(
            {
                "agency": agency,
                "record_id": row[id_column],
                "person_id": row["person_id"],
                "role": roles[row["person_id"]],
            }
            for row in rows
        )

    owners = tables.owners
    day = today or utcnow().date()
    for code, habits in owners["lists"].items():
        rng = random.Random(f"{seed}:{code}")
        listed = world.lists.get(code, [])
        rows = list_rows(code, habits, listed, rng, tables, world.deported, day)
        emit(code, habits["kind"], habits["file"], PERSON_COLUMNS, rows)

    captured = owners["captured"]
    rng = random.Random(f"{seed}:{captured['owner']}")
    batches = captured_batches(world.captured, rng, captured, tables, world.fighters, world.entry)
    for name, columns, rows in batches:
        emit(captured["owner"], captured["kind"], name, columns, rows)

    travel = owners["travel"]
    rng = random.Random(f"{seed}:{travel['owner']}")
    events = (world.entry, world.deported)
    for name, rows in manifests(world.innocents, world.travelling, rng, travel, tables, events):
        emit(travel["owner"], travel["kind"], name, MANIFEST_COLUMNS, rows)

    truth_path = out_dir / "truth.csv"
    _write(truth_path, TRUTH_COLUMNS, truth)
    return WorldFiles(inputs=inputs, truth=truth_path)


def plan(seed: int = 7, fighters: int = 300, travellers: int = 20000) -> World:
    """The world without its files: the people and where each appears (for tests and studies)."""
    tables = load_tables()
    return plan_world(seed, make_people(seed, tables, fighters, travellers), tables.owners)
