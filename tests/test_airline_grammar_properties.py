"""Property tests on messages built from the grammar: random segments in random order, random
separators (declared in UNA), values holding separators (released), line breaks or none, and
a random cut. Whatever comes, reading gives rows or the reader's one error (`IngestError`,
naming the file), every fault names its segment, and every traveller segment the cut left
whole (NAD+FL/FM in PAXLST, a TIF in PNRGOV) gives a traveller or a report at that segment,
at its booking, or the whole file refused: never a traveller silently skipped.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ftfhub.domain.errors import IngestError
from ftfhub.ingest.detect import parse_file

EXAMPLES = int(os.environ.get("FTFHUB_FUZZ_EXAMPLES", "80"))
PROPERTY = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
SEPARATORS = "+:?'*|^~!#%&"
"""Characters a sender may declare as separators (distinct ones are drawn)."""

Element = list[str]


@dataclass(frozen=True)
class Built:
    text: str
    segments: list[tuple[str, list[Element]]]  # tag and elements, in order after UNA
    travellers: list[int]  # 1-based numbers of the traveller segments
    groups: dict[int, int]  # traveller segment number -> the number of its SRC (PNRGOV)


WORD = st.text(alphabet="ABCDEFGHIJKLMNOPRSTUVWZ", min_size=1, max_size=9)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
ODD = st.sampled_from(["", " ", "O'NEILL", "A+B", "X:Y", "?", "31FEB90", "XX", "9" * 30, "É"])
VALUE = WORD | ODD
DAY6 = st.dates().map(lambda d: d.strftime("%y%m%d")) | ODD
AIRIMP_DAY = st.dates().map(lambda d: d.strftime("%d%b%y").upper()) | ODD
COUNTRY = st.sampled_from(["GBR", "BEL", "DEU", "TUR", "XXA", "ZZZ", ""])


def paxlst_segment(draw: st.DrawFn) -> tuple[str, list[Element]]:
    kind = draw(st.sampled_from(["NAD", "NAD", "ATT", "DTM", "NAT", "DOC", "LOC", "RFF", "FTX",
                                 "TDT", "BGM", "CNT", "XYZ"]))  # fmt: skip
    if kind == "NAD":
        role = draw(st.sampled_from(["FL", "FM", "DDU", "MS"]))
        return "NAD", [[role], [], [], [draw(NAME | ODD), draw(NAME | ODD)]]
    if kind == "ATT":
        return "ATT", [["2"], [], [draw(st.sampled_from(["M", "F", "U", "Q", ""]))]]
    if kind == "DTM":
        return "DTM", [[draw(st.sampled_from(["329", "36", "189", "182"])), draw(DAY6)]]
    if kind == "NAT":
        return "NAT", [["2"], [draw(COUNTRY)]]
    if kind == "DOC":
        return "DOC", [[draw(st.sampled_from(["P", "I", "AC", "V", ""]))], [draw(VALUE)]]
    if kind == "LOC":
        return "LOC", [[draw(st.sampled_from(["178", "179", "174", "91", "125", "87"]))],
                       [draw(VALUE)]]  # fmt: skip
    if kind == "TDT":
        return "TDT", [["20"], [draw(VALUE)], [], [], [draw(VALUE)]]
    if kind == "BGM":
        return "BGM", [[draw(st.sampled_from(["745", "250", "266", "999", ""]))]]
    if kind == "CNT":
        return "CNT", [["42", draw(st.sampled_from(["1", "7", "X"]))]]
    return kind, [[draw(VALUE)], [draw(VALUE)]]


def pnrgov_segment(draw: st.DrawFn) -> tuple[str, list[Element]]:
    kind = draw(st.sampled_from(["SRC", "RCI", "TIF", "TIF", "SSR", "SSR", "IFT", "ADD", "FOP",
                                 "TVL", "DAT", "LTS", "EQN", "MSG", "XYZ"]))  # fmt: skip
    if kind == "RCI":
        return "RCI", [["ZZ", draw(WORD), "", draw(DAY6)]]
    if kind == "TIF":
        return "TIF", [[draw(NAME | ODD), "I"], [draw(NAME | ODD), "A", draw(st.sampled_from(
            ["1", "2", "3", ""]))]]  # fmt: skip
    if kind == "SSR":
        code = draw(st.sampled_from(["DOCS", "DOCA", "DOCO", "INFT", "SEAT", "GRPS", "CTCE"]))
        text = "/".join([draw(st.sampled_from(["P", "I", ""])), draw(COUNTRY), draw(VALUE),
                         draw(COUNTRY), draw(AIRIMP_DAY), draw(st.sampled_from(["M", "F", "MI",
                         ""])), draw(AIRIMP_DAY), draw(NAME), draw(NAME)])  # fmt: skip
        return "SSR", [[code, "HK", "1", "ZZ", "", "", "", "", "/" + text]]
    if kind == "IFT":
        contact = draw(st.sampled_from(["CTCM ", "CTCE ", "CTCH ", ""]))
        return "IFT", [["4", "28"], [contact + draw(VALUE)]]
    if kind == "ADD":
        return "ADD", [["700"], ["", draw(VALUE), draw(VALUE), "", "", draw(COUNTRY)]]
    if kind == "FOP":
        return "FOP", [["CC", "", "", "VI", "XXXX" + draw(st.sampled_from(["1111", "", "AB"]))]]
    if kind == "TVL":
        return "TVL", [[draw(DAY6), "1000"], [draw(VALUE)], [draw(VALUE)], ["ZZ"], ["401"]]
    if kind == "DAT":
        return "DAT", [["700", draw(DAY6)]]
    if kind == "EQN":
        return "EQN", [[draw(st.sampled_from(["1", "2", "X"]))]]
    if kind == "SRC":
        return "SRC", []
    return kind, [[draw(VALUE)]]


_PAX_ANY = st.composite(paxlst_segment)()
_PNR_ANY = st.composite(pnrgov_segment)()
_PAX_TRAVELLER = st.builds(
    lambda role, surname, given: ("NAD", [[role], [], [], [surname, given]]),
    st.sampled_from(["FL", "FM", "DDU"]),
    NAME | ODD,
    NAME | ODD,
)
_PNR_TRAVELLER = st.builds(
    lambda surname, given: ("TIF", [[surname, "I"], [given, "A"]]), NAME | ODD, NAME | ODD
)


def _released(value: str, chars: str) -> str:
    component, data, release, terminator = chars
    return "".join(release + c if c in (component, data, release, terminator) else c
                   for c in value)  # fmt: skip


def _render(tag: str, elements: list[Element], chars: str) -> str:
    component, data, _, terminator = chars
    body = data.join(component.join(_released(c, chars) for c in e) for e in elements)
    return tag + (data + body if elements else "") + terminator


@st.composite
def message(draw: st.DrawFn, kind: str) -> Built:
    chars = "".join(draw(st.permutations(SEPARATORS))[:4])
    component, data, release, terminator = chars
    header: list[tuple[str, list[Element]]] = [
        ("UNB", [["UNOA", "4"], ["ZZ"], ["BEPIU"], ["261201", "0600"], ["R4"]]),
        ("UNH", [["1"], [kind, "D", "05B", "UN", "IATA"]]),
    ]
    if kind == "PAXLST":
        header += [("BGM", [["745"]]), ("TDT", [["20"], ["ZZ401"]]), ("LOC", [["125"], ["LHR"]]),
                   ("DTM", [["189", "2612011000", "201"]]), ("LOC", [["87"], ["BRU"]])]  # fmt: skip
        body = draw(st.lists(_PAX_ANY, max_size=3))
        for _ in range(draw(st.integers(1, 6))):
            body.append(draw(_PAX_TRAVELLER))
            body += draw(st.lists(_PAX_ANY, max_size=6))
    else:
        header += [("MSG", [["", "22"]]), ("TVL", [["011226", "1000"], ["LHR"], ["BRU"], ["ZZ"],
                   ["401"]])]  # fmt: skip
        body = draw(st.lists(_PNR_ANY, max_size=2))
        for _ in range(draw(st.integers(1, 4))):
            body += [("SRC", []), ("RCI", [["ZZ", draw(WORD)]])]
            body += draw(st.lists(_PNR_ANY, max_size=3))
            for _ in range(draw(st.integers(1, 4))):
                body.append(draw(_PNR_TRAVELLER))
                body += draw(st.lists(_PNR_ANY, max_size=4))
    trailer = [("UNT", [[str(len(body) + 3)], ["1"]]), ("UNZ", [["1"], ["R4"]])]
    segments = header + body + trailer
    line_break = draw(st.sampled_from(["", "\n", "\r\n"]))
    una = f"UNA{component}{data}.{release} {terminator}"
    text = una + line_break + line_break.join(_render(t, e, chars) for t, e in segments)
    travellers, groups = _traveller_segments(kind, segments)
    return Built(text, segments, travellers, groups)


def _traveller_segments(
    kind: str, segments: list[tuple[str, list[Element]]]
) -> tuple[list[int], dict[int, int]]:
    """The segments a traveller starts at: NAD+FL/FM/DDU in PAXLST; in PNRGOV a TIF in a
    booking's traveller part (after SRC, before its itinerary, history or non-air part)."""
    found, groups = [], {}
    src, part = 0, "header"
    for number, (tag, elements) in enumerate(segments, start=1):
        first = elements[0][0] if elements and elements[0] else ""
        if kind == "PAXLST" and tag == "NAD" and first in ("FL", "FM", "DDU"):
            found.append(number)
        if kind != "PNRGOV":
            continue
        if tag == "SRC":
            src, part = number, "pnr"
        elif tag in ("TVL", "LTS", "MSG", "EQN") and part != "header":
            part = "later"
        elif tag == "TIF" and part == "pnr":
            found.append(number)
            groups[number] = src
    return found, groups


