"""EDIFACT text → numbered segments, leniently.

pydifact does the tokenizing (separators, release characters, composites). Before it sees the
text we settle what real senders get wrong, so that one odd byte never costs the whole
message:

- the service string advice (UNA) is read for the separators; a short one (a character left
  out, as `UNA:+\\*'`) is read as component, data, release …, terminator;
- line breaks are not part of the syntax unless the terminator is one: segments wrapped at a
  fixed width (`SMITHJ` / `R`) are joined, and a terminator on one line or many both work;
- a typographic apostrophe (’, word processors) stands for a `'` terminator;
- a message that stops without its last terminator gets one;
- two segments run together without a terminator (`…+9TIF+KIM…`) are split again when the
  second begins with a tag the grammar knows, and a warning says so.

Each segment keeps its position in the interchange (1 = the first after UNA), which is what an
error names.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from pydifact.control.characters import Characters
from pydifact.exceptions import EDISyntaxError
from pydifact.parser import Parser, TokenIterator
from pydifact.tokenizer import Tokenizer

Element = tuple[str, ...]
"""One data element as its components (a simple element has one)."""


@dataclass(frozen=True)
class Segment:
    """One segment: its tag, its data elements as component tuples, its position."""

    tag: str
    elements: tuple[Element, ...]
    number: int

    def element(self, index: int) -> Element:
        """The data element at `index` (0 = the first after the tag), () if absent."""
        return self.elements[index] if index < len(self.elements) else ()

    def value(self, index: int, component: int = 0) -> str:
        """One component of one element, stripped; "" if absent."""
        parts = self.element(index)
        return parts[component].strip() if component < len(parts) else ""

    def text(self, start: int = 0) -> str:
        """The elements from `start` on as plain text (free text split by a stray separator
        is joined again)."""
        words = (part.strip() for e in self.elements[start:] for part in e)
        return " ".join(w for w in words if w)


@dataclass
class Interchange:
    """The segments of a file and what the reader had to tidy or could not read."""

    segments: list[Segment]
    characters: Characters
    warnings: list[str] = field(default_factory=list)
    unread: str = ""  # why the text after the last segment could not be read, if it could not


class EdifactError(ValueError):
    """The text is not EDIFACT at all (the caller names the file)."""


_DEFAULT = ":+.? '"
_LEVEL_B = "\x1f\x1d.\x19\x1e\x1c"
"""Syntax level B (UNOB) without UNA: components IS1, elements IS3, segments IS4, repetition
IS2, and no release character (an unused control character stands in for it)."""
_TAG = re.compile(r"^[A-Z]{3}$")
_CHARSETS = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "UNOC": "iso8859-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
}
"""The character repertoire UNB's syntax identifier names, as a Python codec (ISO 9735)."""
_SYNTAX_ID = re.compile(rb"UNB[^A-Z0-9]{1,3}(UNO[A-Z])")
_ENVELOPE = 600
"""How far into a file the interchange may start: a Type B teletype envelope (`QU BRUAPXA`
/ `.ZZAIRXH 011200`) or a mail gateway's lines can stand before UNA/UNB."""
_START = re.compile(r"^[ \t\ufeff]*(UNA|UNB|UNH)(?![A-Za-z0-9])", re.MULTILINE)
_START_BYTES = re.compile(rb"^[ \t]*(?:\xef\xbb\xbf)?(UNA|UNB)(?![A-Za-z0-9])", re.MULTILINE)
_MESSAGE = re.compile(r"UNH.{1,40}?(PAXLST|PNRGOV)", re.DOTALL)
_AFTER_ADVICE = re.compile(r"UN[BGH](?![A-Za-z0-9])")
_BEFORE_TAG = re.compile(r"([^A-Za-z0-9\s])[ \t\r\n]*[A-Z]{3}([^A-Za-z0-9\s])")


