"""One given name in another form: a nickname or diminutive (`Bill`/`William`, `Jim`/`James`,
`Sasha`/`Aleksandr`, `Dima`/`Dmitry`), or the name as another language has it (`Pyotr`/
`Peter`, `Miguel`/`Michael`, `Vasiliy`/`Basil`).

No spelling rule carries one to the other, so it takes tables of names in general, none of
any list:

- `data/name_forms.json.gz`, built by `bench/build_name_forms.py` from two well-kept tables
  (read at build time, so that neither is loaded at run time): rigour's person-name symbols
  (OpenSanctions, MIT; Wikidata's given-name items and rigour's nickname groups) and
  `nicknames` (Carlton Northern, Apache-2.0; English names and their nicknames, one group per
  name, so that `Jamie`, a nickname of James and of Benjamin, does not make those one name);
- the East Slavic diminutives below, which neither has in full (`Dima`, `Misha`, `Vanya`).

The matcher counts an agreement here weaker than a spelling variant (the level `nickname`):
Wikidata links forms loosely at times, and a diminutive is shared by several names (`Sasha`:
Aleksandr and Aleksandra; `Slava`: Vyacheslav and Stanislav). Left out, where the links
say too little: Wikidata's links of single syllables (`Chan`/`Tan`, `Lee`/`Ri` are one
Chinese or Korean character read in two languages, but as Latin names they are different
families; the English `Jim`/`James` stays), words under three letters, and father's names
(`Yurevich`/`Yuryevna`: one father, a son and a daughter).
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

from ftfhub.names.cognates import cognate, is_patronymic

# Each line: a name (any form `cognates.py` knows), then its usual diminutives.
_EAST_SLAVIC = """
aleksandr sasha sanya shura
aleksandra sasha sanya shura
aleksei alyosha lyosha
anatoly tolya
andrei andryusha
anna anya
boris borya
vladimir volodya vova
vyacheslav slava
stanislav stas slava
vladislav vlad slava
gennady gena
grigory grisha
dmitry dima mitya
yevgeny zhenya
yekaterina katya
yelena lena
ivan vanya
konstantin kostya
mikhail misha
nikolai kolya
natalya natasha
olga olya
pavel pasha
pyotr petya
sergei seryozha
svetlana sveta
tatyana tanya
vasily vasya
viktor vitya
yuri yura
lyudmila lyuda mila
galina galya
mariya masha
nadezhda nadya
irina ira
fyodor fedya
valentina valya
valery valera
yuliya yulya
timofei tima
kirill kira
maksim maks
"""


@lru_cache(maxsize=1)
def _diminutives() -> dict[str, set[str]]:
    """Diminutive → the names it is short for (as `cognates` numbers or plain words)."""
    table: dict[str, set[str]] = {}
    for line in _EAST_SLAVIC.strip().splitlines():
        full, *short = line.split()
        key = _slavic_key(full)
        for word in short:
            table.setdefault(word, set()).add(key)
    return table


def _slavic_key(word: str) -> str:
    found = cognate(word)
    return f"slavic:{found}" if found is not None else f"slavic:{word}"


@lru_cache(maxsize=1)
def _table() -> dict[str, list[int]]:
    raw = (resources.files("ftfhub.names") / "data" / "name_forms.json.gz").read_bytes()
    forms: dict[str, list[int]] = json.loads(gzip.decompress(raw))["forms"]
    return forms


@lru_cache(maxsize=1)
def _slavic_names() -> frozenset[str]:
    return frozenset(line.split()[0] for line in _EAST_SLAVIC.strip().splitlines())


_SEEN: dict[str, frozenset[str]] = {}
_MAX_SEEN = 200_000


def name_forms(word: str) -> frozenset[str]:
    """The identifiers of the names a folded word is a form of (none for the forms left out
    above); remembered in a plain dict, since every pair of parts that agrees no better asks
    (an lru_cache's wrapper costs more than the lookup)."""
    found = _SEEN.get(word)
    if found is None:
        if len(_SEEN) > _MAX_SEEN:
            _SEEN.clear()
        found = _SEEN[word] = _name_forms(word)
    return found


def _name_forms(word: str) -> frozenset[str]:
    if len(word) < 3 or is_patronymic(word):
        return frozenset()
    found = {f"table:{number}" for number in _table().get(word, ())}
    found.update(_diminutives().get(word, ()))
    if cognate(word) is not None or word in _slavic_names():
        found.add(_slavic_key(word))
    return frozenset(found)


def same_name_forms(a: str, b: str) -> bool:
    """Two different folded words that one of the tables says are forms of one given name."""
    if a == b:
        return False
    forms = name_forms(a)
    return bool(forms) and not forms.isdisjoint(name_forms(b))
