"""Need to know, in one place and pure: who may do what, and how much of a Record they see.

Services call these functions on every read and write; nothing here touches the database.
"""

from ftfhub.policy.access import AccessDenied, Permission, Viewer, check, may
from ftfhub.policy.levels import record_level, seen_level

__all__ = [
    "AccessDenied",
    "Permission",
    "Viewer",
    "check",
    "may",
    "record_level",
    "seen_level",
]
