"""Comparing two names part by part, in any order, across scripts.

Each pair of parts gets a level (exact, variant, transliteration, close, similar, initial);
the best one-to-one assignment of parts is kept; every matched part adds its term-frequency
adjusted weight and every part left over subtracts. The result is a list of terms, each of
which an analyst can read ("surname variant: abaaoud ~ abu oud").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from ftfhub.matching.features import NameFeatures, PartFeatures
from ftfhub.matching.frequency import floor
from ftfhub.matching.parameters import Parameters
from ftfhub.names import arabic, lexicon
from ftfhub.names.latin import skeleton, soft_forms
from ftfhub.names.syllables import same_syllables
from ftfhub.names.translit_model import load_model

Frequency = Callable[[str], float]


@dataclass(frozen=True)
class Term:
    """One piece of evidence and its weight in bits (log2 Bayes factor)."""

    feature: str
    level: str
    weight: float
    detail: str

    def to_json(self) -> dict[str, object]:
        return {
            "feature": self.feature,
            "level": self.level,
            "weight": round(self.weight, 2),
            "detail": self.detail,
        }


LEVEL_WORDS = {
    "exact": "same",
    "variant": "spelling variant",
    "transliteration": "transliteration",
    "typo": "one typing slip apart",
    "close": "close spelling",
    "phonetic": "sounds alike",
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
    lev = Levenshtein.normalized_similarity(a, b)
    same_skeleton = skeleton(a) == skeleton(b)
    if same_skeleton and (lev >= 0.7 or jw >= 0.9):
        return "variant", jw
    if (same_skeleton and lev >= 0.5 and min(len(a), len(b)) >= 4) or (
        jw >= 0.9 and lev >= 0.75
    ):  # `Shi`/`Shu`, `Ken`/`Kon`: short names one vowel apart are different names
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
    ar_key = arabic.skeleton(arabic_text)
    la_key = skeleton(soft_forms(latin_text)[0])
    if Levenshtein.distance(ar_key, la_key) > max(1, max(len(ar_key), len(la_key)) // 2):
        return "", 0.0
    # The model learned English-style spellings: a Turkish `v` or a final `h` is read through
    # the matcher's soft forms too (Tevfik as tewfik, Tahah as taha).
    model = load_model()
    score = max(
        model.score(arabic_text, s) for s in dict.fromkeys((latin_text, *soft_forms(latin_text)))
    )
    if score >= 0.85:
        return "transliteration", score
    if score >= 0.6:
        return "close", score
    if score >= 0.45:
        return "similar", score
    return "", score


_RANK = {
    "exact": 9,
    "variant": 8,
    "transliteration": 7,
    "typo": 6,
    "close": 5,
    "phonetic": 4,
    "similar": 3,
    "prefix": 2,
    "initial": 1,
}


def _best(levels: list[tuple[str, float]]) -> tuple[str, float]:
    return max(levels, key=lambda lv: (_RANK.get(lv[0], 0), lv[1]), default=("", 0.0))


def _text_level(a: PartFeatures, b: PartFeatures, a_text: str, b_text: str) -> tuple[str, float]:
    if a.script == "arabic" and b.script == "arabic":
        if a_text == b_text:
            return "exact", 1.0
        sim = JaroWinkler.normalized_similarity(a_text, b_text)
        return ("close", sim) if sim >= 0.88 else ("", sim)
    if a.script == "arabic":
        return _cross_level(a_text, b_text)
    if b.script == "arabic":
        return _cross_level(b_text, a_text)
    if a_text == b_text:
        return "exact", 1.0
    return _graded(a_text, b_text)


@lru_cache(maxsize=500_000)
def _graded(a: str, b: str) -> tuple[str, float]:
    """Two different Latin spellings, from the best level down: a spelling convention, one
    typing slip (a letter dropped, added, changed or two swapped), close, alike in sound,
    similar, one a short form of the other (`Mohd`, `Alex`)."""
    found = _best([_latin_level(x, y) for x in soft_forms(a) for y in soft_forms(b)])
    rank = _RANK.get(found[0], 0)
    if rank < _RANK["variant"] and _syllable_onset(a) == _syllable_onset(b) != "":
        return "variant", 0.95
    shortest = min(len(a), len(b))
    if rank < _RANK["typo"] and shortest >= 4:
        slips = OSA.distance(a, b)
        # One letter apart in a four-letter name is often another name (Pang, Sang, Tang):
        # there only two letters swapped count as a slip.
        swapped = slips == 1 and sorted(a) == sorted(b)
        if (slips == 1 and (shortest >= 5 or swapped or _inner_drop(a, b))) or (
            slips == 2 and shortest >= 9
        ):
            return "typo", max(found[1], JaroWinkler.normalized_similarity(a, b))
    if rank < _RANK["phonetic"] and min(len(a), len(b)) >= 5 and _sound(a) == _sound(b):
        return "phonetic", max(found[1], 0.8)
    if rank < _RANK["prefix"] and min(len(a), len(b)) >= 3 and (a[:3] == b[:3]):
        short, long_ = (a, b) if len(a) < len(b) else (b, a)
        if long_.startswith(short) or _is_abbreviation(short, long_):
            return "prefix", 0.5
    return found


_UNASPIRATED = re.compile(r"^(?:ch|zh|j)(?=[aeiouwy]+(?:ng|n|l|m|k|p|t|r)?$)")


def _syllable_onset(token: str) -> str:
    """A Korean or Chinese syllable with the onset that romanisations write differently
    (McCune–Reischauer `Chong`/`chin`, Revised `Jong`/`jin`; Wade–Giles `Chang`, Pinyin
    `Zhang`) brought to one form; "" for anything but one syllable (`Jad` is not `Chad`)."""
    if len(token) > 6 or not _UNASPIRATED.match(token):
        return ""
    return _UNASPIRATED.sub("j", token)


def _syllable_level(a: str, b: str, level: str, sim: float) -> tuple[str, float]:
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
        level, sim = _text_level(kunya, other, head + kunya.text, other.text)
        return ("similar", sim) if level else ("", sim)
    if a.prefix != b.prefix or a.suffix != b.suffix:
        if a.script != "latin" or b.script != "latin":
            return "", 0.0
        # `Abudl Malik` ~ `Abdul Malik`, `Emad Oddin` ~ `Emadoddin`: the words as written.
        level, sim = _text_level(a, b, _surface(a), _surface(b))
        return (level, sim) if _RANK.get(level, 0) >= _RANK["close"] else ("", sim)
    level, sim = _text_level(a, b, a.text, b.text)
    if not level and (a.prefix or a.suffix) and a.script == b.script == "latin":
        # `Abdullah` ~ `Abdulalh`: a slip in a compound's short core, seen in the whole word.
        level, sim = _text_level(a, b, _surface(a), _surface(b))
    if _RANK.get(level, 0) >= _RANK["close"] or not (a.alt or b.alt):
        return level, sim
    # Another reading (`Benali` as `Ali`, `Lansari` as `Ansari`) counts only when it is the
    # same name (across scripts: a close transliteration), as a close spelling.
    accepted: tuple[str, ...] = ("exact", "variant", "transliteration")
    if a.script != b.script:
        accepted += ("close",)
    for alt in a.alt:
        lv, s = _text_level(a, b, alt, b.text)
        if lv in accepted:  # Hebrew's other readings are as good as the first
            return (lv if a.written else _alt_level(a.text, alt, lv)), s
    for alt in b.alt:
        lv, s = _text_level(a, b, a.text, alt)
        if lv in accepted:
            return (lv if b.written else _alt_level(b.text, alt, lv)), s
    return level, sim


def _alt_level(text: str, alt: str, level: str) -> str:
    """A fused article read apart (`Almadani` as al-Madani) is the same name written
    together; a fused `Ben`/`Ould` (`Benali` as Ali) is another reading, so only close."""
    article = text[: len(text) - len(alt)] in ("al", "el", "ul")
    return "variant" if article and level in ("exact", "variant") else "close"


_FUZZY_LEVELS = ("transliteration", "typo", "close", "phonetic", "similar")


def _part_weight(
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
    frequency = max(
        freq(a.freq_key),
        freq(b.freq_key),
        floor(a.freq_key),
        floor(b.freq_key),
        params.min_frequency,
    )
    weight = params.name_levels[level].weight(frequency)
    if level in _FUZZY_LEVELS and 0.0 < similarity < 1.0:
        weight += math.log2(similarity)
    if a.weak or b.weak:
        weight *= params.kunya_factor if weak_factor is None else weak_factor
    return max(weight, 0.0)


def compare_names(
    a: NameFeatures,
    b: NameFeatures,
    freq: Frequency,
    params: Parameters,
    explain: bool = True,
) -> tuple[float, list[Term]]:
    """Weight of the best alignment of two names' parts, and its terms when `explain`.

    Candidates are every pair of parts and every two adjacent parts of one side written as one
    on the other (`Min Jun` ~ `Minjun`, `Fridrich Buchenberg` ~ `FridrichBuchenberg`), tried
    whatever else matched; the best agreements are taken first, one-to-one, in any order."""
    pairs: list[_Candidate] = []
    parents = a.mother != b.mother  # `Umm Hafs` and `Abu Hafs`: a mother and a father
    syllabic = a.syllabic and b.syllabic  # `Dan Hollister` is not `Tan Hollister`
    for i, pa in enumerate(a.parts):
        for j, pb in enumerate(b.parts):
            if parents and pa.role == pb.role == "kunya":
                continue
            level, sim = part_level(pa, pb)
            if syllabic and _RANK.get(level, 0) < _RANK["close"]:
                level, sim = _syllable_level(pa.text, pb.text, level, sim)
            if level:
                # The texts break ties, so that comparing b with a aligns the same parts.
                tie = (pa.text, pb.text) if pa.text < pb.text else (pb.text, pa.text)
                pairs.append((_RANK[level], round(sim, 6), 0, tie, (i,), (j,), level, pa, pb))
    words: dict[tuple[tuple[int, ...], tuple[int, ...]], list[tuple[PartFeatures, PartFeatures]]]
    words = {}
    pairs += _merge_candidates(a, b, words, syllabic)
    if not pairs:
        weight = min(len(a.parts), len(b.parts)) * params.conflicting_part
        terms = [Term("name", "conflict", weight, "no name parts agree")] if explain else []
        return weight, terms
    # Equal agreements (a name repeated in the chain) pair up counted from the family end.
    la, lb = len(a.parts), len(b.parts)
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3], abs((la - p[4][0]) - (lb - p[5][0]))))
    used_a: set[int] = set()
    used_b: set[int] = set()
    alone = all(p.weak for p in a.parts) and all(p.weak for p in b.parts)
    factor = params.kunya_alone_factor if alone else params.kunya_factor
    partners: dict[tuple[int, int], int] = {}  # (side, index) → the other side's index
    matched: list[tuple[float, str, PartFeatures, PartFeatures]] = []
    for _, sim, merged, _, ia, ib, level, pa, pb in pairs:
        if used_a.intersection(ia) or used_b.intersection(ib):
            continue
        used_a.update(ia)
        used_b.update(ib)
        if not merged and _RANK[level] >= _RANK["close"]:  # a weak likeness is no partner
            partners[(0, ia[0])], partners[(1, ib[0])] = ib[0], ia[0]
        # Two words written as one: both agree, each at its own frequency.
        for x, y in words[(ia, ib)] if merged else [(pa, pb)]:
            weight = _part_weight(level, x, y, freq, params, sim, factor)
            matched.append((weight, level, x, y))
    terms, total = _matched_terms(a, b, matched, freq, params, explain)
    # Both names end in a family name (given names first) and the two differ: another family.
    family = _family_ends(a, b, used_a, used_b)
    # Parts with no counterpart, the family names (counted apart) left out.
    spare_a = used_a | {family[0]} if family else used_a
    spare_b = used_b | {family[1]} if family else used_b
    left_a = [p for k, p in enumerate(a.parts) if k not in spare_a and p.role == "name"]
    left_b = [p for k, p in enumerate(b.parts) if k not in spare_b and p.role == "name"]
    conflicts = min(len(left_a), len(left_b))
    missing = max(len(left_a), len(left_b)) - conflicts
    # A father's or middle name (between first and last, in a name not written surname
    # first) is routinely left out of Western records: its absence costs little.
    middles = 0
    if missing and not conflicts and not family:
        longer, used, name = (a, used_a, a) if len(left_a) > len(left_b) else (b, used_b, b)
        last = len(longer.parts) - 1
        middles = sum(
            1
            for k, p in enumerate(longer.parts)
            if k not in used and p.role == "name" and _is_middle(name, k, last)
        )
        missing -= middles
    extra: list[tuple[str, float, str]] = []
    if conflicts:
        names = ", ".join(p.label() for p in left_a) if explain else ""
        others = ", ".join(p.label() for p in left_b) if explain else ""
        detail = f"name parts differ: {names} / {others}"
        weight = sum(
            _conflict_weight(pa, pb, freq, params) for pa, pb in zip(left_a, left_b, strict=False)
        )
        extra.append(("conflict", weight, detail))
    if family:
        # The two family names themselves, by their rarity, and another family on top.
        fa, fb = a.parts[family[0]], b.parts[family[1]]
        weight = _conflict_weight(fa, fb, freq, params) + params.family_conflict
        pair = f"{fa.label()} / {fb.label()}" if explain else ""
        level = "nisba_conflict" if fa.role == fb.role == "nisba" else "surname_conflict"
        extra.append((level, weight, f"family names differ: {pair}"))
    # Structure counts against too: a father's name, nisba or kunya on both sides with no
    # counterpart names another father, tribe or family, or another nom de guerre (one side
    # only is no evidence: lists drop them).
    structure = 0
    one_sided: list[PartFeatures] = []
    for role, word in _STRUCTURE_WORDS.items():
        lone_a = [p for k, p in enumerate(a.parts) if k not in spare_a and p.role == role]
        lone_b = [p for k, p in enumerate(b.parts) if k not in spare_b and p.role == role]
        if lone_a and lone_b:
            structure += 1
            weight = _conflict_weight(lone_a[0], lone_b[0], freq, params)
            detail = f"{word} differs: {lone_a[0].label()} / {lone_b[0].label()}" if explain else ""
            extra.append((f"{role}_conflict", weight, detail))
        else:
            one_sided += lone_a + lone_b
    if missing:
        detail = f"{missing} name part(s) on one side only"
        extra.append(("missing", missing * params.missing_part, detail))
    if middles:
        detail = f"{middles} middle or father's name(s) on one side only"
        extra.append(("middle", middles * params.missing_middle, detail))
    if not missing and not conflicts and not structure and not family and len(matched) >= 2:
        whole = _complete_words(one_sided, middles, explain)
        extra.append(("complete", params.complete_name, whole))
    if a.surname_known and b.surname_known:
        extra.extend(_surname_terms(a, b, matched, params))
    elif len(matched) >= 2:
        for side, used in ((0, used_a), (1, used_b)):  # merged parts: matched, but not 1:1
            partners.update({(side, k): -1 for k in used if (side, k) not in partners})
        extra.extend(_first_name_terms(a, b, partners, params, explain))
    # Agreement saturates (a long chain is not endless evidence); contradictions always count.
    against = 0.0
    for level, weight, detail in extra:
        if weight > 0:
            total += weight
        else:
            against += weight
        if explain:
            terms.append(Term("name", level, weight, detail))
    total = min(total, params.max_name_weight) + against
    if explain and any(level == "complete" for level, _, _ in extra):
        terms.extend(_common_name_term(matched, freq))
    return total, terms


def _family_ends(
    a: NameFeatures, b: NameFeatures, used_a: set[int], used_b: set[int]
) -> tuple[int, int] | None:
    """Where the two family names stand, when neither found a counterpart: another family,
    evidence against however the rest agrees. A family name is the surname of a name written
    surname first (`MALIK<<SAAD`) or the last part of one written given names first, a
    surname or a tribal or family nisba (`Abdellah` / `El-Wazzani`). A kunya, a father's name
    or a country nisba at the end is no family name. Both written surname first is
    `_surname_terms`' case."""
    if (a.surname_known and b.surname_known) or min(len(a.parts), len(b.parts)) < 2:
        return None
    ka, kb = _family_index(a, used_a), _family_index(b, used_b)
    if ka is None or kb is None:
        return None
    ea, eb = a.parts[ka], b.parts[kb]
    family_roles = ("name", "nisba")
    if ea.role not in family_roles or eb.role not in family_roles or ea.weak or eb.weak:
        return None
    if _alike(ea, eb):  # too weak a likeness to agree, too close to call two families
        return None
    if ea.role != eb.role:
        # A name and a nisba in different scripts may be one family the transliteration
        # missed; a longer chain ending in a name may go on to an ancestor where the other
        # gives the family (`Ahmed Salim Hassan Ali` ~ `Ahmed Salim al-Harbi`).
        named = a if ea.role == "name" else b
        other = b if named is a else a
        if ea.script != eb.script or len(named.parts) > len(other.parts):
            return None
    return ka, kb


