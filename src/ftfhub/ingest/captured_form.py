"""Captured IS personnel registration forms (CSV or XLSX), one form per row.

The header carries the form's Arabic field labels, or their English keys (docs/formats.md).
Labels are matched loosely — spaces, tatweel, harakat, hamza on alef and `ة`/`ه` do not
matter — because these tables are typed up by hand from photographed paper forms. Each row
becomes a Record (kind `captured_document` unless the user gave another): the real name and
the kunya as names, the mother and the recommender as relations (they are other people), the
address and entry point as places, and every other column kept in `extra`. A row that
cannot be read is reported with its line and the column as written in the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time

import openpyxl

from ftfhub.dates import is_calendar_marker, parse_date
from ftfhub.domain import Name, PartialDate, RecordData, Relation
from ftfhub.ingest.countries import lookup_key, to_alpha2_many
from ftfhub.ingest.errors import FieldError, IngestError, RowError
from ftfhub.ingest.person_file import closest_column
from ftfhub.ingest.tables import ERROR_KEY, Notes, ParsedRow, check_size, finish_record, iter_csv
from ftfhub.names.script import detect_script

# Field key → the labels seen for it on forms and in typed-up tables (entry_form_fields.md).
# Keys from `form_id` to `notes` become Record fields; the others are kept in `extra`.
LABELS: dict[str, tuple[str, ...]] = {
    "form_id": ("رقم الاستمارة", "الرقم", "رقم", "record_id"),
    "name": ("الاسم", "الاسم الحقيقي", "الاسم الكامل", "الاسم الثلاثي", "الاسم الرباعي"),
    "kunya": ("الكنية", "الكنى"),
    "mother_name": ("اسم الأم", "اسم الوالدة"),
    "birth_date": ("تاريخ الميلاد", "تاريخ الولادة", "المواليد"),
    "nationality": ("الجنسية",),
    "birth_date_nationality": ("تاريخ الميلاد والجنسية", "المواليد والجنسية"),
    "gender": ("الجنس",),
    "address": ("العنوان ومكان الإقامة", "العنوان", "مكان الإقامة", "عنوان السكن"),
    "entry_point": ("منفذ الدخول", "مكان الدخول"),
    "entry_date": ("تاريخ الدخول",),
    "recommender": ("المزكي", "الجهة الموصية", "المزكي / الجهة الموصية", "التزكية"),
    "notes": ("ملاحظات", "الملاحظات"),
    "blood_type": ("فصيلة الدم", "زمرة الدم"),
    "marital_status": ("الحالة الاجتماعية",),
    "education": ("التحصيل الدراسي", "المستوى الدراسي"),
    "sharia_level": ("المستوى الشرعي",),
    "previous_occupation": ("العمل السابق", "المهنة", "العمل السابق / المهنة"),
    "countries_travelled": ("الدول التي سافر إليها",),
    "jihad_experience": ("هل سبق له الجهاد",),
    "specialisation": ("الاختصاص",),
    "workplace": ("مكان العمل",),
    "deposits": ("الأمانات",),
    "contact": ("عنوان التواصل",),
    "death_date": ("تاريخ المقتل",),
    "death_place": ("مكان المقتل",),
}
RECORD_FIELDS = (
    "form_id",
    "name",
    "kunya",
    "mother_name",
    "birth_date",
    "nationality",
    "birth_date_nationality",
    "gender",
    "address",
    "entry_point",
    "entry_date",
    "recommender",
    "notes",
)

# Cell contents that mean "nothing written" on these forms.
_BLANK = frozenset({"لا يوجد", "لايوجد", "غير معروف", "مجهول", "n a", "unknown"})
_GENDERS = {"m": "m", "male": "m", "ذكر": "m", "f": "f", "female": "f", "انثي": "f"}
# Words in a combined "date of birth and nationality" cell that are neither.
_FILLER = frozenset({"مواليد", "من", "الجنسيه", "born", "in"})
_LIST_SEPARATORS = re.compile(r"\s*[/|،؛;]\s*")
_BRACKETED = re.compile(r"[(\[]([^)\]]*)[)\]]")


def _fold(label: str) -> str:
    return lookup_key(label).replace(" ", "")


def _english(label: str) -> str:
    return re.sub(r"[\s\-]+", "_", label.strip().lower())


_INDEX: dict[str, str] = {
    **{_fold(label): key for key, labels in LABELS.items() for label in labels},
    **{key: key for key in LABELS},
}


def canonical_column(header: str) -> str | None:
    """The field key a header names (`اسم الام` → `mother_name`), or None if unknown.

    A header may give both forms, `الاسم (name)`: either part is enough.
    """
    candidates = [header, _BRACKETED.sub("", header), *_BRACKETED.findall(header)]
    for candidate in candidates:
        if not candidate.strip():
            continue
        key = _INDEX.get(_english(candidate)) or _INDEX.get(_fold(candidate))
        if key is not None:
            return key
    return None


def is_captured_form_header(header: Iterable[str]) -> bool:
    """Whether a header is a captured form's: an Arabic label, or the keys kunya / form_id.

    A generic person file (`record_id` and `name`) with an Arabic extra column is still a
    person file.
    """
    keys = {_english(column) for column in header}
    if keys & {"kunya", "form_id"}:
        return True
    if {"record_id", "name"} <= keys:
        return False
    return any(not c.isascii() and canonical_column(c) is not None for c in header)


def _column_map(header: list[str], file: str) -> dict[str, str]:
    """Header as written → field key (or the header itself for unknown columns)."""
    mapping: dict[str, str] = {}
    used: dict[str, str] = {}
    for column in header:
        if not column.strip():
            continue
        key = canonical_column(column)
        if key is None:
            guess = closest_column(column, LABELS, cutoff=0.9) if column.isascii() else None
            if guess is not None:
                message = f"column '{column}' is not a form field (did you mean '{guess}'?)"
                raise IngestError(file, message, line=1, field=column)
            mapping[column] = column
            continue
        if key in used:
            raise IngestError(
                file, f"columns '{used[key]}' and '{column}' are both {key}", line=1, field=column
            )
        used[key] = column
        mapping[column] = key
    if "name" not in used:
        raise IngestError(file, "has no name column (الاسم / name)", line=1)
    return mapping


def _blank(value: str) -> bool:
    """Empty, punctuation only (`-`, `؟`) or a word for "none"/"unknown"."""
    key = lookup_key(value)
    return not key or key in _BLANK


def _split_birth_and_nationality(text: str) -> tuple[str, str]:
    """`1985 بلجيكي` / `بلجيكي - 12/03/1405 هـ` → (date text, nationality text)."""
    date_words: list[str] = []
    other_words: list[str] = []
    # "هجري قمري" is one marker; "قمري" alone would be read as the demonym of Comoros.
    text = re.sub(r"(هجري[ةه]?)\s+قمري[ةه]?", r"\1", text)
    for word in re.split(r"[\s،,]+", text):
        if not lookup_key(word) or lookup_key(word) in _FILLER:
            continue
        if any(c.isdigit() for c in word) or is_calendar_marker(word):
            date_words.append(word)
        else:
            other_words.append(word)
    return " ".join(date_words), " ".join(other_words)


def _nationalities(text: str) -> tuple[str, ...]:
    codes, unknown = to_alpha2_many(text)
    if unknown:
        raise FieldError(
            "nationality", f"'{unknown[0]}' is not a known country, demonym or ISO code"
        )
    return codes


def _birth_dates(values: dict[str, str]) -> tuple[tuple[PartialDate, ...], tuple[str, ...]]:
    """Birth dates and nationalities from the separate and the combined columns."""
    births: list[PartialDate] = []
    nationalities: list[str] = []
    combined = values.get("birth_date_nationality", "")
    date_text, nationality_text = _split_birth_and_nationality(combined)
    for text, field in (
        (values.get("birth_date", ""), "birth_date"),
        (date_text, "birth_date_nationality"),
    ):
        parsed = parse_date(text, field=field)
        if parsed is not None and parsed not in births:
            births.append(parsed)
    for text, field in (
        (values.get("nationality", ""), "nationality"),
        (nationality_text, "birth_date_nationality"),
    ):
        try:
            codes = _nationalities(text)
        except FieldError as exc:
            raise FieldError(field, exc.message) from None
        nationalities += [code for code in codes if code not in nationalities]
    return tuple(births), tuple(nationalities)


# What a registering official writes when the real name is not known.
_UNKNOWN_NAMES = frozenset(lookup_key(w) for w in ("مجهول", "غير معروف", "unknown", "-", "؟", "?"))


def _name(text: str, kind: str) -> Name:
    return Name(full=text, type=kind, script=detect_script(text))


def _gender(text: str) -> str | None:
    if text and lookup_key(text) not in _GENDERS:
        raise FieldError("gender", f"'{text}' is not ذكر/أنثى or m/f")
    return _GENDERS[lookup_key(text)] if text else None


def record_from_form(
    values: dict[str, str],
    extra: list[tuple[str, str]],
    line: int,
    kind: str,
    notes: Notes | None = None,
) -> RecordData:
    """Build a Record from one form's cells (keyed by field); raises FieldError. With
    lenient `notes`, an invalid optional value is left out and noted instead."""
    notes = notes or Notes()
    values = {k: v for k, v in values.items() if not _blank(v)}
    name = values.get("name", "")
    if lookup_key(name) in _UNKNOWN_NAMES:
        name = ""
    kunyas = [k.strip() for k in _LIST_SEPARATORS.split(values.get("kunya", "")) if k.strip()]
    if not name and not kunyas:
        raise FieldError("name", "has neither a name nor a kunya (one of them is needed)")
    # A fighter known only by his kunya is still a person to match: the kunya leads.
    names = [_name(name, "primary")] if name else []
    names += [_name(kunya, "kunya") for kunya in kunyas]
    nothing: tuple[tuple[PartialDate, ...], tuple[str, ...]] = ((), ())
    births, nationalities = notes.optional(lambda: _birth_dates(values), nothing)
    relations = [
        Relation(kind=relation, name=values[key])
        for key, relation in (("mother_name", "mother"), ("recommender", "recommender"))
        if values.get(key)
    ]
    gender = notes.optional(lambda: _gender(values.get("gender", "")), None)
    kept: list[tuple[str, str]] = []
    entry = notes.optional(
        lambda: parse_date(values.get("entry_date", ""), field="entry_date"), None
    )
    if entry is not None:
        kept.append(("entry_date", entry.iso()))
        if entry.original != entry.iso():
            kept.append(("entry_date_original", entry.original))
    if values.get("entry_point"):
        # Also a place; kept by name so that travel records can be lined up with it.
        kept.append(("entry_point", values["entry_point"]))
    kept += [(key, values[key]) for key in LABELS if key not in RECORD_FIELDS and key in values]
    kept += [(key, value) for key, value in extra if not _blank(value)]
    return RecordData(
        record_id=values.get("form_id") or f"form-{line}",
        kind=kind,
        names=tuple(names),
        birth_dates=births,
        nationalities=nationalities,
        gender=gender,
        places=tuple(values[key] for key in ("address", "entry_point") if values.get(key)),
        remarks=values.get("notes", ""),
        relations=tuple(relations),
        extra=tuple(kept),
    )


def _records(
    header: list[str],
    rows: Iterator[tuple[int, dict[str, str]]],
    file: str,
    kind: str,
    lenient: bool = False,
) -> Iterator[ParsedRow]:
    mapping = _column_map(header, file)
    header_of = {key: column for column, key in mapping.items()}

    def _shown(field: str) -> str:
        """A field key with the column as the file wrote it: `birth_date (تاريخ الميلاد)`."""
        column = header_of.get(field, field)
        return field if column == field else f"{field} ({column})"

    seen: set[str] = set()
    for line, row in rows:
        if ERROR_KEY in row:
            yield ParsedRow(line, error=RowError(file, line, "*", row[ERROR_KEY]))
            continue
        values: dict[str, str] = {}
        extra: list[tuple[str, str]] = []
        for column, value in row.items():
            key = mapping.get(column, column)
            if key in LABELS:
                values[key] = value.strip()
            else:
                extra.append((key, value.strip()))
        notes = Notes(lenient=lenient)
        try:
            built = record_from_form(values, extra, line, kind, notes)
        except FieldError as exc:
            yield ParsedRow(line, error=RowError(file, line, _shown(exc.field), exc.message))
            continue
        record, error, warnings = finish_record(built, notes, file, line)
        warnings = tuple(RowError(w.file, w.line, _shown(w.field), w.message) for w in warnings)
        if record is None:
            assert error is not None
            error = RowError(error.file, error.line, _shown(error.field), error.message)
            yield ParsedRow(line, error=error, warnings=warnings)
            continue
        if record.record_id in seen:
            message = f"'{record.record_id}' appears twice"
            error = RowError(file, line, "form_id", message)
            yield ParsedRow(line, error=error, warnings=warnings)
            continue
        seen.add(record.record_id)
        yield ParsedRow(line, record=record, warnings=warnings)


def _free_text(column: str) -> bool:
    """Whether a column's cells may hold line breaks: notes, address and unknown columns."""
    return canonical_column(column) in (None, "notes", "address", "recommender")


