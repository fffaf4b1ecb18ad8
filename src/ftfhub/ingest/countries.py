"""Country names, demonyms and codes as sources write them, to ISO 3166 alpha-2.

The table is data (`data/countries.csv`): every ISO alpha-2 code with its alpha-3 code, English
and Arabic names (from CLDR, extended by hand with the spellings seen on forms), Arabic and
English demonyms for the countries foreign fighters came from, and the extra codes travel
documents use (`D` for Germany, `GBD`/`GBN`… for British nationals, `RKS` for Kosovo).

Arabic demonyms are stored once, masculine and without the article; the feminine (`بلجيكية`)
and the forms with `ال` (`البلجيكي`, as in a kunya's nisba) are derived here. Lookups compare
loose keys (see :func:`lookup_key`), so hamza, harakat, tatweel and `ة`/`ه` spelling do not
matter.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from importlib import resources

# Codes that travel documents carry instead of a nationality (ICAO 9303): no country.
NON_NATIONAL_CODES = {
    "XXA": "stateless person",
    "XXB": "refugee (1951 Convention)",
    "XXC": "refugee (other)",
    "XXX": "unspecified nationality",
    "UNO": "United Nations official",
    "UNA": "United Nations specialised agency",
    "UNK": "UN interim administration in Kosovo",
    "EUE": "European Union",
}

_HARAKAT = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ALEFS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"}
)
_NOT_LETTERS = re.compile(r"[^\w]+")
_ARTICLE = "ال"
_SEPARATORS = re.compile(r"\s*[/|,،;؛+]\s*|\s+-\s+")


def lookup_key(text: str) -> str:
    """A loose comparison key for labels and names in Arabic or Latin script.

    NFKC, lower case, harakat and tatweel removed, alef/hamza variants to bare alef, alef
    maqsura to ya, ta marbuta to ha, punctuation and runs of spaces to one space.
    """
    text = unicodedata.normalize("NFKC", text).lower()
    text = _HARAKAT.sub("", text).translate(_ALEFS)
    return " ".join(_NOT_LETTERS.sub(" ", text).split())


def _without_article(key: str) -> str:
    """Drop `ال` from the first word (`البلجيكي` → `بلجيكي`), if it leaves a word."""
    if key.startswith(_ARTICLE) and len(key.split(" ")[0]) > len(_ARTICLE) + 1:
        return key[len(_ARTICLE) :]
    return key


def _multi(value: str) -> list[str]:
    return [part.strip() for part in value.split("|") if part.strip()]


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, str], dict[str, str], set[str]]:
    """(codes → alpha-2, name and demonym keys → alpha-2, ambiguous keys)."""
    codes: dict[str, str] = {}
    names: dict[str, str] = {}
    ambiguous: set[str] = set()

    def add(key: str, alpha2: str) -> None:
        if not key:
            return
        if names.get(key, alpha2) != alpha2:
            ambiguous.add(key)
        names[key] = alpha2

    text = resources.files("ftfhub.ingest").joinpath("data/countries.csv").read_text("utf-8")
    for row in csv.DictReader(text.splitlines()):
        alpha2 = row["alpha2"]
        for code in [alpha2, row["alpha3"], *_multi(row["other_codes"])]:
            codes[code.upper()] = alpha2
        for name in _multi(row["english"]) + _multi(row["english_demonyms"]):
            add(lookup_key(name), alpha2)
        for name in _multi(row["arabic_names"]):
            key = lookup_key(name)
            add(key, alpha2)
            add(_without_article(key), alpha2)
        for demonym in _multi(row["arabic_demonyms"]):
            masculine = _without_article(lookup_key(demonym))
            for form in (masculine, masculine + "ه"):  # feminine: ta marbuta, folded to ha
                add(form, alpha2)
                add(_ARTICLE + form, alpha2)
    for key in ambiguous:
        del names[key]
    return codes, names, ambiguous


def ambiguous_keys() -> set[str]:
    """Keys that name two countries in the table and are therefore never resolved."""
    return set(_tables()[2])


def to_alpha2(text: str) -> str | None:
    """ISO alpha-2 for a code, an English or Arabic country name or demonym; None if unknown.

    Accepts `BE`, `BEL`, `be`, MRZ codes (`D<<` → DE), `Belgium`, `Belgian`, `بلجيكا`,
    `بلجيكي`, `البلجيكية`, `الشيشاني` (→ RU).
    """
    codes, names, _ = _tables()
    stripped = text.strip().strip("<").strip()
    if not stripped:
        return None
    if stripped.isascii() and stripped.isalpha() and len(stripped) <= 3:
        code = codes.get(stripped.upper())
        if code is not None:
            return code
    key = lookup_key(stripped)
    found = names.get(key) or names.get(_without_article(key))
    if found is None and key.startswith("و"):  # "and …" in "بلجيكي ومغربي"
        found = names.get(key[1:]) or names.get(_without_article(key[1:]))
    return found


def to_alpha2_many(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """All countries named in one cell (`بلجيكي / مغربي`, `BE|MA`): (codes, unknown parts).

    The whole cell is tried first, so names containing a separator (`Bosnia and
    Herzegovina`, `البوسنة والهرسك`) still resolve.
    """
    text = text.strip()
    if not text:
        return (), ()
    whole = to_alpha2(text)
    if whole is not None:
        return (whole,), ()
    parts = [p for p in _SEPARATORS.split(text) if p.strip()]
    if len(parts) == 1:
        parts = _split_conjunction(text)
    found: list[str] = []
    unknown: list[str] = []
    for part in parts:
        code = to_alpha2(part)
        if code is None:
            unknown.append(part.strip())
        elif code not in found:
            found.append(code)
    return tuple(found), tuple(unknown)


def _split_conjunction(text: str) -> list[str]:
    """`بلجيكي ومغربي` / `Belgian and Moroccan` → the two parts; else the text itself."""
    words = text.split()
    for index in range(1, len(words)):
        word = words[index]
        if word.lower() == "and" and index + 1 < len(words):
            return [" ".join(words[:index]), " ".join(words[index + 1 :])]
        if word.startswith("و") and to_alpha2(word[1:]) and to_alpha2(" ".join(words[:index])):
            return [" ".join(words[:index]), " ".join(words[index:])]
    return [text]