def _alike(a: PartFeatures, b: PartFeatures) -> bool:
    """Any likeness at all, another reading's included (`Labidi` read as l'Abidi is close to
    `Obaidi`): the names may be one family's, spelt beyond what counts as agreement."""
    if part_level(a, b)[0]:
        return True
    if a.script != b.script:
        return False
    return any(_text_level(a, b, alt, b.text)[0] for alt in a.alt) or any(
        _text_level(a, b, a.text, alt)[0] for alt in b.alt
    )


def _family_index(name: NameFeatures, used: set[int]) -> int | None:
    """The family name's index, None when it (or any part of a compound surname) agrees."""
    if not name.surname_known:
        last = len(name.parts) - 1
        return None if last in used else last
    surname = [k for k, p in enumerate(name.parts) if p.surname]
    return None if not surname or used.intersection(surname) else surname[0]


def _complete_words(one_sided: list[PartFeatures], middles: int, explain: bool) -> str:
    """Every part has its counterpart, or every name does but a middle name, or a kunya,
    nisba or father's name written on one side only (lists drop them)."""
    if not explain or not (one_sided or middles):
        return "every name part has its counterpart"
    words = [f"{_ROLE_WORDS.get(p.role, p.role)} {p.label()}" for p in one_sided]
    if middles:
        words.append("a middle name")
    return f"every given and family name has its counterpart ({', '.join(words)} on one side only)"


