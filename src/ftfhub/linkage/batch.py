"""Feature rows for a whole holding: computed in worker processes, kept as one Arrow table.

Features cost about 0.1 ms of Python per record (the name analysis); a million records is
minutes of one core, so large inputs are cut into chunks that worker processes turn into
Arrow tables while this process reads the next chunk. A worker is sent only what the
features read (names, dates, documents, nationalities, places) as plain tuples, which cost a
tenth of a pickled Record to send. Term frequencies are counted per chunk and summed.

The blocking keys that depend on the whole holding (a name pair is "rare" when few records
share it) are added here too, at prediction time, over exactly the records being compared.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from ftfhub.domain import Document, Name, PartialDate, RecordData
from ftfhub.linkage.table import (
    FLOAT_COLUMNS,
    LIST_COLUMNS,
    TEXT_COLUMNS,
    TF_COLUMNS,
    Frequencies,
    Row,
    build_rows,
    tf_value,
)

Item = tuple[str, str, RecordData]  # (record key, owner agency, record)
Essentials = tuple[Any, ...]  # the fields of a Record the features read, as plain tuples
CHUNK = 20_000  # records per task
PARALLEL_FROM = 60_000  # below this many records, starting workers costs more than it saves
# Blocking keys shared by more records than this are left to the rules that add a birth
# year: a common name pair alone would compare every namesake with every other.
RARE_CAP = 20
RARE_COLUMNS = {"rare_pairs": "name_pairs", "rare_kunyas": "kunya_names"}


def _schema(tf: bool) -> Any:
    import pyarrow as pa

    return pa.schema(
        [(c, pa.string()) for c in TEXT_COLUMNS]
        + [(c, pa.list_(pa.string())) for c in LIST_COLUMNS]
        + [(c, pa.float64()) for c in (FLOAT_COLUMNS if tf else ())]
    )


def to_arrow(rows: Iterable[Row], tf: bool = True) -> Any:
    """Feature rows as a pyarrow table with fixed types (an empty list stays a list);
    without the `tf_` columns for Splink, which reads them from registered lookups."""
    import pyarrow as pa

    rows = list(rows)
    schema = _schema(tf)
    columns = {name: [row[name] for row in rows] for name in schema.names}
    return pa.table(columns, schema=schema)


class Rows(Mapping[str, Row]):
    """Feature rows kept as one Arrow table (a million rows of Python dicts would not fit
    the memory budget); a row is materialised when it is asked for."""

    def __init__(self, table: Any) -> None:
        self.table = table
        keys = table.column("unique_id").to_pylist()
        self._index = {key: n for n, key in enumerate(keys)}

    @classmethod
    def of(cls, rows: Iterable[Row]) -> Rows:
        return cls(to_arrow(rows))

    def __getitem__(self, key: str) -> Row:
        row: Row = self.table.slice(self._index[key], 1).to_pylist()[0]
        return row

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self._index)

    def without_tf(self) -> Any:
        return self.table.drop_columns(list(FLOAT_COLUMNS))


def essentials(record: RecordData) -> Essentials:
    """What the features read of a Record, as tuples of strings and numbers."""
    return (
        record.kind,
        tuple((n.full, n.type, n.script) for n in record.names),
        tuple((d.year, d.month, d.day, d.calendar, d.original) for d in record.birth_dates),
        record.nationalities,
        record.gender,
        tuple((d.type, d.country, d.number) for d in record.documents),
        record.places,
    )


def record_of(fields: Essentials) -> RecordData:
    """A Record holding only its essentials (what the features read)."""
    kind, names, dates, nationalities, gender, documents, places = fields
    return RecordData(
        record_id="",
        kind=kind,
        names=tuple(Name(*n) for n in names),
        birth_dates=tuple(PartialDate(*d) for d in dates),
        nationalities=nationalities,
        gender=gender,
        documents=tuple(Document(*d) for d in documents),
        places=places,
    )


def _chunk_table(part: list[tuple[str, str, Essentials]]) -> tuple[Any, int, Counter[str]]:
    """One chunk's feature table (without `tf_` columns) and its term-frequency counts."""
    rows = build_rows((key, owner, record_of(fields)) for key, owner, fields in part)
    counted = Frequencies(Counter(), 0)
    counted.count(rows)
    return to_arrow(rows, tf=False), counted.total, counted.counts


