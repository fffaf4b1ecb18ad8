"""The EDIFACT syntax layer: separators, line breaks, release characters, and what it does
with text that is not quite EDIFACT (never a traceback: a reading, or one clear error)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ftfhub.domain.errors import IngestError
from ftfhub.ingest.edifact.messages import read_edifact
from ftfhub.ingest.edifact.syntax import read_interchange
from ftfhub.ingest.paxlst import read_paxlst_text

AIRLINE = Path(__file__).resolve().parents[2] / "shared" / "data" / "airline"
SAMPLES = sorted(p for p in AIRLINE.glob("*/*") if "LICENSE" not in p.name)


def _tags(text: str) -> list[str]:
    return [s.tag for s in read_interchange(text).segments]


def test_one_line_many_lines_and_wrapped_segments_read_alike() -> None:
    one = "UNB+IATA:1+X'UNH+1+PAXLST'NAD+FL+++SMITH:ANNA'UNT+3+1'"
    many = "UNB+IATA:1+X'\r\nUNH+1+PAXLST'\nNAD+FL+++SMI\r\nTH:AN\nNA'\n  UNT+3+1'\n"
    assert read_interchange(one).segments == read_interchange(many).segments
    assert read_interchange(many).segments[2].element(3) == ("SMITH", "ANNA")


def test_newline_as_the_terminator() -> None:
    text = "UNA:+.? \nUNB+IATA:1+X\r\nUNH+1+PAXLST\n\nNAD+FL+++DOE:JO\n"
    assert _tags(text) == ["UNB", "UNH", "NAD"]


def test_release_characters_and_typographic_apostrophes() -> None:
    text = "UNA:+.? 'UNH+1+PAXLST’NAD+FL+++O?'NEILL?:X?+Y:ANN’UNT+2+1’"
    nad = read_interchange(text).segments[1]
    assert nad.element(3) == ("O'NEILL:X+Y", "ANN")


def test_a_short_una_and_run_together_segments_are_read_and_said() -> None:
    text = "UNA:+\\*'\nUNH+1+PNRGOV'ORG+1A:MUC+9TIF+KIM:I+KONG MRS:A:3'LTS+0/NOT A TIF+X'"
    interchange = read_interchange(text, tags={"TIF", "LTS"}, free_text={"LTS"})
    assert [s.tag for s in interchange.segments] == ["UNH", "ORG", "TIF", "LTS"]
    assert interchange.segments[2].element(1) == ("KONG MRS", "A", "3")
    assert interchange.segments[1].number == interchange.segments[2].number == 2
    assert len(interchange.warnings) == 2  # the short UNA, the run-together TIF
    assert interchange.characters.escape_character == "\\"


def test_a_dangling_release_character_costs_nothing() -> None:
    """The syntax reader keeps the last segment whole; the message, having no UNT, was cut
    short, so its last traveller is reported and left out (it may have lost its document)."""
    text = "UNH+1+PAXLST'NAD+FL+++SMITH:ANNA'NAD+FL+++DOE:JO?"
    assert read_interchange(text).segments[-1].element(3) == ("DOE", "JO")
    reading = read_paxlst_text(text, "f")
    assert [r.primary_name for _, r in reading.records] == ["ANNA SMITH"]
    (error,) = reading.errors
    assert error.line == 3 and "without UNT" in error.message


_NOISE = st.text(alphabet="+:'?*$-/ \r\n\u2019ABCDNTUFLX0123456789", max_size=60)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SAMPLES), st.integers(0, 4000), st.integers(0, 300), _NOISE)
def test_damaged_messages_give_a_reading_or_one_clear_error(
    sample: Path, at: int, cut: int, noise: str
) -> None:
    text = sample.read_text("utf-8")
    damaged = text[:at] + noise + text[at + cut :]
    try:
        rows = list(read_edifact(damaged, "damaged.edi", "travel"))
    except IngestError as exc:
        assert exc.file == "damaged.edi" and exc.message
        return
    for row in rows:
        assert (row.record is None) != (row.error is None)
        if row.error is not None:
            assert row.error.line >= 1 and row.error.message


_ONE_TRAVELLER = (
    "UNB+UNOA:4+ZZ+BEPIU+261201:0600+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
    "TDT+20+ZZ401+++ZZ'LOC+125+LHR'DTM+189:2612011000:201'LOC+87+BRU'"
    "NAD+FL+++QUENBY:MIRELDA'ATT+2++F'DTM+329:800101'NAT+2+GBR'DOC+P+123456789'"
    "CNT+42:1'UNT+12+1'UNZ+1+1'"
)


@pytest.mark.parametrize(
    ("una", "line_break"),
    [
        ("UNA:+?'", ""),  # the decimal mark and the reserved space left out
        ("UNA:+? '", ""),  # the decimal mark left out, no line break: 'U' of UNB was read
        ("UNA:+.?'", ""),  # the reserved space left out
        ("UNA:+.? ", ""),  # the terminator itself left out
        ("UNA:+.? ", "\n"),  # … with each segment on a line: the line break is not it
        ("UNA:+.?", "\r\n"),
        ("UNA:+'", ""),
    ],
)
def test_a_short_una_with_or_without_a_line_break_is_read_and_said(
    una: str, line_break: str
) -> None:
    """Before, a five-character UNA glued to UNB took the `U` of UNB for its terminator and
    the message was refused as having "no traveller in it"; one without its terminator
    before a line break read `MIRELDA'` as a name."""
    text = una + line_break + _ONE_TRAVELLER.replace("'", "'" + line_break)
    reading = read_paxlst_text(text, "short.edi")
    (traveller,) = [record for _, record in reading.records]
    assert traveller.primary_name == "MIRELDA QUENBY"
    assert [d.number for d in traveller.documents] == ["123456789"]
    assert traveller.birth_dates[0].iso() == "1980-01-01" and traveller.nationalities == ("GB",)
    assert not reading.errors
    assert reading.warnings == [
        f"service string advice '{una}' has {len(una) - 3} characters, not 6; read as 'UNA:+.? ''"
    ]


def test_a_full_una_glued_to_unb_is_not_short() -> None:
    reading = read_paxlst_text("UNA:+.? '" + _ONE_TRAVELLER, "full.edi")
    assert [r.primary_name for _, r in reading.records] == ["MIRELDA QUENBY"]
    assert not reading.warnings and not reading.errors
