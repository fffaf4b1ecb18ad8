"""The nouns of the hub: the canonical Record and its parts, vocabularies, errors.

Pure: imports no database, web, CLI or rendering library.
"""

from ftfhub.domain.record import (
    HANDLING_CODES,
    NAME_TYPES,
    RECORD_KINDS,
    Document,
    Leg,
    Name,
    PartialDate,
    Payment,
    RecordData,
    Relation,
    Travel,
)

__all__ = [
    "HANDLING_CODES",
    "NAME_TYPES",
    "RECORD_KINDS",
    "Document",
    "Leg",
    "Name",
    "PartialDate",
    "Payment",
    "RecordData",
    "Relation",
    "Travel",
]
