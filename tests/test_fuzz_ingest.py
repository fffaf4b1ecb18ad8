"""Property tests: any bytes into every adapter, `screen` and `compare --pairs` give a loaded
batch or a clear error — never another exception, and a refused load changes no count."""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from acting import as_user
from ftfhub.clock import utcnow
from ftfhub.domain.errors import IngestError
from ftfhub.domain.validation import validate_record
from ftfhub.ingest.detect import parse_file
from ftfhub.ingest.manifest import COLUMNS as MANIFEST_COLUMNS
from ftfhub.ingest.person_file import COLUMNS as PERSON_COLUMNS
from ftfhub.services import Database, ServiceError
from ftfhub.services.compare import compare_pairs_file
from ftfhub.services.ingest import ingest_file
from ftfhub.services.screening import screen_file
from ftfhub.store.models import Record

# `make test` runs 60 examples per property (a few seconds); a longer hunt:
# FTFHUB_FUZZ_EXAMPLES=2000 pytest tests/test_fuzz_ingest.py
FUZZ = settings(
    max_examples=int(os.environ.get("FTFHUB_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_counter = itertools.count()

# Characters that break parsers and screens: quotes, delimiters, line breaks, controls,
# bidi overrides, zero-width characters, markup, formula starts, Arabic and Turkish letters.
NASTY = st.sampled_from(
    [
        '"',
        ",",
        ";",
        "\t",
        "\n",
        "\r",
        "|",
        ":",
        "\x00",
        "\x1b",
        "\u202e",
        "\u200b",
        "[",
        "]",
        "/",
        "=",
        "+",
        "-",
        "@",
        "{",
        "}",
        "ı",
        "ş",
        "ğ",
        "İ",
        "ع",
        "ب",
        "د",
        "1",
        "9",
        "<",
        " ",
    ]
)
CELL = st.one_of(
    st.text(NASTY, max_size=12),
    st.text(max_size=12),
    st.sampled_from(["1974-01-32", "1969-7-16", "1850", "BE", "QQ", "be", "passport:BE:X1"]),
)


def _table(columns: tuple[str, ...]) -> st.SearchStrategy[str]:
    header = st.lists(st.sampled_from(columns), min_size=1, max_size=6, unique=True)

    def rows(cols: list[str]) -> st.SearchStrategy[str]:
        row = st.lists(CELL, min_size=len(cols), max_size=len(cols)).map(",".join)
        return st.lists(row, max_size=6).map(lambda rs: "\n".join([",".join(cols), *rs]) + "\n")

    return header.flatmap(rows)


TEXTS = st.one_of(
    _table(PERSON_COLUMNS),
    _table(MANIFEST_COLUMNS),
    _table(("الاسم", "الكنية", "تاريخ الميلاد", "الجنسية", "kunya", "form_id")),
    st.lists(st.dictionaries(st.sampled_from(PERSON_COLUMNS), CELL, max_size=5), max_size=4).map(
        lambda objs: "\n".join(json.dumps(o) for o in objs) + "\n"
    ),
    st.text(NASTY, max_size=200).map(lambda t: "UNA:+.? 'UNB+" + t),
)
ENCODINGS = st.sampled_from(["utf-8", "utf-16-le", "cp1254", "cp1256", "cp1252"])
PAYLOADS = st.one_of(
    st.binary(max_size=600),
    st.tuples(TEXTS, ENCODINGS).map(lambda te: te[0].encode(te[1], errors="replace")),
)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    folder = tmp_path_factory.mktemp("fuzz")
    db = Database(f"sqlite:///{folder / 'fuzz.db'}")
    try:
        yield db, folder
    finally:
        db.dispose()


def _file(folder: Path, raw: bytes, suffix: str = ".csv") -> Path:
    path = folder / f"input-{next(_counter)}{suffix}"
    path.write_bytes(raw)
    return path


@FUZZ
@given(raw=PAYLOADS, kind=st.sampled_from(["watchlist", "travel", "captured_document"]))
def test_every_adapter_reads_or_refuses(raw: bytes, kind: str) -> None:
    for suffix in (".csv", ".xlsx"):
        try:
            rows, _ = parse_file(raw, Path(f"fuzz{suffix}"), kind)
            parsed = list(rows)
        except IngestError:
            continue
        for row in parsed:
            assert (row.record is None) != (row.error is None)
            if row.record is not None:
                assert validate_record(row.record, utcnow().date()) == []


def _count(db: Database) -> int:
    with db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(Record)) or 0)


@FUZZ
@given(raw=PAYLOADS, on_error=st.sampled_from(["skip", "abort"]))
def test_ingest_loads_or_refuses_and_a_refusal_changes_nothing(
    hub: tuple[Database, Path], raw: bytes, on_error: str
) -> None:
    db, folder = hub
    before = _count(db)
    try:
        report = ingest_file(
            as_user(db, "FZ-AG"), _file(folder, raw), "watchlist", on_error=on_error
        )
    except (IngestError, ServiceError):
        assert _count(db) == before
        return
    if report.aborted:
        assert _count(db) == before
    else:
        assert _count(db) == before + report.added + report.new_versions


@FUZZ
@given(raw=PAYLOADS)
def test_screen_screens_or_refuses(hub: tuple[Database, Path], raw: bytes) -> None:
    db, folder = hub
    try:
        outcome = screen_file(as_user(db, "FZ-SC"), _file(folder, raw), on_error="skip")
    except (IngestError, ServiceError):
        return
    assert outcome.queries + sum(1 for r in outcome.results if not hasattr(r, "matches")) == len(
        outcome.results
    )


PAIR_TEXTS = st.lists(st.tuples(CELL, CELL, CELL), max_size=5).map(
    lambda rows: "name_a,name_b,birth_date_a\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows)
)


@FUZZ
@given(raw=st.one_of(st.binary(max_size=300), PAIR_TEXTS.map(str.encode)))
def test_compare_pairs_compares_or_refuses(hub: tuple[Database, Path], raw: bytes) -> None:
    _, folder = hub
    try:
        results = list(compare_pairs_file(_file(folder, raw)))
    except IngestError:
        return
    assert all(0.0 <= r.comparison.score <= 1.0 for r in results)


def _workbook(rows: list[list[str]]) -> bytes:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# Cells openpyxl can write (it refuses most control characters itself).
XLSX_CELL = st.one_of(
    st.text(NASTY.filter(lambda c: c not in "\x00\x1b"), max_size=12),
    st.sampled_from(["1405 هـ", "00/00/1985", "بلجيكي", '=HYPERLINK("x")', "", "  "]),
)


@settings(max_examples=25, deadline=None)
@given(
    header=st.lists(
        st.sampled_from(["الاسم", "الكنية", "تاريخ الميلاد", "الجنسية", "form_id", "notes", "x"]),
        min_size=1,
        max_size=5,
    ),
    body=st.lists(st.lists(XLSX_CELL, min_size=0, max_size=6), max_size=5),
)
def test_captured_form_workbooks_read_or_refuse(header: list[str], body: list[list[str]]) -> None:
    raw = _workbook([header, *body])
    try:
        rows, encoding = parse_file(raw, Path("forms.xlsx"), "captured_document", lenient=True)
        parsed = list(rows)
    except IngestError:
        return
    assert encoding == "xlsx"
    for row in parsed:
        assert (row.record is None) != (row.error is None)
        if row.record is not None:
            assert validate_record(row.record, utcnow().date()) == []
