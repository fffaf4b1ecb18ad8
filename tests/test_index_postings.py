"""Key → positions: the base's slices are remembered per key, so they must follow the base
(a compaction rewrites it) and still carry the delta posted since."""

from __future__ import annotations

from pathlib import Path

from ftfhub.index.postings import Postings


def positions(postings: Postings, *keys: str) -> list[list[int]]:
    return [sorted(found.tolist()) for found in postings.lookup(list(keys))]


def test_lookups_follow_the_delta_and_the_compacted_base(tmp_path: Path) -> None:
    postings = Postings()
    postings.post(["karim", "hdd"], 0)
    postings.post(["karim"], 1)
    postings.compact()
    assert positions(postings, "karim", "hdd", "none") == [[0, 1], [0], []]
    # Remembered from the base; what is posted since still shows.
    postings.post(["karim", "none"], 2)
    assert positions(postings, "karim", "none", "karim") == [[0, 1, 2], [2], [0, 1, 2]]
    postings.compact()
    assert positions(postings, "karim", "none", "hdd") == [[0, 1, 2], [2], [0]]
    postings.save(tmp_path)
    loaded = Postings.load(tmp_path)
    assert positions(loaded, "none", "karim") == [[2], [0, 1, 2]]
    postings.post(["hdd"], 3)
    assert positions(postings, "hdd") == [[0, 3]]
