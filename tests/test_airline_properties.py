"""Property tests of the airline readers (PAXLST, PNRGOV) on what real traffic does to a
message: damaged bytes never raise anything but `IngestError` (the one error the readers
document), and a message cut short in transfer never yields a traveller with wrong fields —
every traveller read from a prefix of a message is one the whole message gives, field for
field (the half-read last traveller or booking is left out and reported, never stored)."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftfhub.domain import RecordData
from ftfhub.domain.errors import IngestError
from ftfhub.ingest.detect import parse_file

HERE = Path(__file__).parent
SHARED = HERE.parents[1] / "shared" / "data" / "airline"
MESSAGES = sorted(
    [p for p in (HERE / "fixtures" / "airline").iterdir()]
    + [p for p in SHARED.glob("*/*") if p.suffix in (".edi", ".txt")]
)
RAW = {p.name: p.read_bytes() for p in MESSAGES}
EXAMPLES = int(os.environ.get("FTFHUB_FUZZ_EXAMPLES", "80"))
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# What senders' systems and transfers put into messages: separators, release characters,
# line breaks, control and information separators, bytes of other character sets.
NOISE = st.binary(max_size=12) | st.sampled_from(
    [b"'", b"+", b":", b"?", b"*", b"\\", b"\r\n", b"\n", b"\x1c", b"\x1d", b"\x1f", b"\x00",
     b"UNH+", b"UNT+", b"NAD+FL+++", b"TIF+", b"SSR+DOCS:HK:1:ZZ:::::/P/", b"'SRC'", b"\xff",
     b"\xe9", b"\xc3", b"DTM+329:", b"UNA:+.? '", b"?'", b"???"]
)  # fmt: skip


def _read(raw: bytes, name: str) -> list[RecordData]:
    """The travellers a message gives, every row read (errors are rows, not exceptions)."""
    rows, _ = parse_file(raw, Path(name), "travel")
    return [row.record for row in rows if row.record is not None]


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """A message with a few edits: bytes cut out, noise put in, a stretch repeated."""
    name = draw(st.sampled_from(sorted(RAW)))
    data = bytearray(RAW[name])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        edit = draw(st.sampled_from(["cut", "insert", "repeat", "flip"]))
        if edit == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif edit == "insert":
            data[at:at] = draw(NOISE)
        elif edit == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 80))]
        elif data:
            data[min(at, len(data) - 1)] = draw(st.integers(0, 255))
    return name, bytes(data)


@PROPERTY
@given(damaged())
def test_a_damaged_message_is_read_or_refused_with_an_ingest_error(case: tuple[str, bytes]) -> None:
    name, raw = case
    try:
        _read(raw, name)
    except IngestError as exc:
        assert exc.message  # a clear message naming the file, never a traceback


@PROPERTY
@given(st.binary(max_size=400), st.sampled_from([b"", b"UNA:+.? '", b"UNB+UNOC:3+", b"UNB\x1d"]))
def test_any_bytes_after_an_interchange_start_are_read_or_refused(tail: bytes, head: bytes) -> None:
    try:
        _read(head + tail, "any.edi")
    except IngestError as exc:
        assert exc.message


def _comparable(record: RecordData) -> RecordData:
    """A traveller as a prefix can give it in full: the links to travellers of other
    bookings (which the cut may have taken away) left out."""
    kept = tuple(r for r in record.relations if r.kind == "travelled_with")
    return RecordData(**{**record.__dict__, "relations": kept})


WHOLE = {name: [_comparable(r) for r in _read(raw, name)] for name, raw in RAW.items()}


@PROPERTY
@given(st.sampled_from(sorted(RAW)), st.floats(0.0, 1.0))
def test_a_message_cut_short_never_gives_a_traveller_with_wrong_fields(
    name: str, share: float
) -> None:
    raw = RAW[name]
    cut = raw[: int(len(raw) * share)]
    try:
        travellers = _read(cut, name)
    except IngestError:
        return  # too little left to be a message: refused whole, nothing stored
    whole = WHOLE[name]
    for traveller in travellers:
        assert _comparable(traveller) in whole, (len(cut), traveller.record_id)


def test_every_whole_message_gives_travellers() -> None:
    """The property above is about something: every message read whole has travellers."""
    assert all(WHOLE[name] for name in RAW), [name for name in RAW if not WHOLE[name]]
