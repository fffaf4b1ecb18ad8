"""The collector's pace while a batch is screened: set for the block, restored after it."""

from __future__ import annotations

import gc

import pytest

from ftfhub.index.pace import BATCH_THRESHOLDS, batch_pace


def test_a_batch_makes_full_passes_rare_and_restores_the_pace() -> None:
    before = gc.get_threshold()
    with batch_pace():
        assert gc.get_threshold() == BATCH_THRESHOLDS
        assert gc.get_threshold()[2] > before[2]
    assert gc.get_threshold() == before


def test_the_pace_is_restored_when_the_batch_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), batch_pace():
        raise RuntimeError("a row that cannot be screened")
    assert gc.get_threshold() == before
