"""The weight of a name's agreeing parts, given names and family names apart.

Parts of one name are not independent: `Maria del Pilar`, `Mohammed Ali` travel together, and
`Jose` predicts `Garcia`. The first agreeing part counts in full; a further given name counts
`given_name_decay` of the one before, and a family name beside an agreeing first given name
`family_factor_*` of its own weight, both estimated from the lists by
`bench/estimate_family.py`, the same whichever way a list wrote the name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ftfhub.matching.features import NameFeatures, PartFeatures
from ftfhub.matching.leftover_terms import ROLE_WORDS
from ftfhub.matching.parameters import Parameters
from ftfhub.matching.part_levels import LEVEL_WORDS, pair_frequency
from ftfhub.names.structure import one_word_patronymic
from ftfhub.names.tables import tables

Frequency = Callable[[str], float]
Matched = tuple[float, str, PartFeatures, PartFeatures]


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


def given_index(name: NameFeatures) -> int | None:
    """Index of the given name (the ism): the first part (`al-Mukhtar` too), or the first
    after the surname; None when the name starts with a kunya, an initial or a father named
    by a particle (`Bin Ali Hassan`). A one-word father's name (`Yurievich`) comes after the
    given name, whatever order a list put the words in, so the given name is the next part."""
    for k, part in enumerate(name.parts):
        if name.surname_known and part.surname:
            continue
        if slavic_father(part) and k + 1 < len(name.parts):
            continue
        if _leading_title(name, k):
            continue
        return k if part.role == "name" or (k == 0 and part.role == "nisba") else None
    return None


def title_word(part: PartFeatures) -> bool:
    """A title kept as a name part (`Seyyed`, or `Haji` in `BARAKZAI, Haji Abdullah`)."""
    return part.script == "latin" and part.text in tables().title_words


def kept_title(name: NameFeatures) -> int | None:
    """Index of a title the list kept before the given name, if any."""
    return next((k for k in range(len(name.parts)) if _leading_title(name, k)), None)


def _leading_title(name: NameFeatures, k: int) -> bool:
    """Part `k` is a title the list kept before a given name that follows it (`Seyyed
    Mohammad HOSSEYNI`, `HOSSEYNI, Seyyed Mohammad`): the given name is the next part."""
    if not title_word(name.parts[k]):
        return False
    rest = [
        p
        for p in name.parts[k + 1 :]
        if p.role == "name" and not (name.surname_known and p.surname)
    ]
    # Given names first, the last word is the family name: a given name must stand between.
    needed = 1 if name.surname_known else 2
    return len(rest) >= needed and not title_word(rest[0])


def slavic_father(part: PartFeatures) -> bool:
    """A father's name written as one word with its ending (`Yurievich`, `Ivanovna`)."""
    return part.role == "patronymic" and one_word_patronymic(part.text)


def first_given(name: NameFeatures) -> PartFeatures | None:
    """The first given name (or initial) of a name written surname first, after a title the
    list kept (`HOSSEYNI, Seyyed Mohammad`)."""
    return next(
        (
            p
            for k, p in enumerate(name.parts)
            if not p.surname and p.role in ("name", "initial") and not _leading_title(name, k)
        ),
        None,
    )


def matched_terms(
    a: NameFeatures,
    b: NameFeatures,
    matched: list[Matched],
    freq: Frequency,
    params: Parameters,
    explain: bool,
) -> tuple[list[Term], float]:
    """Terms for matched parts. Given names beyond the first are discounted, and so are
    surname parts beyond the first: they are not independent (`Maria del Pilar`, `Mohammed
    Ali`, `Zevallos Gonzales` travel together). A family name beside an agreeing first given
    name counts the share of its weight the lists say it adds (`family_factor_*`), whether a
    list wrote it first or last. Which part is the family name is read from a name that says
    (written surname first), else from each name's last word; read both ways, the heavier
    reading is kept, so that a list's swapped order costs nothing."""
    both_known = a.surname_known and b.surname_known
    factor = params.family_factor_surname_first if both_known else params.family_factor_last_word
    best: tuple[float, list[float], list[int]] = (-1.0, [], [])
    for slots, anchored in _readings(a, b, matched):
        weights = _weights(matched, slots, anchored, factor, params)
        if sum(weights) > best[0]:
            best = (sum(weights), weights, slots)
    total, weights, slots = best
    terms = []
    if explain:
        for weight, (_, level, pa, pb), slot in sorted(
            zip(weights, matched, slots, strict=True), key=lambda m: -m[0]
        ):
            terms.append(_part_term(weight, level, pa, pb, slot == 1 and both_known, freq))
    return terms, total


_TITLE = -2  # the slot of a title both names kept: agreeing, but not the given name


