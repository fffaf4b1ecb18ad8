"""The cyclic garbage collector's pace while a batch is screened.

Screening allocates many small objects per traveller and keeps few of them: the name and
part caches (`matching.features`, `matching.part_levels`) and the records' features. At the
collector's default pace a full pass over everything that survived (those caches, and
whatever the caller holds: a batch's own travellers) ran every few thousand travellers, and
at a million records took 5-10 % of a batch worker's CPU (`bench/screening_scale.py`, the
20,000 batch). While a batch is screened, young objects are still collected as often as
ever, the full passes only after a thousand times as many survivors (as the linkage feature
workers do, `linkage/batch.py`); the collector's pace is restored afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BATCH_THRESHOLDS = (700, 10, 1000)  # gen0 and gen1 as Python's defaults; full passes rare


@contextmanager
def batch_pace() -> Iterator[None]:
    """Within the block, the collector's full passes run only every thousand middle ones
    (Python's default: every ten)."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)
