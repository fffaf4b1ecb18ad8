"""The name-part tables of `data/name_parts.yaml`, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml


@dataclass(frozen=True)
class NameTables:
    titles: frozenset[str]
    connectors: frozenset[str]
    articles: frozenset[str]
    nasab: frozenset[str]
    kunya: frozenset[str]
    abd_heads: frozenset[str]
    din_tails: frozenset[str]
    nisba_country: dict[str, str]


@lru_cache(maxsize=1)
def tables() -> NameTables:
    text = (resources.files("ftfhub.names") / "data" / "name_parts.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    nisba = {form: code for code, forms in data["country_nisbas"].items() for form in forms}
    return NameTables(
        titles=frozenset(data["titles"]),
        connectors=frozenset(data["connectors"]),
        articles=frozenset(data["articles"]),
        nasab=frozenset(data["nasab"]),
        kunya=frozenset(data["kunya"]),
        abd_heads=frozenset(data["abd_heads"]),
        din_tails=frozenset(data["din_tails"]),
        nisba_country=nisba,
    )
