"""The match model's parameters: m and u probabilities per comparison level.

A Fellegi–Sunter weight is log2(m/u): m is how often true matches show a level, u how often
non-matches do. Name-part levels take u from the part's frequency (term-frequency
adjustment), so a shared `Mohamed` weighs little and a shared `Zerktouni` much. The screening
index and batch linkage read these same numbers, which is what makes their scores comparable.

The numbers live in a versioned model file, `matching/data/model.json`, which
`bench/train_model.py` re-estimates (and reports what changed); every score names the
version it was computed with. The dataclass defaults below are only the fallback for a field
the file does not set.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Level:
    m: float
    u: float  # for name parts: a multiplier on the part's frequency; otherwise a probability

    def weight(self, frequency: float | None = None) -> float:
        u = self.u if frequency is None else min(0.95, self.u * frequency)
        return math.log2(self.m / u)


@dataclass(frozen=True)
class FrequencyPrior:
    """Pseudo-records at a base share that every part's holdings frequency starts from."""

    weight: float = 1000.0
    share: float = 2e-4


@dataclass(frozen=True)
class Parameters:
    version: str = "defaults"
    # Prior odds that two records picked for comparison are one person: agencies' holdings
    # overlap (a listed person is on several lists); a traveller is almost never listed.
    prior_weight: float = -14.0
    prior_weight_travel: float = -17.5
    # Name-part agreement levels (u multiplies the part's frequency; floor below).
    name_levels: dict[str, Level] = field(
        default_factory=lambda: {
            "exact": Level(0.92, 1.0),
            "variant": Level(0.85, 1.6),
            "transliteration": Level(0.8, 2.0),
            "typo": Level(0.7, 2.5),
            "close": Level(0.6, 3.0),
            "phonetic": Level(0.4, 5.0),
            # One given name in another form (`names/nicknames.py`): Bill/William.
            "nickname": Level(0.0015, 0.0244),
            "similar": Level(0.3, 8.0),
            "prefix": Level(0.2, 20.0),
            "initial": Level(0.3, 40.0),
        }
    )
    min_frequency: float = 2e-5
    frequency_prior: FrequencyPrior = field(default_factory=FrequencyPrior)
    # Weight of a kunya or nisba match is multiplied by this: weak on its own.
    kunya_factor: float = 0.5
    # ... unless both names are nothing but a kunya: then it is the one name each is known by,
    # weighed as that name is, at the commonness of the name it is made of (`Abu Yasin` as
    # common as a Yasin).
    kunya_alone_factor: float = 1.0
    # Both names nothing but weak parts, a kunya with a country nisba or a father's name
    # (`Abu Yasin al-Almani`): a fighter's nom de guerre, shared by fighters of one country
    # beyond what the name's commonness says.
    kunya_nisba_alone_factor: float = 0.75
    # A second pair of names of the other kind (the kunya when the real names agree, or the
    # real names when the kunyas do) adds this share of its own weight.
    second_name_factor: float = 0.5
    # A part on one side with no counterpart; two unmatched parts that contradict each other.
    missing_part: float = -1.5
    missing_middle: float = -0.3
    # Every part of both names has a counterpart: a whole name, not a coincidence of parts.
    complete_name: float = 3.0
    conflicting_part: float = -4.5
    # Written given names first, and the last parts (the family names) differ: on top of
    # the conflicting part itself.
    family_conflict: float = -4.0
    # Both names written surname-first and no surname part agrees.
    surname_conflict: float = -12.0
    # Both written surname-first, the surname agrees but no given name does: a relative.
    given_names_conflict: float = -8.0
    # Each further matching given name beside the agreeing first given name counts this
    # fraction of the one before (the model file's 0.499 is estimated by
    # `bench/estimate_family.py`).
    given_name_decay: float = 0.6
    # ... and each further name part, when the name's first given name does not agree as a
    # given name, so that which part is which is not known (set by hand, as before names-3.4).
    part_decay: float = 0.6
    # A family name beside an agreeing first given name counts this fraction of its own
    # weight: names are not independent (`Jose` predicts `Garcia`): for two names written
    # surname first, and otherwise (a surname one name says, or the last word of a name
    # written given names first). The lists' estimate (0.705 and 0.700, the model file's
    # `family_estimate`) lost on both lists and the demo, so these are the numbers before.
    family_factor_surname_first: float = 1.0
    family_factor_last_word: float = 0.6
    max_name_weight: float = 20.0
    # Birth dates.
    date_levels: dict[str, Level] = field(
        default_factory=lambda: {
            "exact": Level(0.85, 1 / 16000),
            # m among true pairs whose date has a swap (day <= 12, not the month: 36 % of
            # dates), as u is the chance of one date among those: 0.03 of all true pairs.
            "day_month_swapped": Level(0.083, 1 / 16000),
            "year_month": Level(0.85, 1 / 540),
            "same_month_other_day": Level(0.03, 1 / 540),
            "year": Level(0.85, 1 / 45),
            "same_year_other_day": Level(0.02, 1 / 45),
            "hijri_year_window": Level(0.8, 2 / 45),
            "year_off_by_one": Level(0.05, 2 / 45),
            "different": Level(0.01, 0.75),
            "far_apart": Level(0.002, 0.6),
        }
    )
    # Nationality: agreement u is the nationality's frequency (floor below).
    nationality_agree_m: float = 0.9
    nationality_min_frequency: float = 0.03
    # Nationality follows names (a Chechen name, a Russian passport): agreement adds little.
    nationality_max_weight: float = 2.0
    nationality_disagree: Level = field(default_factory=lambda: Level(0.25, 0.9))
    # Identity documents. An issuer numbers its documents uniquely: two people's records share
    # one number only by a slip that lands on another issued number, or a forged or shared
    # document (itself a lead). One pair in 10^8 is generous; 10^-6 made a shared passport
    # number alone lose to a million records' prior odds.
    document_same: Level = field(default_factory=lambda: Level(0.6, 1e-8))
    document_different: Level = field(default_factory=lambda: Level(0.25, 0.6))
    gender_same: Level = field(default_factory=lambda: Level(0.98, 0.5))
    gender_different: Level = field(default_factory=lambda: Level(0.02, 0.5))


