"""Name structure: a written name taken apart into the parts the matcher compares.

Understands the Arabic naming chain (ism, nasab `bin`/`ibn`/`ould`, kunya `Abu X`/`Umm X`,
nisba and laqab `al-X`), the compounds `Abd al-X` (in every spelling: `Abdel Hamid`,
`Abdulhamid`, `Abderrahmane`, `Abdüsselam`) and `X ad-Din` (`Nour Eddine`, `Nuruddin`),
titles to ignore, and the surname-first forms of lists (`HAMSHO, Mohammed`) and passports
(`ABAAOUD<<ABDELHAMID`). Token order is kept only as a hint; comparison ignores it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ftfhub.names import arabic
from ftfhub.names.latin import fold
from ftfhub.names.romanise import (
    arabic_as_hebrew,
    hebrew_as_arabic,
    is_hebrew,
    needs_romanising,
    romanise,
)
from ftfhub.names.script import detect_script
from ftfhub.names.tables import tables


@dataclass(frozen=True, slots=True)
class NamePart:
    """One comparable part of a name.

    `text` is folded Latin or normalised Arabic; `prefix` is "abd" for `Abd al-X` compounds
    and `suffix` "din" for `X ad-Din`, with `text` holding X. `role` is "name" for ordinary
    parts, "kunya" for the X of `Abu X`, "nisba" for `al-X`, "initial" for a lone letter.
    """

    text: str
    script: str
    role: str = "name"
    prefix: str = ""
    suffix: str = ""
    surname: bool = False
    written: str = ""  # the part in its own script when `text` is a conversion (Hebrew)

    def display(self) -> str:
        core = self.text
        if self.prefix:
            core = f"{self.prefix} {core}"
        if self.suffix:
            core = f"{core} {self.suffix}"
        if self.role == "kunya":
            core = f"abu {core}"
        return core


@dataclass(frozen=True, slots=True)
class ParsedName:
    original: str
    script: str
    parts: tuple[NamePart, ...]
    nisba_country: str | None = None
    surname_known: bool = False  # written surname-first (`SURNAME, Given` or MRZ)
    title: str = ""  # the title dropped before the name (Sheikh, Haji, Sayed), folded
    mother: bool = False  # its kunya is `Umm X` (mother of X), not `Abu X`


def _strip_abd(rest: str) -> str:
    """`urrahman` → `rahman`, `elhamid` → `hamid`, `essalam` → `salam`."""
    match = re.match(r"^[aeiou]{1,2}(?:l(?=.{3,})|(?=([tdrzsn])\1))?(.+)$", rest)
    if match and len(match.group(2)) >= 3:
        core = match.group(2)
        if _ABDULLA_SLAVIC.match(core):  # `Abdulaev` is Abdulla-ev, as `Abdullaev` is
            return "l" + core
        return core[1:] if len(core) > 3 and core[0] == core[1] else core
    return rest


def _abd_apart(head: str, word: str) -> str:
    """The word after `Abd` written apart, read as the name written as one word reads it: the
    article assimilated and written on the word (`Abdu Llah`, `Abd Allah`, `Abdu Rrahman`,
    `Abd Essalam`) is the article, as in `Abdullah`, `Abdallah`, `Abdurrahman`, `Abdessalam`;
    a word that keeps its own letters once joined (`Abdul Aleem`, `Abdel Rahman`) is as written."""
    core = _strip_abd(head[3:] + word)
    cut = len(word) - len(core)
    if 0 < cut <= 2 and word.endswith(core) and word[cut - 1] == core[0]:
        return core
    return word


# What is left of `Abdulaev`, `Abdulayev`, `Abdulaeva` once `ul` is taken for the article:
# Abdulla with a Russian surname's ending, whose single l is the name's own.
_ABDULLA_SLAVIC = re.compile(r"^a[iy]?(?:ev|ov)a?$")


# FridrichBuchenberg, AliAbdollahi; an article or a surname's particle fused to the word
# before it: SuleimanAl Abbas, MarcoDi Lauro, JanVan Dijk.
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z]{2}|(?:Al|El|Ul|De|Di|Da|Du|Del|Van|Von|Dos)\b)")


# Two consonants and nothing else are two initials run together (`JP Vollbrecht`,
# `Vollbrecht, JP`), as `J.P.` and `J-P` are written apart. A real name of two letters has a
# vowel (`Li`, `Ho`, `Al`, `Ed`, `Bo`) but `Ng`; `Md` is Muhammad in South Asian use, `Mg`
# Burmese Maung, `Wm` William, `Sk` Sheikh, `Bn` bin; titles (`Dr`, `Mr`) and `Jr`/`Sr` are
# read as before.
# A word of its own: `Ch'ol` (McCune–Reischauer's aspirated ch) is no `C. H.`
_RUN_TOGETHER_INITIALS = re.compile(
    r"(?<![^\s,<])([b-df-hj-np-tv-xz])([b-df-hj-np-tv-xz])(?![^\s,<])", re.IGNORECASE
)
_NOT_INITIALS = frozenset({"ng", "md", "mg", "wm", "sk", "bn", "jr", "sr", "st", "mr", "dr"})


def _initials_apart(match: re.Match[str]) -> str:
    word = match.group(0).lower()
    if word in _NOT_INITIALS or word in tables().titles:
        return match.group(0)
    return f"{match.group(1)} {match.group(2)}"


def _latin_tokens(text: str) -> tuple[list[str], int | None]:
    """Folded tokens and the index where given names start if the surname came first."""
    surname_first_end: int | None = None
    if not text.isupper():
        text = _CAMEL.sub(" ", text)
    if len(text) > 2:
        text = _RUN_TOGETHER_INITIALS.sub(_initials_apart, text)
    if "<" in text:
        surname, _, given = text.partition("<<")
        surname_tokens = fold(surname.replace("<", " ")).split()
        tokens = surname_tokens + fold(given.replace("<", " ")).split()
        return tokens, len(surname_tokens)
    if text.count(",") == 1:
        surname, given = text.split(",")
        surname_tokens = fold(surname).split()
        if surname_tokens and given.strip():
            surname_first_end = len(surname_tokens)
            return surname_tokens + fold(given).split(), surname_first_end
    return fold(text).split(), surname_first_end


_Latin = tuple[list[NamePart], str | None, bool, str, bool]
"""Parts, a country nisba, surname written first, the title dropped, a mother's kunya."""