def read_captured_csv(
    text: str, file: str, kind: str = "captured_document", *, lenient: bool = False
) -> Iterator[ParsedRow]:
    """Parsed rows of a captured-form CSV (text already decoded)."""
    header, rows = iter_csv(text, file, multiline=_free_text)
    return _records(header, rows, file, kind, lenient)


def _cell_text(value: object) -> str:
    """A cell as text: Excel dates as ISO dates, whole numbers without `.0`."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def iter_xlsx(raw: bytes, file: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Header and (row number, row) pairs of the first sheet; the header is the first row
    that has any value, and row numbers are the sheet's."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IngestError(file, f"is not a readable XLSX workbook ({exc})") from None
    if not book.worksheets:
        book.close()
        raise IngestError(file, "has no sheet")
    cells = enumerate(book.worksheets[0].iter_rows(values_only=True), start=1)
    header: list[str] = []
    for _, values in cells:
        header = [_cell_text(v) for v in values]
        if any(header):
            break
    if not any(header):
        book.close()
        raise IngestError(file, "is empty (no header row)")

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in cells:
                texts = [_cell_text(v) for v in values]
                if not any(texts):
                    continue
                row: dict[str, str] = {}
                for index, text in enumerate(texts):
                    column = header[index] if index < len(header) else ""
                    if column:
                        row[column] = text
                    elif text:
                        row[f"column_{index + 1}"] = text
                problem = check_size(texts, header)
                yield number, ({ERROR_KEY: problem} if problem else row)
        finally:
            book.close()

    return header, rows()


def read_captured_xlsx(
    raw: bytes, file: str, kind: str = "captured_document", *, lenient: bool = False
) -> Iterator[ParsedRow]:
    """Parsed rows of a captured-form workbook (first sheet)."""
    header, rows = iter_xlsx(raw, file)
    return _records(header, rows, file, kind, lenient)