LEVEL_MAPS = ("name_levels", "date_levels")
LEVELS = ("nationality_disagree", "document_same", "document_different", "gender_same",
          "gender_different")  # fmt: skip


def parameters_from_json(data: dict[str, Any]) -> Parameters:
    """A model file's content as Parameters (fields it does not name keep their defaults)."""
    base = Parameters()
    known = {f.name for f in fields(Parameters)}
    values: dict[str, Any] = {"version": str(data["version"])}
    for key, value in data.get("parameters", {}).items():
        if key not in known:
            raise ValueError(f"model file: unknown parameter {key!r}")
        if key in LEVEL_MAPS:
            values[key] = {**getattr(base, key), **{k: Level(**v) for k, v in value.items()}}
        elif key in LEVELS:
            values[key] = Level(**value)
        elif key == "frequency_prior":
            values[key] = FrequencyPrior(**value)
        else:
            values[key] = float(value)
    return replace(base, **values)


def parameters_to_json(params: Parameters, note: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(Parameters):
        value = getattr(params, f.name)
        if f.name == "version":
            continue
        if f.name in LEVEL_MAPS:
            out[f.name] = {k: {"m": v.m, "u": v.u} for k, v in value.items()}
        elif isinstance(value, Level | FrequencyPrior):
            out[f.name] = dict(value.__dict__)
        else:
            out[f.name] = value
    return {"version": params.version, "note": note, "parameters": out}


def load_parameters(path: Path | None = None) -> Parameters:
    """The shipped model file, or another one (a re-estimated model under evaluation)."""
    if path is None:
        text = (resources.files("ftfhub.matching") / "data" / "model.json").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return parameters_from_json(json.loads(text))


DEFAULT = load_parameters()


def probability(weight: float) -> float:
    """Match weight (log2 odds) to a probability in [0, 1]."""
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    return 1.0 / (1.0 + math.pow(2.0, -weight))