def _common_name_term(
    matched: list[tuple[float, str, PartFeatures, PartFeatures]], freq: Frequency
) -> list[Term]:
    """Why a whole name that agrees may still score low: many people could bear it."""
    share = 1.0
    for _, _, pa, pb in matched:
        share *= max(freq(pa.freq_key), freq(pb.freq_key), floor(pa.freq_key), floor(pb.freq_key))
    if share < 1e-4:  # rarer than 1 in 10,000: not a common name
        return []
    people = f"{round(1 / share):,}"
    detail = f"a common name: roughly 1 in {people} people could bear it, weak evidence alone"
    return [Term("name", "common_name", 0.0, detail)]


_Candidate = tuple[
    int,
    float,
    int,
    tuple[str, str],
    tuple[int, ...],
    tuple[int, ...],
    str,
    PartFeatures,
    PartFeatures,
]
_MERGES: dict[tuple[int, int, int], tuple[str, float]] = {}


_STRUCTURE_WORDS = {"patronymic": "father's name", "nisba": "nisba", "kunya": "kunya"}


def _conflict_weight(
    pa: PartFeatures, pb: PartFeatures, freq: Frequency, params: Parameters
) -> float:
    """Two parts that should agree and do not: the rarer both are, the stronger the evidence
    against (two common given names differ by chance more often than two rare family
    names); half as strong for a kunya or a country nisba, which are weak either way."""
    share = max(freq(pa.freq_key), freq(pb.freq_key), floor(pa.freq_key), floor(pb.freq_key))
    bits = -math.log2(max(share, params.min_frequency))
    weight = params.conflicting_part * (0.5 + 0.5 * min(1.0, bits / 12.0))
    weak = (pa.weak or pb.weak) and "patronymic" not in (pa.role, pb.role)
    return weight * params.kunya_factor if weak else weight


