"""How common a name part is where there are no holdings to count in, or too few.

Two sources, both shipped with the package and both about how common a *written* name is,
never about who bears it:

- `names/data/part_frequency.json.gz`: how many of ~15,000 people of public lists and
  synthetic registers carry each part (built by `bench/build_frequency.py`);
- `names/data/common_parts.yaml`: a rough share for parts known to be common across the
  world's populations (`Mohamed`, `Garcia`, `Kim`), which a list of a few thousand people
  under-counts.

`floor` is the larger of the two: the screening index never takes a part as rarer than that,
and `compare` without holdings weighs against it and the prior share of an unseen part.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources

import yaml

SHARES = {"very_common": 0.05, "common": 0.02, "fairly_common": 0.005}
UNSEEN_SHARE = 2e-4
"""The share of an unseen part: the screening index's smoothing prior (`FrequencyPrior`)."""


@lru_cache(maxsize=1)
def common_floor() -> dict[str, float]:
    from ftfhub.matching.features import name_features

    text = (resources.files("ftfhub.names") / "data" / "common_parts.yaml").read_text("utf-8")
    floors: dict[str, float] = {}
    for group, names in yaml.safe_load(text).items():
        for name in names:
            for part in name_features(name).parts:
                floors[part.freq_key] = max(floors.get(part.freq_key, 0.0), SHARES[group])
    data = (resources.files("ftfhub.names") / "data" / "part_frequency.json.gz").read_bytes()
    table = json.loads(gzip.decompress(data))
    people = float(table["people"])
    for key, count in table["counts"].items():
        share = count / people
        if share > floors.get(key, 0.0):
            floors[key] = share
    return floors


def floor(part_key: str) -> float:
    return common_floor().get(part_key, 0.0)


def population_frequency(part_key: str) -> float:
    """A part's share of people without holdings: the floor, or the unseen share."""
    return max(common_floor().get(part_key, 0.0), UNSEEN_SHARE)