def interchange_start(text: str) -> int | None:
    """Where the interchange starts in a text: where UNA/UNB opens it, or, when a PAXLST or
    PNRGOV message follows, the first line starting UNA/UNB after a short envelope, or a
    bare message (UNH … UNT without UNB, as some gateways pass it on); None when the text
    is not EDIFACT (a CSV line `UNAL,…` is a name, not a segment)."""
    found = _START.search(text[:_ENVELOPE])
    if found is None:
        return None
    start = found.start(1)
    if found.group(1) != "UNH" and not text[:start].strip(" \t\r\n\ufeff"):
        return start
    if len(text[:start].splitlines()) > 5 or not _MESSAGE.search(text, start, start + 2000):
        return None
    return start


def declared_charset(data: bytes) -> str | None:
    """The codec an interchange's UNB declares (`UNOC` ISO 8859-1, `UNOE` ISO 8859-5 …),
    None when the bytes are not an interchange or declare none we know."""
    identifier = _syntax_identifier(data)
    return _CHARSETS.get(identifier) if identifier else None


def _syntax_identifier(data: bytes) -> str | None:
    found = _START_BYTES.search(data[:_ENVELOPE])
    if found is None:
        return None
    head = data[found.start(1) : found.start(1) + 1000]
    match = _SYNTAX_ID.search(head)
    return match.group(1).decode("ascii") if match else None


def charset_mismatch(data: bytes, text: str, used: str) -> str | None:
    """What to say when an interchange was read in another character set than its UNB
    declares (`UNOC` declared, UTF-8 sent — the commonest slip; `UNOA` with accented
    bytes; `UNOY` with Latin-1 bytes), None when they agree or the text is plain ASCII (a byte
    order mark or UTF-16 changes no letter)."""
    identifier = _syntax_identifier(data)
    codec = _CHARSETS.get(identifier or "")
    if identifier is None or codec is None:
        return None
    same = codec.replace("-", "") == used.replace("-", "").replace("_", "")
    if text.lstrip("\ufeff").isascii() or (codec != "ascii" and same):
        return None
    return (
        f"segment 1 (UNB): declares the character set {identifier} ({codec}) but its bytes "
        f"read as {used}; names are taken in {used} — check accented letters against the source"
    )


def _service_string(text: str) -> tuple[Characters, str, str | None]:
    """The separators, the text after the UNA segment, and a warning if UNA was odd."""
    body = text.lstrip("\ufeff \t\r\n")
    if not body.startswith("UNA"):
        level_b = body.startswith("UNB\x1d")
        return Characters.from_str(_LEVEL_B if level_b else _DEFAULT), body, None
    advice = body[3:9]
    glued = _glued_header(body)
    if glued is not None:
        return _short_advice(body, body[3:glued], glued)
    # a line break among the first five means characters were left out; a line break as
    # the sixth is the terminator, unless another character ends the segments that follow
    # (`UNA:+\*'` or `UNA:+.? ` and then `UNB+…'`)
    cut = min((advice.find(c) for c in "\r\n" if c in advice[:5]), default=-1)
    if cut == -1 and len(advice) == 6 and advice[5] in "\r\n":
        ending = _ending_character(body[9:], advice[1])
        cut = 5 if ending is not None and _ends_lines(ending, body) else cut
    if cut == -1 and len(advice) == 6:
        return Characters.from_str(advice), body[9:], None
    chars = advice[:cut] if cut != -1 else advice
    return _short_advice(body, chars, 3 + len(chars))


def _glued_header(body: str) -> int | None:
    """Where the segment after a short UNA starts when no line break parts them
    (`UNA:+.?'UNB+…`: five characters, so the sixth read would be the `U` of UNB), None
    when the advice has its six characters or a line break follows it."""
    found = _AFTER_ADVICE.search(body, 3, 3 + 6 + 4)
    if found is None or found.start() >= 9 or any(c in "\r\n" for c in body[3 : found.start()]):
        return None
    return found.start()


