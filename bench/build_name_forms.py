"""Build the table of given names' other forms shipped in the package (`names/nicknames.py`).

`Bill` is `William`, `Jim` is `James`, `Sasha` is `Aleksandr`, `Pyotr` is `Peter`: no spelling
rule says so, tables do. Two well-kept ones are read here, at build time, so that ftfhub
carries neither at run time (rigour's tagger takes about 5 CPU seconds and 400 MB to load,
too much for `ftfhub compare` or beside a screening index):

- rigour's person-name symbols (OpenSanctions, MIT): Wikidata's given-name items and
  rigour's nickname groups, asked word by word;
- `nicknames` (Carlton Northern, Apache-2.0): a hand-curated table of English names and
  their nicknames, one group per name (`James`: Jim, Jimmy, Jamie), so that a nickname of
  two names (`Jamie`: James, Benjamin) does not make those two one name.

rigour's table cannot be listed, only asked, so it is asked about every word of a broad
vocabulary: the names of both tables above, the East Slavic forms of `names/cognates.py`,
and every word of the public development data (the two lists' names and aliases, FEBRL's
given names and surnames, the Latin side of the transliteration pairs). A group is kept
when two words of the vocabulary share it. Father's names are left out, and so are rigour's
links of words of one Chinese or Korean syllable (`names/nicknames.py` says why; the English
table's `Jim` and `Tom` stay). Rebuild with the bench extra:

    python bench/build_name_forms.py     # writes src/ftfhub/names/data/name_forms.json.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
from collections import defaultdict
from importlib import resources
from pathlib import Path

from nicknames import NickNamer  # type: ignore[import-untyped,unused-ignore]
from rigour.names import NameTypeTag, analyze_names

from ftfhub.names.cognates import _GROUPS, is_patronymic
from ftfhub.names.latin import fold
from ftfhub.names.syllables import is_one_syllable

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "ftfhub" / "names" / "data" / "name_forms.json.gz"
_WORD = re.compile(r"[a-z]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def vocabulary(data: Path) -> set[str]:
    words: set[str] = set()
    for path in sorted((data / "watchlists").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for name in [row["name"], *(row.get("aliases") or "").split("|")]:
                    words.update(_words(name))
    for path in sorted((data / "linkage" / "febrl").glob("dataset*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle, skipinitialspace=True):
                if len(row) > 2:
                    words.update(_words(f"{row[1]} {row[2]}"))
    for path in sorted((data / "translit").rglob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            words.update(_words(line.partition("\t")[2]))
    words.update(_GROUPS.split())
    return words


def english_groups() -> dict[str, set[str]]:
    """`nicknames`' table as one group per name: the name and its nicknames."""
    table = NickNamer()
    groups: dict[str, set[str]] = {}
    path = resources.files("nicknames") / "names.csv"
    for row in csv.reader(path.read_text(encoding="utf-8").splitlines()[1:]):
        if len(row) == 3:
            groups.setdefault(f"en:{row[0]}", {row[0]}).update(table.nicknames_of(row[0]))
    return groups


def _keep(word: str) -> bool:
    return len(word) >= 3 and not is_patronymic(word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    groups: dict[str, set[str]] = defaultdict(set)
    for key, members in english_groups().items():
        groups[key].update(w for w in members if _keep(w))
    words = vocabulary(args.data) | {w for members in groups.values() for w in members}
    # A single syllable's Wikidata links are one Chinese or Korean character's readings.
    for word in sorted(w for w in words if _keep(w) and not is_one_syllable(w)):
        for name in analyze_names(NameTypeTag.PER, [word], consolidate=False, phonetics=False):
            for symbol in name.symbols:
                if symbol.category.value in ("NAME", "NICK"):
                    groups[f"rigour:{symbol.id}"].add(word)
    kept = sorted(sorted(m) for m in groups.values() if len(m) >= 2)
    table: dict[str, list[int]] = defaultdict(list)
    for number, members in enumerate(kept):
        for word in members:
            table[word].append(number)
    out = {"source": "rigour person-name symbols (MIT); nicknames (Apache-2.0)",
           "forms": dict(sorted(table.items()))}  # fmt: skip
    args.out.write_bytes(gzip.compress(json.dumps(out, separators=(",", ":")).encode(), mtime=0))
    print(f"{len(words)} words asked, {len(kept)} groups, {len(table)} words -> {args.out}")


if __name__ == "__main__":
    main()
