"""Bytes kept position by position (the records' stored fields, their features): one blob
read from disk plus the ones added since, in `<stem>.bin` and `<stem>_offsets.bin`."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class Payloads:
    def __init__(self, stem: str = "payload") -> None:
        self.stem = stem
        self.blob = b""
        self.offsets = np.zeros(1, dtype=np.int64)
        self.added: list[bytes] = []

    def __len__(self) -> int:
        return len(self.offsets) - 1 + len(self.added)

    def append(self, raw: bytes) -> None:
        self.added.append(raw)

    def whole(self) -> bool:
        """Whether the blob read from disk is as long as its offsets say (a file cut short
        would give a record a cut row)."""
        return len(self.blob) == int(self.offsets[-1]) and bool((np.diff(self.offsets) >= 0).all())

    def get(self, position: int) -> bytes:
        base = len(self.offsets) - 1
        if position < base:
            return self.blob[int(self.offsets[position]) : int(self.offsets[position + 1])]
        return self.added[position - base]

    def save(self, folder: Path) -> None:
        lengths = np.fromiter((len(r) for r in self.added), dtype=np.int64, count=len(self.added))
        offsets = np.concatenate([self.offsets, self.offsets[-1] + np.cumsum(lengths)])
        with (folder / f"{self.stem}.bin").open("wb") as handle:
            handle.write(self.blob)
            for raw in self.added:
                handle.write(raw)
        offsets.astype(np.int64).tofile(folder / f"{self.stem}_offsets.bin")

    @classmethod
    def load(cls, folder: Path, stem: str = "payload") -> Payloads:
        payloads = cls(stem)
        payloads.blob = (folder / f"{stem}.bin").read_bytes()
        payloads.offsets = np.fromfile(folder / f"{stem}_offsets.bin", dtype=np.int64)
        return payloads
