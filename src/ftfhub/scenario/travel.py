"""Flight manifests (owner BE-PIU): passengers of the routes in ``routes.csv``, by quarter.

Most innocent travellers fly once to three times on the routes their nationality uses. The
travelling fighters come home from the border region: a first leg (Gaziantep or Hatay to
Istanbul) and, a day or two later, a home leg from that airport to Europe (Istanbul to Brussels,
Sabiha Gökçen to Charleroi, Antalya to Frankfurt …); a fighter Turkey deported takes a home flight
the day of the deportation or the next, and some are also on the outbound flight a few days
before they entered the territory. Each
passenger is written as the airline system writes them: the MRZ name of the passport they
used (`EL<AMRANI<<MOHAMED`) or a plain name, birth date as ISO or `YYMMDD`, nationality as
alpha-3 or alpha-2, an identity card now and then for EU nationals.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ftfhub.ingest import manifest
from ftfhub.scenario.dates import between, mrz_date
from ftfhub.scenario.people import EU, Passport, Person
from ftfhub.scenario.spelling import mrz_name
from ftfhub.scenario.tables import Route, Tables

MANIFEST_COLUMNS = manifest.COLUMNS
TURKISH_SIDE = ("TR", "SY", "IQ")
Trip = tuple[Route, date, Person]


def _routes_for(person: Person, routes: tuple[Route, ...]) -> tuple[list[Route], list[float]]:
    usable, weights = [], []
    for route in routes:
        if "*" in route.served:
            local = any(c in TURKISH_SIDE for c in person.nationalities)
            usable.append(route)
            weights.append(route.weight * (1.0 if local else 0.15))
        elif any(c in route.served for c in person.nationalities):
            usable.append(route)
            weights.append(route.weight)
    return usable, weights


def _schedule(
    counts: Mapping[str, int],
    needed: Mapping[str, set[date]],
    routes: tuple[Route, ...],
    habits: Mapping[str, Any],
    rng: random.Random,
) -> dict[str, list[date]]:
    """Flight dates per route: enough flights for the passengers, spread over the period,
    plus the dates the fighters' journeys need."""
    start, end = habits["start"], habits["end"]
    days = (end - start).days + 1
    schedule = {}
    for route in routes:
        flights = max(3, -(-counts.get(route.flight, 0) // int(habits["passengers_per_flight"])))
        base = {start + timedelta(days=d) for d in rng.sample(range(days), min(days, flights))}
        schedule[route.flight] = sorted(base | needed.get(route.flight, set()))
    return schedule


def _clamp(day: date, habits: Mapping[str, Any]) -> date:
    start: date = habits["start"]
    end: date = habits["end"]
    return min(max(day, start), end)


def _fighter_trips(
    person: Person,
    routes: tuple[Route, ...],
    rng: random.Random,
    habits: Mapping[str, Any],
    events: tuple[date | None, date | None],
) -> list[tuple[Route, date, Person]]:
    """A fighter's legs: perhaps the way out, then home from the border or after deportation."""
    entry, deported = events
    usable, _ = _routes_for(person, routes)
    homes = [r for r in usable if r.leg == "home"] or [r for r in routes if r.leg == "home"]
    trips = []
    outs = [r for r in usable if r.leg == "out"]
    way_out = entry is not None and entry - timedelta(days=7) >= habits["start"]
    if outs and entry is not None and way_out and rng.random() < 0.5:
        trips.append((rng.choice(outs), entry - timedelta(days=rng.randint(2, 6)), person))
    if deported is not None:
        day = _clamp(deported + timedelta(days=rng.randint(0, 1)), habits)
        trips.append((rng.choice(homes), day, person))
        return trips
    first = rng.choice([r for r in routes if r.leg == "first"])
    earliest = max(habits["start"], (entry or habits["start"]) + timedelta(days=60))
    day = between(rng, min(earliest, habits["end"]), habits["end"] - timedelta(days=3))
    home = rng.choice([r for r in homes if r.origin == first.destination] or homes)
    trips.append((first, day, person))
    trips.append((home, day + timedelta(days=rng.randint(1, 2)), person))
    return trips


def _document(person: Person, rng: random.Random, habits: Mapping[str, Any]) -> Passport:
    if (
        person.id_card is not None
        and person.id_card.country in EU
        and rng.random() < habits["id_card"]
    ):
        return person.id_card
    if len(person.passports) > 1 and rng.random() < habits["second_passport"]:
        return person.passports[1]
    return person.passports[0]


def _row(
    trip: Trip, record_id: str, rng: random.Random, habits: Mapping[str, Any], tables: Tables
) -> dict[str, str]:
    route, day, person = trip
    doc = _document(person, rng, habits)
    country = tables.countries[doc.country]
    plain = route.name_format == "plain" or rng.random() < habits["plain_name_in_mrz_file"]
    if plain:
        name = f"{doc.given} {doc.family}"
        name = name.upper() if rng.random() < 0.5 else name
    else:
        name = mrz_name(doc.family, doc.given, doc.country)
    code = country.iso3 if route.nationality_code == "alpha3" else country.iso2
    birth = ""
    if rng.random() >= habits["birth_date_missing"]:
        birth = (
            mrz_date(person.birth) if route.date_format == "yymmdd" else person.birth.isoformat()
        )
    return {
        "record_id": record_id,
        "passenger_name": name,
        "birth_date": birth,
        "gender": person.gender.upper(),
        "nationality": code,
        "document_type": doc.type,
        "document_number": doc.number,
        "issuing_country": code,
        "flight": route.flight,
        "origin": route.origin,
        "destination": route.destination,
        "departure_date": day.isoformat(),
        "person_id": person.pid,
    }


def manifests(
    innocents: list[Person],
    fighters: list[Person],
    rng: random.Random,
    habits: Mapping[str, Any],
    tables: Tables,
    events: tuple[Mapping[str, date], Mapping[str, date]],
) -> list[tuple[str, list[dict[str, str]]]]:
    """(file name, rows) per quarter, in date order; ``person_id`` is for the truth only."""
    entry, deported = events
    routes = tables.routes
    planned: list[tuple[Route, Person]] = []
    for person in innocents:
        if not person.passports or rng.random() >= habits["travellers_travelling"]:
            continue
        usable, weights = _routes_for(person, routes)
        if not usable:
            continue
        count = rng.choices((1, 2, 3), weights=habits["extra_trips"])[0]
        planned += [(route, person) for route in rng.choices(usable, weights=weights, k=count)]
    fighter_trips: list[Trip] = []
    for person in fighters:
        story = (entry.get(person.pid), deported.get(person.pid))
        fighter_trips += _fighter_trips(person, routes, rng, habits, story)
    counts: dict[str, int] = defaultdict(int)
    needed: dict[str, set[date]] = defaultdict(set)
    for route, _ in planned:
        counts[route.flight] += 1
    for route, day, _ in fighter_trips:
        needed[route.flight].add(day)
    schedule = _schedule(counts, needed, routes, habits, rng)
    trips: list[Trip] = [(r, rng.choice(schedule[r.flight]), person) for r, person in planned]
    trips += fighter_trips

    flights: dict[tuple[date, str], list[Trip]] = defaultdict(list)
    booked: set[tuple[date, str, str]] = set()
    for trip in trips:
        key = (trip[1], trip[0].flight, trip[2].pid)
        if key not in booked:  # one seat per passenger per flight
            booked.add(key)
            flights[trip[1], trip[0].flight].append(trip)
    files: dict[str, list[dict[str, str]]] = defaultdict(list)
    for (day, flight), passengers in sorted(flights.items(), key=lambda item: item[0]):
        rng.shuffle(passengers)
        quarter = f"{day.year}Q{(day.month - 1) // 3 + 1}"
        for seq, trip in enumerate(passengers, start=1):
            record_id = f"{flight}-{day.isoformat()}-{seq:03d}"
            files[f"be-piu-manifests-{quarter}.csv"].append(
                _row(trip, record_id, rng, habits, tables)
            )
    return sorted(files.items())
