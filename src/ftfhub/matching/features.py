"""Features of a Record computed once, used by both the screening index and batch linkage.

A part's features are cached by its text, so the cost of a name falls with every repeat of
its parts (most names are made of a few thousand common parts).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from ftfhub.domain import PartialDate, RecordData
from ftfhub.matching.frequency import floor
from ftfhub.names import arabic, lexicon
from ftfhub.names.hebrew import latin_spellings
from ftfhub.names.latin import skeleton, soft_forms
from ftfhub.names.romanise import arabic_as_hebrew, hebrew_letters
from ftfhub.names.structure import NamePart, parse_name
from ftfhub.names.syllables import is_syllabic, syllable_keys
from ftfhub.names.tables import tables

# Fused nasab and article prefixes: `Benali` may be `Ben Ali`, `Elmasri` may be `el-Masri`.
_UIDS = itertools.count()  # one number per distinct part, for fast pair caches
_FUSED_PREFIXES = ("ben", "bin", "ibn", "ould", "al", "el", "ul", "ait")
_L_ARTICLE = re.compile(r"^l[aeiou][a-z]{4,}$")  # Maghrebi l' fused: Lamrani, Laaroussi
# A surname's particles fused to it (`Vanderberghe`, `Dossantos`, `Delacruz`), which written
# apart are left out (`Van der Berghe`): the rest is another reading when it opens with a
# consonant, as a surname after a particle does (`Vanessa` is no `van Essa`).
_FUSED_PARTICLE = re.compile(
    r"^(?:van(?:de[rn]?)?|von|della|delle|dela|delos|dos|das)(?=[^aeiou][a-z]{2})"
)


@dataclass(frozen=True, slots=True)
class PartFeatures:
    """A name part ready to compare: its forms, blocking keys and frequency key."""

    text: str
    script: str
    role: str
    prefix: str
    suffix: str
    soft: tuple[str, ...]  # Latin soft forms (for Arabic: of its likeliest transliterations)
    keys: tuple[str, ...]  # blocking keys, prefix/suffix included
    alt: tuple[str, ...]  # other readings (fused `benali` → `ali`; kunya `abu oud` → `abuoud`)
    freq_key: str
    surname: bool = False
    weak: bool = False  # a kunya, father's name or country nisba: weak evidence on its own
    written: str = ""  # the part in its own script when `text` is a conversion (Hebrew)
    syllabic: bool = False  # a Latin word of one or two Chinese or Korean syllables
    uid: int = field(default_factory=lambda: next(_UIDS), compare=False, init=False)

    def label(self) -> str:
        """The part as an analyst would write it, in its own script."""
        arabic_script = self.script == "arabic"
        core = self.written or self.text
        if self.written:  # Hebrew: its letters read in Latin beside it
            core = f"{core} ({hebrew_letters(self.written)})"
        if self.prefix:
            article = "" if core.startswith("ال") else "ال"  # الله keeps its own article
            core = f"عبد {article}{core}" if arabic_script else f"abd al-{core}"
        if self.suffix:
            core = f"{core} الدين" if arabic_script else f"{core} ad-din"
        if self.role == "kunya":
            core = f"أبو {core}" if arabic_script else f"abu {core}"
        return core


@dataclass(frozen=True, slots=True)
class NameFeatures:
    original: str
    name_type: str
    script: str
    parts: tuple[PartFeatures, ...]
    nisba_country: str | None
    surname_known: bool = False
    kunya: bool = False  # a nom de guerre (`Abu Musab al-Almani`), not a real name
    title: str = ""  # the title it was written from (`Haji Kotwal Noorzai`): nothing before it
    mother: bool = False  # its kunya is `Umm X`: never the same kunya as `Abu X`
    # Every part a Latin word of one or two syllables, as Chinese and Korean names are
    # (`Kang Tae-sik`, `Zhang Xiaoming`): the romanisation systems' onsets meet between two.
    syllabic: bool = False


@dataclass(frozen=True)
class RecordFeatures:
    names: tuple[NameFeatures, ...]
    birth_dates: tuple[PartialDate, ...]
    nationalities: frozenset[str]
    documents: frozenset[tuple[str, str]]  # (country, number)
    gender: str | None
    kind: str = "watchlist"
    # (type, country) of each document with a number: an identity card and a passport of one
    # person carry two numbers, so only documents of one type can differ (`compare.py`).
    document_types: frozenset[tuple[str, str]] = frozenset()


def _wrap(part: NamePart, core_keys: tuple[str, ...]) -> tuple[str, ...]:
    if not (part.prefix or part.suffix or part.role == "kunya"):  # most parts: the keys as is
        plain = dict.fromkeys(core_keys)
        plain.pop("", None)
        return tuple(plain)
    lead = "abd|" if part.prefix else ""
    tail = "|din" if part.suffix else ""
    kunya = "abu|" if part.role == "kunya" else ""
    return tuple(dict.fromkeys(f"{kunya}{lead}{k}{tail}" for k in core_keys if k))


@lru_cache(maxsize=200_000)
def _analyse(
    text: str, script: str, reading: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Spelling readings, core skeleton keys and other readings of one written part; shared
    by every NamePart with this text (a surname here, a given name there)."""
    if script == "arabic":
        # Keys without the model (which would cost milliseconds per new part): skeletons with
        # the ambiguous letters' other readings, and the known spellings' skeletons.
        soft = tuple(sorted(lexicon.known_spellings(text)))
        core = [*arabic.skeletons(text), *(skeleton(s) for s in soft)]
        if reading == "nisba":  # al- may belong to the name itself (ألفاريز Alvarez)
            core += arabic.skeletons("ال" + text)
        hebrew: tuple[str, ...] = ()
        if reading == "hebrew":  # ו and ב are v as often as o/u and b (David, Levi, Aviv)
            hebrew = tuple({text[0] + text[1:].replace("و", "ف"), text.replace("ب", "ف")} - {text})
            core += [k for h in hebrew for k in arabic.skeletons(h)]
            # and the Latin skeletons of its Latin spellings (Yitzhak, Rosenberg, Tzvi Katz)
            spellings = latin_spellings(arabic_as_hebrew(text))
            core += [skeleton(soft_forms(s)[0]) for s in spellings]
        return soft, tuple(core), hebrew
    soft = soft_forms(text)
    core = [skeleton(s) for s in soft]
    alts = []
    if reading == "kunya":
        alts.append("abu" + text)
    elif reading == "name":
        for prefix in _FUSED_PREFIXES:
            if text.startswith(prefix) and len(text) - len(prefix) >= 3:
                alts.append(text[len(prefix) :])
        if _L_ARTICLE.match(text):
            alts.append(text[1:])
        if particle := _FUSED_PARTICLE.match(text):
            alts.append(text[particle.end() :])
    core += [skeleton(soft_forms(a)[0]) for a in alts]
    return soft, tuple(core), tuple(alts)


