"""How long an owner has to acknowledge a hit: hours when a traveller in it moves within a
day, days otherwise (each agency sets both), and the same window again per escalation step."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ftfhub.domain import RecordData

URGENT_WITHIN = timedelta(days=1)


def travel_date(record: RecordData) -> date | None:
    if record.travel is None or not record.travel.date:
        return None
    try:
        return date.fromisoformat(record.travel.date[:10])
    except ValueError:
        return None


def is_urgent(now: datetime, *records: RecordData) -> bool:
    """A traveller in the hit departs (or departed) within a day of now."""
    for record in records:
        when = travel_date(record)
        if when is not None and abs(datetime.combine(when, now.time()) - now) <= URGENT_WITHIN:
            return True
    return False


def deadline(now: datetime, urgent: bool, ack_hours: int, urgent_hours: int) -> datetime:
    return now + timedelta(hours=urgent_hours if urgent else ack_hours)