def _parse_latin(text: str) -> _Latin:
    t = tables()
    tokens, surname_end = _latin_tokens(text)
    if not surname_end:  # `<<GIVEN` with no surname is not a surname-first name
        surname_end = None
    surname_idx = set(range(surname_end)) if surname_end else {len(tokens) - 1}
    parts: list[NamePart] = []
    nisba_country: str | None = None
    fathers: set[int] = set()  # parts that follow `bin`/`ben`/`ould`
    title, mother = "", False
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        is_surname = i in surname_idx
        # Titles come before the name (Sheikh, Dr., Hajji); later, `Hadj` is a name (Bel Hadj).
        # (Not in a surname written first: `SAYED, Mohammed` is Mr Sayed; nor before a
        # father's name, which follows a given name, never a title: `Sayed Evgenevich`.)
        if (
            tok in t.titles
            and len(tokens) > 2
            and not parts
            and not surname_end
            and not (nxt and _PATRONYMIC.match(nxt))
        ):
            title = title or tok
            i += 1
            continue
        # A surname's particle (de la Cruz, van Dijk), but not a name's first word (`La Bo
        # Kya`, `Le Van Thanh`) unless the surname comes first (`DE LA CRUZ, Juan`).
        if (
            tok in t.connectors
            and len(tokens) > 1
            and (
                parts
                or surname_end
                or (nxt is not None and nxt in t.connectors)
                or (i > 0 and f"{tokens[i - 1]} {tok}" in _COMPOUND_PARTICLES)
            )
        ):
            i += 1
            continue
        if tok in t.kunya and nxt is not None:
            mother = mother or tok in _MOTHER_HEADS
            j = i + 2 if nxt in t.articles and i + 2 < len(tokens) else i + 1
            if nxt in t.abd_heads and i + 2 < len(tokens):  # Abu Abd al-Karim, Abu Abdul Karim
                j = i + 3 if tokens[i + 2] in t.articles and i + 3 < len(tokens) else i + 2
                word = _abd_apart(tokens[i + 1], tokens[j])
                parts.append(NamePart(word, "latin", "kunya", prefix="abd"))
            else:
                kunya = _latin_part(tokens[j], False)  # Abu Abdulkarim: the fused compound
                parts.append(NamePart(kunya.text, "latin", "kunya", kunya.prefix, kunya.suffix))
            i = j + 1
            continue
        if tok in t.nasab and nxt is not None and parts:
            fathers.add(len(parts))
            i += 1
            continue
        if tok in t.abd_heads and nxt is not None and len(tokens) > 1:
            j = i + 2 if nxt in t.articles and i + 2 < len(tokens) else i + 1
            word = _abd_apart(tok, tokens[j])
            parts.append(NamePart(word, "latin", prefix="abd", surname=is_surname))
            i = j + 1
            continue
        if nxt is None and tok in _TRAILING_ARTICLES and parts:  # `Mohmed El`: nothing follows
            i += 1
            continue
        if tok in t.articles and nxt is not None and _article(tok, nxt, t.din_tails):
            if nxt in t.din_tails and parts:
                parts[-1] = _with_din(parts[-1])
                i += 2
                continue
            nisba_country = nisba_country or t.nisba_country.get(nxt)
            parts.append(NamePart(nxt, "latin", "nisba", surname=(i + 1) in surname_idx))
            i += 2
            continue
        if tok in t.din_tails and parts:
            parts[-1] = _with_din(parts[-1])
            i += 1
            continue
        if tok in _BERBER_AIT and nxt is not None and parts:  # Aït Idriss: one family name
            parts.append(NamePart(tok + nxt, "latin", surname=(i + 1) in surname_idx))
            i += 2
            continue
        parts.append(_latin_part(tok, is_surname))
        nisba_country = nisba_country or t.nisba_country.get(tok)
        i += 1
    return _fathers(parts, fathers), nisba_country, surname_end is not None, title, mother


