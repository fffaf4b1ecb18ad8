"""Keys probed, never posted: what a query part looks up beyond `keys.neighbour_keys` to tell
whether a candidate's part may agree with it short of exact. Query side only, so a change here
leaves every persisted index as it is (`version`: only the code that posts keys counts)."""

from __future__ import annotations

from functools import lru_cache

PAIRED = 4  # letters in the shortest key whose two neighbouring letters may be one


@lru_cache(maxsize=1 << 16)
def pair_deletions(key: str) -> tuple[str, ...]:
    """A plain part key of `PAIRED` letters or more with two neighbouring letters of its
    skeleton left out, each way (the affixes a key is wrapped in, `abu|`, `abd|`, `|din`,
    kept whole, as `keys.deletions` keeps them)."""
    segments = key.split("|")
    at = len(segments) - 2 if len(segments) > 1 and segments[-1] == "din" else len(segments) - 1
    core = segments[at]
    if len(core) < PAIRED:
        return ()
    out = dict.fromkeys(
        "|".join([*segments[:at], core[:i] + core[i + 2 :], *segments[at + 1 :]])
        for i in range(len(core) - 1)
    )
    return tuple(out)


@lru_cache(maxsize=1 << 16)
def paired_keys(plain: tuple[str, ...]) -> tuple[str, ...]:
    """The keys a record's part is posted under (`keys.deletions`, marked `-`) when it has one
    letter where the query's part has two neighbouring ones: the query's key less those two.
    A slip on a letter of a two-letter spelling (`Rhazali` ~ `Ghazali`: `rh` is two letters
    of the skeleton, `gh` one, so `rhzl` ~ `kzl`) changes two letters of one skeleton and one
    of the other, which a single letter left out of each never shares. Only the query's side
    is read two letters less: a record is posted one letter less, never two (that would
    multiply what the index holds), so a record's part with the two letters is not found so."""
    out: dict[str, None] = {}
    for key in plain:
        for d in pair_deletions(key):
            out[f"-{d}"] = None
    return tuple(out)