def _merge_candidates(
    a: NameFeatures,
    b: NameFeatures,
    words: dict[tuple[tuple[int, ...], tuple[int, ...]], list[tuple[PartFeatures, PartFeatures]]],
    syllabic: bool,
) -> list[_Candidate]:
    """Two adjacent parts of one side written as one part on the other: `Bou Azza` and
    `Bouazza`, `Abu Oud` and `Abaoud`, `El Sayed` and `Elsayed`, `Min Jun` and `Minjun`."""
    found: list[_Candidate] = []
    for side, other, flip in ((a, b, False), (b, a, True)):
        for k in range(len(side.parts) - 1):
            first, second = side.parts[k], side.parts[k + 1]
            if (
                first.script != second.script
                or "initial" in (first.role, second.role)
                or (first.script == "arabic" and (first.prefix or second.prefix or first.suffix))
            ):
                continue
            for j, single in enumerate(other.parts):
                if single.role not in ("name", "nisba", "patronymic") or (
                    single.prefix and single.script == "arabic"
                ):
                    continue
                level, sim = _merged_level(first, second, single)
                if syllabic and _RANK.get(level, 0) < _RANK["close"]:
                    joined = first.text + second.text
                    level, sim = _syllable_level(joined, single.text, level, sim)
                if _RANK.get(level, 0) < _RANK["close"]:
                    continue
                both = replace(first, text=f"{first.label()} {second.label()}", written="")
                both = replace(both, prefix="", suffix="", role="name")
                pa, pb = (single, both) if flip else (both, single)
                ia, ib = ((j,), (k, k + 1)) if flip else ((k, k + 1), (j,))
                words[(ia, ib)] = [
                    (single, word) if flip else (word, single) for word in (first, second)
                ]
                tie = (both.text, single.text)
                found.append((_RANK[level], round(sim, 6), 1, tie, ia, ib, level, pa, pb))
    return found


