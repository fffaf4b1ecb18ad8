"""How much two name parts agree: a level per pair (exact, spelling variant, transliteration,
typing slip, close, alike in sound, another form of one name, similar, shortened, initial) and
its weight in bits.

The levels are Splink's comparison levels for one name part, tried from the best down; the
weight of a level is log2(m/u) with u from the part's frequency (`Parameters.name_levels`).
`name_compare` aligns whole names out of these.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from ftfhub.matching.features import PartFeatures
from ftfhub.matching.frequency import floor
from ftfhub.matching.fused_article import l_article_readings
from ftfhub.matching.parameters import Parameters
from ftfhub.names import arabic, lexicon
from ftfhub.names.cognates import belarusian_as_russian, cognate_key
from ftfhub.names.hebrew import same_consonants
from ftfhub.names.latin import (
    coarse_skeletons,
    skeleton,
    soft_forms,
    soft_skeletons,
    weak_forms,
    weak_skeletons,
)
from ftfhub.names.nicknames import same_name_forms
from ftfhub.names.syllables import same_syllables
from ftfhub.names.translit_model import load_model

Frequency = Callable[[str], float]


LEVEL_WORDS = {
    "exact": "same",
    "variant": "spelling variant",
    "transliteration": "transliteration",
    "typo": "one typing slip apart",
    "close": "close spelling",
    "phonetic": "sounds alike",
    "nickname": "another form of one name",
    "similar": "similar",
    "prefix": "shortened",
    "initial": "initial",
}


@lru_cache(maxsize=500_000)
def _latin_level(a: str, b: str) -> tuple[str, float]:
    """Two soft forms: equal, same skeleton, or close by both Jaro-Winkler (which forgives
    transpositions) and edit distance (which stops a shared prefix from carrying a short
    name: `Kaddoura` is not `Kaur`)."""
    if a == b:
        return "variant", 1.0
    jw = JaroWinkler.normalized_similarity(a, b)
    if lead_vowel_moved(a, b):
        return "", jw
    same_skeleton = skeleton(a) == skeleton(b)
    if not same_skeleton and jw < 0.85:  # every level below needs one of the two
        return "", jw
    lev = Levenshtein.normalized_similarity(a, b)
    if same_skeleton and (lev >= 0.7 or jw >= 0.9):
        return "variant", jw
    if (same_skeleton and lev >= 0.5 and min(len(a), len(b)) >= 4) or (
        jw >= 0.9 and lev >= 0.75
    ):  # `Shi`/`Shu`, `Ken`/`Kon`: short names one vowel apart are different names
        return "close", jw
    if same_skeleton and _o_for_u(a, b):  # `Nor`/`Nur`: one damma, two conventions
        return "close", jw
    if jw >= 0.85 and lev >= 0.6 and min(len(a), len(b)) >= 5:  # short names: too easy
        return "similar", jw
    return "", jw


@lru_cache(maxsize=500_000)
def _cross_level(arabic_text: str, latin_text: str) -> tuple[str, float]:
    """An Arabic-script part against a Latin one: the table of known spellings first, then
    the learned model's score (1 = its best transliteration)."""
    known = lexicon.verdict(arabic_text, soft_forms(latin_text))
    if known is True:
        return "transliteration", 1.0
    if known is False:
        return "", 0.0
    # Skeletons far apart cannot be one name: skip the model (most pairs in screening).
    la_key = skeleton(soft_forms(latin_text)[0])
    # The model learned English-style spellings: a Turkish `v` or a final `h` is read through
    # the matcher's soft forms too (Tevfik as tewfik, Tahah as taha).
    latin = tuple(dict.fromkeys((latin_text, *soft_forms(latin_text))))
    readings = [(arabic_text, latin)]
    persian = arabic.persian_reading(arabic_text)
    if persian != arabic_text:  # as Persian says ض ذ ظ ث, and writes the fatha (Reza رضا)
        readings.append((persian, latin + tuple(f.replace("e", "a") for f in latin)))
    model, score, level = load_model(), 0.0, ""
    for text, forms in readings:
        ar_key = arabic.skeleton(text)
        if Levenshtein.distance(ar_key, la_key) > max(1, max(len(ar_key), len(la_key)) // 2):
            continue
        best = max(model.score(text, f) for f in forms)
        score = max(score, best)
        # The model's English habits aside, the same full consonant skeleton written with a
        # convention it saw less (Turkish `Şarkavi`, French `Charkaoui` for شرقاوي) is the
        # same name, as two Latin spellings with one skeleton are spelling variants.
        # (ف is also how Arabic and Hebrew-in-Arabic-letters write v: `David` دفد, `Yaakov`.)
        same_key = len(ar_key) >= 3 and ar_key in (la_key, la_key.replace("w", "f"))
        if best >= 0.85 or (best >= 0.65 and same_key):
            level = "transliteration"
    if level:
        return level, score
    if score >= 0.6:
        return "close", score
    if score >= 0.45:
        return "similar", score
    return "", score


def _hebrew_level(hebrew: str, latin: str) -> tuple[str, float] | None:
    """A Hebrew word (read through Arabic letters for the model) and a Latin one that write
    the same consonants, matres lectionis read both ways: a transliteration (`Sara` / `שרה`,
    `Peretz` / `פרץ`), which the Arabic-trained model cannot say."""
    if hebrew and same_consonants(hebrew, latin):
        return "transliteration", 0.95
    return None


RANK = {
    "exact": 10,
    "variant": 9,
    "transliteration": 8,
    "typo": 7,
    "close": 6,
    "phonetic": 5,
    "nickname": 4,
    "similar": 3,
    "prefix": 2,
    "initial": 1,
}


def _best(levels: list[tuple[str, float]]) -> tuple[str, float]:
    return max(levels, key=lambda lv: (RANK.get(lv[0], 0), lv[1]), default=("", 0.0))


def text_level(a: PartFeatures, b: PartFeatures, a_text: str, b_text: str) -> tuple[str, float]:
    if a.script == "arabic" and b.script == "arabic":
        if a_text == b_text:
            return "exact", 1.0
        sim = JaroWinkler.normalized_similarity(a_text, b_text)
        return ("close", sim) if sim >= 0.88 else ("", sim)
    if a.script == "arabic":
        return _hebrew_level(a.written, b_text) or _cross_level(a_text, b_text)
    if b.script == "arabic":
        return _hebrew_level(b.written, a_text) or _cross_level(b_text, a_text)
    if a_text == b_text:
        return "exact", 1.0
    return _graded(a_text, b_text)


@lru_cache(maxsize=500_000)
def _graded(a: str, b: str) -> tuple[str, float]:
    """Two different Latin spellings, from the best level down: a spelling convention, one
    typing slip (a letter dropped, added, changed or two swapped), close, alike in sound,
    similar, one a short form of the other (`Mohd`, `Alex`)."""
    if other_vowel_pattern(a, b):
        return "", JaroWinkler.normalized_similarity(a, b)
    soft_a, soft_b = soft_forms(a), soft_forms(b)
    if len(soft_a) == len(soft_b) == 1:  # most words have one soft form
        found = _latin_level(soft_a[0], soft_b[0])
    else:
        found = _best([_latin_level(x, y) for x in soft_a for y in soft_b])
    rank = RANK.get(found[0], 0)
    if rank >= RANK["variant"]:
        return found
    # Each test's own first condition stands before the call (most pairs meet none).
    cognate_a, coarse_a, sound_a = _traits(a)
    cognate_b, coarse_b, sound_b = _traits(b)
    if cognate_a[0] == cognate_b[0] and cognate_a[1] is not None and cognate_a[1] == cognate_b[1]:
        return "variant", max(found[1], 0.9)  # Mykola/Nikolai, Hanna/Anna (`same_cognate`)
    if len(a) == len(b) and _cyrillic_h_for_g(a, b):
        return "variant", max(found[1], 0.95)
    if (a[-1:] == "u" or b[-1:] == "u") and (russian := belarusian_as_russian(a, b)):
        level, sim = _best([_latin_level(x, y) for x in soft_forms(russian[0])
                            for y in soft_forms(russian[1])])  # fmt: skip
        if RANK.get(level, 0) >= RANK["variant"]:
            return "variant", max(sim, 0.9)
    if a[:1] in _ONSETS and b[:1] in _ONSETS and _syllable_onset(a) == _syllable_onset(b) != "":
        return "variant", 0.95
    shortest = min(len(a), len(b))
    if rank < RANK["typo"] and shortest >= 4 and not lead_vowel_moved(a, b):
        slips = OSA.distance(a, b)
        # One letter apart in a four-letter name is often another name (Pang, Sang, Tang):
        # there only two letters swapped count as a slip.
        swapped = slips == 1 and sorted(a) == sorted(b)
        if (slips == 1 and (shortest >= 5 or swapped or _inner_drop(a, b))) or (
            slips == 2 and shortest >= 9
        ):
            return "typo", max(found[1], JaroWinkler.normalized_similarity(a, b))
    if rank < RANK["close"] and not coarse_a.isdisjoint(coarse_b) and _weak_reading(a, b):
        return "close", max(found[1], 0.85)  # Asis/Aziz, Jelzin/Yeltsin
    if rank < RANK["phonetic"] and shortest >= 5 and sound_a == sound_b:
        return "phonetic", max(found[1], 0.8)
    if rank < RANK["nickname"] and same_name_forms(a, b):  # Bill/William, Sasha/Aleksandr
        return "nickname", 1.0
    if rank < RANK["prefix"] and shortest >= 3 and (a[:3] == b[:3]):
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        if long_.startswith(short) or _is_abbreviation(short, long_):
            return "prefix", 0.5
    if rank < RANK["prefix"] and _consonant_abbreviation(a, b):
        return "prefix", 0.5
    return found


_TRAITS: dict[str, tuple[tuple[bool, int | None], frozenset[str], str]] = {}


def _traits(word: str) -> tuple[tuple[bool, int | None], frozenset[str], str]:
    """What `_graded`'s tests read of one word alone (its `cognate_key`, its
    `coarse_skeletons` and, from five letters, its sound), remembered in a plain dict: one
    traveller's word is graded against every candidate's, and one look-up here stands for
    six cached calls."""
    found = _TRAITS.get(word)
    if found is None:
        if len(_TRAITS) > _MAX_CACHED:
            _TRAITS.clear()
        sound = _sound(word) if len(word) >= 5 else ""
        found = _TRAITS[word] = (cognate_key(word), coarse_skeletons(word), sound)
    return found


def _consonant_abbreviation(a: str, b: str) -> bool:
    """Two consonants that abbreviate a name (`Md` Muhammad, `Mg` Maung, `Sk` Sheikh, `Wm`
    William): the name's first letter and another of its letters after it, in order."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return (
        len(short) == 2
        and short[0] == long_[0]
        and short[1] not in _VOWEL
        and short[0] not in _VOWEL
        and _is_abbreviation(short, long_)
    )


_VOWEL = frozenset("aeiou")


def _weak_reading(a: str, b: str) -> bool:
    """One side read as German or Turkish writes a voiced s, a ts, a zh, a th or a d
    (`weak_forms`) is the other's spelling, up to a spelling convention: a close agreement,
    since such a letter is as often the plain one (`Said` is سعيد as well as زيد). A variant
    needs one skeleton, so most pairs are ruled out by their skeletons alone, with those
    letters taken as one (`coarse_skeletons`), before any reading is made."""
    if coarse_skeletons(a).isdisjoint(coarse_skeletons(b)):
        return False
    for one, other in ((a, b), (b, a)):
        if weak_skeletons(one).isdisjoint(soft_skeletons(other)):
            continue
        for x in weak_forms(one):
            key = skeleton(x)
            for y in soft_forms(other):
                if skeleton(y) == key and _latin_level(x, y)[0] == "variant":
                    return True
    return False


def _o_for_u(a: str, b: str) -> bool:
    """Two short names that differ only in writing one vowel o or u (`Nor`/`Nur`, `Yonis`/
    `Yunis`, `Mohd`/`Muhd`): the Arabic damma, which French and Maghrebi spellings write o and
    English ones u, as Omar/Umar. Other vowels apart are other names (`Ken`/`Kon`)."""
    if len(a) != len(b) or a == b:
        return False
    return all(x == y or {x, y} == {"o", "u"} for x, y in zip(a, b, strict=True))


def other_vowel_pattern(a: str, b: str) -> bool:
    """The same consonants in another vowel pattern, which in Arabic is another name: a long
    vowel (written with two letters: `ei`, `ou`, `ee`, `aa`) between two consonants on one
    side and none on the other (`Hosseini`/`Hosni` حسيني/حسني, `Aboud`/`Abdo` عبود/عبده),
    or a long a against an i (below). A
    short vowel left out is only a spelling (`Mohmed`, `Youssfi` for Yusufi); so is a short
    vowel written otherwise, a for i too (lists write `Tizini` and `Tazini` for one man: the
    short vowels are not written in Arabic), though `Jamal`/`Jamil` are two names."""
    slots_a, slots_b = _vowel_slots(a), _vowel_slots(b)
    if slots_a is None or slots_b is None or slots_a[0] != slots_b[0]:
        return False
    # Maghrebi spellings drop the vowel after a first consonant, long or short (`Zbidi` for
    # Zoubeidi, `Mhamed` for Mouhamed): there a vowel left out says nothing.
    lead = a[0] not in _VOWEL or b[0] not in _VOWEL
    return any(
        _long_a_for_i(x, y) or (not (k == 0 and lead) and _dropped(x, y))
        for k, (x, y) in enumerate(zip(slots_a[1], slots_b[1], strict=True))
    )


def _dropped(x: str, y: str) -> bool:
    return (not x and len(y) >= 2) or (not y and len(x) >= 2)


def _long_a_for_i(x: str, y: str) -> bool:
    """A long a written double against an i: `Saad`/`Said` (سعد/سعيد), `Raad`/`Raid`,
    `Jamaal`/`Jamil`."""
    return (set(x) == {"a"} and len(x) >= 2 and "i" in y) or (
        set(y) == {"a"} and len(y) >= 2 and "i" in x
    )


_SLOTS = re.compile(r"([^aeiou])([aeiouy]*)")
_CONSONANT_DOUBLE = re.compile(r"([^aeiou])\1+")


@lru_cache(maxsize=200_000)
def _vowel_slots(word: str) -> tuple[str, tuple[str, ...]] | None:
    """A folded word's consonants and the vowels after each (inner ones only); remembered,
    since one traveller's words are read against every candidate's."""
    word = _CONSONANT_DOUBLE.sub(r"\1", word.lstrip("aeiou"))
    found = _SLOTS.findall(word)
    if len(found) < 2 or "".join(c + v for c, v in found) != word:
        return None
    return "".join(c for c, _ in found), tuple(v for _, v in found[:-1])


def _cyrillic_h_for_g(a: str, b: str) -> bool:
    """Ukrainian and Belarusian write h where Russian has g for one Cyrillic г (`Ihor` /
    `Igor`, `Olha` / `Olga`, `Serhiy` / `Sergiy`, `Bohdan` / `Bogdan`): after a vowel, l or
    r, never first in the name (`Hassan` is not `Gassan`) unless an r or l follows (`Hrytsenko`
    / `Grytsenko`, `Hlib` / `Gleb`: no other Latin name opens so)."""
    if len(a) != len(b) or len(a) < 4:
        return False
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return bool(diffs) and all(
        {a[i], b[i]} == {"h", "g"} and (a[i - 1] in "aeiouylr" if i > 0 else a[1] in "rl")
        for i in diffs
    )


def lead_vowel_moved(a: str, b: str) -> bool:
    """One name opens with a vowel before two consonants, the other has that vowel after its
    first consonant: `Ahmed`/`Hamed` (أحمد/حامد), `Ahmadi`/`Hamdi`, `Asma`/`Sama`. One skeleton,
    two names: in Arabic the vowel's place is the word's pattern. A leading vowel only dropped
    keeps the name (`Ibrahim`/`Brahim`, `Ahmed`/`Hmed`, `Esmail`/`Smail`)."""
    if len(a) < 3 or len(b) < 3 or (a[0] in _VOWEL) == (b[0] in _VOWEL):
        return False
    opened, other = (a, b) if a[0] in _VOWEL else (b, a)
    rest = opened.lstrip("aeiou")
    return (
        len(rest) >= 2
        and rest[0] not in _VOWEL
        and rest[1] not in _VOWEL
        and other[1] in _VOWEL
        and rest[0] == other[0]
    )


_ONSETS = ("c", "j", "z")  # the first letters `_UNASPIRATED` opens with
_UNASPIRATED = re.compile(r"^(?:ch|zh|j)(?=[aeiouwy]+(?:ng|n|l|m|k|p|t|r)?$)")


def _syllable_onset(token: str) -> str:
    """A Korean or Chinese syllable with the onset that romanisations write differently
    (McCune–Reischauer `Chong`/`chin`, Revised `Jong`/`jin`; Wade–Giles `Chang`, Pinyin
    `Zhang`) brought to one form; "" for anything but one syllable (`Jad` is not `Chad`)."""
    if len(token) > 6 or not _UNASPIRATED.match(token):
        return ""
    return _UNASPIRATED.sub("j", token)


def syllable_level(a: str, b: str, level: str, sim: float) -> tuple[str, float]:
    """Wade–Giles and Pinyin, McCune–Reischauer and Revised: one syllable, a close likeness."""
    return ("close", max(sim, 0.9)) if a != b and same_syllables(a, b) else (level, sim)


def _inner_drop(a: str, b: str) -> bool:
    """One letter dropped inside a name of five or more (`Jumul`/`Juul`, `Maria`/`Maia`,
    `Rocha`/`Roca`): a slip of the hand. Not at either end, where one letter more makes
    another name (`Sami`/`Samir`, `Ivan`/`Ivana`, `Adel`/`Fadel`)."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    if len(long_) != len(short) + 1 or len(long_) < 5:
        return False
    return any(long_[:k] + long_[k + 1 :] == short for k in range(1, len(long_) - 1))


@lru_cache(maxsize=200_000)
def _sound(token: str) -> str:
    return str(jellyfish.metaphone(token))


def _is_abbreviation(short: str, long_: str) -> bool:
    """`mohd` for `mohammed`, `abd` for `abdullah`: the short form's letters in order."""
    if len(short) > len(long_) - 2:
        return False
    it = iter(long_)
    return all(ch in it for ch in short)


_LEVELS: dict[tuple[int, int], tuple[str, float]] = {}
_MAX_CACHED = 2_000_000


def part_level(a: PartFeatures, b: PartFeatures) -> tuple[str, float]:
    """The agreement level of two parts (`""` when they do not agree), cached per pair."""
    key = (a.uid, b.uid)
    found = _LEVELS.get(key)
    if found is None:
        if len(_LEVELS) > _MAX_CACHED:
            _LEVELS.clear()
        found = _LEVELS[key] = _LEVELS[(b.uid, a.uid)] = _part_level(a, b)
    return found


def _part_level(a: PartFeatures, b: PartFeatures) -> tuple[str, float]:
    if a.role == "initial" or b.role == "initial":
        full = b if a.role == "initial" else a
        init = a if a.role == "initial" else b
        if full.text[:1] == init.text[:1] and full.script == "latin":
            return "initial", 0.5
        return "", 0.0
    if (a.role == "kunya") != (b.role == "kunya"):
        # `Abu Oud` written as a surname: compare the fused form, one step lower.
        kunya, other = (a, b) if a.role == "kunya" else (b, a)
        if other.prefix or other.role != "name":
            return "", 0.0
        head = "ابو" if kunya.script == "arabic" else "abu"
        level, sim = text_level(kunya, other, head + kunya.text, other.text)
        return ("similar", sim) if level else ("", sim)
    if a.prefix != b.prefix or a.suffix != b.suffix:
        if a.script != "latin" or b.script != "latin":
            return "", 0.0
        # `Abudl Malik` ~ `Abdul Malik`, `Emad Oddin` ~ `Emadoddin`: the words as written.
        level, sim = text_level(a, b, surface(a), surface(b))
        return (level, sim) if RANK.get(level, 0) >= RANK["close"] else ("", sim)
    level, sim = text_level(a, b, a.text, b.text)
    if not level and (a.prefix or a.suffix) and a.script == b.script == "latin":
        # `Abdullah` ~ `Abdulalh`: a slip in a compound's short core, seen in the whole word.
        level, sim = text_level(a, b, surface(a), surface(b))
    if a.script == b.script == "latin" and RANK.get(level, 0) < RANK["variant"]:
        level, sim = _fused_l(a, b, level, sim)
    # Across scripts a close level may still be bettered by another reading (the MRZ's fused
    # `ALSHARQAWI` read as al-Sharqawi against الشرقاوي).
    floor = RANK["transliteration"] if a.script != b.script else RANK["close"]
    if RANK.get(level, 0) >= floor or not (a.alt or b.alt):
        return level, sim
    # Another reading (`Benali` as `Ali`, `Lansari` as `Ansari`) counts only when it is the
    # same name (across scripts: a close transliteration), as a close spelling.
    accepted: tuple[str, ...] = ("exact", "variant", "transliteration")
    if a.script != b.script:
        accepted += ("close",)
    for alt in a.alt:
        lv, s = text_level(a, b, alt, b.text)
        if lv in accepted and RANK[lv] > RANK.get(level, 0):
            # Hebrew's other readings are as good as the first
            return (lv if a.written else _alt_level(a.text, alt, lv)), s
    for alt in b.alt:
        lv, s = text_level(a, b, a.text, alt)
        if lv in accepted and RANK[lv] > RANK.get(level, 0):
            return (lv if b.written else _alt_level(b.text, alt, lv)), s
    return level, sim


def _fused_l(a: PartFeatures, b: PartFeatures, level: str, sim: float) -> tuple[str, float]:
    """`Labidi` ~ `Al-Obaidi`: the article's fused `l` read apart where `fused_article` finds
    the evidence, at the stems' own level (the same stem: a spelling variant); with no
    article written on the other side, only the same stem."""
    for x, y, written in l_article_readings(a, b):
        lv, s = text_level(a, b, x, y)
        lv = "variant" if lv == "exact" else lv
        least = RANK["close"] if written else RANK["variant"]
        if RANK.get(lv, 0) >= least and (RANK[lv], s) > (RANK.get(level, 0), sim):
            level, sim = lv, s
    return level, sim


def _alt_level(text: str, alt: str, level: str) -> str:
    """A fused article read apart (`Almadani` as al-Madani) is the same name written
    together; a fused `Ben`/`Ould` (`Benali` as Ali) is another reading, so only close."""
    article = text[: len(text) - len(alt)] in ("al", "el", "ul")
    if article and level == "transliteration":  # ALSHARQAWI ~ الشرقاوي
        return level
    return "variant" if article and level in ("exact", "variant") else "close"


_FUZZY_LEVELS = ("transliteration", "typo", "close", "phonetic", "similar")


def pair_frequency(a: PartFeatures, b: PartFeatures, freq: Frequency) -> float:
    """How common the name two parts write: the commoner side's share (a rare spelling of a
    common name is still the common name), except a Hebrew word beside a Latin one. Read
    through Arabic letters a Hebrew word keeps only its consonants (`לוי` is `l`, the share
    of every name so written): there the Latin spelling's own share says how rare it is."""
    if bool(a.written) != bool(b.written) and "latin" in (a.script, b.script):
        side = b if a.written else a
        return max(freq(side.freq_key), floor(side.freq_key))
    return max(freq(a.freq_key), floor(a.freq_key), freq(b.freq_key), floor(b.freq_key))


def part_weight(
    level: str,
    a: PartFeatures,
    b: PartFeatures,
    freq: Frequency,
    params: Parameters,
    similarity: float = 1.0,
    weak_factor: float | None = None,
) -> float:
    """log2(m/u) of a part agreement; u from the part's frequency. Within the fuzzy levels
    m scales with the similarity, so a closer spelling always weighs more."""
    frequency = max(pair_frequency(a, b, freq), params.min_frequency)
    weight = params.name_levels[level].weight(frequency)
    if level in _FUZZY_LEVELS and 0.0 < similarity < 1.0:
        weight += math.log2(similarity)
    if a.weak or b.weak:
        weight *= params.kunya_factor if weak_factor is None else weak_factor
    return max(weight, 0.0)


def surface(part: PartFeatures) -> str:
    """A Latin part as one word again: `abd` + `rahman`, `nour` + `din`."""
    return ("abd" if part.prefix else "") + part.text + ("din" if part.suffix else "")
