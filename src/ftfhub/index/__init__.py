"""The screening index: records found by name-part keys, scored cheaply then with the model,
persisted beside the database and kept current (see `screening.py`, `store.py`)."""

from ftfhub.index.screening import Match, ScreeningIndex

__all__ = ["Match", "ScreeningIndex"]
