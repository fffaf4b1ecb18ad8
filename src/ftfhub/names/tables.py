"""The name-part tables of `data/name_parts.yaml`, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from ftfhub.names.arabic import normalise


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
    arabic_country_nisbas: frozenset[str]
    # Titles kept as name parts (`honorifics`), with `titles`: words that agree as a part
    # but never stand for the given name (`matching/part_terms.py`).
    title_words: frozenset[str] = frozenset()

    def is_country_nisba(self, text: str, script: str) -> bool:
        """`almani`, `tunsiya`, `الماني`, `التونسيه`: a nisba naming a country or people."""
        if script == "arabic":
            core = (
                text[2:]
                if text.startswith("ال") and text[2:] in self.arabic_country_nisbas
                else text
            )
            return (
                core in self.arabic_country_nisbas
                or core.removesuffix("ه") in self.arabic_country_nisbas
            )
        if text in self.nisba_country:
            return True
        for feminine in ("iyyah", "iyya", "iyah", "iya", "iye", "ia", "ya", "ye", "ah", "a"):
            stem = text.removesuffix(feminine)
            if stem != text and (stem + "i" in self.nisba_country or stem in self.nisba_country):
                return True
        return False


@lru_cache(maxsize=1)
def tables() -> NameTables:
    text = (resources.files("ftfhub.names") / "data" / "name_parts.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    nisba = {form: code for code, forms in data["country_nisbas"].items() for form in forms}
    arabic_nisbas = frozenset(normalise(str(f)) for f in data["country_nisbas_arabic"])
    return NameTables(
        titles=frozenset(data["titles"]),
        title_words=frozenset(data["titles"]) | frozenset(data["honorifics"]),
        connectors=frozenset(data["connectors"]),
        articles=frozenset(data["articles"]),
        nasab=frozenset(data["nasab"]),
        kunya=frozenset(data["kunya"]),
        abd_heads=frozenset(data["abd_heads"]),
        din_tails=frozenset(data["din_tails"]),
        nisba_country=nisba,
        arabic_country_nisbas=arabic_nisbas,
    )
