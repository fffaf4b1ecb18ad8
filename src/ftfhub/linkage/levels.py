"""Comparison-level conditions written once, rendered as SQL for each engine and run in Python.

Splink evaluates a level's condition as SQL inside the engine; the real-time side evaluates the
same condition in Python on the same feature rows. Writing each condition once, as a small
expression tree, is what keeps the two from drifting apart: a level cannot be changed in one
place and not the other.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

Row = Mapping[str, object]


@dataclass(frozen=True)
class Cond:
    """A condition on the two sides' columns (`op` one of the names in `_SQL`)."""

    op: str
    column: str = ""
    n: int = 0
    parts: tuple[Cond, ...] = ()


def empty(column: str) -> Cond:
    """Either side has nothing in this column (the level Splink calls null)."""
    return Cond("empty", column)


def same(column: str) -> Cond:
    """A scalar column equal and not blank."""
    return Cond("same", column)


def overlap(column: str) -> Cond:
    """Two list columns share at least one element."""
    return Cond("overlap", column)


def common(column: str, n: int) -> Cond:
    """Two list columns share at least `n` elements."""
    return Cond("common", column, n)


def contained(column: str) -> Cond:
    """Every element of the shorter list (of at least two) is in the other."""
    return Cond("contained", column)


def edits(column: str, n: int) -> Cond:
    """Two scalar columns, both not blank, within `n` single-character edits."""
    return Cond("edits", column, n)


def negate(part: Cond) -> Cond:
    return Cond("not", parts=(part,))


def both(*parts: Cond) -> Cond:
    return Cond("and", parts=parts)


def either(*parts: Cond) -> Cond:
    return Cond("or", parts=parts)


@dataclass(frozen=True)
class Dialect:
    name: str
    has_any: str  # list overlap
    intersect: str
    size: str


DUCKDB = Dialect("duckdb", "list_has_any", "list_intersect", "len")
SPARK = Dialect("spark", "arrays_overlap", "array_intersect", "size")
DIALECTS = {"duckdb": DUCKDB, "spark": SPARK}


def to_sql(cond: Cond, d: Dialect) -> str:
    """The condition as SQL over Splink's `col_l` / `col_r` columns."""
    c = cond.column
    left, right = f"{c}_l", f"{c}_r"
    if cond.op == "empty":
        return f"({d.size}({left}) = 0 OR {d.size}({right}) = 0)"
    if cond.op == "same":
        return f"({left} = {right} AND {left} <> '')"
    if cond.op == "overlap":
        return f"{d.has_any}({left}, {right})"
    if cond.op == "common":
        return f"{d.size}({d.intersect}({left}, {right})) >= {cond.n}"
    if cond.op == "contained":
        shorter = f"least({d.size}({left}), {d.size}({right}))"
        return f"({shorter} >= 2 AND {d.size}({d.intersect}({left}, {right})) = {shorter})"
    if cond.op == "edits":
        return f"({left} <> '' AND {right} <> '' AND levenshtein({left}, {right}) <= {cond.n})"
    if cond.op == "not":
        return f"(NOT {to_sql(cond.parts[0], d)})"
    joiner = " AND " if cond.op == "and" else " OR "
    return "(" + joiner.join(to_sql(p, d) for p in cond.parts) + ")"


def _list(row: Row, column: str) -> Sequence[str]:
    value = row[column]
    assert isinstance(value, list | tuple)
    return value


def holds(cond: Cond, left: Row, right: Row) -> bool:
    """The condition evaluated in Python, with the SQL's meaning."""
    c = cond.column
    if cond.op == "empty":
        return not _list(left, c) or not _list(right, c)
    if cond.op == "same":
        return left[c] == right[c] and left[c] != ""
    if cond.op in ("overlap", "common", "contained"):
        shared = len(set(_list(left, c)) & set(_list(right, c)))
        if cond.op == "overlap":
            return shared >= 1
        if cond.op == "common":
            return shared >= cond.n
        shorter = min(len(set(_list(left, c))), len(set(_list(right, c))))
        return shorter >= 2 and shared == shorter
    if cond.op == "edits":
        a, b = str(left[c]), str(right[c])
        return a != "" and b != "" and Levenshtein.distance(a, b) <= cond.n
    if cond.op == "not":
        return not holds(cond.parts[0], left, right)
    if cond.op == "and":
        return all(holds(p, left, right) for p in cond.parts)
    return any(holds(p, left, right) for p in cond.parts)
