"""Who appears where: which owners hold a record on each fighter, and when things happened.

Coverage follows the owners' habits (``owners.yaml``): a national list holds most of its own
nationals and fewer others, the captured forms about half of all fighters, a few fighters
are registered twice, Turkey deports a third of them (with some innocent overstayers), and a
sixth travel on the manifests, deportees more often. A fighter no owner picked is put where
they would most plausibly be, so every fighter has at least one record.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from ftfhub.scenario.dates import between
from ftfhub.scenario.people import Person

ENTRY_START, ENTRY_END = date(2013, 6, 1), date(2015, 6, 30)
LAST_DEPORTATION = date(2016, 5, 31)
HOME_LIST = {"BE": "BE-FP", "FR": "BE-FP", "MA": "BE-FP", "NL": "BE-FP", "DE": "DE-BKA"}
HOME_LIST |= {"AT": "DE-BKA", "GB": "GB-CTP"}
TRAVEL_HOMES = ("BE", "NL", "FR", "DE", "AT", "MA", "TN", "DZ")


@dataclass
class World:
    """The population and where each person appears."""

    people: list[Person]
    lists: dict[str, list[Person]] = field(default_factory=dict)  # owner -> people listed
    captured: list[Person] = field(default_factory=list)  # one entry per form
    travelling: list[Person] = field(default_factory=list)  # fighters on manifests
    entry: dict[str, date] = field(default_factory=dict)  # pid -> entry into the territory
    deported: dict[str, date] = field(default_factory=dict)  # pid -> deported from Turkey

    @property
    def fighters(self) -> list[Person]:
        return [p for p in self.people if p.role == "fighter"]

    @property
    def innocents(self) -> list[Person]:
        return [p for p in self.people if p.role == "innocent"]


def _coverage(person: Person, habits: Mapping[str, Any]) -> float:
    by_nationality: Mapping[str, float] = habits.get("coverage_by_nationality") or {}
    rates = [by_nationality[c] for c in person.nationalities if c in by_nationality]
    return max(rates) if rates else float(habits["coverage"])


def _weighted_sample(
    rng: random.Random, people: list[Person], weights: list[float], k: int
) -> list[Person]:
    keyed = sorted(
        ((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)),
        reverse=True,
    )
    return [people[i] for _, i in keyed[:k]]


def plan_world(seed: int, people: list[Person], owners: Mapping[str, Any]) -> World:
    """Decide, for every fighter, which owners hold a record, and the dates of their story."""
    rng = random.Random(f"{seed}:world")
    world = World(people=people)
    fighters, innocents = world.fighters, world.innocents
    for person in fighters:
        world.entry[person.pid] = between(rng, ENTRY_START, ENTRY_END)

    for code, habits in owners["lists"].items():
        world.lists[code] = [p for p in fighters if rng.random() < _coverage(p, habits)]

    captured = owners["captured"]
    for person in fighters:
        if rng.random() < captured["coverage"]:
            world.captured.append(person)
            if rng.random() < captured["second_form"]:
                world.captured.append(person)

    _fill_gaps(rng, world, fighters)
    _deportations(rng, world, owners, innocents)

    travel = owners["travel"]
    count = min(len(fighters), max(1, round(travel["fighters_travelling"] * len(fighters))))
    weights = [
        (3.0 if p.pid in world.deported else 1.0)
        * (2.0 if any(c in TRAVEL_HOMES for c in p.nationalities) else 0.5)
        for p in fighters
    ]
    world.travelling = _weighted_sample(rng, fighters, weights, count) if fighters else []
    return world


def _fill_gaps(rng: random.Random, world: World, fighters: list[Person]) -> None:
    """Put every fighter no owner picked where they would most plausibly be recorded."""
    held = {p.pid for people in world.lists.values() for p in people}
    held |= {p.pid for p in world.captured}
    for person in fighters:
        if person.pid in held:
            continue
        if rng.random() < 0.55:
            world.captured.append(person)
        else:
            code = HOME_LIST.get(person.nationalities[0], "TR-EGM")
            world.lists.setdefault(code, []).append(person)


def _deportations(
    rng: random.Random, world: World, owners: Mapping[str, Any], innocents: list[Person]
) -> None:
    """Date each deportation by Turkey; add the innocent overstayers deported alongside."""
    deported = world.lists.get("TR-EGM", [])
    for person in deported:
        earliest = world.entry[person.pid]
        start = min(LAST_DEPORTATION, earliest + timedelta(days=90))
        world.deported[person.pid] = between(rng, start, LAST_DEPORTATION)
    share = float(owners["lists"].get("TR-EGM", {}).get("innocents", 0.0))
    foreign = [p for p in innocents if "TR" not in p.nationalities and p.passports]
    extra = min(len(foreign), round(share * len(deported)))
    for person in rng.sample(foreign, extra):
        deported.append(person)
        world.deported[person.pid] = between(rng, date(2014, 6, 1), LAST_DEPORTATION)
    rng.shuffle(deported)
