"""Travel manifests (API data as CSV, docs/formats.md): one passenger per row.

Names come as printed in the machine-readable zone (`ABDESLAM<<SALAH`): the printed form is
kept as a name of type `mrz` (the matcher understands `<<` as the surname/given-names
boundary), and a readable primary name, given names first, is added beside it with the two
parts in `extra`. Codes are ICAO/ISO: alpha-3 countries become alpha-2, document type `P` a
passport and `I` an identity card, and a six-digit birth date is read as MRZ `YYMMDD`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from ftfhub.dates import parse_date, parse_mrz_date
from ftfhub.domain import Document, Name, PartialDate, RecordData, Travel
from ftfhub.ingest.countries import NON_NATIONAL_CODES, to_alpha2
from ftfhub.ingest.errors import FieldError, IngestError
from ftfhub.ingest.fields import normalise_document_number, parse_iso_date
from ftfhub.ingest.person_file import closest_column
from ftfhub.ingest.tables import Notes, ParsedRow, iter_csv, parsed_rows
from ftfhub.names.script import detect_script

REQUIRED = ("passenger_name",)
COLUMNS = (
    "record_id",
    "passenger_name",
    "birth_date",
    "gender",
    "nationality",
    "document_type",
    "document_number",
    "issuing_country",
    "flight",
    "origin",
    "destination",
    "departure_date",
)
# ICAO 9303 document codes: the first letter says the kind (PP, PD… are passports).
DOCUMENT_TYPES = {"P": "passport", "I": "id_card", "A": "id_card", "C": "id_card", "V": "visa"}
GENDERS = {"M": "m", "F": "f", "X": None, "<": None, "U": None}
_IATA = re.compile(r"^[A-Z]{3}$")
_FLIGHT = re.compile(r"^[A-Z0-9]{2}[A-Z]?\d{1,4}[A-Z]?$")
_MRZ_DATE = re.compile(r"^[0-9<]{6}$")


def mrz_names(printed: str) -> tuple[str, str]:
    """(surname, given names) of an MRZ name: `<` fillers become spaces."""
    surname, _, given = printed.strip().rstrip("<").partition("<<")
    return (
        " ".join(surname.replace("<", " ").split()),
        " ".join(given.replace("<", " ").split()),
    )


def _names(text: str) -> tuple[tuple[Name, ...], tuple[tuple[str, str], ...]]:
    """The names of a passenger, and the surname/given-names split if the name is MRZ."""
    printed = text.strip()
    if "<" not in printed:
        return (Name(printed, "primary", detect_script(printed)),), ()
    surname, given = mrz_names(printed)
    if not surname and not given:
        raise FieldError("passenger_name", f"'{printed}' has no name in it")
    readable = f"{given} {surname}".strip()
    names = (
        Name(readable, "primary", detect_script(readable)),
        Name(printed.rstrip("<"), "mrz", detect_script(readable)),
    )
    return names, (("surname", surname), ("given_names", given))


def _country(value: str, field: str) -> str | None:
    code = value.strip().upper().strip("<")
    if not code:
        return None
    found = to_alpha2(code)
    if found is None:
        raise FieldError(field, f"'{value.strip()}' is not an ISO 3166 alpha-3 or alpha-2 code")
    return found


def _birth_date(value: str, departure: date | None, notes: Notes) -> PartialDate | None:
    text = value.strip()
    if text.isdigit() and len(text) == 4:
        notes.warn("birth_date", f"'{text}' is a year only (a manifest gives the full date)")
    if _MRZ_DATE.match(text):
        # Nobody travels before being born: the departure year bounds the century.
        today = departure.year if departure else None
        return parse_mrz_date(text, field="birth_date", today_year=today)
    return parse_date(text, field="birth_date")


def _document(row: dict[str, str]) -> Document | None:
    number = normalise_document_number(row.get("document_number") or "")
    code = (row.get("document_type") or "").strip().upper()
    if not number:
        return None
    kind = DOCUMENT_TYPES.get(code[:1]) if code else "unknown"
    if code in ("PASSPORT", "ID_CARD", "VISA"):
        kind = code.lower()
    if kind is None:
        raise FieldError("document_type", f"'{code}' is not P (passport), I (identity card) …")
    country = _country(row.get("issuing_country") or "", "issuing_country") or ""
    return Document(kind, country, number)


def _travel(row: dict[str, str], departure: date | None) -> Travel | None:
    flight = re.sub(r"\s+", "", row.get("flight") or "").upper()
    if flight and not _FLIGHT.match(flight):
        raise FieldError("flight", f"'{flight}' is not a flight number like TK1937")
    airports = []
    for field in ("origin", "destination"):
        code = (row.get(field) or "").strip().upper()
        if code and not _IATA.match(code):
            raise FieldError(field, f"'{code}' is not a three-letter IATA airport code")
        airports.append(code)
    when = departure.isoformat() if departure else ""
    if not (flight or any(airports) or when):
        return None
    return Travel(flight=flight, origin=airports[0], destination=airports[1], date=when)


def _gender(row: dict[str, str]) -> str | None:
    code = (row.get("gender") or "").strip().upper()
    if code and code not in GENDERS:
        raise FieldError("gender", f"'{code}' is not M, F or X")
    return GENDERS[code] if code else None


def _record_id(given: str, travel: Travel | None, line: int) -> str:
    """The stored id of a manifest row: a row id is a position on one flight's manifest
    (`1`, `2`, … again on the next flight), so with the flight and date known it is scoped
    by them, as PAXLST's are: two manifests' row `1` are two travellers, and a corrected
    row of the same flight is a new version of its traveller. Without a given id, the line."""
    flight = travel.flight if travel and travel.flight else ""
    day = travel.date if travel and travel.date else ""
    if not given:
        return f"{flight or 'unknown'}-{day or 'unknown'}-{line}"
    scope = f"{flight}-{day}-" if flight and day else ""
    return given if given.startswith(scope) else scope + given


def record_from_row(
    row: dict[str, str], line: int, kind: str = "travel", notes: Notes | None = None
) -> RecordData:
    """Build a travel Record from one manifest row; raises FieldError naming the field.
    With lenient `notes`, an invalid optional value is left out and noted instead."""
    notes = notes or Notes()
    name = (row.get("passenger_name") or "").strip()
    if not name:
        raise FieldError("passenger_name", "is required and empty")
    names, name_parts = _names(name)
    departure = notes.optional(
        lambda: parse_iso_date(row.get("departure_date") or "", "departure_date"), None
    )
    birth = notes.optional(lambda: _birth_date(row.get("birth_date") or "", departure, notes), None)
    gender = notes.optional(lambda: _gender(row), None)
    extra = list(name_parts)
    nationality_code = (row.get("nationality") or "").strip().upper().strip("<")
    nationality = None
    if nationality_code in NON_NATIONAL_CODES:
        extra.append(("nationality_code", nationality_code))
    else:
        nationality = notes.optional(lambda: _country(nationality_code, "nationality"), None)
    document = notes.optional(lambda: _document(row), None)
    travel = notes.optional(lambda: _travel(row, departure), None)
    extra += [
        (column, value.strip())
        for column, value in row.items()
        if column not in COLUMNS and value.strip()
    ]
    record_id = _record_id((row.get("record_id") or "").strip(), travel, line)
    return RecordData(
        record_id=record_id,
        kind=kind,
        names=names,
        birth_dates=(birth,) if birth else (),
        nationalities=(nationality,) if nationality else (),
        gender=gender,
        documents=(document,) if document else (),
        travel=travel,
        extra=tuple(extra),
    )


def read_manifest(
    text: str, file: str, kind: str = "travel", *, lenient: bool = False
) -> Iterator[ParsedRow]:
    """Parsed rows of a manifest CSV (text already decoded). Columns it does not know are
    kept as extra fields, unless one is a near miss of a known column (a typo)."""
    header, rows = iter_csv(text, file)
    for column in header:
        guess = closest_column(column, COLUMNS, cutoff=0.9) if column not in COLUMNS else None
        if guess is not None:
            message = f"column '{column}' is not a manifest column (did you mean '{guess}'?)"
            raise IngestError(file, message, line=1, field=column)
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise IngestError(
            file, f"has no column {', '.join(missing)} (the passenger's name as printed)", line=1
        )
    return parsed_rows(
        rows,
        file,
        lambda row, line, notes: record_from_row(row, line, kind, notes),
        lenient=lenient,
    )