# Particles of two words, both left out when they open a name (`Van der Berghe Pieter`); `Le
# Van Thanh` is not one (Vietnamese Văn is a middle name).
_COMPOUND_PARTICLES = frozenset(
    {"van der", "van den", "van de", "von der", "von den", "de la", "de las", "de los"}
)


def _article(article: str, word: str, din_tails: frozenset[str]) -> bool:
    """An article other than al/el/ul is the l assimilated to a sun letter, which the next
    word then starts with (`ar Rahman`, `ad Din`, `ash Shami`): `An Myong Hun` and `Kim Un
    Chol` have no article. `il` and `ol` are articles only before `Din` (`Nur il Din`):
    elsewhere they are names (`Kim Il Sung`, `Yong Il Ho`)."""
    consonant = article[1:]
    if article in ("il", "ol"):
        return word in din_tails
    return consonant == "l" or word.startswith(consonant)


_TRAILING_ARTICLES = ("al", "el")  # an article that ends a name (a reordered `X El Hassan`)


def _fathers(parts: list[NamePart], fathers: set[int]) -> list[NamePart]:
    """A part after `bin`/`ben` names the father, unless it ends the name: `Mohamed Ben Ali`
    is a family name, `Ahmed bin Salim al-Harbi` names his father Salim."""
    last = len(parts) - 1
    for k in fathers:
        part = parts[k] if k < last else None
        if part is not None and part.role == "name" and not part.surname:
            parts[k] = NamePart(part.text, part.script, "patronymic", part.prefix, part.suffix)
    return parts


_BERBER_AIT = ("ait", "ayt", "aith")  # Berber "sons of", written apart or fused