def _short_advice(body: str, chars: str, end: int) -> tuple[Characters, str, str | None]:
    """Separators from a service string advice with characters left out: component and data
    separators first, the release character among the middle ones, and the terminator last
    — unless the segments after it end with another character (`UNA:+.? UNB+…'UNH…`: the
    terminator itself was left out), which is then the terminator."""
    if len(chars) < 3:
        raise EdifactError(f"its service string advice 'UNA{chars}' is too short to read")
    ending = _ending_character(body[end:], chars[1])
    listed = chars[2:-1] if ending in (None, chars[-1]) else chars[2:]
    middle = [c for c in listed if c not in ". ,"]
    release = middle[0] if middle else "?"
    terminator = chars[-1] if ending is None else ending
    filled = Characters.from_str(f"{chars[0]}{chars[1]}.{release} {terminator}")
    warning = (
        f"service string advice 'UNA{chars}' has {len(chars)} characters, not 6; "
        f"read as 'UNA{filled}'"
    )
    return filled, body[end:], warning


def _ending_character(text: str, data_separator: str) -> str | None:
    """The character that stands before most segment tags of a text (`…'UNH+`, or `…'` and
    a line break before `UNH+`): its terminator, whatever the service string advice says;
    None when too few tags follow one to tell."""
    before = Counter(
        m.group(1) for m in _BEFORE_TAG.finditer(text[:4000]) if m.group(2) == data_separator
    )
    if not before:
        return None
    char, count = before.most_common(1)[0]
    return char if count >= 2 else None


def _ends_lines(char: str, body: str) -> bool:
    """Whether `char` stands at the end of most lines of the text (it is the terminator)."""
    if char.isspace() or char.isalnum():
        return False
    lines = [line.rstrip() for line in body[9:].splitlines() if line.strip()]
    return bool(lines) and sum(line.endswith(char) for line in lines) * 2 > len(lines)


_LINE_START = re.compile(r"^[A-Z]{3}(?:$|[^A-Za-z0-9])")


def _by_lines(body: str, chars: Characters) -> tuple[Characters, str | None]:
    """Separators for a text whose segments end at the line ends with no terminator (`UNH+1+
    PAXLST…` / `BGM+745` / …, as some senders write it; an apostrophe inside a name does not
    count): the line break is read as the terminator, and said. Without this the whole file
    would be one segment."""
    terminator = chars.segment_terminator
    if terminator in "\r\n":
        return chars, None
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    starts = sum(bool(_LINE_START.match(line)) for line in lines)
    ends = sum(line.endswith(terminator) for line in lines)
    if len(lines) < 2 or starts * 10 < len(lines) * 9 or ends * 10 > len(lines):
        return chars, None
    kept = (
        chars.component_separator,
        chars.data_separator,
        chars.decimal_point,
        chars.escape_character,
        chars.reserved_character,
    )
    by_lines = Characters.from_str("".join(kept) + "\n")
    warning = (
        f"segment 1: no segment ends with a terminator ({terminator}); "
        "each line is read as one segment"
    )
    return by_lines, warning


def _normalise(body: str, chars: Characters) -> str:
    terminator = chars.segment_terminator
    if terminator in "\r\n":
        body = re.sub(r"[\r\n]+", terminator, body)
    else:
        body = body.replace("\r", "").replace("\n", "")
        if terminator == "'":
            body = body.replace("\u2019", "'")
    body = body.rstrip(" \t")
    release = chars.escape_character
    trailing = len(body) - len(body.rstrip(release))
    if trailing % 2 and not body.endswith(release + terminator):
        body = body[:-1]  # a release character with nothing left to release
    if body and (not body.endswith(terminator) or _released_end(body, release)):
        body += terminator
    return body


def _released_end(body: str, release: str) -> bool:
    """Whether the text's last character is released (so it does not end a segment)."""
    before = body[:-1]
    return (len(before) - len(before.rstrip(release))) % 2 == 1


