"""Comparing two names part by part, in any order, across scripts.

Each pair of parts gets a level (exact, variant, transliteration, close, similar, initial);
the best one-to-one assignment of parts is kept; every matched part adds its term-frequency
adjusted weight and every part left over subtracts. The result is a list of terms, each of
which an analyst can read ("surname variant: abaaoud ~ abu oud").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from rapidfuzz.distance import OSA

from ftfhub.matching.features import NameFeatures, PartFeatures
from ftfhub.matching.frequency import floor
from ftfhub.matching.leftover_terms import leftover_terms
from ftfhub.matching.parameters import Parameters
from ftfhub.matching.part_levels import (
    RANK,
    pair_frequency,
    part_level,
    part_weight,
    surface,
    syllable_level,
    text_level,
)
from ftfhub.matching.part_terms import (
    Term,
    first_given,
    given_index,
    kept_title,
    matched_terms,
    slavic_father,
)
from ftfhub.names.latin import skeleton, soft_forms

Frequency = Callable[[str], float]
# (rank of the level, similarity, merged, tie-break texts, a's parts, b's parts, level, the two
# parts compared)
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
    return finish_names(align_names(a, b), freq, params, explain)


@dataclass(frozen=True)
class Aligned:
    """Two names' candidate agreements, graded but not yet assigned one-to-one: what both
    `finish_names` and a bound on its weight (`name_bound.py`) start from."""

    a: NameFeatures
    b: NameFeatures
    pairs: list[_Candidate]
    words: dict[tuple[tuple[int, ...], tuple[int, ...]], list[tuple[PartFeatures, PartFeatures]]]


def align_names(a: NameFeatures, b: NameFeatures) -> Aligned:
    """Every pair of parts that agrees at some level, and every two adjacent parts of one
    side written as one on the other: the costly half of `compare_names`."""
    a, b = _title_slipped(a, b), _title_slipped(b, a)
    pairs: list[_Candidate] = []
    parents = a.mother != b.mother  # `Umm Hafs` and `Abu Hafs`: a mother and a father
    syllabic = a.syllabic and b.syllabic  # `Dan Hollister` is not `Tan Hollister`
    for i, pa in enumerate(a.parts):
        for j, pb in enumerate(b.parts):
            if parents and pa.role == pb.role == "kunya":
                continue
            level, sim = part_level(pa, pb)
            if syllabic and RANK.get(level, 0) < RANK["close"]:
                level, sim = syllable_level(pa.text, pb.text, level, sim)
            if level:
                # The texts break ties, so that comparing b with a aligns the same parts.
                tie = (pa.text, pb.text) if pa.text < pb.text else (pb.text, pa.text)
                pairs.append((RANK[level], round(sim, 6), 0, tie, (i,), (j,), level, pa, pb))
    words: dict[tuple[tuple[int, ...], tuple[int, ...]], list[tuple[PartFeatures, PartFeatures]]]
    words = {}
    pairs += _merge_candidates(a, b, words, syllabic)
    return Aligned(a, b, pairs, words)


def finish_names(
    aligned: Aligned, freq: Frequency, params: Parameters, explain: bool
) -> tuple[float, list[Term]]:
    """`compare_names` once the parts are graded: the one-to-one assignment, the matched
    parts' weights, and what the parts left over say."""
    a, b, pairs, words = aligned.a, aligned.b, list(aligned.pairs), aligned.words
    if not pairs:
        weight = min(len(a.parts), len(b.parts)) * params.conflicting_part
        terms = [Term("name", "conflict", weight, "no name parts agree")] if explain else []
        return weight, terms
    # Equal agreements (a name repeated in the chain) pair up counted from the family end.
    la, lb = len(a.parts), len(b.parts)
    pairs.sort(key=lambda p: (-p[0], -p[1], p[2], p[3], abs((la - p[4][0]) - (lb - p[5][0]))))
    used_a: set[int] = set()
    used_b: set[int] = set()
    factor, freq = weak_factor(a, b, params), weak_frequency(a, b, freq)
    partners: dict[tuple[int, int], int] = {}  # (side, index) → the other side's index
    matched: list[tuple[float, str, PartFeatures, PartFeatures]] = []
    for _, sim, merged, _, ia, ib, level, pa, pb in pairs:
        if used_a.intersection(ia) or used_b.intersection(ib):
            continue
        used_a.update(ia)
        used_b.update(ib)
        if not merged and RANK[level] >= RANK["close"]:  # a weak likeness is no partner
            partners[(0, ia[0])], partners[(1, ib[0])] = ib[0], ia[0]
        # Two words written as one: both agree, each at its own frequency.
        for x, y in words[(ia, ib)] if merged else [(pa, pb)]:
            weight = part_weight(level, x, y, freq, params, sim, factor)
            matched.append((weight, level, x, y))
    terms, total = matched_terms(a, b, matched, freq, params, explain)
    extra = leftover_terms(a, b, used_a, used_b, len(matched), freq, params, explain)
    if a.surname_known and b.surname_known:
        extra.extend(_surname_terms(a, b, matched, params))
    elif len(matched) >= 2 or (partners and a.script == b.script):
        # One strong agreement is enough: `Christian Richter` ~ `Daniel Richter` is a relative
        # as surely as `RICHTER, Christian` ~ `RICHTER, Daniel` (`_surname_terms`). Across
        # scripts a given name that finds no counterpart may be a transliteration missed.
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