def _surface(part: PartFeatures) -> str:
    """A Latin part as one word again: `abd` + `rahman`, `nour` + `din`."""
    return ("abd" if part.prefix else "") + part.text + ("din" if part.suffix else "")


def _is_middle(name: NameFeatures, k: int, last: int) -> bool:
    """Between the first given name and the family name: `Oscar Arturo` in `JASSO, Oscar
    Arturo`, `Sami` in `Asil Sami Tabrah`; lists and travel documents often leave it out."""
    if not name.surname_known:
        return 0 < k < last
    if name.parts[k].surname:
        return False
    first_given = next((i for i, p in enumerate(name.parts) if not p.surname), -1)
    return k != first_given


def _merged_level(
    first: PartFeatures, second: PartFeatures, single: PartFeatures
) -> tuple[str, float]:
    key = (first.uid, second.uid, single.uid)
    found = _MERGES.get(key)
    if found is None:
        if len(_MERGES) > _MAX_CACHED:
            _MERGES.clear()
        joined = _surface(first) + _surface(second)
        if first.script == single.script and abs(len(joined) - len(_surface(single))) > 3:
            found = ("", 0.0)
        else:
            found = _text_level(first, single, joined, _surface(single))
        _MERGES[key] = found
    return found


def _given(name: NameFeatures) -> int | None:
    """Index of the given name (the ism): the first part (`al-Mukhtar` too), or the first
    after the surname; None when the name starts with a kunya, an initial or a father."""
    for k, part in enumerate(name.parts):
        if not (name.surname_known and part.surname):
            return k if part.role == "name" or (k == 0 and part.role == "nisba") else None
    return None


