"""What the parts of two names left without a counterpart say, once the agreeing parts are
paired: a family name on both sides and different (another family), a father's name, nisba
or kunya on both sides and different, given names that differ, parts on one side only, or
nothing left over at all (a whole name). Evidence against is weighted by how rare the parts
are: two rare family names differ by chance far less often than two common given names.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ftfhub.matching.features import NameFeatures, PartFeatures
from ftfhub.matching.frequency import floor
from ftfhub.matching.parameters import Parameters
from ftfhub.matching.part_levels import part_level, text_level

Frequency = Callable[[str], float]

_STRUCTURE_WORDS = {"patronymic": "father's name", "nisba": "nisba", "kunya": "kunya"}
ROLE_WORDS = {"kunya": "kunya", "nisba": "nisba", "patronymic": "patronymic"}


def leftover_terms(
    a: NameFeatures,
    b: NameFeatures,
    used_a: set[int],
    used_b: set[int],
    matched: int,
    freq: Frequency,
    params: Parameters,
    explain: bool,
) -> list[tuple[str, float, str]]:
    """What the parts left without a counterpart say: another family, given names or
    structure that differ (evidence against), parts on one side only (a little against), or
    none of these and a whole name agreeing (for)."""
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
    if not missing and not conflicts and not structure and not family and matched >= 2:
        # An initial left over (`J. P. Vollbrecht` ~ `Jean Vollbrecht`) costs nothing, but
        # the explanation says it is there.
        for name, used in ((a, used_a), (b, used_b)):
            one_sided += [
                p for k, p in enumerate(name.parts) if k not in used and p.role == "initial"
            ]
        whole = _complete_words(one_sided, middles, explain)
        extra.append(("complete", params.complete_name, whole))
    return extra


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
    return any(text_level(a, b, alt, b.text)[0] for alt in a.alt) or any(
        text_level(a, b, a.text, alt)[0] for alt in b.alt
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
    words = [f"{ROLE_WORDS.get(p.role, p.role)} {p.label()}" for p in one_sided]
    if middles:
        words.append("a middle name")
    return f"every given and family name has its counterpart ({', '.join(words)} on one side only)"


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


def _is_middle(name: NameFeatures, k: int, last: int) -> bool:
    """Between the first given name and the family name: `Oscar Arturo` in `JASSO, Oscar
    Arturo`, `Sami` in `Asil Sami Tabrah`; lists and travel documents often leave it out."""
    if not name.surname_known:
        return 0 < k < last
    if name.parts[k].surname:
        return False
    first_given = next((i for i, p in enumerate(name.parts) if not p.surname), -1)
    return k != first_given
