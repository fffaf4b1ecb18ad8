"""The people of the synthetic world: fighters and innocent travellers, from one distribution.

Every person gets a name built from the tables (ism, father's name, family name or nisba; now
and then a double given name `Mohamed Amine`, a nasab `ben Salah`, a particle family name
`Ould Ahmed`; European names for converts and European-named travellers), a true birth date,
nationalities, passports spelled the way the issuing country spells (a Belgian passport has
the Belgian spelling), a mother and a residence. Fighters also get a kunya `Abu X al-<nisba>`.

Fighters and innocents are drawn from the *same* name distribution for a given nationality,
so nothing but evidence can tell them apart; some innocents even carry a fighter's full name
with their own birth date, which is the hard case screening must survive.
"""

from __future__ import annotations

import itertools
import random
import string
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Generic, TypeVar

from ftfhub.scenario.spelling import compose_family, feminine, spell
from ftfhub.scenario.tables import REGIONS, Country, NamePart, Tables

T = TypeVar("T")

SAME_NAME_SHARE = 0.03  # innocents who carry a fighter's full name
DUAL_NATIONALITY = 0.35  # people of Maghreb or Turkish origin in Europe with a second passport
PASSPORT_DRIFT = 0.08  # a civil registry's own slip, fixed for life in the passport
FEMALE_FIGHTERS = 0.1
EU = ("BE", "FR", "DE", "NL", "AT", "SE", "DK")


# Kunyas with a country nisba that belonged to publicly known fighters: the generator makes
# people up from common parts, so it must not recreate these.
REAL_KUNYAS = frozenset({("umar", "BE"), ("umar", "RU"), ("muhammad", "GB")})


@dataclass(frozen=True)
class Passport:
    """An identity document and the name as it prints it (the national spelling)."""

    country: str
    number: str
    given: str
    family: str
    type: str = "P"  # "P" passport, "I" identity card


@dataclass(frozen=True, eq=False)
class Person:
    """One person of the world, with the truth about them."""

    pid: str
    role: str  # "fighter" or "innocent"
    gender: str
    birth: date
    nationalities: tuple[str, ...]
    region: str  # maghreb, mashriq, turkish, caucasus, southasia or european
    given: tuple[NamePart, ...]
    father: NamePart
    family: NamePart
    nasab: bool  # the name is written `ism bin father family`
    mother: NamePart
    mother_family: NamePart
    passports: tuple[Passport, ...]
    id_card: Passport | None
    city: tuple[str, str]  # residence, (Latin, Arabic)
    kunya: NamePart | None = None  # the X of `Abu X`
    kunya_country: str = ""  # whose nisba the kunya carries

    @property
    def convert(self) -> bool:
        return self.role == "fighter" and self.region == "european"


class _Weighted(Generic[T]):
    """Items with weights, drawn in O(log n) with cumulative weights."""

    def __init__(self, items: Sequence[T], weights: Sequence[float]) -> None:
        pairs = [(item, w) for item, w in zip(items, weights, strict=True) if w > 0]
        self.items = [item for item, _ in pairs]
        self.cum = list(itertools.accumulate(w for _, w in pairs))

    def draw(self, rng: random.Random) -> T:
        return rng.choices(self.items, cum_weights=self.cum)[0]


def _by_region(parts: Sequence[NamePart], region: str) -> _Weighted[NamePart]:
    return _Weighted(parts, [p.weight * (region in p.regions) for p in parts])


class NamePool:
    """The name distribution of the world, per region, language and gender."""

    def __init__(self, tables: Tables) -> None:
        self.tables = tables
        self.male = _Weighted(tables.male, [p.weight for p in tables.male])
        self.kunya = _Weighted(tables.male, [p.kunya_weight for p in tables.male])
        self.female = _Weighted(tables.female, [p.weight for p in tables.female])
        self.family = {region: _by_region(tables.family, region) for region in REGIONS}
        self.prefix = {r: _by_region(tables.prefixes, r) for r in ("maghreb", "mashriq")}
        self._european: dict[tuple[str, str], _Weighted[NamePart]] = {}
        self._composed: dict[str, NamePart] = {}

    def european(self, rng: random.Random, lang: str, gender: str) -> NamePart:
        """A European given name (gender m/f) or family name (gender "")."""
        if (lang, gender) not in self._european:
            parts = self.tables.european_given if gender else self.tables.european_family
            pool = [p for p in parts if lang in p.regions and (not gender or p.gender == gender)]
            self._european[lang, gender] = _Weighted(pool, [p.weight for p in pool])
        return self._european[lang, gender].draw(rng)

    def family_name(self, rng: random.Random, region: str) -> NamePart:
        """A family name of the region; sometimes a particle and a given name (`Ben Ali`)."""
        particle = {"maghreb": 0.18, "mashriq": 0.06}.get(region, 0.0)
        if rng.random() >= particle:
            return self.family[region].draw(rng)
        prefix, given = self.prefix[region].draw(rng), self.male.draw(rng)
        key = f"{prefix.key}_{given.key}"
        if key not in self._composed:
            self._composed[key] = compose_family(prefix, given)
        return self._composed[key]


