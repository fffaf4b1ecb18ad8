"""What reading one airline message gave: Records, the faults that cost data, and warnings.

A fault names the segment at fault by its position in the interchange (the `line` of the
RowError is that segment number, counted from the first segment after UNA), the segment tag
and qualifier as its field, and the element. A fault that costs one value (a birth date that
is not a date) leaves the traveller loaded without it; a fault that costs the traveller (no
name) leaves the traveller out. Either way it is reported, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ftfhub.domain import RecordData
from ftfhub.ingest.edifact.syntax import Interchange, Segment
from ftfhub.ingest.errors import FieldError, RowError
from ftfhub.ingest.tables import ParsedRow


@dataclass
class MessageReading:
    """The travellers read from one file, in message order, and what could not be read."""

    file: str
    records: list[tuple[int, RecordData]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    traveller_tag: str = "NAD"  # the segment a traveller starts at, named in "appears twice"

    @classmethod
    def of(cls, file: str, interchange: Interchange) -> MessageReading:
        """A reading of an interchange's file, starting with what the syntax reader said."""
        reading = cls(file, warnings=list(interchange.warnings))
        if interchange.unread:
            number = interchange.segments[-1].number + 1 if interchange.segments else 1
            message = (
                f"segment {number}: the text from here on cannot be read "
                f"({interchange.unread}); what came before is loaded"
            )
            reading.errors.append(RowError(file, number, "EDIFACT", message))
        return reading

    def fault(self, segment: Segment, message: str, element: int | None = None) -> None:
        """Report a fault in one segment (element counted from 1 after the tag)."""
        qualifier = segment.value(0)
        where = f"{segment.tag}+{qualifier}" if qualifier and len(qualifier) <= 4 else segment.tag
        position = f"segment {segment.number}" + (f", element {element}" if element else "")
        self.errors.append(RowError(self.file, segment.number, where, f"{position}: {message}"))

    def field_fault(self, segment: Segment, exc: FieldError, element: int, lost: str) -> None:
        self.fault(segment, f"{exc.message}; {lost}", element)

    def warning_rows(self) -> tuple[RowError, ...]:
        """The warnings (what was irregular but still read) as the pipeline reports them."""
        found = []
        for text in self.warnings:
            number = re.match(r"segment (\d+)", text)
            line = int(number.group(1)) if number else 1
            found.append(RowError(self.file, line, "EDIFACT", text))
        return tuple(found)

    def parsed_rows(self) -> Iterator[ParsedRow]:
        """Records and errors as the ingest pipeline takes them, in segment order; a record id
        seen twice is an error (never a silent overwrite). The message's warnings ride on the
        first row."""
        rows = [ParsedRow(line, record=record) for line, record in self.records]
        rows += [ParsedRow(error.line, error=error) for error in self.errors]
        seen: set[str] = set()
        rows.sort(key=lambda r: (r.line, r.record is not None))
        if rows and self.warnings:
            rows[0] = replace(rows[0], warnings=rows[0].warnings + self.warning_rows())
        for row in rows:
            if row.record is not None:
                if row.record.record_id in seen:
                    message = f"traveller '{row.record.record_id}' appears twice"
                    error = RowError(self.file, row.line, self.traveller_tag, message)
                    yield ParsedRow(row.line, error=error)
                    continue
                seen.add(row.record.record_id)
            yield row


def after_the_end(ended: list[Segment]) -> str:
    first = ended[0]
    return (
        f"segment {first.number} ({first.tag}): {len(ended)} segment(s) after the end of the "
        "message (UNT); not read"
    )