def _first_name_terms(
    a: NameFeatures,
    b: NameFeatures,
    partners: dict[tuple[int, int], int],
    params: Parameters,
    explain: bool,
) -> list[tuple[str, float, str]]:
    """The rest agrees but the given names do not: a brother, a cousin, a father or a son.

    Both given names unmatched (`Omar Awwad Ibrahim al-Badri` is not `Ibrahim Awwad Ibrahim
    al-Badri`); or, in an Arabic naming chain, a leading name on one side only while the other's
    given name agrees with a later part (`Raed Mishkhis Sanad Mubarak` is Mubarak's
    great-grandson, not Mubarak). A devotional Muhammad before a short name in use is left out
    freely (`Mohammad Hassan Akhund` is called Hassan Akhund) and is no evidence of either."""
    ga, gb = _given(a), _given(b)
    if ga is None or gb is None:
        return []
    if (0, ga) not in partners and (1, gb) not in partners:
        words = f"{a.parts[ga].label()} / {b.parts[gb].label()}" if explain else ""
        return [("given_conflict", params.given_names_conflict, f"given names differ: {words}")]
    for side, name, lone, other_given in ((0, a, ga, gb), (1, b, gb, ga)):
        # A title on the other side stood where this name's lone leader stands (`Haji Kotwal
        # Noorzai` ~ `Saul Kotwal Noorzai`): written from its start, it left out no name.
        title = (b if side == 0 else a).title
        titled = bool(title) and not _is_title(name.parts[lone], title)
        chain = name.script == "arabic" or len(name.parts) >= 4 or titled
        if (side, lone) in partners or not chain:
            continue
        # The other's given name agrees with a later part of this name (not merged parts).
        if partners.get((1 - side, other_given), -1) > lone:
            part = name.parts[lone]
            if not (_devotional(part) and len(name.parts) <= 3):
                words = f"{part.label()} leads one name only" if explain else ""
                return [("given_conflict", params.given_names_conflict, f"{words} (a relative?)")]
    return []