def weak_factor(a: NameFeatures, b: NameFeatures, params: Parameters) -> float:
    """What a kunya or country nisba agreeing counts.

    Beside a real name it is weak (`kunya_factor`). When both names are nothing but a kunya,
    the kunya is the one name each is known by: weighed as a name (`kunya_alone_factor`), at
    the commonness of the name it is made of (`weak_frequency`). A kunya with a country nisba
    (`Abu Yasin al-Almani`) is a fighter's nom de guerre, shared beyond that
    (`kunya_nisba_alone_factor`)."""
    if not all(p.weak for p in (*a.parts, *b.parts)):
        return params.kunya_factor
    if not all(p.role == "kunya" for p in (*a.parts, *b.parts)):
        return params.kunya_nisba_alone_factor
    return params.kunya_alone_factor


def weak_frequency(a: NameFeatures, b: NameFeatures, freq: Frequency) -> Frequency:
    """The frequencies two names that are nothing but a kunya are weighed by: a kunya at least
    as common as the name it is made of (the father of a Muhammad is as common as a Muhammad;
    the population table counts no kunya). Never rarer than `freq` says, so a bound taken
    with `freq` still holds."""
    if not all(p.role == "kunya" for p in (*a.parts, *b.parts)):
        return freq

    def as_name(key: str) -> float:
        name = key.removeprefix("abu|")
        return max(freq(key), freq(name), floor(name)) if name != key else freq(key)

    return as_name


def _common_name_term(
    matched: list[tuple[float, str, PartFeatures, PartFeatures]], freq: Frequency
) -> list[Term]:
    """Why a whole name that agrees may still score low: many people could bear it."""
    share = 1.0
    for _, _, pa, pb in matched:
        share *= pair_frequency(pa, pb, freq)
    if share < 1e-4:  # rarer than 1 in 10,000: not a common name
        return []
    people = f"{round(1 / share):,}"
    detail = f"a common name: roughly 1 in {people} people could bear it, weak evidence alone"
    return [Term("name", "common_name", 0.0, detail)]


