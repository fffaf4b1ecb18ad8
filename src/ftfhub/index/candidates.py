"""Candidate generation: the records sharing name-part keys with a query, and the most their
shared parts could weigh.

Per query name, each part's postings are added into dense per-position scratch arrays (the
part's weight, a count of parts shared, a stamp naming the part) with one numpy call per part:
no candidate list is sorted or merged per part, so a query costs the postings it reads and a
few dozen numpy calls, not Python work per candidate (profiled at 100,000 records: sorting
and merging candidate lists per part was a third of the time). `acc[positions] += w` adds
`w` once per position even when a position is listed twice, which is the union a part's
several keys need.

The weights are the same optimistic ones as before (see `ScreeningIndex.candidates`): a part
shared counts its exact-agreement weight, a part shared only by a loose key half of it, and
every part shared adds the complete-name bonus.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from ftfhub.index.keys import PartKeys
from ftfhub.index.postings import EMPTY, Positions
from ftfhub.matching.features import NameFeatures

Weights = npt.NDArray[np.float64]
YearUnknown = Callable[[Positions], npt.NDArray[np.bool_]]
KeyTable = Mapping[str, Positions]  # a query's keys and their postings


def sorted_unique(arrays: Sequence[Positions]) -> Positions:
    """The sorted distinct positions of several arrays (a sort: cheaper than a hash at the
    sizes a query reads)."""
    if not arrays:
        return EMPTY
    joined = np.sort(np.concatenate(arrays)) if len(arrays) > 1 else np.sort(arrays[0])
    if len(joined) < 2:
        return joined
    keep = np.empty(len(joined), dtype=bool)
    keep[0] = True
    np.not_equal(joined[1:], joined[:-1], out=keep[1:])
    out: Positions = joined[keep]
    return out


class Scratch:
    """Per-position work arrays, zero between queries (each query resets what it touched).
    Owned by one index and used under its lock; a forked worker gets its own copy."""

    def __init__(self) -> None:
        self.size = 0
        self.acc = np.zeros(0)
        self.count = np.zeros(0, dtype=np.int16)
        self.stamp = np.zeros(0, dtype=np.int32)
        self._next = 0

    def ensure(self, size: int) -> None:
        if size <= self.size:
            return
        grown = max(size, int(self.size * 1.25)) + 1024
        self.acc = np.zeros(grown)
        self.count = np.zeros(grown, dtype=np.int16)
        self.stamp = np.zeros(grown, dtype=np.int32)
        self.size = grown

    def member(self, at: Positions, arrays: Sequence[Positions]) -> npt.NDArray[np.bool_]:
        """Which of `at` are in any of `arrays` (a fresh stamp: no sort, unlike `np.isin`)."""
        if not any(len(array) for array in arrays):  # most travellers' documents find nobody
            return np.zeros(len(at), dtype=bool)
        stamp = self.new_stamp()
        for array in arrays:
            self.stamp[array] = stamp
        found: npt.NDArray[np.bool_] = self.stamp[at] == stamp
        return found

    def new_stamp(self) -> int:
        self._next += 1
        if self._next >= 2**31 - 1:
            self.stamp[:] = 0
            self._next = 1
        return self._next


@dataclass(frozen=True)
class QueryName:
    """One distinct query name: its parts (indices into the query's part list) and kind."""

    kunya: bool
    parts: tuple[int, ...]


def add_part(scratch: Scratch, positions: Positions, weight: float, stamp: int) -> None:
    """Count a part as shared by `positions` (those not counted for it already)."""
    if not len(positions):
        return
    fresh = positions[scratch.stamp[positions] != stamp]
    scratch.acc[fresh] += weight
    scratch.count[fresh] += 1
    scratch.stamp[fresh] = stamp


def first_part(scratch: Scratch, positions: Positions, weight: float, stamp: int) -> None:
    """Count a part as shared by `positions`, the first time it is counted (nothing to
    check)."""
    if not len(positions):
        return
    scratch.acc[positions] += weight
    scratch.count[positions] += 1
    scratch.stamp[positions] = stamp


def posted(table: KeyTable, keys: tuple[str, ...], probe: Positions) -> Positions:
    """The positions of `probe` posted under any of `keys` (their postings in `table`): a
    binary search in each key's sorted postings, however long, never a read of them."""
    if len(probe) == 1:  # one candidate (most probes for keys one letter away): no arrays
        return probe if _posted_one(table, keys, int(probe[0])) else EMPTY
    hit: npt.NDArray[np.bool_] | None = None
    for found in (table[k] for k in keys):
        if len(found):
            # The array's own methods, and `take` clipped rather than a `minimum`: called
            # twice a traveller with a few keys each, numpy's per-call cost was most of it.
            shared = found.take(found.searchsorted(probe), mode="clip") == probe
            if hit is None:
                hit = shared
            else:
                hit |= shared
    if hit is None:
        return EMPTY
    out: Positions = probe[hit]
    return out


def _posted_one(table: KeyTable, keys: tuple[str, ...], position: int) -> bool:
    """Whether `position` is posted under any of `keys` (`posted` of one position)."""
    for key in keys:
        found = table[key]
        at = int(found.searchsorted(position))
        if at < len(found) and int(found[at]) == position:
            return True
    return False


def query_parts(name_index: int, name: NameFeatures, years: tuple[int, ...]) -> list[PartKeys]:
    """`keys.query_part_keys`, with each part's keys split and joined to the years once per
    batch (a batch's parts and birth years recur; formatting the joined keys was 4 % of a
    query at a million records)."""
    return [
        _part_keys(name_index, part_index, part.keys, years)
        for part_index, part in enumerate(name.parts)
    ]


@lru_cache(maxsize=1 << 16)
def _part_keys(
    name_index: int, part_index: int, keys: tuple[str, ...], years: tuple[int, ...]
) -> PartKeys:
    """One part's keys as `keys.query_part_keys` gives them: exact, exact joined to each
    year, loose."""
    plain = tuple(k for k in keys if not k.startswith("~"))
    joined = tuple(f"{k}@{y}" for k in plain for y in years)
    loose = tuple(k for k in keys if k.startswith("~"))
    return PartKeys(name_index, part_index, plain, joined, loose)


PROBED, JOINED, PLAIN = 0, 1, 2  # what a query part reads (see `NameSearch`)


@dataclass
class NameSearch:
    """What a query's names found, and what its parts could weigh for every candidate.

    Each part has a tier (MaxScore-style, decided from the weights by the index): `PLAIN`
    parts read their keys and their keys joined to the query's birth years; `JOINED` parts
    (common: they reach the threshold only with an agreeing birth year) read only the joined
    keys; `PROBED` parts (too common to reach it even so, with the other common parts) read
    nothing. The candidates are every record found by some key (names, documents, full birth
    dates); whether a candidate shares a part it was not found by is then looked up by a
    binary search in that part's postings, so every candidate gets the weight of every part
    it shares. A candidate found by a document or an exact birth date that shares a part
    with the query but misses another may still agree on it short of exact (a spelling one
    letter away, which no key shares); the keys one letter away are probed for it
    (`_neighbours`)."""

    parts: list[PartKeys]
    weights: list[float]  # an exact agreement's weight
    near: list[float]  # a part sharing only a loose key
    tiers: list[int]
    found: list[Positions]  # per part: postings of its keys (a position may repeat)
    loose: list[Positions]
    table: KeyTable  # every key of the query and its postings
    names: list[QueryName]
    # Per part, worked out when first needed: the most it weighs agreeing short of exact,
    # and the keys one letter away (`keys.neighbour_keys`); the postings of keys.
    neighbourhood: Callable[[], tuple[list[float], list[tuple[str, ...]]]]
    lookup: Callable[[Sequence[str]], list[Positions]]
    probed: int = 0  # candidates probed for neighbour keys (counted in the stats)

    def weigh(
        self,
        scratch: Scratch,
        extra: Sequence[Positions],
        year_unknown: YearUnknown,
        params: tuple[float, float, float],
        bound: tuple[Callable[[Positions], Weights], float],
    ) -> tuple[Positions, Weights, Weights]:
        """Sorted candidate positions, their optimistic name weights, combined as the model
        combines names (the best of one kind, `second` times the best of the other), and the
        most their other terms could add (`bound`: that function, and the weight to reach).
        `params`: the complete-name bonus, the most a name weighs, the second-name factor."""
        complete_name, max_name_weight, second = params
        every = sorted_unique([a for a in (*self.found, *self.loose, *extra) if len(a)])
        best = (np.zeros(len(every)), np.zeros(len(every)))
        if not len(every):
            return every, best[0], best[1]
        others = bound[0](every)
        # A name of the other kind adds at most `second` times the most a name weighs.
        kinds = {name.kunya for name in self.names}
        beside = second * max_name_weight if len(kinds) > 1 else 0.0
        unknown: npt.NDArray[np.bool_] | None = None
        # Records found by a document or an exact birth date (few: tens at a million).
        dated = scratch.member(every, extra) if extra else None

        def lifts(most: Weights, at: npt.NDArray[np.intp]) -> npt.NDArray[np.bool_]:
            """Which candidates (at `at` in `every`) a name weighing `most` would lift to
            the threshold."""
            lifted = np.minimum(most, max_name_weight) + beside + others[at] >= bound[1]
            return lifted if dated is None else lifted & dated[at]

        for name in self.names:
            mine = name.parts
            stamps = {i: scratch.new_stamp() for i in mine}
            for i in mine:
                first_part(scratch, self.found[i], self.weights[i], stamps[i])
            # Parts not read are looked up only for the candidates the whole name (with the
            # most the other terms could add) would lift to the threshold.
            whole = sum(self.weights[i] for i in mine)
            whole += complete_name if len(mine) >= 2 else 0.0
            reach = min(whole, max_name_weight) + beside + others >= bound[1]
            for i in mine:
                if self.tiers[i] == PLAIN:
                    continue
                mask = reach
                if self.tiers[i] == JOINED:
                    # Found by a joined key unless born in another year (or not known).
                    if unknown is None:
                        unknown = year_unknown(every)
                    mask = mask & unknown
                probe = every[mask]
                if len(probe):
                    probe = probe[scratch.stamp[probe] != stamps[i]]
                if len(probe):
                    hit = posted(self.table, self.parts[i].plain, probe)
                    add_part(scratch, hit, self.weights[i], stamps[i])
            # The parts each candidate shares an exact key with (before the loose keys).
            exact = scratch.count[every] if dated is not None and dated.any() else None
            # A part that shares only a loose key (its first two consonants) with a candidate
            # may still agree at a level short of exact (a distant spelling) and complete the
            # name: it counts `near` (half its exact weight), looked up by a binary search in
            # the loose key's postings.
            # Only for the candidates the most that could add would lift to the threshold
            # (the loose keys' postings are long: each look-up is a cache miss).
            looser = [i for i in mine if self.parts[i].loose and self.near[i] > 0]
            if looser:
                missing = len(mine) - scratch.count[every]
                most = scratch.acc[every] + missing * max(self.near[i] for i in looser)
                most += complete_name if len(mine) >= 2 else 0.0
                lifted = np.minimum(most, max_name_weight) + beside + others >= bound[1]
                lifted &= missing > 0
                candidates = every[lifted]
                for i in looser if len(candidates) else ():
                    probe = candidates[scratch.stamp[candidates] != stamps[i]]
                    if len(probe):
                        hit = posted(self.table, self.parts[i].loose, probe)
                        add_part(scratch, hit, self.near[i], stamps[i])
            if exact is not None:
                bonus = complete_name if len(mine) >= 2 else 0.0
                self._neighbours(scratch, every, mine, stamps, (lifts, bonus, exact))
            values = scratch.acc[every]
            if len(mine) >= 2:
                complete = scratch.count[every] >= len(mine)
                values += np.where(complete, complete_name, 0.0)
            np.minimum(values, max_name_weight, out=values)
            np.maximum(best[int(name.kunya)], values, out=best[int(name.kunya)])
            scratch.acc[every] = 0.0
            scratch.count[every] = 0
        weights: Weights = np.maximum(*best) + second * np.minimum(*best)
        return every, weights, others

    def _neighbours(
        self,
        scratch: Scratch,
        every: Positions,
        mine: tuple[int, ...],
        stamps: dict[int, int],
        lift: tuple[
            Callable[[Weights, npt.NDArray[np.intp]], npt.NDArray[np.bool_]],
            float,
            npt.NDArray[np.int16],
        ],
    ) -> None:
        """Count the parts a candidate shares no key with, but a key one letter away
        (`keys.neighbour_keys`), at the most a part short of exact agreement weighs
        (`fuzzy`): only for the candidates that would reach the threshold if every part
        they miss agreed so (`lift`: which a name weight lifts there, and the
        complete-name bonus), each probed by a binary search."""
        lifts, bonus, exact = lift
        at = np.flatnonzero(exact > 0)
        if not len(at):
            return
        fuzzy, neighbours = self.neighbourhood()
        fuzzier = [i for i in mine if fuzzy[i] > 0 and neighbours[i]]
        if not fuzzier:
            return
        missing = len(mine) - scratch.count[every[at]]
        most = scratch.acc[every[at]] + missing * max(fuzzy[i] for i in fuzzier) + bonus
        candidates = every[at[(missing > 0) & lifts(most, at)]]
        if not len(candidates):
            return
        probes = {i: candidates[scratch.stamp[candidates] != stamps[i]] for i in fuzzier}
        probes = {i: probe for i, probe in probes.items() if len(probe)}
        keys = list(dict.fromkeys(k for i in probes for k in neighbours[i]))
        table = dict(zip(keys, self.lookup(keys), strict=True))
        for i, probe in probes.items():
            add_part(scratch, posted(table, neighbours[i], probe), fuzzy[i], stamps[i])
            self.probed += len(probe)


def read(
    key_groups: list[tuple[str, ...]], found: KeyTable, cap: int, stats: MutableMapping[str, int]
) -> list[Positions]:
    """Per group of keys, their postings (a position may repeat, `found` has them),
    leaving out keys over the `cap`; counted in `stats`."""
    out = []
    for group in key_groups:
        usable = [found[k] for k in group if len(found[k]) <= cap]
        stats["postings"] += sum(len(p) for p in usable)
        stats["capped"] += sum(1 for k in group if len(found[k]) > cap)
        if len(usable) == 1:
            out.append(usable[0])
        else:
            out.append(np.concatenate(usable) if usable else EMPTY)
    return out


def reachable(
    groups: list[list[Positions]],
    extra: Sequence[Positions],
    reach: Callable[[npt.NDArray[np.int32]], npt.NDArray[np.bool_]],
    codes: npt.NDArray[np.int32],
    scratch: Scratch,
) -> list[list[Positions]]:
    """Each group of arrays without the records whose birth date rules them out (`reach` of
    their date codes `codes`: `bounds.reachable_codes`), unless a document or the full birth
    date found them too (`extra`). One pass over all the arrays joined: a query's parts are
    a few arrays of a few hundred positions, where per-array numpy calls cost more than the
    work."""
    flat = [at for group in groups for at in group if len(at)]
    if not flat:
        return groups
    joined = np.concatenate(flat) if len(flat) > 1 else flat[0]
    keep = reach(codes[joined])
    if extra:
        stamp = scratch.new_stamp()
        for at in extra:
            scratch.stamp[at] = stamp
        keep |= scratch.stamp[joined] == stamp
    out = []
    start = 0
    for group in groups:
        kept = []
        for at in group:
            size = len(at)
            if size:
                at = at[keep[start : start + size]]
                start += size
            kept.append(at)
        out.append(kept)
    return out


def fewer_than(found: list[Positions], count: int) -> bool:
    """Whether the distinct positions in `found` are fewer than `count`."""
    total = sum(len(f) for f in found)
    if total < count:
        return True
    if total > 8 * count:
        return False
    return len(sorted_unique([f for f in found if len(f)])) < count


def distinct_names(names: tuple[NameFeatures, ...]) -> list[tuple[NameFeatures, bool]]:
    """A query's names with the same parts and kind once, in any order (a manifest's plain
    and MRZ forms of one name find the same candidates with the same weights: the search
    adds part weights up, whatever their order)."""
    if len(names) == 1:
        return [(names[0], names[0].kunya)]
    seen: dict[tuple[object, ...], tuple[NameFeatures, bool]] = {}
    for name in names:
        shape = (name.kunya, tuple(sorted((p.keys, p.freq_key, p.weak) for p in name.parts)))
        seen.setdefault(shape, (name, name.kunya))
    return list(seen.values())