def _is_title(part: PartFeatures, title: str) -> bool:
    """The leader is the other side's title written another way (`Saed`, `Khadzhi`)."""
    if not title.isascii():
        return part.script == "arabic" and part.text == title
    return bool(set(map(skeleton, part.soft)) & set(map(skeleton, soft_forms(title))))


def _devotional(part: PartFeatures) -> bool:
    """Muhammad before the name in use (`Mohammad Hassan Akhund`, called Hassan Akhund)."""
    if part.script == "arabic":
        return part.text == "محمد"
    return any(skeleton(s) == "mhmd" for s in soft_forms(part.text))


def _surname_terms(
    a: NameFeatures,
    b: NameFeatures,
    matched: list[tuple[float, str, PartFeatures, PartFeatures]],
    params: Parameters,
) -> list[tuple[str, float, str]]:
    """Both names written surname-first: a differing surname, or the same surname with
    wholly different given names (a relative), is evidence against."""
    strong = [
        (pa, pb)
        for _, level, pa, pb in matched
        if _RANK[level] >= _RANK["close"] or pa.role == pb.role == "initial"
    ]
    # Each side's surname must agree with some part of the other (order may be swapped).
    a_ok = any(pa.surname for pa, _ in strong) or not any(p.surname for p in a.parts)
    b_ok = any(pb.surname for _, pb in strong) or not any(p.surname for p in b.parts)
    if not (a_ok and b_ok):
        return [("surname_conflict", params.surname_conflict, "surnames differ")]
    given_roles = ("name", "initial")
    given_matched = any(
        not (pa.surname or pb.surname) and (pa.role in given_roles or pb.role in given_roles)
        for pa, pb in strong
    )
    has_given = any(not p.surname and p.role in given_roles for p in a.parts) and any(
        not p.surname and p.role in given_roles for p in b.parts
    )
    if has_given and not given_matched:
        return [("given_conflict", params.given_names_conflict, "same surname, given names differ")]
    return []


def _matched_terms(
    a: NameFeatures,
    b: NameFeatures,
    matched: list[tuple[float, str, PartFeatures, PartFeatures]],
    freq: Frequency,
    params: Parameters,
    explain: bool,
) -> tuple[list[Term], float]:
    """Terms for matched parts. Given names beyond the first are discounted, and so are
    surname parts beyond the first: they are not independent (`Maria del Pilar`, `Mohammed
    Ali`, `Zevallos Gonzales` travel together)."""
    terms: list[Term] = []
    total = 0.0
    seen = {True: 0, False: 0}
    for weight, level, pa, pb in sorted(matched, key=lambda m: -m[0]):
        # Surname parts count apart from given names only when both names say which is which.
        is_surname = a.surname_known and b.surname_known and (pa.surname or pb.surname)
        if "name" in (pa.role, pb.role):
            weight *= params.given_name_decay ** seen[is_surname]
            seen[is_surname] += 1
        total += weight
        if explain:
            terms.append(_part_term(weight, level, pa, pb, is_surname, freq))
    return terms, total


_ROLE_WORDS = {"kunya": "kunya", "nisba": "nisba", "patronymic": "patronymic"}


def _part_term(
    weight: float, level: str, pa: PartFeatures, pb: PartFeatures, surname: bool, freq: Frequency
) -> Term:
    frequency = max(freq(pa.freq_key), freq(pb.freq_key), floor(pa.freq_key), floor(pb.freq_key))
    role = "surname" if surname else _ROLE_WORDS.get(pa.role, "name part")
    detail = f"{role} {LEVEL_WORDS[level]}, {_rarity(frequency)}: {pa.label()} ~ {pb.label()}"
    return Term("name", level, weight, detail)


def _rarity(frequency: float) -> str:
    if frequency >= 0.01:
        return "common"
    if frequency >= 0.001:
        return "fairly common"
    return "rare"
