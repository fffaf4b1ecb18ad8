"""East Slavic given names whose Ukrainian, Belarusian and Russian forms are one name.

The same man is `Mykola` in a Ukrainian passport, `Mikalai` in a Belarusian one and `Nikolai`
in a Russian record; `Volodymyr`, `Uladzimir` and `Vladimir`; `Hanna` and `Anna`. No spelling
rule carries one to the other (the letters differ, not the convention), so the forms are
listed: each line one name, its forms as the national passport conventions and the usual
English ones write them. Father's names built on them (`Mykolayovych`, `Nikolaevich`) meet
through their stems.
"""

from __future__ import annotations

import re
from functools import lru_cache

_GROUPS = """
nikolai nikolay mykola mikola mikalai mikalay
vladimir volodymyr volodimir uladzimir uladzimier
aleksandr alexander aleksander oleksandr olexandr aliaksandr alyaksandr
aleksei alexei alexey aleksey oleksiy oleksii olexiy aliaksei
pyotr petr piotr petro piatro
pavel pavlo paval
yevgeny evgeny evgeniy evgenii yevgeniy yevhen yevhenii yauhen
yekaterina ekaterina kateryna katerina katsiaryna
anna hanna ganna
mikhail mykhailo mykhaylo mikhailo mikhas
grigory grigoriy hryhoriy hryhorii ryhor
dmitry dmitriy dmitrii dmytro dzmitry
fyodor fedor fedir fiodar
vasily vasiliy vasyl vasil
konstantin kostiantyn kostyantyn kanstantsin
sergei sergey sergiy serhiy serhii siarhei
andrei andrey andriy andrii
olga olha volha
yelena elena olena alena alyona
natalya natalia nataliya natallia
tatyana tatiana tetiana tetyana tatsiana
lyudmila liudmyla lyudmyla liudmila
galina halyna
oleg oleh aleh
igor ihor ihar
gleb hlib hleb
yakov yakiv
ilya illia illya
timofei tymofiy tsimafei
kirill kyrylo
maksim maksym
anatoly anatoliy anatolii anatol
vitaly vitaliy vitalii vitali
nadezhda nadiya nadzeya
yuliya yulia iuliia
stepan stsiapan
"""

# Belarusian: -avich (`Hryhoryavich`), and for a daughter -auna, -euna, -awna, -owna.
_PATRONYMIC_END = re.compile(
    r"(?:y?ovych|y?evych|yovich|ovich|evich|y?avich|ivna|ovna|evna|auna|euna|awna|owna|ich)$"
)


def _stem(word: str) -> str:
    return word.rstrip("aioy")


_Y_END = re.compile(r"(?:iy|ii|ij|yi|yy|i|y)$")


def _end(word: str) -> str:
    """One final -y sound as the conventions write it (`Dzmitriy`, `Dzmitrii`, `Dzmitry`,
    `Dmitrij`; `Yuri`, `Yuriy`, `Yury`): listed once, met in every spelling."""
    return _Y_END.sub("y", word) if len(word) >= 4 else word


@lru_cache(maxsize=1)
def _table() -> dict[str, int]:
    table: dict[str, int] = {}
    for k, line in enumerate(_GROUPS.strip().splitlines()):
        for form in line.split():
            table[form] = k
            table.setdefault(_end(form), k)
            table.setdefault("~" + _stem(form), k)
    return table


@lru_cache(maxsize=100_000)
def cognate(word: str) -> int | None:
    """The number of the name a folded given name or father's name is a form of, if listed."""
    table = _table()
    found = table.get(word)
    if found is None and not _PATRONYMIC_END.search(word):
        found = table.get(_end(word))
    if found is None and _PATRONYMIC_END.search(word):
        found = table.get("~" + _stem(_PATRONYMIC_END.sub("", word)))
    return found


def is_patronymic(word: str) -> bool:
    """A folded word that ends as an East Slavic father's name does (`Yurevich`, `Ivanovna`)."""
    return bool(_PATRONYMIC_END.search(word))


def same_cognate(a: str, b: str) -> bool:
    """Two folded words that are forms of one East Slavic name, both given names or both
    father's names (`Nikolaevich` is not `Nikolai`)."""
    patronymic_a, found = cognate_key(a)
    patronymic_b, other = cognate_key(b)
    return patronymic_a == patronymic_b and found is not None and found == other


@lru_cache(maxsize=200_000)
def cognate_key(word: str) -> tuple[bool, int | None]:
    """Whether a word is a father's name, and its `cognate`: remembered per word, since one
    traveller's word is read against every candidate's."""
    return bool(_PATRONYMIC_END.search(word)), cognate(word)


_BELARUSIAN_END = re.compile(r"(?<=[^aeiou])(?:io|ia|o|a)u$")
_RUSSIAN_END = re.compile(r"(?:ov|ev|yov|iov|ow|ew|off|eff)$")


def belarusian_as_russian(a: str, b: str) -> tuple[str, str] | None:
    """A Belarusian surname's -ou/-au (-ў: `Ivanou`, `Kavaliou`, `Zamirau`) against the Russian
    -ov/-ev of the same name (`Ivanov`, `Kovalev`): the pair with the Belarusian end written
    as the Russian one, for the stems to be compared; None when the ends are not these."""
    for bel, rus in ((a, b), (b, a)):
        if bel[-1:] != "u" or rus[-1:] not in "vwf" or len(bel) < 5:  # most pairs: cheap
            continue
        if _BELARUSIAN_END.search(bel) and _RUSSIAN_END.search(rus):
            return _BELARUSIAN_END.sub(lambda m: m.group(0)[:-2] + "ov", bel), rus
    return None
