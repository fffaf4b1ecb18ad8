"""Settings, read from the environment in one place (no module-level mutable state).

Every value is checked as it is read: `FTFHUB_HIT_THRESHOLD=abc` is a SettingsError naming
the variable and what it must be, which the faces show as a message, never a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


class SettingsError(ValueError):
    """An environment variable holds a value ftfhub cannot use."""

    def __init__(self, variable: str, value: str, expected: str):
        self.variable = variable
        super().__init__(f"{variable}={value!r} is not {expected}")


def _number(variable: str, default: str, low: float, high: float) -> float:
    text = os.environ.get(variable, default).strip()
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(variable, text, f"a number from {low:g} to {high:g}") from None
    if not low <= value <= high:
        raise SettingsError(variable, text, f"a number from {low:g} to {high:g}")
    return value


def _whole(variable: str, default: str, low: int, high: int) -> int:
    text = os.environ.get(variable, default).strip()
    if not text.lstrip("-").isdigit() or not low <= int(text) <= high:
        raise SettingsError(variable, text, f"a whole number from {low} to {high}")
    return int(text)


def _database_url() -> str:
    url = os.environ.get("FTFHUB_DATABASE_URL", "sqlite:///ftfhub.db").strip()
    if "://" not in url:
        raise SettingsError(
            "FTFHUB_DATABASE_URL", url, "a database URL (sqlite:///path.db or postgresql://…)"
        )
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str
    hit_threshold: float
    ack_hours: int
    actor: str
    audit_key: bytes = b""
    """FTFHUB_AUDIT_KEY: a secret kept outside the database that signs the audit head."""

    @classmethod
    def from_env(cls) -> Settings:
        actor = os.environ.get("FTFHUB_ACTOR", os.environ.get("USER", "cli")).strip() or "cli"
        if len(actor) > 100 or not actor.isprintable():
            raise SettingsError("FTFHUB_ACTOR", actor[:40], "a printable name of 100 characters")
        return cls(
            database_url=_database_url(),
            hit_threshold=_number("FTFHUB_HIT_THRESHOLD", "0.7", 0.0, 1.0),
            ack_hours=_whole("FTFHUB_ACK_HOURS", "48", 1, 24 * 365),
            actor=actor,
            audit_key=os.environ.get("FTFHUB_AUDIT_KEY", "").encode("utf-8"),
        )
