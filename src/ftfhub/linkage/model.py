"""The trained linkage model: m and u per comparison level, saved as a versioned file.

The file holds the parameters by comparison and level label, not Splink's SQL: the SQL is
rendered from `spec` for whichever engine loads it, and the real-time scorer reads the same
numbers. Training (`training.train`) follows Splink's recipe: the prior from deterministic
rules, u from random pairs, m by expectation maximisation on blocks.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftfhub.linkage.engine import unique_table
from ftfhub.linkage.levels import Dialect
from ftfhub.linkage.spec import COMPARISONS, MODEL_VERSION, settings
from ftfhub.linkage.table import Frequencies


class ModelError(ValueError):
    """A model file that cannot be used (another version, or not a model)."""


@dataclass(frozen=True)
class LevelParams:
    label: str
    m: float | None
    u: float | None

    def weight(self) -> float:
        """log2(m/u); a level never seen in training carries no evidence."""
        if not self.m or not self.u:
            return 0.0
        return math.log2(self.m / self.u)


@dataclass
class LinkageModel:
    prior: float  # probability that two random records are one person
    levels: dict[str, list[LevelParams]] = field(default_factory=dict)
    frequencies: Frequencies = field(default_factory=lambda: Frequencies(Counter(), 0))
    version: str = MODEL_VERSION

    @property
    def prior_weight(self) -> float:
        return math.log2(self.prior / (1.0 - self.prior))

    def level(self, comparison: str, label: str) -> LevelParams:
        """A level's parameters by its words (untrained when this model does not have it)."""
        for p in self.levels.get(comparison, []):
            if p.label == label:
                return p
        return LevelParams(label, None, None)

    def settings(self, dialect: Dialect, link_type: str = "dedupe_only") -> dict[str, Any]:
        """Splink settings for `dialect`, with this model's parameters filled in."""
        out = settings(dialect, link_type)
        out["probability_two_random_records_match"] = self.prior
        for comparison in out["comparisons"]:
            for level in comparison["comparison_levels"]:
                if level.get("is_null_level"):
                    continue
                p = self.level(comparison["output_column_name"], level["label_for_charts"])
                if p.m is None or p.u is None:
                    # A level training never saw carries no evidence, here as in `weight`
                    # (left unset, Splink would fall back on its own default m and u).
                    level["m_probability"] = level["u_probability"] = p.u or p.m or 0.5
                    continue
                level["m_probability"] = p.m
                level["u_probability"] = p.u
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "probability_two_random_records_match": self.prior,
            "comparisons": {
                name: [{"label": p.label, "m": p.m, "u": p.u} for p in levels]
                for name, levels in self.levels.items()
            },
            "term_frequencies": self.frequencies.to_json(),
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> LinkageModel:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise ModelError(f"{path}: not a readable linkage model ({err})") from err
        if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
            found = data.get("version") if isinstance(data, dict) else None
            raise ModelError(f"{path}: model version {found!r}, this ftfhub reads {MODEL_VERSION}")
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinkageModel:
        levels = {
            name: [LevelParams(x["label"], x["m"], x["u"]) for x in items]
            for name, items in data["comparisons"].items()
        }
        freq = Frequencies.from_json(data["term_frequencies"])
        prior = float(data["probability_two_random_records_match"])
        return cls(prior, levels, freq, data["version"])

    @classmethod
    def from_splink(cls, trained: dict[str, Any], frequencies: Frequencies) -> LinkageModel:
        """Read the parameters out of Splink's trained settings (labels tie them to `spec`)."""
        levels: dict[str, list[LevelParams]] = {}
        by_name = {c["output_column_name"]: c for c in trained["comparisons"]}
        for spec in COMPARISONS:
            splink_levels = by_name[spec.name]["comparison_levels"]
            levels[spec.name] = [
                LevelParams(
                    lv["label_for_charts"],
                    _floor(lv.get("m_probability")),
                    _floor(lv.get("u_probability")),
                )
                for lv in splink_levels
            ]
        return cls(float(trained["probability_two_random_records_match"]), levels, frequencies)


PROBABILITY_FLOOR = 1e-12  # EM can drive an m to 1e-301, which Splink then refuses to load


def _floor(value: float | None) -> float | None:
    return None if value is None else max(float(value), PROBABILITY_FLOOR)


def register(db_api: Any, table: Any, link_type: str) -> Any:
    """Register the table; for linking two files, split it by its `owner` column."""
    if link_type == "dedupe_only":
        return db_api.register(table, table_name=unique_table("records"))
    import pyarrow.compute as pc

    owners = sorted(set(table.column("owner").to_pylist()))
    return [
        db_api.register(
            table.filter(pc.equal(table.column("owner"), o)), table_name=unique_table(f"src_{i}")
        )
        for i, o in enumerate(owners)
    ]
