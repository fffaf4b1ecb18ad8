"""Time in one place: naive UTC datetimes, as stored."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def iso_utc(moment: datetime, timespec: str = "seconds") -> str:
    """ISO 8601 with its zone, as the hub writes a time for others to read (`…Z`): a stored
    naive datetime is UTC, and a reader elsewhere must not take it for their own time."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return f"{moment.isoformat(timespec=timespec)}Z"


def with_zone(moment: datetime) -> datetime:
    """A stored (naive UTC) datetime as an aware one, for a face that serialises it."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