def _readings(
    a: NameFeatures, b: NameFeatures, matched: list[Matched]
) -> list[tuple[list[int], bool | None]]:
    """Each matched pair's slot (1 a family name, 0 a given name, -1 neither: a kunya, a
    nisba) as one name reads them, and whether that name's first given name agrees as a given
    name (what the factor is estimated on); None when two names written surname first put a
    family name against a given name (`MAHMUDI, Baghdadi` ~ `AL BAGHDADI, Ali`), so that which
    part is which is not known."""
    readers = [s for s in (0, 1) if (a, b)[s].surname_known] or [0, 1]
    both_known = a.surname_known and b.surname_known
    out: list[tuple[list[int], bool | None]] = []
    for side in readers:
        name = (a, b)[side]
        first = _first_of(name)
        slots = []
        anchored: bool | None = False
        for _, _, pa, pb in matched:
            part = (pa, pb)[side]
            if "name" not in (pa.role, pb.role):
                slots.append(-1)
            elif title_word(pa) and title_word(pb):  # a title both kept (`Seyyed`, `Haji`)
                slots.append(_TITLE)
            elif both_known:  # both say: either side's surname
                slots.append(int(pa.surname or pb.surname))
            else:
                slots.append(int(_family_word(name, part)))
            anchored = anchored or (slots[-1] == 0 and part is first)
        swapped = any(
            pa.surname != pb.surname and "name" in (pa.role, pb.role) for _, _, pa, pb in matched
        )
        out.append((slots, None if both_known and swapped else anchored))
    return out


def _weights(
    matched: list[Matched],
    slots: list[int],
    anchored: bool | None,
    factor: float,
    params: Parameters,
) -> list[float]:
    """Heaviest first. Given names and family names decay apart when the first given name
    agrees: the first of each in full, each further given name `given_name_decay` of the one
    before (what `estimate_family.py` estimates: a further given name beside an agreeing
    first), each further family name `part_decay` (a second surname, not estimated), and the
    group led by the lighter part (the family name, mostly) times `factor`; otherwise in one
    chain at `given_name_decay`. Two
    names written surname first that put a family name against a given name keep the rule
    before names-3.4: surnames and given names decay apart at `part_decay`, neither
    discounted for the other."""
    order = sorted(range(len(matched)), key=lambda k: -matched[k][0])
    beside = anchored is not False and 1 in slots
    lead = next((slots[k] for k in order if slots[k] >= 0), 0)
    given = params.part_decay if anchored is None else params.given_name_decay
    decays = {0: given, 1: params.part_decay if beside else given}
    # One word on one side written as two on the other (`BELHADJ` ~ `Bel Hadj`): one name,
    # not a second family name; its halves decay as further parts of one name do.
    left, right = [id(m[2]) for m in matched], [id(m[3]) for m in matched]
    halves = {
        k for k, m in enumerate(matched) if left.count(id(m[2])) > 1 or right.count(id(m[3])) > 1
    }
    factor = 1.0 if anchored is None else factor
    seen = {1: 0, 0: 0}
    weights = [m[0] for m in matched]
    for k in order:
        if slots[k] == _TITLE:  # neither a given nor a family name: a further part
            weights[k] *= params.part_decay
        if slots[k] < 0:
            continue
        group = slots[k] if beside else 0
        weights[k] *= (given if k in halves else decays[group]) ** seen[group]
        seen[group] += 1
        if beside and slots[k] != lead:
            weights[k] *= factor
    return weights


def _first_of(name: NameFeatures) -> PartFeatures | None:
    """The first given name, in either writing."""
    if name.surname_known:
        return first_given(name)
    if name.syllabic:  # its own order, family name first (`Park Ji-yeon`)
        return name.parts[1] if len(name.parts) >= 2 else None
    k = given_index(name)
    return None if k is None else name.parts[k]


def _family_word(name: NameFeatures, part: PartFeatures) -> bool:
    """A name's family name: a surname it says is one, or the last word of a name written
    given names first (the family name of most names so written, `estimate_family.py`), but
    the first of a Chinese or Korean name, which is written in its own order by most
    (`Hsueh Lung Wei`; written the other way, the reading from the other side is kept)."""
    if name.surname_known:
        return part.surname
    if len(name.parts) < 2:
        return False
    return part is (name.parts[0] if name.syllabic else name.parts[-1])


def _part_term(
    weight: float, level: str, pa: PartFeatures, pb: PartFeatures, surname: bool, freq: Frequency
) -> Term:
    frequency = pair_frequency(pa, pb, freq)
    role = "surname" if surname else ROLE_WORDS.get(pa.role, "name part")
    detail = f"{role} {LEVEL_WORDS[level]}, {_rarity(frequency)}: {pa.label()} ~ {pb.label()}"
    return Term("name", level, weight, detail)


def _rarity(frequency: float) -> str:
    if frequency >= 0.01:
        return "common"
    if frequency >= 0.001:
        return "fairly common"
    return "rare"