def _worker_start() -> None:
    """A feature worker allocates millions of small objects and keeps only its caches: the
    cyclic collector, run at its default pace, took half its time (measured)."""
    gc.set_threshold(200_000, 50, 1000)


def _chunk_in_worker(part: list[tuple[str, str, Essentials]]) -> tuple[Any, int, Counter[str]]:
    out = _chunk_table(part)
    gc.freeze()  # what survives a chunk is cache: never traverse it again
    return out


def workers() -> int:
    """Feature worker processes: `FTFHUB_WORKERS`, else one per core."""
    return max(1, int(os.environ.get("FTFHUB_WORKERS", "0")) or os.cpu_count() or 1)


def _chunks(records: Iterable[Item]) -> Iterator[list[tuple[str, str, Essentials]]]:
    pending = iter(records)
    while part := list(itertools.islice(pending, CHUNK)):
        yield [(key, owner, essentials(record)) for key, owner, record in part]


def _tables(records: Iterable[Item]) -> Iterator[tuple[Any, int, Counter[str]]]:
    """Chunk tables in input order; in worker processes once the input is large."""
    chunks = _chunks(records)
    head = list(itertools.islice(chunks, PARALLEL_FROM // CHUNK))
    size = workers()
    if len(head) < PARALLEL_FROM // CHUNK or size < 2:
        yield from (_chunk_table(part) for part in itertools.chain(head, chunks))
        return
    # spawn: a clean process, not a fork of one that may hold database threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(size, context, initializer=_worker_start) as pool:
        flight: list[Future[tuple[Any, int, Counter[str]]]] = []
        for part in itertools.chain(head, chunks):
            flight.append(pool.submit(_chunk_in_worker, part))
            if len(flight) > 2 * size:  # a bounded queue: memory stays flat
                yield flight.pop(0).result()
        for future in flight:
            yield future.result()


def build_table(
    records: Iterable[Item], frequencies: Frequencies | None
) -> tuple[Rows, Frequencies]:
    """Feature rows of `records` with term frequencies from `frequencies` (a model's), or
    counted on these records when None."""
    import pyarrow as pa

    counted = Frequencies(Counter(), 0)
    batches = []
    for table, total, counts in _tables(records):
        batches.append(table)
        counted.total += total
        counted.counts.update(counts)
    table = pa.concat_tables(batches) if batches else to_arrow([], tf=False)
    freq = frequencies or counted
    for column in TF_COLUMNS:
        cache: dict[str, float | None] = {}
        values = [
            cache[v] if v in cache else cache.setdefault(v, tf_value(column, v, freq))
            for v in table.column(column).to_pylist()
        ]
        table = table.append_column(f"tf_{column}", pa.array(values, pa.float64()))
    return Rows(table), freq


def _rare(lists: Any, cap: int) -> Any:
    """Each row's keys that at most `cap` rows of the table hold."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = lists.combine_chunks() if isinstance(lists, pa.ChunkedArray) else lists
    flat = pc.list_flatten(lists)
    parents = pc.list_parent_indices(lists)
    counts = pc.value_counts(flat)
    common = counts.field("values").filter(pc.greater(counts.field("counts"), cap))
    keep = pc.invert(pc.is_in(flat, value_set=common))
    kept_parents = parents.filter(keep).to_numpy(zero_copy_only=False)
    sizes = np.bincount(kept_parents, minlength=len(lists))
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), flat.filter(keep))


def blocking_table(table: Any, cap: int = RARE_CAP) -> Any:
    """`table` with the blocking keys counted over all its rows: the name pairs and kunyas
    that few records share (the common ones block only together with a birth year)."""
    for column, source in RARE_COLUMNS.items():
        if column in table.column_names:
            table = table.drop_columns([column])
        table = table.append_column(column, _rare(table.column(source), cap))
    return table