@dataclass(frozen=True)
class _Name:
    region: str
    given: tuple[NamePart, ...]
    father: NamePart
    family: NamePart
    nasab: bool
    mother: NamePart
    mother_family: NamePart


def _weighted_pairs(rng: random.Random, pairs: Sequence[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in pairs], weights=[w for _, w in pairs])[0]


def _pattern(rng: random.Random, pattern: str) -> str:
    consonants = "CFGHJKLMNPRTVWXYZ" + string.digits
    out = []
    for ch in pattern:
        if ch == "@":
            out.append(rng.choice(string.ascii_uppercase))
        elif ch == "#":
            out.append(rng.choice(string.digits))
        elif ch == "*":
            out.append(rng.choice(consonants))
        else:
            out.append(ch)
    return "".join(out)


def passport_convention(region: str, country: Country, rng: random.Random) -> str:
    """How the issuing registry spells a name of this origin.

    European registries copy the spelling of the family's documents of origin (Maghreb
    families bring French-style spellings, Turkish families Turkish ones); other countries
    spell by their own convention.
    """
    if country.iso2 not in EU and country.iso2 != "GB":
        return country.convention
    if region == "maghreb":
        return "fr"
    if region == "turkish":
        return "tr"
    if region in ("southasia", "caucasus", "european"):
        return "en"
    if country.convention == "de":
        return rng.choice(("de", "mrz"))
    return country.convention


def _document(rng: random.Random, name: _Name, country: Country, kind: str) -> Passport:
    conv = passport_convention(name.region, country, rng)
    given = " ".join(spell(p, conv, rng, PASSPORT_DRIFT) for p in name.given)
    if name.nasab and country.iso2 == "TN":
        given += " Ben " + spell(name.father, conv, rng)
    family = spell(name.family, conv, rng, PASSPORT_DRIFT)
    if conv == "mrz":  # the ASCII column is in capitals; the data page prints title case
        given, family = given.title(), family.title()
    pattern = country.passport if kind == "P" else country.id_card
    return Passport(country.iso2, _pattern(rng, pattern), given, family, kind)


def _birth(rng: random.Random, fighter: bool) -> date:
    if fighter:
        year = round(rng.triangular(1972, 1999, 1990))
    else:
        year = rng.choice((round(rng.triangular(1945, 2012, 1985)), rng.randint(1950, 2010)))
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _name(rng: random.Random, pool: NamePool, country: Country, gender: str) -> _Name:
    if country.european_langs and rng.random() < country.european_share:
        lang = rng.choice(country.european_langs)
        family = pool.european(rng, lang, "")
        first, father = pool.european(rng, lang, gender), pool.european(rng, lang, "m")
        mother = pool.european(rng, lang, "f")
        return _Name("european", (first,), father, family, False, mother, family)
    region = _weighted_pairs(rng, country.regions)
    given: tuple[NamePart, ...] = ((pool.male if gender == "m" else pool.female).draw(rng),)
    if gender == "m" and region == "maghreb" and rng.random() < 0.08:
        first = pool.tables.male_by_key["muhammad"] if rng.random() < 0.7 else pool.male.draw(rng)
        given = (first, given[0]) if first is not given[0] else given
    family = pool.family_name(rng, region)
    nasab = rng.random() < {"TN": 0.35}.get(country.iso2, 0.12 if region == "mashriq" else 0.03)
    return _Name(
        region=region,
        given=given,
        father=pool.male.draw(rng),
        family=feminine(family) if gender == "f" else family,
        nasab=nasab,
        mother=pool.female.draw(rng),
        mother_family=feminine(pool.family_name(rng, region)),
    )


