"""From scored pairs to Identities: best links first, analysts' decisions always winning.

Connected components at a threshold chain people together: one `Mohamed Ali` link between two
otherwise separate clusters makes one Identity of two people. Here links are taken strongest
first (single linkage in weight order, which at one threshold gives the same components), and
two refinements can stop a merge:

- an analyst's "different" between any two records of the two clusters (always);
- `strict`: a merge of two clusters that both already hold several records needs more than
  one link between them, or one link at least `strict_margin` bits above the threshold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Edge:
    left: str
    right: str
    weight: float


@dataclass(frozen=True)
class Judgement:
    """An analyst's decision on two records: `same` True (one person) or False."""

    left: str
    right: str
    same: bool


class _Sets:
    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {k: k for k in keys}
        self.members: dict[str, list[str]] = {k: [k] for k in self.parent}

    def find(self, key: str) -> str:
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> str:
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a].extend(self.members.pop(b))
        return a


def cluster(
    keys: Sequence[str],
    edges: Iterable[Edge],
    threshold: float,
    judgements: Iterable[Judgement] = (),
    strict: bool = False,
    strict_margin: float = 10.0,
) -> list[list[str]]:
    """Clusters of `keys` (each sorted; the list sorted by first key) at match weight
    `threshold`."""
    sets = _Sets(keys)
    apart: dict[str, set[str]] = defaultdict(set)
    forced = []
    judged = set()
    for j in judgements:
        if j.left not in sets.parent or j.right not in sets.parent:
            continue
        judged.add(frozenset((j.left, j.right)))
        if j.same:
            forced.append(Edge(j.left, j.right, float("inf")))
        else:
            apart[j.left].add(j.right)
            apart[j.right].add(j.left)
    ranked = sorted(
        (e for e in edges if e.weight >= threshold and frozenset((e.left, e.right)) not in judged),
        key=lambda e: (-e.weight, e.left, e.right),
    )
    near: dict[str, list[str]] = defaultdict(list)
    if strict:
        for e in ranked:
            near[e.left].append(e.right)
            near[e.right].append(e.left)
    for edge in [*forced, *ranked]:
        a, b = sets.find(edge.left), sets.find(edge.right)
        if a == b or _kept_apart(sets, apart, a, b):
            continue
        if strict and edge.weight < threshold + strict_margin and not _supported(sets, near, a, b):
            continue
        sets.union(a, b)
    return sorted((sorted(m) for m in sets.members.values()), key=lambda m: m[0])


def _kept_apart(sets: _Sets, apart: dict[str, set[str]], a: str, b: str) -> bool:
    if not apart:
        return False
    small, other = (a, b) if len(sets.members[a]) < len(sets.members[b]) else (b, a)
    return any(sets.find(x) == other for m in sets.members[small] for x in apart.get(m, ()))


def _supported(sets: _Sets, near: dict[str, list[str]], a: str, b: str) -> bool:
    """Two clusters of several records each merge only on two or more links between them."""
    if len(sets.members[a]) < 2 or len(sets.members[b]) < 2:
        return True
    small, other = (a, b) if len(sets.members[a]) < len(sets.members[b]) else (b, a)
    count = sum(1 for m in sets.members[small] for x in near.get(m, ()) if sets.find(x) == other)
    return count >= 2
