"""The captured IS personnel registration forms (owner HUB), as CSV with the forms' Arabic labels.

Two batches from two seizures, two versions of the form: batch A has separate birth-date and
nationality fields, batch B the combined `تاريخ الميلاد والجنسية` (`1985 بلجيكي`). The name is
in Arabic script (now and then in Latin letters), with the kunya, the mother's name, a birth
date often year-only or Hijri, the nationality as an Arabic demonym or country name, the
residence, the entry point and date, and the recommender, often by another fighter's kunya.
Fields are missing as often as the habits in ``owners.yaml`` say.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import date
from typing import Any

from ftfhub.scenario.dates import arabic_digits, captured_birth, captured_event, choose
from ftfhub.scenario.people import Person
from ftfhub.scenario.render import arabic_kunya, arabic_name, document_for
from ftfhub.scenario.tables import Tables

FORM_ID = "رقم الاستمارة"
NAME = "الاسم"
KUNYA = "الكنية"
MOTHER = "اسم الأم"
BIRTH = "تاريخ الميلاد"
NATIONALITY = "الجنسية"
BIRTH_NATIONALITY = "تاريخ الميلاد والجنسية"
ADDRESS = "العنوان ومكان الإقامة"
ENTRY_POINT = "منفذ الدخول"
ENTRY_DATE = "تاريخ الدخول"
RECOMMENDER = "المزكي"
EXTRA = {
    "فصيلة الدم": "blood",
    "الحالة الاجتماعية": "marital",
    "التحصيل الدراسي": "education",
    "المستوى الشرعي": "sharia",
    "المهنة": "occupation",
    "هل سبق له الجهاد": "prior_jihad",
    "الاختصاص": "role",
}


def form_columns(combined: bool) -> tuple[str, ...]:
    """The header of a batch: separate or combined birth date and nationality."""
    identity = (BIRTH_NATIONALITY,) if combined else (BIRTH, NATIONALITY)
    head = (FORM_ID, NAME, KUNYA, MOTHER, *identity)
    return (*head, ADDRESS, ENTRY_POINT, ENTRY_DATE, RECOMMENDER, *EXTRA)


def _nationality(person: Person, rng: random.Random, habits: Mapping[str, Any], t: Tables) -> str:
    country = t.countries[person.nationalities[0]]
    kind = choose(rng, habits["nationality"])
    if kind == "demonym":
        return country.demonym_ar + ("ة" if person.gender == "f" else "")
    if kind == "country":
        return country.name_ar
    if kind == "iso":
        return country.iso2
    return ""


def _mother(person: Person, rng: random.Random, habits: Mapping[str, Any]) -> str:
    if rng.random() >= float(habits["mother"]):
        return ""
    if rng.random() < float(habits["mother_family"]):
        return f"{person.mother.ar} {person.mother_family.ar}"
    return person.mother.ar


def _recommender(
    person: Person,
    rng: random.Random,
    habits: Mapping[str, Any],
    fighters: list[Person],
    tables: Tables,
) -> str:
    if rng.random() >= float(habits["recommender"]) or len(fighters) < 2:
        return ""
    same = [p for p in fighters if p.nationalities[0] == person.nationalities[0]]
    pool = (
        same
        if len(same) > 1 and rng.random() < float(habits["recommender_same_country"])
        else fighters
    )
    other = rng.choice(pool)
    while other is person:
        other = rng.choice(fighters)
    if rng.random() < 0.15:
        return arabic_name(other, rng, father=0.0, drift=0.3)
    return arabic_kunya(other, rng, tables, drift=0.3)


def _maybe_digits(text: str, rng: random.Random, share: float) -> str:
    return arabic_digits(text) if text and rng.random() < share else text


def form_row(
    person: Person,
    form_id: str,
    combined: bool,
    rng: random.Random,
    habits: Mapping[str, Any],
    context: tuple[Tables, list[Person], Mapping[str, date]],
) -> dict[str, str]:
    """One filled-in form; ``person_id`` is added for the ground truth, not written."""
    tables, fighters, entry = context
    vocab = tables.captured
    digits = float(habits["arabic_digits"])
    doc = document_for(person, rng)
    if doc is not None and rng.random() < float(habits["latin_name"]):
        name = f"{doc.given} {doc.family}"
    else:
        name = arabic_name(
            person,
            rng,
            father=float(habits["father_in_name"]),
            drift=float(habits["arabic_drift"]),
        )
    kunya = ""
    if rng.random() < float(habits["kunya"]):
        kunya = arabic_kunya(person, rng, tables, drift=float(habits["arabic_drift"]))
    birth = _maybe_digits(captured_birth(person.birth, rng, habits["birth_date"]), rng, digits)
    nationality = _nationality(person, rng, habits, tables)
    country = tables.countries[person.nationalities[0]]
    address = ""
    if rng.random() < float(habits["address"]):
        city = person.city[1]
        address = f"{city}، {country.name_ar}" if rng.random() < 0.6 else city
    entry_date = ""
    if rng.random() < float(habits["entry_date"]):
        day = entry[person.pid]
        entry_date = _maybe_digits(
            captured_event(day, rng, float(habits["entry_date_hijri"])), rng, digits
        )
    row = {FORM_ID: form_id, NAME: name, KUNYA: kunya, MOTHER: _mother(person, rng, habits)}
    if combined:
        row[BIRTH_NATIONALITY] = f"{birth} {nationality}".strip()
    else:
        row[BIRTH], row[NATIONALITY] = birth, nationality
    row[ADDRESS] = address
    row[ENTRY_POINT] = rng.choice(vocab["entry_points"]) if rng.random() < 0.85 else ""
    row[ENTRY_DATE] = entry_date
    row[RECOMMENDER] = _recommender(person, rng, habits, fighters, tables)
    for label, key in EXTRA.items():
        row[label] = rng.choice(vocab[key]) if rng.random() < 0.8 else ""
    row["person_id"] = person.pid
    return row


def captured_batches(
    forms: list[Person],
    rng: random.Random,
    habits: Mapping[str, Any],
    tables: Tables,
    fighters: list[Person],
    entry: Mapping[str, date],
) -> list[tuple[str, tuple[str, ...], list[dict[str, str]]]]:
    """(file name, header, rows) per batch; a fighter registered twice lands in both."""
    batches = tables.captured["batches"]
    assigned: list[list[Person]] = [[] for _ in batches]
    seen: dict[str, int] = {}
    for person in forms:
        index = rng.randrange(len(batches))
        if person.pid in seen:
            index = (seen[person.pid] + 1) % len(batches)
        seen[person.pid] = index
        assigned[index].append(person)
    out = []
    context = (tables, fighters, entry)
    for batch, people in zip(batches, assigned, strict=True):
        rng.shuffle(people)
        combined = bool(batch["combined_birth_nationality"])
        first = rng.randrange(1, 900)
        rows = [
            form_row(person, f"{batch['prefix']}{first + n:04d}", combined, rng, habits, context)
            for n, person in enumerate(people)
        ]
        out.append((str(batch["file"]), form_columns(combined), rows))
    return out
