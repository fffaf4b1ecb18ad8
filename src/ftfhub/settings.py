"""Settings, read from the environment in one place (no module-level mutable state)."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    database_url: str
    hit_threshold: float
    ack_hours: int
    actor: str

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("FTFHUB_DATABASE_URL", "sqlite:///ftfhub.db"),
            hit_threshold=float(os.environ.get("FTFHUB_HIT_THRESHOLD", "0.7")),
            ack_hours=int(os.environ.get("FTFHUB_ACK_HOURS", "48")),
            actor=os.environ.get("FTFHUB_ACTOR", os.environ.get("USER", "cli")),
        )
