"""The index on disk, beside the database: versioned folders and a pointer to the live one.

`IndexStore(root)` keeps each built index in its own folder (`v-<created>-<model version>`)
and names the live one in `CURRENT`. A new version is written in full beside the live one,
then `CURRENT` is replaced atomically under an exclusive lock (`lock`), so that two processes
never publish at once and a reader never sees half an index; older folders are removed after
the swap. An index whose model version differs from the running code's is stale: `load`
refuses it and the caller rebuilds from the store.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ftfhub.index.columns import Columns
from ftfhub.index.kept import KeptFeatures
from ftfhub.index.payloads import Payloads
from ftfhub.index.postings import Postings
from ftfhub.index.screening import ScreeningIndex
from ftfhub.matching.parameters import DEFAULT, Parameters


def save(index: ScreeningIndex, folder: Path) -> None:
    """Write `index` into an empty folder."""
    folder.mkdir(parents=True, exist_ok=True)
    index.postings.save(folder)
    index.columns.save(folder)
    index.payloads.save(folder)
    index.kept.save(folder)
    meta = {
        "version": index.version,
        "records": len(index),
        "counted": index.counted,
        "owners": index.owners,
        "keys": index.keys,
        "part_counts": dict(index.part_counts),
        "nationality_counts": dict(index.nationality_counts),
        "extra": index.extra,
    }
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")


def load(folder: Path, params: Parameters = DEFAULT) -> ScreeningIndex:
    """Read an index written by `save`; ValueError if it was built by another model version."""
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    index = ScreeningIndex(params, keep_features=False)
    if meta["version"] != index.version:
        raise ValueError(f"index {folder.name} is version {meta['version']}, not {index.version}")
    index.postings = Postings.load(folder)
    index.columns = Columns.load(folder)
    index.payloads = Payloads.load(folder)
    index.kept = KeptFeatures.load(folder)
    index.owners = meta["owners"]
    index.owner_ids = {owner: i for i, owner in enumerate(index.owners)}
    index.keys = meta["keys"]
    if not len(index.keys) == len(index.payloads) == len(index.kept):
        raise ValueError(f"index {folder.name} keeps fields or features for other records")
    blobs = (index.payloads, index.kept.rows, index.kept.part_rows)
    if not all(blob.whole() for blob in blobs):
        raise ValueError(f"index {folder.name} has a file cut short")
    live = index.columns.data["live"]
    index.positions = {key: i for i, key in enumerate(index.keys) if live[i]}
    index.counted = meta["counted"]
    index.part_counts = defaultdict(int, meta["part_counts"])
    index.nationality_counts = defaultdict(int, meta["nationality_counts"])
    index.extra = meta.get("extra", {})
    return index


class IndexStore:
    """Versioned index folders under `root`, one of them live."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @contextmanager
    def _locked(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / "lock").open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def current(self) -> Path | None:
        pointer = self.root / "CURRENT"
        if not pointer.exists():
            return None
        folder = self.root / pointer.read_text("utf-8").strip()
        return folder if (folder / "meta.json").exists() else None

    def publish(self, index: ScreeningIndex) -> Path:
        """Write a new version beside the live one and make it live."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"v-{time.time_ns()}-{index.version}"
        building = self.root / f".{name}.building"
        save(index, building)
        with self._locked():
            building.rename(self.root / name)
            pointer = self.root / "CURRENT.tmp"
            pointer.write_text(name, "utf-8")
            os.replace(pointer, self.root / "CURRENT")
            for old in self.root.iterdir():
                if old.is_dir() and old.name.startswith("v-") and old.name != name:
                    shutil.rmtree(old, ignore_errors=True)
        return self.root / name

    def load(self, params: Parameters = DEFAULT) -> ScreeningIndex | None:
        """The live index, or None when there is none or it is stale."""
        with self._locked():
            folder = self.current()
            if folder is None:
                return None
            try:
                return load(folder, params)
            except (ValueError, OSError, KeyError, json.JSONDecodeError):
                return None
