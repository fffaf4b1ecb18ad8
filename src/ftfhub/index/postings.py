"""Key → record positions: a sorted, hashed base (numpy, loaded from disk in one read) and a
small delta of keys posted since the base was built (a dict, merged into the base now and
then).

Keys are hashed to 64 bits (BLAKE2b) so that the base is three flat arrays: sorted key hashes,
offsets, positions. A query looks all its keys up with one `searchsorted`.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

Positions = npt.NDArray[np.int32]
EMPTY: Positions = np.zeros(0, dtype=np.int32)
CACHED_KEYS = 1 << 17  # base slices kept per key (a few tens of MB at most)


@lru_cache(maxsize=1 << 17)  # a batch's keys recur (common parts, their birth years)
def key_hash(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "little")


class Postings:
    def __init__(self) -> None:
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.offsets = np.zeros(1, dtype=np.int64)
        self.positions = EMPTY
        self.delta: dict[str, array] = {}  # type: ignore[type-arg]
        self.delta_size = 0
        self._base: dict[str, Positions] = {}  # the base's slice per key looked up

    def post(self, keys: Iterable[str], position: int) -> None:
        for key in keys:
            found = self.delta.get(key)
            if found is None:
                found = self.delta[key] = array("i")
            found.append(position)
            self.delta_size += 1

    def lookup(self, keys: Sequence[str]) -> list[Positions]:
        """The positions posted under each key (base and delta), in key order."""
        if not keys:
            return []
        # A batch's keys recur (common parts, their birth years: three lookups in four at a
        # million records were of a key looked up before): the base's slices are kept per
        # key until the base changes, and only the others are hashed and searched for.
        cache = self._base
        out: list[Positions | None] = [cache.get(k) for k in keys]
        missing = [k for k, found in zip(keys, out, strict=True) if found is None]
        if missing:
            fresh = iter(self._search(missing))
            if len(cache) + len(missing) > CACHED_KEYS:
                cache.clear()
            for i, found in enumerate(out):
                if found is None:
                    found = out[i] = cache[keys[i]] = next(fresh)
        if not self.delta:  # the usual case: the base alone, a slice per key
            return out  # type: ignore[return-value]
        merged: list[Positions] = []
        for key, found in zip(keys, out, strict=True):
            assert found is not None
            extra = self.delta.get(key)
            if extra is not None:
                found = np.concatenate([found, np.frombuffer(extra, dtype=np.int32)])
            merged.append(found)
        return merged

    def prefetch(self, keys: Iterable[str]) -> None:
        """Look a batch's keys up at once (one `searchsorted` of their sorted hashes, not one
        per traveller) and keep their base slices, as `lookup` keeps them: the travellers'
        own lookups then find them kept. The slices are the same either way, so nothing a
        query finds changes; at most `CACHED_KEYS` are kept (the rest are looked up as
        before, by the traveller that reads them)."""
        cache = self._base
        missing = list(dict.fromkeys(k for k in keys if k not in cache))[:CACHED_KEYS]
        if not missing:
            return
        if len(cache) + len(missing) > CACHED_KEYS:
            cache.clear()
        hashes = np.fromiter(map(key_hash, missing), dtype=np.uint64, count=len(missing))
        order = np.argsort(hashes)  # sorted needles: each search starts where the last ended
        found = self._slices(hashes[order])
        cache.update(zip([missing[i] for i in order.tolist()], found, strict=True))

    def _search(self, keys: Sequence[str]) -> list[Positions]:
        """The base's positions under each key: one `searchsorted` of their hashes."""
        return self._slices(np.fromiter(map(key_hash, keys), dtype=np.uint64, count=len(keys)))

    def _slices(self, hashes: npt.NDArray[np.uint64]) -> list[Positions]:
        """The base's positions under each key hash (`EMPTY` for one not posted)."""
        if not len(self.hashes):
            return [EMPTY] * len(hashes)
        at = np.minimum(np.searchsorted(self.hashes, hashes), len(self.hashes) - 1)
        hit = (self.hashes[at] == hashes).tolist()
        starts, ends = self.offsets[at].tolist(), self.offsets[at + 1].tolist()
        base = self.positions
        return [
            base[start:end] if found else EMPTY
            for found, start, end in zip(hit, starts, ends, strict=True)
        ]

    def sizes(self, keys: Sequence[str]) -> list[int]:
        return [len(p) for p in self.lookup(keys)]

    def compact(self) -> None:
        """Merge the delta into the base (a stable sort keeps positions in order per key)."""
        if not self.delta:
            return
        hashes = [np.repeat(self.hashes, np.diff(self.offsets))]
        positions = [self.positions]
        for key, found in self.delta.items():
            hashes.append(np.full(len(found), key_hash(key), dtype=np.uint64))
            positions.append(np.frombuffer(found, dtype=np.int32))
        all_hashes = np.concatenate(hashes)
        all_positions = np.concatenate(positions)
        order = np.argsort(all_hashes, kind="stable")
        all_hashes, self.positions = all_hashes[order], all_positions[order].astype(np.int32)
        self.hashes, first = np.unique(all_hashes, return_index=True)
        self.offsets = np.append(first, len(all_hashes)).astype(np.int64)
        self.delta, self.delta_size = {}, 0
        self._base = {}

    def save(self, folder: Path) -> None:
        self.compact()
        self.hashes.tofile(folder / "post_hashes.bin")
        self.offsets.tofile(folder / "post_offsets.bin")
        self.positions.tofile(folder / "post_positions.bin")

    @classmethod
    def load(cls, folder: Path) -> Postings:
        postings = cls()
        postings.hashes = np.fromfile(folder / "post_hashes.bin", dtype=np.uint64)
        postings.offsets = np.fromfile(folder / "post_offsets.bin", dtype=np.int64)
        postings.positions = np.fromfile(folder / "post_positions.bin", dtype=np.int32)
        return postings