_MERGES: dict[tuple[int, int, int], tuple[str, float]] = {}
_MAX_CACHED = 2_000_000


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
                if syllabic and RANK.get(level, 0) < RANK["close"]:
                    joined = first.text + second.text
                    level, sim = syllable_level(joined, single.text, level, sim)
                if RANK.get(level, 0) < RANK["close"]:
                    continue
                both = replace(first, text=f"{first.label()} {second.label()}", written="")
                both = replace(both, prefix="", suffix="", role="name")
                pa, pb = (single, both) if flip else (both, single)
                ia, ib = ((j,), (k, k + 1)) if flip else ((k, k + 1), (j,))
                words[(ia, ib)] = [
                    (single, word) if flip else (word, single) for word in (first, second)
                ]
                tie = (both.text, single.text)
                found.append((RANK[level], round(sim, 6), 1, tie, ia, ib, level, pa, pb))
    return found


def _merged_level(
    first: PartFeatures, second: PartFeatures, single: PartFeatures
) -> tuple[str, float]:
    key = (first.uid, second.uid, single.uid)
    found = _MERGES.get(key)
    if found is None:
        if len(_MERGES) > _MAX_CACHED:
            _MERGES.clear()
        joined = surface(first) + surface(second)
        if first.script == single.script and abs(len(joined) - len(surface(single))) > 3:
            found = ("", 0.0)
        else:
            found = text_level(first, single, joined, surface(single))
        _MERGES[key] = found
    return found


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
    ga, gb = given_index(a), given_index(b)
    if ga is None or gb is None:
        return []
    if (0, ga) not in partners and (1, gb) not in partners:
        words = f"{a.parts[ga].label()} / {b.parts[gb].label()}" if explain else ""
        return [("given_conflict", params.given_names_conflict, f"given names differ: {words}")]
    if a.syllabic and b.syllabic and _own_order_given_differs(a, b, partners):
        words = f"{a.parts[1].label()} / {b.parts[1].label()}" if explain else ""
        detail = f"given names differ after the family name: {words}"
        return [("given_conflict", params.given_names_conflict, detail)]
    for side, name, lone, other_given in ((0, a, ga, gb), (1, b, gb, ga)):
        # A title on the other side stood where this name's lone leader stands (`Haji Kotwal
        # Noorzai` ~ `Saul Kotwal Noorzai`): written from its start, it left out no name.
        title = _title_text(b if side == 0 else a, 1 - side, partners)
        titled = bool(title) and not _is_title(name.parts[lone], title)
        # The other name gives its father's name (`Sergey Yurievich Glazyev`): a name of one
        # given name, father's name and family name, so a leading name it lacks while its
        # given name stands later in this one (`Ali Sergey Glazyev`) is another given name.
        fathered = any(slavic_father(p) for p in (b if side == 0 else a).parts)
        chain = name.script == "arabic" or len(name.parts) >= 4 or titled or fathered
        if (side, lone) in partners or not chain:
            continue
        # The other's given name agrees with a later part of this name (not merged parts).
        if partners.get((1 - side, other_given), -1) > lone:
            part = name.parts[lone]
            if not (_devotional(part) and len(name.parts) <= 3):
                words = f"{part.label()} leads one name only" if explain else ""
                return [("given_conflict", params.given_names_conflict, f"{words} (a relative?)")]
    return []


def _title_text(name: NameFeatures, side: int, partners: dict[tuple[int, int], int]) -> str:
    """The title a name was written from: dropped by the parser, or kept before its given
    name (`Seyyed Kotwal Noorzai`) and without a counterpart on the other side."""
    k = kept_title(name)
    if name.title or k is None or (side, k) in partners:
        return name.title
    return name.parts[k].text


def _own_order_given_differs(
    a: NameFeatures, b: NameFeatures, partners: dict[tuple[int, int], int]
) -> bool:
    """A Chinese or Korean name in its own order: family name, then the given name's
    syllables (`Hsueh Lung Wei`). The family names agree and the given names' first
    syllables have no counterpart at all: another given name (`Hsueh Kang Wei`, a brother
    sharing the generation syllable), as a differing first name is in Western order."""
    if len(a.parts) < 2 or len(b.parts) < 2 or partners.get((0, 0)) != 0:
        return False
    return (0, 1) not in partners and (1, 1) not in partners


