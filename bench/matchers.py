"""Running the three matchers of a side-by-side evaluation, each isolated from the others."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from baseline import FuzzyBaseline
from common import PairScorer
from peer import load_peer

T = TypeVar("T")


def run_matchers(
    wanted: Sequence[str],
    ftfhub: Callable[[], T],
    pairs: Callable[[PairScorer, str, str], T],
) -> tuple[list[T], dict[str, str]]:
    """Each wanted matcher's run, and why any was skipped (a missing peer, a failing ftfhub).

    `pairs(scorer, name, note)` runs a pair scorer (the baseline or the peer) over the shared
    candidate retrieval; `ftfhub()` runs the product with its own candidate generation.
    """
    runs: list[T] = []
    skipped: dict[str, str] = {}
    for name in wanted:
        print(f"{name}: running", file=sys.stderr, flush=True)
        if name == "ftfhub":
            try:
                runs.append(ftfhub())
            except ImportError as exc:
                skipped[name] = f"skipped: ftfhub matcher not importable ({exc})"
            except Exception as exc:  # a work-in-progress matcher must not sink the others
                traceback.print_exc()
                skipped[name] = f"ftfhub failed: {type(exc).__name__}: {exc}"
        elif name == "baseline":
            runs.append(pairs(FuzzyBaseline(), name, "rapidfuzz"))
        else:
            peer, note = load_peer()
            if peer is None:
                skipped[name] = note
            else:
                runs.append(pairs(peer, name, note))
        for why in skipped.get(name, "").splitlines():
            print(f"{name}: {why}", file=sys.stderr)
    return runs, skipped
