"""Name parts that come together: a whole name's frequency, not the product of its parts'.

The model weighs each agreeing part by how common it is alone, as if given and family names
were drawn independently. They are not: `Anders` is rare in holdings of mostly North African
and Caucasian names, but among the carriers of `Jansen` it is common, and a traveller called
Anders Jansen is no rarer than the Danes among them. So, for a candidate record, each part of
its name that the query shares is weighed by its frequency among the other bearers of the
rarest part the query shares too (the anchor) — the whole name's frequency is the anchor's
times that — read from the holdings' own postings, by the parts' spelling skeletons (the keys
candidates are found by: a name up to its spelling, as the model lets spellings agree):

    P(part | anchor) = (n(part and anchor) + alpha * P(part)) / (n(anchor) + alpha)

smoothed toward the part's frequency alone with `alpha` pseudo-records, so that a family name
with a handful of bearers changes nothing. Records that could be the candidate's own person
(a birth year within one, or no year on either side: one listed person on three lists) are left
out of both counts: they are the candidate, not other people who bear the name. A candidate
with no year takes the traveller's in its place (`Together.conditioned`). A part is
never taken as rarer than it is alone (the cheap bound of `columns.py` stays an upper bound),
and only parts the query shares a key with are conditioned: a given name that differs still
weighs as a conflict of the name alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from ftfhub.index.candidates import Scratch
from ftfhub.index.columns import GENDERS, Columns, nationality_mask
from ftfhub.index.postings import Positions, Postings
from ftfhub.matching.features import NameFeatures, PartFeatures, RecordFeatures

Frequency = Callable[[str], float]
ALPHA = 10.0  # pseudo-records of the part's own frequency among the anchor's bearers
NONE: frozenset[int] = frozenset()


def query_keys(query: RecordFeatures) -> frozenset[str]:
    """Every key of every part of the query's names (plain and loose)."""
    return frozenset(k for name in query.names for part in name.parts for k in part.keys)


def birth_years(query: RecordFeatures) -> frozenset[int]:
    """The query's birth years (a traveller's: one)."""
    return frozenset(d.year for d in query.birth_dates)


class Together:
    """Per-candidate part frequencies conditioned on the name's anchor, over an index's
    postings and columns."""

    def __init__(
        self, postings: Postings, columns: Columns, frequency: Frequency, scratch: Scratch
    ) -> None:
        self.postings = postings
        self.columns = columns
        self.frequency = frequency
        self.scratch = scratch  # dense per-position stamps: which bearers bear a part too

    def keyed(self, part: PartFeatures) -> list[Positions]:
        """The postings of the part's plain keys (each sorted, one position once)."""
        plain = [k for k in part.keys if not k.startswith("~")]
        return [p for p in self.postings.lookup(plain) if len(p)]

    def conditioned(
        self, query: frozenset[str], record: RecordFeatures, query_years: frozenset[int] = NONE
    ) -> dict[str, float]:
        """freq_key → P(part | anchor) for the record's parts the query shares a key with
        (the largest over the record's names).

        A record with no birth year takes the query's years (`query_years`, a traveller's
        birth year) in its place: a bearer born years from the traveller is another person
        bearing the name, or the record's own person on another list with a date that says
        the traveller is not them; either way evidence that the traveller is not the
        record's person, which weighing the part among such bearers gives. Bearers within a
        year of the traveller, or with no year, are still left out: they could be both."""
        out: dict[str, float] = {}
        years = self._years(record) or (set(query_years) or None)
        for name in record.names:
            for key, share in self._name(query, name, years).items():
                out[key] = max(out.get(key, 0.0), share)
        return out

    def _name(
        self, query: frozenset[str], name: NameFeatures, years: set[int] | None
    ) -> dict[str, float]:
        shared = [p for p in name.parts if not p.weak and query.intersection(p.keys)]
        if len(shared) < 2:
            return {}
        postings = [self.keyed(p) for p in shared]
        sizes = [len(keyed[0]) if keyed else 0 for keyed in postings]
        first = min(range(len(shared)), key=sizes.__getitem__)
        anchor, keyed = shared[first], postings[first]
        if not keyed:
            return {}
        # The anchor's bearers under its first key (the usual spelling's skeleton): a share
        # is read as well from them as from the union of its keys, with no merge.
        bearers = keyed[0][self.columns.view("live")[keyed[0]] == 1]
        if not len(bearers):
            return {}
        same = self._maybe_same(bearers, years)
        others = int(np.count_nonzero(~same))
        out: dict[str, float] = {}
        for part, lists in zip(shared, postings, strict=True):
            if part.freq_key == anchor.freq_key:
                continue
            both = self.scratch.member(bearers, lists)
            together = int(np.count_nonzero(both & ~same))
            prior = self.frequency(part.freq_key)
            out[part.freq_key] = (together + ALPHA * prior) / (others + ALPHA)
        return out

    def _maybe_same(self, positions: Positions, years: set[int] | None) -> npt.NDArray[np.bool_]:
        """Which of `positions` could be the candidate's own person: a birth year within
        one of the candidate's (the model's own `year_off_by_one` still agrees), no single
        Gregorian date, or no year on the candidate's side."""
        if years is None:
            return np.ones(len(positions), dtype=bool)
        their = self.columns.view("year")[positions]
        kind = self.columns.view("date_kind")[positions]
        result: npt.NDArray[np.bool_] = kind != 1
        for year in years:
            result |= np.abs(their.astype(np.int32) - year) <= 1
        return result

    @staticmethod
    def _years(record: RecordFeatures) -> set[int] | None:
        years = {d.year for d in record.birth_dates}
        return years or None

    def frequency_for(
        self, query: frozenset[str], record: RecordFeatures, query_years: frozenset[int] = NONE
    ) -> Frequency | None:
        """The holdings' part frequency, raised for the parts that come with the record's
        anchor (never lowered); None when no part is. `query_years`: `conditioned`."""
        table = self.conditioned(query, record, query_years)
        if not table:
            return None
        base = self.frequency

        def frequency(part_key: str) -> float:
            share = base(part_key)
            conditioned = table.get(part_key)
            return share if conditioned is None else max(share, conditioned)

        return frequency


