"""Each record's features kept in the index, so that an index loaded after a restart compares
its records without decoding their fields and analysing their names again (the name analysis
was most of what a record's first comparison cost).

A record's features are one row per position (`Payloads` under the stem `features`); the
parts of its names are rows of a part table (stem `parts`), each distinct part once and
referred to by its number. A part row is made into `PartFeatures` in the process that reads
it, on first use, and kept there while the index lives (`forget` drops them). Its `uid`, which
the level caches (`part_levels._LEVELS`, `name_compare._MERGES`) are keyed by, is never read
from disk: it is drawn from this process's counter when the part is made, so a part read from
the file cannot share a number with a part analysed here and read another pair's level.

Rows are `marshal`led tuples of plain values (fast to read; written and read by the hub
itself, never another party's file). marshal's format is this Python's own, so the index's
version names it (`FORMAT_TAG`): an index written by another Python is rebuilt, not misread.
"""

from __future__ import annotations

import marshal
import sys
from dataclasses import fields
from operator import attrgetter
from pathlib import Path
from typing import Any

from ftfhub.domain import PartialDate
from ftfhub.index.payloads import Payloads
from ftfhub.matching.features import NameFeatures, PartFeatures, RecordFeatures

FORMAT_TAG = f"marshal{marshal.version}-py{sys.version_info[0]}.{sys.version_info[1]}"
PART_FIELDS = tuple(f.name for f in fields(PartFeatures) if f.init)  # never the uid
NAME_FIELDS = tuple(f.name for f in fields(NameFeatures))
DATE_FIELDS = tuple(f.name for f in fields(PartialDate))
_PARTS_AT = NAME_FIELDS.index("parts")
_part_values = attrgetter(*PART_FIELDS)
_name_values = attrgetter(*NAME_FIELDS)
_date_values = attrgetter(*DATE_FIELDS)


def _dumps(row: tuple[Any, ...]) -> bytes:
    """A row as marshal writes it; a value of a `str` subclass (a `RecordKind`) written as
    the plain string it is, as the record's fields are stored (`payload.py`)."""
    try:
        return marshal.dumps(row)
    except ValueError:
        return marshal.dumps(_plain(row))


def _plain(value: Any) -> Any:
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, tuple | frozenset):
        return type(value)(_plain(v) for v in value)
    return value


class KeptFeatures:
    """The features of every indexed position, as rows; `get` makes them into objects."""

    def __init__(self) -> None:
        self.rows = Payloads("features")
        self.part_rows = Payloads("parts")
        self._numbers: dict[int, int] = {}  # the number of each part (by uid) numbered here
        self._parts: dict[int, PartFeatures] = {}  # parts made (or numbered) in this process

    def __len__(self) -> int:
        return len(self.rows)

    def append(self, features: RecordFeatures) -> None:
        """Keep the features of the next position."""
        names = tuple([self._name_row(name) for name in features.names])
        dates = tuple([_date_values(d) for d in features.birth_dates])
        row = (
            names,
            dates,
            features.nationalities,
            features.documents,
            features.gender,
            features.kind,
            features.document_types,
        )
        self.rows.append(_dumps(row))

    def _name_row(self, name: NameFeatures) -> tuple[Any, ...]:
        values = list(_name_values(name))
        values[_PARTS_AT] = tuple([self._number(part) for part in name.parts])
        return tuple(values)

    def _number(self, part: PartFeatures) -> int:
        """The part's number: one row per part object (`part_features` gives one object per
        distinct part while its cache holds it; a uid is never drawn twice in a process)."""
        number = self._numbers.get(part.uid)
        if number is None:
            number = self._numbers[part.uid] = len(self.part_rows)
            self.part_rows.append(_dumps(_part_values(part)))
            self._parts[number] = part
        return number

    def get(self, position: int) -> RecordFeatures:
        """The features kept for `position`, equal to `record_features` of its record."""
        names, dates, nationalities, documents, gender, kind, types = marshal.loads(
            self.rows.get(position)
        )
        return RecordFeatures(
            names=tuple(self._name(row) for row in names),
            birth_dates=tuple(PartialDate(*date) for date in dates),
            nationalities=nationalities,
            documents=documents,
            gender=gender,
            kind=kind,
            document_types=types,
        )

    def _name(self, row: tuple[Any, ...]) -> NameFeatures:
        values = list(row)
        values[_PARTS_AT] = tuple(self._part(number) for number in row[_PARTS_AT])
        return NameFeatures(*values)

    def _part(self, number: int) -> PartFeatures:
        found = self._parts.get(number)
        if found is None:
            # Made here: a fresh uid from this process's counter, never one from the file.
            found = PartFeatures(*marshal.loads(self.part_rows.get(number)))
            self._parts[number] = found
        return found

    def forget(self) -> None:
        """Drop the parts made from rows (benchmarks measure from nothing made)."""
        self._parts = {}

    def save(self, folder: Path) -> None:
        self.rows.save(folder)
        self.part_rows.save(folder)

    @classmethod
    def load(cls, folder: Path) -> KeptFeatures:
        kept = cls()
        kept.rows = Payloads.load(folder, "features")
        kept.part_rows = Payloads.load(folder, "parts")
        return kept
