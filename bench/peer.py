"""The peer matcher: OpenSanctions' nomenklatura ``logic-v2``, as their yente API serves it.

Each generic-person-file row becomes a followthemoney ``Person`` entity (``name``, ``alias``,
``birthDate``, ``nationality``), values added uncleaned with fuzzy cleaning as yente's
``Entity.from_example`` does for a query. A pair is scored as yente's ``score_results`` does:
``get_algorithm("logic-v2").compare(query=..., result=..., config=ScoringConfig(weights={},
config={}))``, whose ``compare`` fills in the algorithm's default configuration.

nomenklatura caches name analysis per entity *id* (an ``lru_cache`` keyed on the entity's hash,
which is its id), so every entity gets an id made of its role (query or candidate), its
record id and a digest of its content: a held-out alias queried against its own person's
remaining names never shares an id with it, and two different rows never collide.

nomenklatura is imported lazily (a bench-only extra, see ``bench/README.md``); constructing
:class:`PeerMatcher` without it raises :class:`PeerUnavailable`.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from common import Row, split_multi

ALGORITHM = "logic-v2"
_FIELDS = (
    ("name", "name"),
    ("aliases", "alias"),
    ("birth_date", "birthDate"),
    ("nationality", "nationality"),
)
"""Generic-person-file column -> followthemoney ``Person`` property."""


class PeerUnavailable(RuntimeError):
    """nomenklatura (or followthemoney) is not installed in this interpreter."""


class PeerMatcher:
    """nomenklatura ``logic-v2`` over followthemoney ``Person`` entities built from rows."""

    name = "peer"

    def __init__(self, algorithm: str = ALGORITHM) -> None:
        try:
            from followthemoney import ValueEntity, model
            from nomenklatura.matching import get_algorithm
            from nomenklatura.matching.types import ScoringConfig
        except ImportError as exc:
            raise PeerUnavailable(
                f"nomenklatura is not installed ({exc}); see bench/README.md"
            ) from exc
        found = get_algorithm(algorithm)
        if found is None:
            raise PeerUnavailable(f"nomenklatura has no algorithm {algorithm!r}")
        self.algorithm: Any = found
        self.version = _version("nomenklatura")
        self._entity_class: Any = ValueEntity
        self._schema: Any = model.get("Person")
        # yente passes the request's (here: empty) weights and config; compare() fills defaults.
        self._config: Any = ScoringConfig(weights={}, config={})
        self._entities: dict[tuple[str, ...], Any] = {}
        start = time.perf_counter()
        # The first comparison loads rigour's name tables (several seconds): do it up front.
        self.score({"record_id": "warm", "name": "Warm Up"}, {"record_id": "up", "name": "Up"})
        self.load_seconds = time.perf_counter() - start

    def entity(self, row: Row, role: str) -> Any:
        """The ``Person`` entity for ``row``; ``role`` is ``"q"`` (query) or ``"c"`` (candidate)."""
        values = tuple(row.get(field, "") for field, _ in _FIELDS)
        key = (role, row.get("record_id", ""), *values)
        cached = self._entities.get(key)
        if cached is not None:
            return cached
        entity = self._entity_class(self._schema, {})
        digest = hashlib.sha1("\x1f".join(key).encode("utf-8")).hexdigest()[:16]
        entity.id = f"{role}-{row.get('record_id', '')}-{digest}"
        for (field, prop), value in zip(_FIELDS, values, strict=True):
            parts = [value.strip()] if field == "name" else split_multi(value)
            for part in parts:
                if part:
                    entity.add(prop, part, cleaned=False, fuzzy=True)
        self._entities[key] = entity
        return entity

    def score(self, query: Row, candidate: Row) -> float:
        """logic-v2's score of ``candidate`` for ``query``, in [0, 1]."""
        result = self.algorithm.compare(
            query=self.entity(query, "q"),
            result=self.entity(candidate, "c"),
            config=self._config,
        )
        return float(result.score)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def load_peer() -> tuple[PeerMatcher | None, str]:
    """The peer and the note for a results table, or None and why it is skipped."""
    try:
        peer = PeerMatcher()
    except PeerUnavailable as exc:
        return None, f"skipped: {exc}"
    return peer, f"nomenklatura {peer.version} logic-v2; +{peer.load_seconds:.1f} s table load"
