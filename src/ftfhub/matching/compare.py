"""Scoring a pair of Records: the sum of every term's weight, as a probability with its terms.

This is the one scoring function: the screening index, hits, `ftfhub compare` and (later)
batch linkage all call it, so a score means the same wherever it is shown.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from ftfhub.domain import RecordData
from ftfhub.matching.date_compare import best_date_level
from ftfhub.matching.features import NameFeatures, RecordFeatures, record_features
from ftfhub.matching.frequency import population_frequency
from ftfhub.matching.name_bound import name_bound
from ftfhub.matching.name_compare import Aligned, align_names, compare_names, finish_names
from ftfhub.matching.parameters import DEFAULT, Parameters, probability
from ftfhub.matching.part_terms import Term

Frequency = Callable[[str], float]

DATE_WORDS = {
    "exact": "birth date same",
    "day_month_swapped": "birth date with day and month swapped",
    "year_month": "birth year and month same (one side has no day)",
    "same_month_other_day": "birth year and month same, day differs",
    "year": "birth year same (one side has the year only)",
    "same_year_other_day": "birth year same, month/day differ",
    "hijri_year_window": "birth year within a Hijri year's span",
    "year_off_by_one": "birth year one off",
    "different": "birth dates differ",
    "far_apart": "birth dates years apart",
}


@dataclass(frozen=True)
class Comparison:
    weight: float
    score: float
    terms: list[Term] = field(default_factory=list)
    model: str = ""  # the version of the model file that made the score
    # The weight is only a bound above the pair's weight, under the floor it was asked for:
    # the pair does not reach it (`compare_features`' `floor`).
    bounded: bool = False

    def explanation(self) -> list[dict[str, object]]:
        return [t.to_json() for t in self.terms]


_SLACK = 1e-9  # bits


def _no_frequency(key: str) -> float:
    """Without holdings, a part is as common as the shipped population table says (and an
    unseen part as rare as the screening index takes an unseen part to be)."""
    return population_frequency(key)


def compare_features(
    a: RecordFeatures,
    b: RecordFeatures,
    freq: Frequency = _no_frequency,
    params: Parameters = DEFAULT,
    nationality_freq: Frequency = lambda _c: 0.1,
    explain: bool = True,
    gender_freq: Frequency | None = None,
    floor: float | None = None,
) -> Comparison:
    """Score two records' features; `explain=False` skips the words (for ranking).

    `nationality_freq` and `gender_freq` are the chance that someone else agrees with `a`'s
    nationality or gender; `gender_freq`, when given, says both are taken among the people
    who bear the name the pair shares (`index/together.py`'s `Carriers`), not everyone.

    `floor` (a weight, with `explain=False`): a pair that surely weighs less needs no exact
    weight. Once the names' parts are graded, their weight is bounded above (`name_bound`);
    when the bound and every other term stay under `floor`, the comparison stops there and
    says so (`Comparison.bounded`, its weight the bound, never below the weight itself)."""
    others = _other_terms(a, b, params, nationality_freq, gender_freq, explain)
    travel = "travel" in (a.kind, b.kind)
    prior = params.prior_weight_travel if travel else params.prior_weight
    total = prior + sum(t.weight for t in others)
    aligned = [(na, nb, align_names(na, nb)) for na in a.names for nb in b.names]
    if floor is not None and not explain:
        # A slack far above the rounding of sums taken in another order than the weight's.
        bound = total + _names_bound(aligned, freq, params) + _SLACK
        if bound < floor:
            return Comparison(bound, probability(bound), [], params.version, bounded=True)
    # The best pair of names overall, and the best pair of each kind: real names (ism, family
    # name) and noms de guerre (kunya). When both kinds agree, the second is further evidence.
    best_weight = float("-inf")
    best = (a.names[0], b.names[0]) if a.names and b.names else None
    by_kind: dict[bool, tuple[float, NameFeatures, NameFeatures]] = {}
    for na, nb, pair in aligned:
        weight, _ = finish_names(pair, freq, params, explain=False)
        if weight > best_weight:
            best_weight, best = weight, (na, nb)
        kind = nb.kunya
        if kind == na.kunya and weight > by_kind.get(kind, (0.0,))[0]:
            by_kind[kind] = (weight, na, nb)
    total += best_weight if best is not None else 0.0
    second = _corroborating_name(best, by_kind)
    if second is not None:
        total += params.second_name_factor * second[0]
    if not explain:
        return Comparison(total, probability(total), [], params.version)
    why = "a traveller is rarely a listed person" if travel else "holdings overlap"
    terms = [
        Term("prior", "prior", prior, f"prior odds of a match ({why}); model {params.version}")
    ]
    if best is not None:
        _, name_terms = compare_names(best[0], best[1], freq, params, explain=True)
        head = f"names compared: {best[0].original} ~ {best[1].original}"
        terms.append(Term("name", "names", 0.0, head))
        terms.extend(name_terms)
    if second is not None:
        weight, na, nb = second
        detail = f"{'kunya' if na.kunya else 'name'} agrees too: {na.original} ~ "
        terms.append(
            Term("name", "second_name", params.second_name_factor * weight, detail + nb.original)
        )
    terms.extend(others)
    return Comparison(total, probability(total), terms, params.version)


def _names_bound(
    aligned: list[tuple[NameFeatures, NameFeatures, Aligned]], freq: Frequency, params: Parameters
) -> float:
    """At least what the names add to a comparison: the best pair's weight, and a share of
    the other kind's best agreeing pair when the best pair is of one kind (a real name and a
    kunya both agreeing)."""
    if not aligned:
        return 0.0
    best = -math.inf
    kinds: dict[bool, float] = {}  # the bound of each kind's pairs (both real, both kunya)
    for na, nb, pair in aligned:
        bound = name_bound(pair, freq, params)
        best = max(best, bound)
        if na.kunya == nb.kunya:
            kinds[na.kunya] = max(kinds.get(na.kunya, -math.inf), bound)
    factor = params.second_name_factor
    for kind, bound in kinds.items():
        other = kinds.get(not kind, 0.0)
        if other > 0.0:  # a second pair counts only when it agrees (weighs more than 0)
            best = max(best, bound + max(factor, 0.0) * other)
    return best


def _corroborating_name(
    best: tuple[NameFeatures, NameFeatures] | None,
    by_kind: dict[bool, tuple[float, NameFeatures, NameFeatures]],
) -> tuple[float, NameFeatures, NameFeatures] | None:
    """The other kind's best agreeing pair, when the best pair is of one kind: a real name and
    a kunya that both agree are two pieces of evidence, not one."""
    if best is None:
        return None
    kind = best[0].kunya
    if best[1].kunya != kind:
        return None
    return by_kind.get(not kind)


def _other_terms(
    a: RecordFeatures,
    b: RecordFeatures,
    params: Parameters,
    nationality_freq: Frequency,
    gender_freq: Frequency | None = None,
    explain: bool = True,
) -> list[Term]:
    """The terms of everything but the names; without `explain`, their weights only (the
    words, dates written out and sorted codes, are a tenth of a comparison that fails)."""
    terms: list[Term] = []
    dates = best_date_level(a.birth_dates, b.birth_dates)
    if dates is not None:
        level, da, db = dates
        weight = params.date_levels[level].weight()
        text = f"{DATE_WORDS[level]}: {_d(da)} ~ {_d(db)}" if explain else ""
        terms.append(Term("birth_date", level, weight, text))
    if a.nationalities and b.nationalities:
        shared = a.nationalities & b.nationalities
        if shared:
            code = min(shared, key=nationality_freq)
            u = max(nationality_freq(code), params.nationality_min_frequency)
            weight = min(math.log2(params.nationality_agree_m / u), params.nationality_max_weight)
            weight = max(0.0, weight)
            text = f"nationality same: {code}" + _among(u, gender_freq) if explain else ""
            terms.append(Term("nationality", "same", weight, text))
        else:
            weight = params.nationality_disagree.weight()
            text = _differ(a.nationalities, b.nationalities) if explain else ""
            terms.append(Term("nationality", "different", weight, text))
    if a.documents and b.documents:
        same = a.documents & b.documents
        if same:
            weight = params.document_same.weight()
            text = "document same: {} {}".format(*min(same)) if explain else ""
            terms.append(Term("document", "same", weight, text))
        elif _of_one_type(a, b):
            weight = params.document_different.weight()
            text = "documents of one type and country differ"
            terms.append(Term("document", "different", weight, text))
    if a.gender and b.gender:
        terms.append(_gender_term(a.gender, b.gender, params, gender_freq, explain))
    return terms


def _differ(a: frozenset[str], b: frozenset[str]) -> str:
    return f"nationality differs: {'/'.join(sorted(a))} ~ " + "/".join(sorted(b))


UNTYPED = frozenset({"", "unknown", "other"})


def _of_one_type(a: RecordFeatures, b: RecordFeatures) -> bool:
    """Whether the two records hold a document of one country and one type (or of a type
    not known): only then do two numbers contradict each other. One person's identity card and
    passport, or two passports of a dual national, carry different numbers by design."""
    for type_a, country_a in a.document_types:
        for type_b, country_b in b.document_types:
            if country_a == country_b and (
                type_a == type_b or type_a in UNTYPED or type_b in UNTYPED
            ):
                return True
    return False


def _gender_term(
    a: str, b: str, params: Parameters, gender_freq: Frequency | None, explain: bool = True
) -> Term:
    """Gender same or different; the same gender weighs only what it adds to the name when
    the name's bearers are mostly of that gender (a given name tells it already)."""
    if a != b:
        return Term("gender", "different", params.gender_different.weight(), "gender different")
    level = params.gender_same
    if gender_freq is None:
        return Term("gender", "same", level.weight(), "gender same")
    u = min(1.0, max(level.u, gender_freq(a)))
    weight = min(level.weight(), max(0.0, math.log2(level.m / u)))
    return Term("gender", "same", weight, "gender same" + _among(u, gender_freq) if explain else "")


def _among(u: float, carried: Frequency | None) -> str:
    """The words for a share taken among the name's bearers."""
    if carried is None:
        return ""
    return f" (as {u:.0%} of others bearing the name)"


def _d(date: object) -> str:
    from ftfhub.domain import PartialDate

    assert isinstance(date, PartialDate)
    text = date.iso()
    if date.calendar != "gregorian" and date.original:
        text += f" (from {date.calendar} {date.original})"
    return text


def compare_records(
    a: RecordData, b: RecordData, freq: Frequency = _no_frequency, params: Parameters = DEFAULT
) -> Comparison:
    """Score two Records (without a holdings-based frequency table unless one is given)."""
    return compare_features(record_features(a), record_features(b), freq, params)
