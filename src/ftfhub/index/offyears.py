"""Keys joined to a birth year that no record born that year alone can reach the threshold
from, narrowed before the birth-date filter reads them.

A common part is read through its keys joined to the query's birth year and the years beside
it (`mhmd@1960`, `@1961`, `@1962`). With a million records a year one off never reaches the
threshold (`bounds.reachable_dates`), so the filter dropped every record of those two keys
but the few with several dates or another calendar: 94 % of the postings a traveller read at
a million records were gathered and dropped so. A record posted under `k@1961` is born in
1961: one Gregorian date that year (its date code the year's own, which the filter drops), or
several dates or another calendar (any other code). Only the latter are kept per key
(worked out once: a key's postings only grow, and a record's date never changes in place),
and they alone go through the filter. What the filter would have rescued is the same: a
record found by the query's full birth date has that date, so it is not posted under another
year unless it has several dates (kept); a record found by a document could be, so a query
whose documents found anyone reads every key whole.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ftfhub.index.bounds import _DATE, _KIND_SHIFT, FIRST_YEAR, SLOTS
from ftfhub.index.candidates import KeyTable
from ftfhub.index.postings import EMPTY, Positions

KEPT_KEYS = 1 << 17  # keys whose other-dated records are kept (small arrays: a few MB)


class OffYears:
    """Per key joined to a year, its records whose date code is not that year's alone."""

    def __init__(self) -> None:
        self.kept: dict[str, tuple[int, Positions]] = {}

    def others(
        self, key: str, found: Positions, code: int, codes: npt.NDArray[np.int32]
    ) -> Positions:
        """The positions of `found` (all of `key`'s postings) whose date code is not `code`."""
        known = self.kept.get(key)
        if known is not None and known[0] == len(found):
            return known[1]
        out: Positions = found[(codes[found] & _DATE) != code] if len(found) else EMPTY
        if len(self.kept) >= KEPT_KEYS:
            self.kept = {}
        self.kept[key] = (len(found), out)
        return out

    def groups(
        self,
        groups: list[tuple[str, ...]],
        table: KeyTable,
        cap: int,
        dropped: dict[str, int],
        codes: npt.NDArray[np.int32],
    ) -> list[Positions]:
        """`candidates.read` of each group of keys (without counting), a key joined to a
        year in `dropped` (its suffix `@year` → that year's date code) narrowed to its
        records of other date codes."""
        out = []
        for group in groups:
            arrays = []
            for key in group:
                found = table[key]
                if len(found) > cap:
                    continue
                code = dropped.get(key[key.rfind("@") :]) if "@" in key else None
                if code is not None:
                    found = self.others(key, found, code, codes)
                if len(found):
                    arrays.append(found)
            out.append(
                arrays[0] if len(arrays) == 1 else np.concatenate(arrays) if arrays else EMPTY
            )
        return out


def dropped_years(years: list[int], year: int, reach: npt.NDArray[np.bool_]) -> dict[str, int]:
    """Of the query's `years` (it was born in `year`, one Gregorian date), those whose own
    date code (one Gregorian date that year) `reach` (`bounds.reachable_dates`) drops: the
    keys' suffix `@year` → that code."""
    out = {}
    for other in years:
        slot = other - FIRST_YEAR
        if other != year and 0 < slot < SLOTS:
            code = (1 << _KIND_SHIFT) | slot
            if not reach[code]:
                out[f"@{other}"] = code
    return out
