"""The use cases every face calls (CLI, API, workbench).

Each service function takes a `Context` (who acts, for which agency and role, for which stated
purpose), opens its own session and transaction, checks the caller through `ftfhub.policy`,
cuts what it returns down to what the caller may see, and writes its audit event in the same
transaction as the work it records. Faces parse, call one function, render the typed result.
"""

from ftfhub.services.context import (
    Caller,
    Context,
    Database,
    InvalidRequest,
    NotFound,
    PurposeRequired,
    Refused,
    ServiceError,
    TryAgainLater,
    Unseen,
)

__all__ = [
    "Caller",
    "Context",
    "Database",
    "InvalidRequest",
    "NotFound",
    "PurposeRequired",
    "Refused",
    "ServiceError",
    "TryAgainLater",
    "Unseen",
]
