"""A floor under term frequencies for name parts that are common everywhere.

The holdings give each part's frequency; a holding of 300 records cannot know that `Mohamed`
is common, so well-known common parts (data: `names/data/common_parts.yaml`) never count as
rarer than the floor here.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

SHARES = {"very_common": 0.05, "common": 0.02, "fairly_common": 0.005}


@lru_cache(maxsize=1)
def common_floor() -> dict[str, float]:
    from ftfhub.matching.features import name_features

    text = (resources.files("ftfhub.names") / "data" / "common_parts.yaml").read_text("utf-8")
    floors: dict[str, float] = {}
    for group, names in yaml.safe_load(text).items():
        for name in names:
            for part in name_features(name).parts:
                floors[part.freq_key] = max(floors.get(part.freq_key, 0.0), SHARES[group])
    return floors


def floor(part_key: str) -> float:
    return common_floor().get(part_key, 0.0)
