"""The tables of the synthetic world, read from ``scenario/data`` into typed, immutable objects.

Names, particles, countries, routes and owner habits are data (CSV/YAML) so that a reader can
check a spelling or a habit without reading code; this module only parses them (once, cached).
A name part carries its Arabic-script form and its romanisations per convention:

- ``fr`` French / Maghreb civil registries (Abdelhamid, Youssef, Ouardi, ch for sh, dj for j)
- ``de`` German transcription (Jussuf, Abdul Salam, sch, dsch, w for v)
- ``en`` English (Muhammad, Yusuf, Abdulsalam, sh, j, kh)
- ``tr`` Turkish orthography (Muhammet, Abdüsselam, ş ç ğ ü ı, c for j)
- ``mrz`` passport ASCII of Levantine and Iraqi documents (MOHAMMED, ALAMRANI)
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml
from unidecode import unidecode

CONVENTIONS = ("fr", "de", "en", "tr", "mrz")
REGIONS = ("maghreb", "mashriq", "turkish", "caucasus", "southasia")


@dataclass(frozen=True, eq=False)
class NamePart:
    """One name (given name, family name, particle) and how each convention writes it."""

    key: str
    ar: str
    spellings: dict[str, tuple[str, ...]]
    weight: float = 1.0
    kunya_weight: float = 0.0
    regions: tuple[str, ...] = ()
    gender: str = "m"
    european: bool = False
    join: float = 0.0  # particles only: how often fr fuses it with the next name

    def variants(self, convention: str) -> tuple[str, ...]:
        """The spellings of one convention, the usual one first."""
        return self.spellings.get(convention) or self.spellings["en"]


@dataclass(frozen=True, eq=False)
class Country:
    """A nationality: codes, Arabic names, kunya nisba, naming habits, passports, cities."""

    iso2: str
    iso3: str
    name_ar: str
    demonym_ar: str
    nisba_ar: str
    nisba: dict[str, tuple[str, ...]]
    convention: str
    regions: tuple[tuple[str, float], ...]
    european_share: float
    european_langs: tuple[str, ...]
    fighter_weight: float
    traveller_weight: float
    passport: str
    cities: tuple[tuple[str, str], ...]  # (Latin, Arabic)
    id_card: str = ""
    dual: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Route:
    """A flight of the manifests and the habits of the airline system that sends it."""

    flight: str
    origin: str
    destination: str
    date_format: str  # "iso" or "yymmdd"
    nationality_code: str  # "alpha3" or "alpha2"
    name_format: str  # "mrz" or "plain"
    served: tuple[str, ...]
    weight: float
    leg: str  # "first" (border -> hub airport), "home" (hub -> Europe), "out"


@dataclass(frozen=True)
class Tables:
    """Everything the world is built from."""

    male: tuple[NamePart, ...]
    female: tuple[NamePart, ...]
    family: tuple[NamePart, ...]
    prefixes: tuple[NamePart, ...]
    european_given: tuple[NamePart, ...]
    european_family: tuple[NamePart, ...]
    countries: dict[str, Country]
    routes: tuple[Route, ...]
    owners: dict[str, Any]
    captured: dict[str, Any]
    male_by_key: dict[str, NamePart] = field(default_factory=dict)


def _text(name: str) -> str:
    return resources.files("ftfhub.scenario").joinpath("data").joinpath(name).read_text("utf-8")


def _rows(name: str) -> list[dict[str, str]]:
    lines = [line for line in _text(name).splitlines() if not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split("|") if part.strip())


def _weights(value: str) -> tuple[tuple[str, float], ...]:
    return tuple((key, float(weight)) for key, weight in (p.split(":") for p in _split(value)))


def _spellings(row: dict[str, str]) -> dict[str, tuple[str, ...]]:
    return {conv: _split(row[conv]) for conv in CONVENTIONS if row.get(conv)}


def _arabic_parts(name: str, gender: str = "m", **extra: Any) -> tuple[NamePart, ...]:
    return tuple(
        NamePart(
            key=row["key"],
            ar=row["ar"],
            spellings=_spellings(row),
            weight=float(row["weight"]),
            kunya_weight=float(row.get("kunya") or 0),
            regions=_split(row.get("regions", "")),
            gender=gender,
            join=float(row.get("join") or 0),
            **extra,
        )
        for row in _rows(name)
    )


def _european(name: str) -> tuple[NamePart, ...]:
    parts = []
    for row in _rows(name):
        latin = row["name"]
        plain = unidecode(latin)
        forms: tuple[str, ...] = (latin, plain) if plain != latin else (latin,)
        spellings = {conv: forms for conv in CONVENTIONS}
        parts.append(
            NamePart(
                key=latin,
                ar=row["ar"],
                spellings=spellings,
                weight=float(row["weight"]),
                regions=_split(row["langs"]),
                gender=row.get("gender") or "m",
                european=True,
            )
        )
    return tuple(parts)


def _family(male_by_key: dict[str, NamePart]) -> tuple[NamePart, ...]:
    listed = _arabic_parts("family.csv")
    reused = tuple(
        NamePart(
            key=f"{row['key']}_family",
            ar=male_by_key[row["key"]].ar,
            spellings=male_by_key[row["key"]].spellings,
            weight=float(row["weight"]),
            regions=_split(row["regions"]),
        )
        for row in _rows("family_from_given.csv")
    )
    return listed + reused


def _countries() -> dict[str, Country]:
    countries = {}
    for row in _rows("countries.csv"):
        regions = _weights(row["regions"])
        cities = tuple(
            (latin, arabic) for latin, arabic in (pair.split(":") for pair in _split(row["cities"]))
        )
        countries[row["iso2"]] = Country(
            iso2=row["iso2"],
            iso3=row["iso3"],
            name_ar=row["name_ar"],
            demonym_ar=row["demonym_ar"],
            nisba_ar=row["nisba_ar"],
            nisba={c: _split(row[f"nisba_{c}"]) for c in CONVENTIONS if row.get(f"nisba_{c}")},
            convention=row["convention"],
            regions=regions,
            european_share=float(row["european_share"]),
            european_langs=_split(row["european_langs"]),
            fighter_weight=float(row["fighter_weight"]),
            traveller_weight=float(row["traveller_weight"]),
            passport=row["passport"],
            cities=cities,
            id_card=row["id_card"],
            dual=_weights(row["dual"]),
        )
    return countries


def _routes() -> tuple[Route, ...]:
    return tuple(
        Route(
            flight=row["flight"],
            origin=row["origin"],
            destination=row["destination"],
            date_format=row["date_format"],
            nationality_code=row["nationality_code"],
            name_format=row["name_format"],
            served=_split(row["served"]),
            weight=float(row["weight"]),
            leg=row["leg"],
        )
        for row in _rows("routes.csv")
    )


@lru_cache(maxsize=1)
def load_tables() -> Tables:
    """All tables of ``scenario/data``, parsed once."""
    male = _arabic_parts("given_male.csv") + _arabic_parts("given_compound.csv")
    male_by_key = {part.key: part for part in male}
    return Tables(
        male=male,
        female=_arabic_parts("given_female.csv", gender="f"),
        family=_family(male_by_key),
        prefixes=_arabic_parts("prefix.csv"),
        european_given=_european("european_given.csv"),
        european_family=_european("european_family.csv"),
        countries=_countries(),
        routes=_routes(),
        owners=yaml.safe_load(_text("owners.yaml")),
        captured=yaml.safe_load(_text("captured.yaml")),
        male_by_key=male_by_key,
    )
