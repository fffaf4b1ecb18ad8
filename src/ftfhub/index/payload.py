"""What the index keeps of a Record to score it again after a restart: the matching fields
only, as compact JSON (names, birth dates, nationalities, gender, documents, kind).

The record's features are kept beside it as plain rows (`kept.py`), so the persisted index
never holds the matcher's Python objects; these fields are what `ScreeningIndex.record` gives.
"""

from __future__ import annotations

import json
from typing import Any

from ftfhub.domain import RecordData
from ftfhub.domain.record import Document, Name, PartialDate


def encode(record: RecordData) -> bytes:
    data: dict[str, Any] = {
        "k": record.kind,
        "n": [[n.full, n.type, n.script] for n in record.names],
        "b": [[d.year, d.month, d.day, d.calendar, d.original] for d in record.birth_dates],
        "c": list(record.nationalities),
        "g": record.gender,
        "d": [[d.type, d.country, d.number] for d in record.documents],
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def decode(key: str, raw: bytes) -> RecordData:
    data = json.loads(raw)
    return RecordData(
        record_id=key,
        kind=data["k"],
        names=tuple(Name(full, kind, script) for full, kind, script in data["n"]),
        birth_dates=tuple(PartialDate(*d) for d in data["b"]),
        nationalities=tuple(data["c"]),
        gender=data["g"],
        documents=tuple(Document(*d) for d in data["d"]),
    )
