"""Errors that name the file, line and field, as the user needs to fix them."""

from __future__ import annotations

from dataclasses import dataclass


class IngestError(Exception):
    """A whole file cannot be read (encoding, format, missing columns)."""

    def __init__(self, file: str, message: str, line: int | None = None, field: str | None = None):
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowError:
    """One bad row: reported, never silently dropped."""

    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}, field '{self.field}': {self.message}"


class FieldError(ValueError):
    """Raised by a field parser; the adapter adds file and line."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")