def _script_freq_key(part: NamePart, soft: tuple[str, ...]) -> str:
    """The frequency key of an Arabic-script part's commonest listed romanisation, so that
    محمد counts as common as Mohammed does (the shipped population table is keyed by Latin
    forms); empty when the lexicon does not list the part."""
    latin = [_wrap(part, (s,))[0] for s in soft]
    return max(latin, key=floor, default="")


def part_features(part: NamePart) -> PartFeatures:
    """A part's features, remembered by its fields rather than by the NamePart itself: a
    key of plain strings is left alone by the garbage collector, and the parsed name it came
    from can be freed (a full collection walks every object kept, which was a third of
    feature extraction when every name is new)."""
    return _part_features(
        part.text, part.script, part.role, part.prefix, part.suffix, part.surname, part.written
    )


@lru_cache(maxsize=200_000)
def _part_features(
    text: str, script: str, role: str, prefix: str, suffix: str, surname: bool, written: str
) -> PartFeatures:
    part = NamePart(text, script, role, prefix, suffix, surname, written)
    if part.script == "arabic":
        reading = "nisba" if part.role == "nisba" else "hebrew" if part.written else ""
    elif part.role == "kunya":
        reading = "kunya"
    else:
        reading = "name" if part.role == "name" and not part.prefix else ""
    soft, core, alt = _analyse(part.text, part.script, reading)
    # A looser key, the skeleton's first two consonants, lets a spelling that no rule
    # foresaw still be considered (scored, never assumed).
    loose = tuple(f"~{k[:2]}" for k in core if len(k) >= 2)
    keys = _wrap(part, core + loose)
    if part.script == "arabic" and not part.written:
        freq_key = _script_freq_key(part, soft) or (keys[0] if keys else part.text)
    elif part.script == "arabic" or not soft:  # Hebrew: its own skeleton
        freq_key = keys[0] if keys else part.text
    else:  # the spelling-normalised form: Hamoud and Hammoud count together, Hamid apart
        freq_key = _wrap(part, (soft[0],))[0]
    return PartFeatures(
        part.text,
        part.script,
        part.role,
        part.prefix,
        part.suffix,
        soft,
        keys,
        alt,
        freq_key,
        part.surname,
        part.role in ("kunya", "patronymic")
        or (part.role == "nisba" and tables().is_country_nisba(part.text, part.script)),
        part.written,
        part.script == "latin" and not part.prefix and not part.suffix and is_syllabic(part.text),
    )


@lru_cache(maxsize=200_000)
def name_features(text: str, name_type: str = "primary") -> NameFeatures:
    parsed = parse_name(text)
    parts = tuple(part_features(p) for p in parsed.parts)
    if name_type == "kunya":  # a kunya field is all kunya, even when written without Abu
        parts = tuple(replace(p, role="kunya") if p.role == "name" else p for p in parts)
    kunya = any(p.role == "kunya" for p in parts)
    syllabic = len(parts) >= 2 and all(p.syllabic for p in parts)
    return NameFeatures(
        text,
        name_type,
        parsed.script,
        parts,
        parsed.nisba_country,
        parsed.surname_known,
        kunya,
        parsed.title,
        parsed.mother,
        syllabic,
    )


def record_features(record: RecordData) -> RecordFeatures:
    names = tuple(name_features(n.full, n.type) for n in record.names if n.full.strip())
    return RecordFeatures(
        names=names,
        birth_dates=record.birth_dates,
        nationalities=frozenset(record.nationalities),
        documents=frozenset((d.country, d.number) for d in record.documents if d.number),
        gender=record.gender,
        kind=record.kind,
        document_types=frozenset((d.type, d.country) for d in record.documents if d.number),
    )


def clear_caches() -> None:
    """Forget every analysed name and part (benchmarks measure from empty caches)."""
    from ftfhub.names import structure

    for cached in (
        name_features,
        _part_features,
        _analyse,
        structure._latin_reading,
    ):
        cached.cache_clear()
    soft_forms.cache_clear()
    skeleton.cache_clear()
    syllable_keys.cache_clear()
