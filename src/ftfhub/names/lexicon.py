"""Known spellings of common Arabic-script name parts (`data/arabic_names.yaml`).

The learned model can transliterate any name but hesitates where Arabic leaves vowels out
(محمد could be read Mahmud); for the few hundred parts that make up most names, the spellings
agencies really use are listed, and a listed spelling of another name is a disagreement.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from ftfhub.names import arabic
from ftfhub.names.latin import fold, soft_forms


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    text = (resources.files("ftfhub.names") / "data" / "arabic_names.yaml").read_text("utf-8")
    forward: dict[str, frozenset[str]] = {}
    reverse: dict[str, set[str]] = {}
    for script_form, spellings in yaml.safe_load(text).items():
        key = arabic.normalise(str(script_form))
        softs = {s for spelling in spellings for s in soft_forms(fold(str(spelling)))}
        forward[key] = frozenset(softs | forward.get(key, frozenset()))
        for soft in softs:
            reverse.setdefault(soft, set()).add(key)
    return forward, {k: frozenset(v) for k, v in reverse.items()}


def known_spellings(arabic_text: str) -> frozenset[str]:
    """Soft forms of the listed Latin spellings of an Arabic part (empty if not listed)."""
    return _tables()[0].get(arabic_text, frozenset())


def verdict(arabic_text: str, latin_softs: tuple[str, ...]) -> bool | None:
    """True: a listed spelling of this part; False: a listed spelling of another part only;
    None: the table does not know."""
    forward, reverse = _tables()
    listed = forward.get(arabic_text)
    if listed is None:
        return None
    if any(s in listed for s in latin_softs):
        return True
    if any(s in reverse for s in latin_softs):
        return False
    return None