def _raw_segments(body: str, chars: Characters) -> tuple[list[list[str | list[str]]], str]:
    """The raw segments pydifact reads, up to the first syntax error (and its message)."""
    tokens = TokenIterator(Tokenizer().get_tokens(body, chars))
    found: list[list[str | list[str]]] = []
    try:
        for raw in Parser().convert_tokens_to_raw_segments(tokens):
            found.append(list(raw))
    except EDISyntaxError as exc:
        return found, str(exc)
    return found, ""


def _as_element(value: str | list[str]) -> Element:
    return (value,) if isinstance(value, str) else tuple(value)


def _glued_at(
    tag: str, elements: list[Element], tags: Collection[str], free_text: Collection[str]
) -> tuple[int, str, str] | None:
    """(element index, what stays, the glued tag) where a known tag ends an element."""
    if tag in free_text:
        return None
    for index, element in enumerate(elements[:-1]):
        last = element[-1] if element else ""
        head, glued = last[:-3], last[-3:]
        if glued in tags and head:
            return index, head, glued
    return None


def _split_run_together(
    tag: str,
    elements: list[Element],
    number: int,
    tags: Collection[str],
    free_text: Collection[str],
) -> tuple[list[Segment], str | None]:
    """A segment, or more if a known tag ends one of its elements (`…+9TIF+KIM…`). A loop,
    not a recursion: a file whose terminators are all missing is thousands of glued
    segments deep."""
    found: list[Segment] = []
    first: tuple[str, str] | None = None
    while (cut := _glued_at(tag, elements, tags, free_text)) is not None:
        index, head, glued = cut
        element = elements[index]
        found.append(Segment(tag, (*elements[:index], (*element[:-1], head)), number))
        first = first or (tag, glued)
        tag, elements = glued, elements[index + 1 :]
    found.append(Segment(tag, tuple(elements), number))
    if first is None:
        return found, None
    warning = (
        f"segment {number} ({first[0]}): segment {first[1]} follows without a terminator; "
        f"read as its own segment"
    )
    return found, warning


def read_interchange(
    text: str, tags: Collection[str] = (), free_text: Collection[str] = ()
) -> Interchange:
    """The numbered segments of an EDIFACT text; `tags` are the segment tags of the message
    (used to split run-together segments), `free_text` those never split (IFT, LTS)."""
    start = interchange_start(text) or 0
    envelope = text[:start].strip()
    chars, body, warning = _service_string(text[start:])
    chars, by_lines = _by_lines(body, chars)
    warnings = [w for w in (warning, by_lines) if w]
    if envelope:
        first = envelope.splitlines()[0].strip()
        warnings.insert(
            0,
            f"segment 1: {len(envelope.splitlines())} line(s) before the interchange "
            f"('{first[:30]}' …) are a transport envelope, not EDIFACT; skipped",
        )
    body = _normalise(body, chars)
    raw, unread = _raw_segments(body, chars)
    if unread and not raw:
        raise EdifactError(f"is not readable EDIFACT: {unread}")
    segments: list[Segment] = []
    for number, values in enumerate(raw, start=1):
        if not values or not isinstance(values[0], str):
            warnings.append(f"segment {number}: has no tag; skipped")
            continue
        tag = values[0].strip().upper()
        elements = [_as_element(v) for v in values[1:]]
        split, note = _split_run_together(tag, elements, number, tags, free_text)
        if note:
            warnings.append(note)
        segments.extend(split)
    return Interchange(segments, chars, warnings, unread)


def looks_like_edifact(text: str) -> str | None:
    """'PAXLST', 'PNRGOV' or None, from the first kilobytes of a decoded text."""
    start = interchange_start(text)
    if start is None:
        return None
    head = text[start : start + 4000]
    match = re.search(r"UNH.{1,40}?(PAXLST|PNRGOV)", head, re.DOTALL)
    if match:
        return match.group(1)
    for name in ("PAXLST", "PNRGOV"):
        if name in head:
            return name
    return "EDIFACT"


def is_tag(text: str) -> bool:
    return bool(_TAG.match(text))