def _title_slipped(name: NameFeatures, other: NameFeatures) -> NameFeatures:
    """`name` without the other name's title when it stands in this name as a word: with a
    typing slip where the title stood (`Seywd Ali Mirkarimi` ~ `Seyed Ali Mirkarimi`), or
    moved by a reordering that left it no longer first (`Ali, Mirkarimi, Seyed`). The parser
    knows a title only as written and where titles stand; left in, the word would be a name
    with no counterpart, against the title the other side dropped."""
    if name.title or not other.title or len(name.parts) < 3 or not other.title.isascii():
        return name
    k = given_index(name)
    for i, part in enumerate(name.parts):
        if part.script != "latin" or part.role != "name":
            continue
        if part.text == other.title or (i == k and _slipped(part.text, other.title)):
            return replace(name, parts=name.parts[:i] + name.parts[i + 1 :], title=part.text)
    return name


def _slipped(word: str, title: str) -> bool:
    """One letter typed, dropped or two swapped in a title of five letters or more
    (`Shiekh`, `Seywd`); a shorter one only as written (`Hani` is a name, not `Haji`)."""
    return len(title) >= 5 and OSA.distance(word, title) <= 1


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
    # Each side's surname must agree with some part of the other (order may be swapped), at
    # any level: a weak likeness (`ZAMIRAU` ~ `ZAMIROV`) is not two families, as it is not
    # when given names come first (`leftover_terms`), and not both "similar" and "differ".
    a_ok = any(pa.surname for _, _, pa, _ in matched) or not any(p.surname for p in a.parts)
    b_ok = any(pb.surname for _, _, _, pb in matched) or not any(p.surname for p in b.parts)
    if not (a_ok and b_ok):
        return [("surname_conflict", params.surname_conflict, "surnames differ")]
    # The first given name decides, as when given names come first (`_first_name_terms`): one
    # that found its counterpart at any level (an initial, a shortened or merely similar form)
    # is not a different given name (`PETROVIC, Z.` may be `PETROVIC, Zoran`), nor is one that
    # is the other side's surname (`SHI, Yuhua` ~ `YUHUA, Shi`: one name, its order swapped by
    # a list). When neither side's first given name has a counterpart, the family is the same
    # and the person another (`AL-BADRI, Omar Awwad` ~ `AL-BADRI, Ibrahim Awwad`: brothers).
    first_a, first_b = first_given(a), first_given(b)
    if first_a is None or first_b is None:
        return []
    seen_a = {id(pa) for _, _, pa, _ in matched}
    seen_b = {id(pb) for _, _, _, pb in matched}
    if id(first_a) not in seen_a and id(first_b) not in seen_b:
        words = f"{first_a.label()} / {first_b.label()}"
        return [
            (
                "given_conflict",
                params.given_names_conflict,
                f"same surname, given names differ: {words}",
            )
        ]
    # A title on one side stood where the other's unmatched first given name stands, and the
    # title side's first given name agrees with a later one (`NOORZAI, Haji Kotwal` ~
    # `NOORZAI, Saul Kotwal`): another man of the family, as in `_first_name_terms`.
    for first, seen, other_first, other_seen, other, name in (
        (first_a, seen_a, first_b, seen_b, b, a),
        (first_b, seen_b, first_a, seen_a, a, b),
    ):
        k = kept_title(other)
        title = other.title or ("" if k is None else other.parts[k].text)
        if k is not None and id(other.parts[k]) in other_seen:  # both keep the title
            continue
        if not title or id(first) in seen or id(other_first) not in other_seen:
            continue
        if _is_title(first, title) or (_devotional(first) and len(name.parts) <= 3):
            continue
        words = f"{first.label()} leads one name only (a relative?)"
        return [("given_conflict", params.given_names_conflict, words)]
    return []
