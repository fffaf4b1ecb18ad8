"""Times in API answers carry their zone: the hub stores naive UTC datetimes (unchanged), and
JSON without an offset reads as local time to a client elsewhere. Each view is walked once
before it is serialised, its datetimes made aware (UTC, written `…Z`)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any, TypeVar

from ftfhub.clock import with_zone

T = TypeVar("T")


def zoned(value: T) -> T:
    """`value` with every datetime in it (in dataclasses, tuples, lists, dicts) aware, UTC."""
    return _walk(value)  # type: ignore[no-any-return]


def _walk(value: Any) -> Any:
    if isinstance(value, datetime):
        return with_zone(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changed = {
            f.name: _walk(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.init and _may_hold_time(getattr(value, f.name))
        }
        return dataclasses.replace(value, **changed) if changed else value
    if isinstance(value, tuple):
        return tuple(_walk(v) for v in value)
    if isinstance(value, list):
        return [_walk(v) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v) for k, v in value.items()}
    return value


def _may_hold_time(value: Any) -> bool:
    return isinstance(value, datetime | tuple | list | dict) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    )