class Carriers:
    """How common the query's nationality and gender are among the people who bear the name
    the query shares with a candidate: the u of "nationality same" and "gender same" given
    that the names agree.

    The model adds the nationality and gender terms to the name's as if they were drawn apart
    from it. They are not: a German name is mostly borne by Germans and a given name by one
    gender, so a namesake (someone else with the name) agrees on both nearly as often as the
    person does, and counting them again on top of the name counts the name twice. Among the
    holdings' bearers of the shared name (the bearers of each shared part, smoothed toward the
    population with `ALPHA` pseudo-records, the part that tells most; then those who bear
    every shared part, smoothed toward that), the share of the query's nationality and gender
    is the chance that someone else with this name agrees.
    Only ever raised above the population share (the terms only ever weigh less), and only
    for a traveller against holdings, as `Together` is. The candidate itself is not counted;
    the same person on another list is (unlike `Together`, which leaves out anyone who could
    be the candidate): a record with no birth year is still a bearer of the name, and a person
    counted twice only makes the terms weigh less.
    """

    def __init__(self, together: Together, nationality: Frequency, position: int) -> None:
        self.together = together
        self.population = nationality
        self.position = position

    def bearers(
        self, query: frozenset[str], record: RecordFeatures
    ) -> tuple[list[Positions], Positions] | None:
        """The live bearers of each part the query shares with the record's name (the name
        sharing most parts), and those bearing every one of them, the candidate left out;
        None when no part is shared."""
        best: list[PartFeatures] = []
        for name in record.names:
            shared = [p for p in name.parts if not p.weak and query.intersection(p.keys)]
            if len(shared) > len(best):
                best = shared
        postings = [self.together.keyed(p) for p in best]
        postings = [keyed for keyed in postings if keyed]
        if not postings:
            return None
        live = self.together.columns.view("live")
        each = [k[0][(live[k[0]] == 1) & (k[0] != self.position)] for k in postings]
        first = min(range(len(each)), key=lambda i: len(each[i]))
        every = np.ones(len(each[first]), dtype=bool)
        for i, lists in enumerate(postings):
            if i != first:
                every &= self.together.scratch.member(each[first], lists)
        return each, each[first][every]

    def shares(
        self, query: RecordFeatures, keys: frozenset[str], record: RecordFeatures
    ) -> tuple[Frequency, Frequency] | None:
        """(nationality code → share, gender → share) among the name's bearers; None when
        the name shares no part."""
        found = self.bearers(keys, record)
        if found is None:
            return None
        each, every = found
        nat_share: dict[str, float] = {}
        for code in query.nationalities:
            agrees = _bearing(code)
            nat_share[code] = self._share("nationality", each, every, agrees, self.population(code))
        gender = query.gender or ""
        value = GENDERS.get(gender, 0)
        gender_share = self._share("gender", each, every, lambda v: v == value, 0.5)
        population = self.population

        def nationality_share(code: str) -> float:
            return nat_share.get(code) or population(code)

        def gender_share_of(of: str) -> float:
            return gender_share if value and of == gender else 0.5

        return nationality_share, gender_share_of

    def _share(
        self,
        column: str,
        each: list[Positions],
        every: Positions,
        agrees: Callable[[npt.NDArray[Any]], npt.NDArray[np.bool_]],
        prior: float,
    ) -> float:
        """The share that `agrees` among the bearers of each shared part (smoothed toward
        `prior`; the part that tells most, the largest), then among the bearers of every
        part (smoothed toward that); never below `prior`. Records with the column unknown
        are left out."""
        parts = max(self._smoothed(column, group, agrees, prior) for group in each)
        return max(prior, self._smoothed(column, every, agrees, parts))

    def _smoothed(
        self,
        column: str,
        group: Positions,
        agrees: Callable[[npt.NDArray[Any]], npt.NDArray[np.bool_]],
        prior: float,
    ) -> float:
        values = self.together.columns.view(column)[group]
        values = values[values != 0]
        hits = int(np.count_nonzero(agrees(values)))
        return (hits + ALPHA * prior) / (len(values) + ALPHA)


def _bearing(code: str) -> Callable[[npt.NDArray[Any]], npt.NDArray[np.bool_]]:
    """Which nationality masks include `code`."""
    bit = np.uint64(nationality_mask((code,)))

    def bears(values: npt.NDArray[Any]) -> npt.NDArray[np.bool_]:
        found: npt.NDArray[np.bool_] = (values & bit) > 0
        return found

    return bears