def _with_din(part: NamePart) -> NamePart:
    return NamePart(part.text, part.script, part.role, part.prefix, "din", part.surname)


# Not `-ović`/`-ević` nor a fused `-oğlu`: South Slavic and Turkish family names
# (`Hadzihasanovic`, `Gencoglu`), not a father's name, wherever they stand.
# Belarusian writes the father's name with a (`Hryhoryavich`, `Leanidavich`) and the
# daughter's with -auna/-euna (`Mikalaeuna`) or, in older spellings, -awna/-owna
# (`Aliaksandrawna`, `Piatrowna`).
_PATRONYMIC = re.compile(
    r"^.{3,}(?:ovich|evich|avich|ovych|evych|ovna|evna|ivna|auna|euna|awna|owna|ogly|uly|kyzy|qizi)$"
)


def one_word_patronymic(word: str) -> bool:
    """A folded word that is a father's name by its ending (`Yurievich`, `Ivanovna`,
    `Leanidavich`); a fused -oğlu is a family name (`Gencoglu`), not one."""
    return _PATRONYMIC.match(word) is not None


def _latin_part(tok: str, surname: bool) -> NamePart:
    """One Latin token as a part; its reading is remembered as plain strings (which the
    garbage collector leaves alone), the part itself made anew."""
    text, role, prefix, suffix = _latin_reading(tok, surname)
    return NamePart(text, "latin", role, prefix, suffix, surname=surname)


@lru_cache(maxsize=100_000)
def _latin_reading(tok: str, surname: bool) -> tuple[str, str, str, str]:
    part = _read_latin(tok, surname)
    return part.text, part.role, part.prefix, part.suffix


def _read_latin(tok: str, surname: bool) -> NamePart:
    if len(tok) == 1:
        return NamePart(tok, "latin", "initial", surname=surname)
    if not surname and _PATRONYMIC.match(tok):
        # Slavic and Turkic patronymics name the father: siblings share them.
        return NamePart(tok, "latin", "patronymic")
    if tok.startswith("abd") and len(tok) >= 6:  # Abdelhamid, Abdurrahman, Abdüsselam
        return _fused_din(NamePart(_strip_abd(tok[3:]), "latin", prefix="abd", surname=surname))
    return _fused_din(NamePart(tok, "latin", surname=surname))


# Fused `ad-Din` endings: Arabic-French, English, Turkish (Selahattin, Nurettin) spellings.
_DIN_TAILS = (
    "eddine", "eddin", "uddin", "uddeen", "addin", "iddin", "edine", "ddine", "ddin",
    "ettin", "attin", "ittin", "uttin", "udden", "eddeen", "uddeen", "adeen", "etin", "edin",
)  # fmt: skip


_DIN_FUSED_TAIL = re.compile(rf"^(.{{3,}}?)(?:{'|'.join(_DIN_TAILS)})$")


def _fused_din(part: NamePart) -> NamePart:
    """`noureddine` → `nour` + din; `salahuddin` → `salah` + din."""
    if part.suffix or len(part.text) < 7:
        return part
    match = _DIN_FUSED_TAIL.match(part.text)
    if match:
        return NamePart(match.group(1), part.script, part.role, part.prefix, "din", part.surname)
    return part


# Titles written before an Arabic-script name (normalised): dropped like Sheikh or Hajji.
_ARABIC_TITLES = frozenset(
    {"الشيخ", "شيخ", "الحاج", "حاج", "حاجي", "ملا", "الملا", "مولوي", "مولانا", "قاري", "القاري",
     "الدكتور", "دكتور", "السيد", "سيد", "الامير", "امير", "المهندس", "مهندس", "الاستاذ"}
)  # fmt: skip


