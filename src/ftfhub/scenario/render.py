"""A person's name as one writer writes it: Latin in a convention, Arabic script, kunya.

A writer either copies the passport (the national spelling, already fixed for life) or
transcribes the name in its own convention, with its own slips; it may add the father's name
(`Mohamed Ben Salah Jebali` for a nasab), put the family name first (`EL-AMRANI, Jussuf`), and
write the kunya `Abu Yahya al-Baljiki` in its convention or `أبو يحيى البلجيكي` in Arabic.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from ftfhub.scenario.people import Passport, Person
from ftfhub.scenario.spelling import arabic_drift, latin_drift, pick, spell
from ftfhub.scenario.tables import Tables

_ABU = {"fr": ("Abou", "Abu"), "de": ("Abu",), "en": ("Abu",), "tr": ("Ebu",), "mrz": ("Abu",)}
_UMM = {"fr": ("Oum", "Umm"), "de": ("Umm",), "en": ("Umm", "Um"), "tr": ("Ümmü",), "mrz": ("Umm",)}
_BIN = {"fr": ("Ben",), "de": ("Bin", "Ben"), "en": ("bin", "Bin"), "tr": ("bin",), "mrz": ("Bin",)}


@dataclass(frozen=True)
class LatinName:
    """The parts of a name as one writer wrote them."""

    given: str
    family: str
    middle: str = ""  # the father's name, with `ben`/`bin` for a nasab

    def natural(self) -> str:
        """`Given [Father] Family`."""
        return " ".join(part for part in (self.given, self.middle, self.family) if part)

    def family_first(self, upper: bool) -> str:
        """`FAMILY, Given [Father]`."""
        family = self.family.upper() if upper else self.family
        return f"{family}, {' '.join(p for p in (self.given, self.middle) if p)}"


def document_for(person: Person, rng: random.Random, other: float = 0.3) -> Passport | None:
    """The passport a writer copies from: the first, or another of a dual national's."""
    if not person.passports:
        return None
    if len(person.passports) > 1 and rng.random() < other:
        return person.passports[1]
    return person.passports[0]


def latin_name(
    person: Person,
    convention: str,
    rng: random.Random,
    *,
    copy_document: float,
    drift: float,
    father: float,
) -> LatinName:
    """The name in ``convention``, copied from the passport with probability ``copy_document``."""
    doc = document_for(person, rng)
    if doc is not None and rng.random() < copy_document:
        given, family = doc.given, doc.family
        if drift and rng.random() < drift / 2:
            family = latin_drift(family, rng)
    else:
        given = " ".join(spell(p, convention, rng, drift) for p in person.given)
        family = spell(person.family, convention, rng, drift)
    middle = ""
    if person.region != "european" and (
        (person.nasab and rng.random() < 0.6) or rng.random() < father
    ):
        middle = spell(person.father, convention, rng, drift)
        if person.nasab:
            middle = f"{pick(rng, _BIN.get(convention, _BIN['en']))} {middle}"
    return LatinName(given, family, middle)


def latin_kunya(person: Person, convention: str, rng: random.Random, tables: Tables) -> str:
    """`Abu Yahya al-Baljiki` in the writer's convention (`Ebu Yahya el-Belçiki` in Turkish)."""
    if person.kunya is None:
        return ""
    abu = pick(rng, (_UMM if person.gender == "f" else _ABU).get(convention, _ABU["en"]))
    text = f"{abu} {spell(person.kunya, convention, rng, 0.1)}"
    country = tables.countries.get(person.kunya_country)
    if country is not None and rng.random() < 0.85:
        nisba = pick(rng, country.nisba.get(convention) or country.nisba["en"])
        if person.gender == "f":
            nisba += "ye" if convention == "tr" else "ya"
        text = f"{text} {nisba}"
    return text


def arabic_name(person: Person, rng: random.Random, *, father: float, drift: float) -> str:
    """The name in Arabic script: `ism [bin] father family`, as a form's clerk writes it."""
    parts = [" ".join(p.ar for p in person.given)]
    if person.region != "european" and (person.nasab or rng.random() < father):
        parts.append(("بن " if person.nasab else "") + person.father.ar)
    parts.append(person.family.ar)
    text = " ".join(parts)
    return arabic_drift(text, rng) if rng.random() < drift else text


def arabic_kunya(person: Person, rng: random.Random, tables: Tables, drift: float) -> str:
    """`أبو يحيى البلجيكي` (a woman: `أم …` and the feminine nisba)."""
    if person.kunya is None:
        return ""
    text = ("أم " if person.gender == "f" else "أبو ") + person.kunya.ar
    country = tables.countries.get(person.kunya_country)
    if country is not None and rng.random() < 0.85:
        text += " " + country.nisba_ar + ("ة" if person.gender == "f" else "")
    return arabic_drift(text, rng) if rng.random() < drift else text
