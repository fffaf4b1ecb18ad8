"""Comparing two names part by part, in any order, across scripts.

Each pair of parts gets a level (exact, variant, transliteration, close, similar, initial);
the best one-to-one assignment of parts is kept; every matched part adds its term-frequency
adjusted weight and every part left over subtracts. The result is a list of terms, each of
which an analyst can read ("surname variant: abaaoud ~ abu oud").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import JaroWinkler

from ftfhub.matching.features import NameFeatures, PartFeatures
from ftfhub.matching.parameters import Parameters
from ftfhub.names.latin import skeleton
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
    "close": "close spelling",
    "similar": "similar",
    "initial": "initial",
}


@lru_cache(maxsize=500_000)
def _latin_level(a: str, b: str) -> tuple[str, float]:
    if a == b:
        return "variant", 1.0
    sim = JaroWinkler.normalized_similarity(a, b)
    if skeleton(a) == skeleton(b) and sim >= 0.78:
        return "close", sim
    if sim >= 0.9:
        return "close", sim
    if sim >= 0.84:
        return "similar", sim
    return "", sim


@lru_cache(maxsize=500_000)
def _cross_level(arabic_text: str, latin_text: str) -> tuple[str, float]:
    score = load_model().score(arabic_text, latin_text)
    if score >= 0.75:
        return "transliteration", score
    if score >= 0.55:
        return "similar", score
    return "", score


_RANK = {"exact": 6, "variant": 5, "transliteration": 4, "close": 3, "similar": 2, "initial": 1}


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
    from ftfhub.names.latin import soft_forms

    return _best([_latin_level(x, y) for x in soft_forms(a_text) for y in soft_forms(b_text)])


def part_level(a: PartFeatures, b: PartFeatures) -> tuple[str, float]:
    """The agreement level of two parts (`""` when they do not agree)."""
    if a.role == "initial" or b.role == "initial":
        full = b if a.role == "initial" else a
        init = a if a.role == "initial" else b
        if full.role != "initial" and full.text[:1] == init.text[:1] and full.script == "latin":
            return "initial", 0.5
        return "", 0.0
    if (a.role == "kunya") != (b.role == "kunya"):
        # `Abu Oud` written as a surname: compare the fused form, one step lower.
        kunya, other = (a, b) if a.role == "kunya" else (b, a)
        if kunya.script == "latin" and other.script == "latin" and not other.prefix:
            level, sim = _text_level(kunya, other, "abu" + kunya.text, other.text)
            return ("similar", sim) if level else ("", sim)
        return "", 0.0
    if a.prefix != b.prefix or a.suffix != b.suffix:
        return "", 0.0
    level, sim = _text_level(a, b, a.text, b.text)
    if level:
        return level, sim
    for alt in a.alt:
        lv, s = _text_level(a, b, alt, b.text)
        if lv:
            return ("similar" if lv != "exact" else "close"), s
    for alt in b.alt:
        lv, s = _text_level(a, b, a.text, alt)
        if lv:
            return ("similar" if lv != "exact" else "close"), s
    return "", sim


def _part_weight(
    level: str, a: PartFeatures, b: PartFeatures, freq: Frequency, params: Parameters
) -> float:
    frequency = max(freq(a.freq_key), freq(b.freq_key), params.min_frequency)
    weight = params.name_levels[level].weight(frequency)
    if a.role in ("kunya", "nisba") and b.role in ("kunya", "nisba"):
        weight *= params.kunya_factor
    return max(weight, 0.0)


def compare_names(
    a: NameFeatures, b: NameFeatures, freq: Frequency, params: Parameters
) -> tuple[float, list[Term]]:
    """Weight and terms of the best alignment of two names' parts."""
    pairs: list[tuple[int, float, int, int, str]] = []
    for i, pa in enumerate(a.parts):
        for j, pb in enumerate(b.parts):
            level, sim = part_level(pa, pb)
            if level:
                pairs.append((_RANK[level], sim, i, j, level))
    pairs.sort(reverse=True)
    used_a: set[int] = set()
    used_b: set[int] = set()
    terms: list[Term] = []
    total = 0.0
    for _, _, i, j, level in pairs:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pa, pb = a.parts[i], b.parts[j]
        weight = _part_weight(level, pa, pb, freq, params)
        total += weight
        rarity = _rarity(max(freq(pa.freq_key), freq(pb.freq_key)))
        role = {"kunya": "kunya", "nisba": "nisba"}.get(pa.role, "name part")
        detail = f"{role} {LEVEL_WORDS[level]}, {rarity}: {pa.label()} ~ {pb.label()}"
        terms.append(Term("name", level, weight, detail))
    left_a = [p for k, p in enumerate(a.parts) if k not in used_a and p.role == "name"]
    left_b = [p for k, p in enumerate(b.parts) if k not in used_b and p.role == "name"]
    conflicts = min(len(left_a), len(left_b))
    missing = max(len(left_a), len(left_b)) - conflicts
    if conflicts:
        weight = conflicts * params.conflicting_part
        names = ", ".join(p.label() for p in left_a[:conflicts])
        others = ", ".join(p.label() for p in left_b[:conflicts])
        terms.append(Term("name", "conflict", weight, f"name parts differ: {names} / {others}"))
        total += weight
    if missing and terms:
        weight = missing * params.missing_part
        terms.append(Term("name", "missing", weight, f"{missing} name part(s) on one side only"))
        total += weight
    return min(total, params.max_name_weight), terms


def _rarity(frequency: float) -> str:
    if frequency >= 0.01:
        return "common"
    if frequency >= 0.001:
        return "fairly common"
    return "rare"