def _nationalities(
    rng: random.Random, tables: Tables, primary: str, region: str
) -> tuple[str, ...]:
    country = tables.countries[primary]
    if primary in EU or primary == "GB":
        if region == "maghreb" and country.dual and rng.random() < DUAL_NATIONALITY:
            return primary, _weighted_pairs(rng, country.dual)
        if region == "turkish" and rng.random() < DUAL_NATIONALITY:
            return primary, "TR"
    return (primary,)


def make_person(
    rng: random.Random,
    pool: NamePool,
    pid: str,
    role: str,
    primary: str,
    gender: str,
    name: _Name | None = None,
) -> Person:
    """One person of the given nationality, with a name from that nationality's distribution."""
    tables = pool.tables
    country = tables.countries[primary]
    name = name or _name(rng, pool, country, gender)
    nationalities = _nationalities(rng, tables, primary, name.region)
    passports = tuple(_document(rng, name, tables.countries[c], "P") for c in nationalities)
    id_card = _document(rng, name, country, "I") if country.id_card else None
    kunya, kunya_country = None, ""
    if role == "fighter":
        kunya = pool.kunya.draw(rng)
        kunya_country = primary if rng.random() < 0.75 else nationalities[-1]
        if name.region == "caucasus":
            kunya_country = "RU"
        while (kunya.key, kunya_country) in REAL_KUNYAS:  # never a real person's nom de guerre
            kunya = pool.kunya.draw(rng)
    return Person(
        pid=pid,
        role=role,
        gender=gender,
        birth=_birth(rng, role == "fighter"),
        nationalities=nationalities,
        region=name.region,
        given=name.given,
        father=name.father,
        family=name.family,
        nasab=name.nasab,
        mother=name.mother,
        mother_family=name.mother_family,
        passports=passports,
        id_card=id_card,
        city=rng.choice(country.cities),
        kunya=kunya,
        kunya_country=kunya_country,
    )


def _namesake(rng: random.Random, pool: NamePool, pid: str, fighter: Person) -> Person:
    """An innocent with a fighter's given and family name (half the time the father's name
    too), and their own birth date, passports and life."""
    primary = fighter.nationalities[0] if rng.random() < 0.6 else fighter.nationalities[-1]
    if fighter.region == "european":
        mother, mother_family = pool.european(rng, fighter.family.regions[0], "f"), fighter.family
    else:
        mother, mother_family = (
            pool.female.draw(rng),
            feminine(pool.family_name(rng, fighter.region)),
        )
    father = fighter.father if rng.random() < 0.5 else pool.male.draw(rng)
    name = _Name(
        fighter.region, fighter.given, father, fighter.family, fighter.nasab, mother, mother_family
    )
    person = make_person(rng, pool, pid, "innocent", primary, fighter.gender, name)
    birth = person.birth
    while abs((birth - fighter.birth).days) < 30:
        birth = _birth(rng, False)
    return replace(person, birth=birth)


def make_people(seed: int, tables: Tables, fighters: int, travellers: int) -> list[Person]:
    """The world's population: ``fighters`` fighters, then ``travellers`` innocents."""
    rng = random.Random(f"{seed}:people")
    pool = NamePool(tables)
    codes = list(tables.countries)
    fighter_nat: _Weighted[str] = _Weighted(
        codes, [tables.countries[c].fighter_weight for c in codes]
    )
    traveller_nat: _Weighted[str] = _Weighted(
        codes, [tables.countries[c].traveller_weight for c in codes]
    )
    people: list[Person] = []
    for i in range(fighters):
        primary = fighter_nat.draw(rng)
        gender = "f" if rng.random() < FEMALE_FIGHTERS else "m"
        people.append(make_person(rng, pool, f"P{i + 1:06d}", "fighter", primary, gender))
    fighter_people = list(people)
    for j in range(travellers):
        pid = f"P{fighters + j + 1:06d}"
        if fighter_people and rng.random() < SAME_NAME_SHARE:
            people.append(_namesake(rng, pool, pid, rng.choice(fighter_people)))
            continue
        primary = traveller_nat.draw(rng)
        gender = "m" if rng.random() < 0.52 else "f"
        people.append(make_person(rng, pool, pid, "innocent", primary, gender))
    return people