def _check(built: Built, raw: bytes, whole_segments: int) -> None:
    try:
        rows = list(parse_file(raw, Path("built.edi"), "travel")[0])
    except IngestError as exc:
        assert exc.file == "built.edi" and exc.message
        present = [n for n in built.travellers if n <= whole_segments]
        assert not (present and "no traveller" in exc.message), (present, exc.message)
        return
    lines = set()
    for row in rows:
        assert (row.record is None) != (row.error is None)
        if row.error is not None:
            assert row.error.line >= 1
            assert re.match(r"segment \d+", row.error.message) or row.error.field, row.error
        lines.add(row.line)
    for number in built.travellers:
        if number > whole_segments:
            continue
        said = number in lines or built.groups.get(number, -1) in lines
        assert said, (number, built.segments[number - 1], [(r.line, r.error) for r in rows])


@PROPERTY
@given(st.sampled_from(["PAXLST", "PNRGOV"]).flatmap(message), st.data())
def test_separators_left_unreleased_and_wrapped_lines_never_raise(
    built: Built, data: st.DataObject
) -> None:
    """A sender that forgets to release a separator inside a value, or wraps segments at a
    fixed width: rows or the reader's error, every fault naming its segment, and a message
    whose travellers all survive is never refused as having none."""
    text = built.text
    component, data_sep, release, terminator = text[3], text[4], text[6], text[8]
    for value in data.draw(
        st.lists(st.sampled_from(["ANN", "DOE", "GBR", "745", "ZZ"]), max_size=3)
    ):
        at = text.find(value, 9)
        if at > 0:
            raw = data.draw(st.sampled_from([release, terminator, data_sep, component]))
            text = text[:at] + raw + text[at:]
    width = data.draw(st.sampled_from([0, 0, 7, 40]))
    if width:
        text = text[:9] + "\n".join(text[i : i + width] for i in range(9, len(text), width))
    try:
        rows = list(parse_file(text.encode("utf-8"), Path("messy.edi"), "travel")[0])
    except IngestError as exc:
        assert exc.file == "messy.edi" and exc.message
        return
    for row in rows:
        assert (row.record is None) != (row.error is None)
        if row.error is not None:
            assert row.error.line >= 1 and row.error.message


@PROPERTY
@given(message("PAXLST"), st.floats(0.2, 1.0))
def test_any_paxlst_is_read_whole_or_refused_and_no_traveller_is_lost(
    built: Built, share: float
) -> None:
    cut = len(built.text) if share > 0.9 else int(len(built.text) * share)
    _check(built, built.text[:cut].encode("utf-8"), _complete(built, cut))


@PROPERTY
@given(message("PNRGOV"), st.floats(0.2, 1.0))
def test_any_pnrgov_is_read_whole_or_refused_and_no_traveller_is_lost(
    built: Built, share: float
) -> None:
    cut = len(built.text) if share > 0.9 else int(len(built.text) * share)
    _check(built, built.text[:cut].encode("utf-8"), _complete(built, cut))


def _complete(built: Built, cut: int) -> int:
    """The segments wholly inside the first `cut` characters (the rendered text is the UNA,
    then each segment with its terminator)."""
    text = built.text[:cut]
    terminator = built.text[8]
    release = built.text[6]
    ended, released = 0, False
    for char in text[9:]:
        if released:
            released = False
        elif char == release:
            released = True
        elif char == terminator:
            ended += 1
    return ended
