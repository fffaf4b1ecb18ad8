"""The owners that keep generic person files: watchlists (BE-FP, DE-BKA, GB-CTP) and Turkish
deportation notices (TR-EGM), each with its own habits from ``owners.yaml``.

One row per listed person: the name in the owner's convention (or copied from a passport),
aliases (the kunya in Latin, another spelling), a birth date that is mostly right, the
nationalities, passports, a place, and the record metadata of docs/formats.md.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from ftfhub.clock import utcnow
from ftfhub.ingest import person_file
from ftfhub.scenario.dates import choose, listed_birth
from ftfhub.scenario.people import Person
from ftfhub.scenario.render import latin_kunya, latin_name
from ftfhub.scenario.tables import Tables

PERSON_COLUMNS = (*person_file.COLUMNS, *person_file.METADATA)
SOURCE_GRADES = {"A": 1, "B": 5, "C": 3, "D": 1}
INFORMATION_GRADES = {"1": 1, "2": 5, "3": 3, "4": 1}
DOCUMENT_TYPO = 0.03  # a passport number keyed with one character wrong
OVERDUE_DAYS = 30
"""Review-by dates spread over about 1,000 days from the day the world is built, the first
30 of them already past: most listings are current, a few are due soon, and some (about 3%)
are overdue, so `ftfhub records purge --overdue` has something to show without emptying a
watchlist (dates fixed in the past made every listing overdue)."""


def _name_and_aliases(
    person: Person, habits: Mapping[str, Any], rng: random.Random, tables: Tables
) -> tuple[str, list[str]]:
    conv = habits["convention"]
    options = {
        "copy_document": float(habits["copy_document"]),
        "drift": float(habits["drift"]),
        "father": float(habits["father_in_name"]),
    }
    name = latin_name(person, conv, rng, **options)
    family_first = rng.random() < float(habits["family_first"])
    text = name.family_first(upper=rng.random() < 0.7) if family_first else name.natural()
    aliases: list[str] = []
    if person.kunya is not None and rng.random() < float(habits["kunya_alias"]):
        aliases.append(latin_kunya(person, conv, rng, tables))
    if rng.random() < float(habits["spelling_alias"]):
        other = latin_name(person, conv, rng, copy_document=0.3, drift=0.6, father=0.2)
        if other.natural() != name.natural():
            aliases.append(other.natural())
    return text, [a for a in dict.fromkeys(aliases) if a and a != text]


def _documents(person: Person, rng: random.Random) -> str:
    docs = []
    for passport in person.passports:
        number = passport.number
        if rng.random() < DOCUMENT_TYPO:
            i = rng.randrange(len(number))
            number = number[:i] + rng.choice("0123456789") + number[i + 1 :]
        docs.append(f"passport:{passport.country}:{number}")
    if len(docs) > 1 and rng.random() < 0.4:
        docs = docs[:1]
    return "|".join(docs)


def _address(
    person: Person, habits: Mapping[str, Any], rng: random.Random, deported: date | None
) -> str:
    if rng.random() >= float(habits["address"]):
        return ""
    places = habits.get("places")
    if deported is not None and places:
        return f"{rng.choice(places)}; sınır dışı {deported.isoformat()}"
    return person.city[0]


def list_rows(
    code: str,
    habits: Mapping[str, Any],
    people: list[Person],
    rng: random.Random,
    tables: Tables,
    deported: Mapping[str, date],
    today: date | None = None,
) -> list[dict[str, str]]:
    """The rows of one owner's person file, in file order, with ``person_id`` for the truth;
    review-by dates count from ``today`` (the same random draws whatever the day)."""
    review_from = (today or utcnow().date()) - timedelta(days=OVERDUE_DAYS)
    rows = []
    first = rng.randrange(100, 5000)
    for n, person in enumerate(people):
        name, aliases = _name_and_aliases(person, habits, rng, tables)
        nationalities = person.nationalities
        if len(nationalities) > 1 and rng.random() < 0.4:
            nationalities = nationalities[:1]
        rows.append(
            {
                "record_id": f"{habits['record_prefix']}{first + n:05d}",
                "name": name,
                "aliases": "|".join(aliases),
                "birth_date": listed_birth(person.birth, rng, habits["birth_date"]),
                "nationality": "|".join(nationalities) if rng.random() < 0.95 else "",
                "gender": person.gender if rng.random() < 0.95 else "",
                "documents": _documents(person, rng)
                if rng.random() < float(habits["documents"])
                else "",
                "address": _address(person, habits, rng, deported.get(person.pid)),
                "handling_code": choose(rng, habits["handling"]),
                "source_grade": choose(rng, SOURCE_GRADES),
                "information_grade": choose(rng, INFORMATION_GRADES),
                "legal_basis": str(habits["legal_basis"]),
                "review_by": (review_from + timedelta(days=rng.randrange(1000))).isoformat(),
                "person_id": person.pid,
            }
        )
    return rows
