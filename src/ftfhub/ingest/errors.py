"""Ingest's errors live in `ftfhub.domain.errors`; kept here so adapters import them nearby."""

from ftfhub.domain.errors import FieldError, IngestError, RowError

__all__ = ["FieldError", "IngestError", "RowError"]