def _parse_arabic(text: str, hebrew: bool = False) -> tuple[list[NamePart], str, bool]:
    """An Arabic-script chain; `hebrew`: Hebrew letters mapped onto Arabic ones, which have
    no article, kunya or Arabic titles to read."""
    tokens = arabic.normalise(text).split()
    if hebrew:
        return (
            [
                NamePart(tok, "arabic", surname=k == len(tokens) - 1, written=arabic_as_hebrew(tok))
                for k, tok in enumerate(tokens)
                if tok not in ("بن", "بت")  # ben, bat: son/daughter of
            ],
            "",
            False,
        )
    parts: list[NamePart] = []
    fathers: set[int] = set()
    title, mother = "", False
    i = 0
    last = len(tokens) - 1
    while i < len(tokens):
        tok = tokens[i]
        nxt = tokens[i + 1] if i < last else None
        if not parts and tok in _ARABIC_TITLES and last - i >= 2:  # الشيخ, الحاج, ملا, قاري
            title = title or tok
            i += 1
            continue
        if tok in ("ابو", "ابي", "ام") and nxt is not None:
            mother = mother or tok == "ام"
            if nxt == "عبد" and i + 2 <= last:  # أبو عبد الكريم
                core = arabic.split_article(tokens[i + 2])[1]
                parts.append(NamePart(core, "arabic", "kunya", prefix="abd"))
                i += 3
                continue
            if nxt.startswith("عبد") and len(nxt) > 4 and nxt != "عبده":
                core = arabic.split_article(nxt[3:])[1]
                parts.append(NamePart(core, "arabic", "kunya", prefix="abd"))
            else:
                parts.append(NamePart(arabic.split_article(nxt)[1], "arabic", "kunya"))
            i += 2
            continue
        if tok in ("بن", "ابن", "بنت", "ولد") and nxt is not None and parts:
            fathers.add(len(parts))
            i += 1
            continue
        if tok == "عبد" and nxt is not None:
            core = arabic.split_article(nxt)[1]
            parts.append(NamePart(core, "arabic", prefix="abd", surname=i + 1 == last))
            i += 2
            continue
        if tok.startswith("عبد") and len(tok) > 4 and tok != "عبده":
            core = arabic.split_article(tok[3:])[1]
            parts.append(NamePart(core, "arabic", prefix="abd", surname=i == last))
            i += 1
            continue
        if tok == "الدين" and parts:
            parts[-1] = _with_din(parts[-1])
            i += 1
            continue
        if tok.endswith("الدين") and len(tok) > 6:
            part = NamePart(tok[:-5], "arabic", surname=i == last)
            parts.append(_with_din(part))
            i += 1
            continue
        if tok == "ايت" and nxt is not None and parts:  # آيت إدريس: one family name
            parts.append(NamePart(tok + nxt, "arabic", surname=i + 1 == last))
            i += 2
            continue
        article, core = arabic.split_article(tok)
        role = "nisba" if article else "name"
        parts.append(NamePart(core, "arabic", role, surname=i == last))
        i += 1
    return _fathers(parts, fathers), title, mother


def parse_name(text: str) -> ParsedName:
    """Take one written name apart. Never raises; an empty name has no parts. Not remembered:
    the matcher remembers each name's features, and a parsed name kept besides them would
    only be more for the garbage collector to walk.

    Besides the parts: the title the name was written from (`Haji Kotwal Noorzai`: nothing
    stood before it, so a given name the other side has there was not left out) and whether
    its kunya is a mother's (`Umm Hafs` is never `Abu Hafs`)."""
    known = False
    country: str | None = None
    if arabic.is_arabic(text):
        parts, title, mother = _parse_arabic(text)
        script = "arabic"
    elif is_hebrew(text):
        parts, title, mother = _parse_arabic(hebrew_as_arabic(text), hebrew=True)
        script = "hebrew"
    elif not text.isascii() and needs_romanising(text):
        parts, country, known, title, mother = _parse_latin(romanise(text))
        script = detect_script(text) or "latin"
    else:
        parts, country, known, title, mother = _parse_latin(text)
        script = "latin"
    kept = tuple(p for p in parts if p.text)
    known = known and any(p.surname for p in kept)
    return ParsedName(text, script, kept, country, known, title, mother)


_MOTHER_HEADS = frozenset({"umm", "um", "oum", "omm", "ummu"})
