#!/usr/bin/env python3
"""Verify an ftfhub audit export without ftfhub: Python 3.11+ standard library only.

    python3 verify_audit_export.py EXPORT.jsonl [--follows EARLIER.jsonl] [--head ID:HASH]
                                                [--start-hash HASH] [--key-file FILE]

Recomputes the hash of every event line from its fields, checks that each event links to
the one before it (`prev_hash`) with no id missing, repeated or out of order, and holds the
end of the file against its manifest line (counts, last event, the chain's head, the SHA-256
of every line before it). Prints the first break with its line and field, and exits 0 when
the export is whole, 1 when it is not, 2 when the file cannot be read at all.

The recipe, so that anyone can write their own (docs/oversight.md says it in words): an
event's hash is the SHA-256, in lower-case hex, of the UTF-8 bytes of
`json.dumps(fields, sort_keys=True, ensure_ascii=False)` where `fields` holds exactly `id, at,
actor, agency, action, object_type, object_id, purpose, details, prev_hash` as the line gives
them. The first event of the chain links to 64 zeros.

This file imports nothing of ftfhub on purpose: copy it, read it, run it anywhere.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

FORMAT = "ftfhub-audit-export/1"
GENESIS = "0" * 64
HASHED = (
    "id",
    "at",
    "actor",
    "agency",
    "action",
    "object_type",
    "object_id",
    "purpose",
    "details",
    "prev_hash",
)
TEXT_FIELDS = ("at", "actor", "agency", "action", "object_type", "object_id", "purpose")
EVENT_KEYS = frozenset({"kind", "hash", *HASHED})
WITHHELD_KEYS = frozenset({"kind", "id", "prev_hash", "hash"})
HEX64 = re.compile(r"[0-9a-f]{64}")
SHOWN = 20
"""How many problems after the first are listed."""


class Unreadable(Exception):
    """The file (or an earlier export named with --follows) cannot be read at all."""


@dataclass(frozen=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, field {self.field}: {self.message}"


@dataclass
class Line:
    number: int
    raw: bytes
    value: dict[str, Any] | None = None
    error: str = ""


@dataclass
class Result:
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: int = 0
    withheld: int = 0
    first_id: int | None = None
    last_id: int | None = None
    last_hash: str | None = None

    def add(self, line: int, name: str, message: str) -> None:
        self.problems.append(Problem(line, name, message))


def event_hash(fields: dict[str, Any]) -> str:
    """The hash an event line must carry: SHA-256 of its canonical JSON."""
    body = {name: fields[name] for name in HASHED}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_line(value: dict[str, Any]) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n"


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f'the key "{key}" appears twice')
        seen[key] = value
    return seen


def read_lines(data: bytes) -> list[Line]:
    """Every line of the file with its exact bytes (newline included) and parsed value."""
    pieces = data.split(b"\n")
    raws = [piece + b"\n" for piece in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    lines = []
    for number, raw in enumerate(raws, start=1):
        line = Line(number, raw)
        try:
            value = json.loads(raw.decode("utf-8"), object_pairs_hook=_no_duplicates)
        except UnicodeDecodeError as exc:
            line.error = f"not UTF-8 ({exc.reason} at byte {exc.start})"
        except ValueError as exc:
            line.error = f"not a JSON line ({exc})"
        else:
            if isinstance(value, dict):
                line.value = value
            else:
                line.error = "not a JSON object"
        if not raw.endswith(b"\n") and not line.error:
            line.error = "the file ends in the middle of this line (cut short)"
        lines.append(line)
    return lines


def _shape(line: Line, keys: frozenset[str], result: Result) -> bool:
    """Every field the kind of line needs, of the right type, and nothing else."""
    value = line.value or {}
    for name in sorted(keys - set(value)):
        result.add(line.number, name, "missing")
    for name in sorted(set(value) - keys):
        result.add(line.number, name, "is not a field of this kind of line (added?)")
    if not keys <= set(value):
        return False
    ok = True
    if not isinstance(value["id"], int) or isinstance(value["id"], bool) or value["id"] < 1:
        result.add(line.number, "id", f"is {value['id']!r}, not a positive whole number")
        ok = False
    for name in ("prev_hash", "hash"):
        if not isinstance(value[name], str) or not HEX64.fullmatch(value[name]):
            result.add(line.number, name, "is not 64 lower-case hex digits")
            ok = False
    if value.get("kind") == "event":
        for name in TEXT_FIELDS:
            if not isinstance(value[name], str):
                result.add(line.number, name, "is not a string")
                ok = False
        if not isinstance(value["details"], dict):
            result.add(line.number, "details", "is not a JSON object")
            ok = False
        if isinstance(value["at"], str) and not _is_time(value["at"]):
            result.add(line.number, "at", f"{value['at']!r} is not an ISO 8601 time")
            ok = False
    return ok


def _is_time(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass
class Chain:
    """Where the walk along the chain stands: the id and `prev_hash` the next line needs."""

    expected_id: int | None
    prev_hash: str | None
    prev_what: str


def _check_position(
    line: Line, value: dict[str, Any], following: Line | None, chain: Chain, result: Result
) -> None:
    """The id follows the one before, and `prev_hash` is the hash of the event before."""
    number, event_id = line.number, value["id"]
    expected = chain.expected_id if chain.expected_id is not None else event_id
    next_id = following.value.get("id") if following and following.value else None
    if event_id != expected:
        if next_id == expected + 1:
            result.add(number, "id", f"is {event_id} where event {expected} belongs (changed)")
            event_id = expected
        elif event_id > expected:
            gone = f"event {expected} is" if event_id == expected + 1 else None
            gone = gone or f"events {expected}-{event_id - 1} are"
            result.add(number, "id", f"{gone} missing before this line (removed or reordered)")
        else:
            result.add(
                number,
                "id",
                f"event {event_id} comes after event {expected - 1}: lines reordered or repeated",
            )
            return  # the walk goes on from where it was: the next line is checked against it
    elif chain.prev_hash is not None and value["prev_hash"] != chain.prev_hash:
        result.add(
            number,
            "prev_hash",
            f"does not link to {chain.prev_what} ({chain.prev_hash[:16]}…): "
            "this line or the one before was changed",
        )
    chain.expected_id = event_id + 1
    chain.prev_hash = value["hash"]
    chain.prev_what = f"the hash of line {number}"


def _check_hash(line: Line, value: dict[str, Any], following: Line | None, result: Result) -> None:
    actual = event_hash(value)
    if actual == value["hash"]:
        return
    later = following.value.get("prev_hash") if following and following.value else None
    if later == actual:
        result.add(
            line.number,
            "hash",
            "was changed: the content still hashes to what the next line links to",
        )
    else:
        result.add(
            line.number,
            "content",
            "does not match the line's hash: one of "
            + ", ".join(name for name in HASHED if name != "prev_hash")
            + " was changed (a hash cannot tell which)",
        )


def check_lines(
    lines: list[Line], manifest: dict[str, Any], start: str | None, result: Result
) -> None:
    """Walk the event and withheld lines in order (every line before the manifest)."""
    first_id = manifest.get("first_id")
    chain = Chain(
        first_id if isinstance(first_id, int) else None, start, "the manifest's prev_hash"
    )
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else None
        before = len(result.problems)
        if line.error or line.value is None:
            result.add(line.number, "-", line.error)
            continue
        kind = line.value.get("kind")
        if kind not in ("event", "withheld"):
            result.add(line.number, "kind", f"is {kind!r}, not an event or withheld line")
            continue
        if not _shape(line, EVENT_KEYS if kind == "event" else WITHHELD_KEYS, result):
            continue
        value = line.value
        result.first_id = value["id"] if result.first_id is None else result.first_id
        result.last_id, result.last_hash = value["id"], value["hash"]
        if kind == "event":
            result.events += 1
        else:
            result.withheld += 1
        _check_position(line, value, following, chain, result)
        if kind == "event" and len(result.problems) == before:
            _check_hash(line, value, following, result)
        if len(result.problems) == before and canonical_line(value) != line.raw:
            result.add(line.number, "-", "is not written the way the hub writes it (edited?)")


def _manifest_of(lines: list[Line], result: Result) -> tuple[dict[str, Any] | None, int]:
    """The manifest (the last line) and how many lines come before it."""
    for line in lines[:-1]:
        if line.value is not None and line.value.get("kind") == "manifest":
            result.add(line.number, "kind", "a manifest before the end: lines were added after it")
    last = lines[-1] if lines else None
    if last is None or last.value is None or last.value.get("kind") != "manifest":
        count = len(lines) if last is None or last.error == "" else len(lines) - 1
        where = len(lines) + 1 if last is None or not last.error else last.number
        result.add(
            where,
            "manifest",
            f"the file ends after line {count} without its manifest line: it was cut short "
            "(or is not an ftfhub audit export)",
        )
        return None, len(lines)
    return last.value, len(lines) - 1


def check_manifest(
    manifest: dict[str, Any], number: int, body: bytes, result: Result, key: bytes | None
) -> None:
    """The manifest's counts, last event, head and SHA-256 against what the file holds."""
    said = {
        "last_id": result.last_id,
        "last_hash": result.last_hash,
        "first_id": result.first_id,
        "events": result.events,
        "withheld": result.withheld,
    }
    for name, found in said.items():
        if manifest.get(name) != found:
            cut = " (lines missing from the end?)" if name in ("last_id", "last_hash") else ""
            result.add(number, name, f"says {manifest.get(name)!r}, the file holds {found!r}{cut}")
    if manifest.get("sha256") != hashlib.sha256(body).hexdigest():
        result.add(
            number, "sha256", "does not match the lines before the manifest: the file was changed"
        )
    head = manifest.get("chain_head")
    if not isinstance(head, dict):
        result.add(number, "chain_head", "missing")
        return
    head_id, head_hash = head.get("id"), head.get("hash")
    if isinstance(head_id, int) and result.last_id is not None:
        if head_id == result.last_id and head_hash != result.last_hash:
            result.add(
                number,
                "chain_head",
                "names the last event with another hash: the head does not match",
            )
        elif head_id < result.last_id:
            result.add(number, "chain_head", f"names event {head_id}, before the last line's event")
        elif head_id > result.last_id:
            result.notes.append(
                f"the chain went on past this period, to event {head_id} "
                f"(head {str(head_hash)[:16]}…)"
            )
    if key is not None:
        signature = hmac.new(
            key, f"{head_id}:{head_hash}".encode("ascii"), hashlib.sha256
        ).hexdigest()
        if not hmac.compare_digest(str(head.get("signature", "")), signature):
            result.add(
                number, "chain_head", "its signature does not match the key: not the hub's head"
            )
        else:
            result.notes.append("the chain head's signature matches the key")


def anchors_from(path: Path) -> list[tuple[int, str, str]]:
    """(id, hash, what) pairs an earlier export vouches for: its last event and its head."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unreadable(f"{path}: {exc.strerror or exc}") from None
    return anchors_from_bytes(data, path.name)


def anchors_from_bytes(data: bytes, name: str = "the earlier export") -> list[tuple[int, str, str]]:
    lines = read_lines(data)
    value = lines[-1].value if lines else None
    if value is None or value.get("kind") != "manifest":
        raise Unreadable(f"{name}: no manifest line at its end (not a whole export)")
    found = []
    if isinstance(value.get("last_id"), int) and isinstance(value.get("last_hash"), str):
        found.append((value["last_id"], value["last_hash"], f"the last event of {name}"))
    head = value.get("chain_head") or {}
    if isinstance(head.get("id"), int) and isinstance(head.get("hash"), str) and head["id"] > 0:
        found.append((head["id"], head["hash"], f"the chain head when {name} was made"))
    return found


def check_anchors(
    anchors: list[tuple[int, str, str]], lines: list[Line], manifest: dict[str, Any], result: Result
) -> None:
    """Events known from before (an earlier export, a head kept from `ftfhub audit verify`)
    must still have the hash they had: otherwise the chain was rewritten since."""
    by_id = {
        line.value["id"]: line
        for line in lines
        if line.value is not None and isinstance(line.value.get("id"), int)
    }
    first = manifest.get("first_id")
    for event_id, expected, what in anchors:
        line = by_id.get(event_id)
        if line is not None and line.value is not None:
            if line.value.get("hash") != expected:
                result.add(
                    line.number,
                    "hash",
                    f"differs from {what} (event {event_id}, {expected[:16]}…): the chain was"
                    " rewritten since",
                )
        elif isinstance(first, int) and event_id == first - 1:
            if manifest.get("prev_hash") != expected:
                result.add(
                    len(lines) + 1,
                    "prev_hash",
                    f"differs from {what} ({expected[:16]}…): the chain was rewritten since",
                )
        else:
            result.notes.append(f"{what} (event {event_id}) is outside this export: not compared")


def verify(
    data: bytes,
    *,
    start_hash: str | None = None,
    anchors: list[tuple[int, str, str]] | None = None,
    key: bytes | None = None,
) -> Result:
    """Every check on one export's bytes; problems in file order, the first break first."""
    result = Result()
    lines = read_lines(data)
    manifest, count = _manifest_of(lines, result)
    body_lines = lines[:count]
    if manifest is None:
        check_lines(body_lines, {}, start_hash, result)
        result.problems.sort(key=lambda p: p.line)
        return result
    if manifest.get("format") != FORMAT:
        result.add(
            count + 1, "format", f"is {manifest.get('format')!r}; this verifier reads {FORMAT}"
        )
        return result
    start = start_hash or manifest.get("prev_hash")
    if start_hash and manifest.get("prev_hash") != start_hash:
        result.add(count + 1, "prev_hash", "differs from the start hash you gave (--start-hash)")
    if start is None and manifest.get("first_id") is not None:
        result.add(
            1,
            "prev_hash",
            "cannot be checked: the hub no longer holds the event before the first "
            "(the manifest's prev_hash is null)",
        )
    check_lines(body_lines, manifest, start, result)
    body = b"".join(line.raw for line in body_lines)
    check_manifest(manifest, count + 1, body, result, key)
    check_anchors(anchors or [], body_lines, manifest, result)
    result.problems.sort(key=lambda p: p.line)
    return result


def _head(text: str) -> tuple[int, str, str]:
    event_id, _, value = text.partition(":")
    if not event_id.isdigit() or not HEX64.fullmatch(value):
        raise argparse.ArgumentTypeError("give ID:HASH, e.g. 1912:3fa4… (64 hex digits)")
    return int(event_id), value, "the head you kept"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("export", type=Path, help="the export file (JSON Lines)")
    parser.add_argument(
        "--follows",
        type=Path,
        action="append",
        default=[],
        help="an earlier export: the events it ended on must be unchanged here",
    )
    parser.add_argument(
        "--head",
        type=_head,
        action="append",
        default=[],
        help="ID:HASH of an event kept from before (e.g. ftfhub audit verify's head)",
    )
    parser.add_argument(
        "--start-hash", help="the hash the first event must link to, if you hold it from elsewhere"
    )
    parser.add_argument(
        "--key-file",
        type=Path,
        help="the hub's audit key (FTFHUB_AUDIT_KEY), to check the head's signature",
    )
    args = parser.parse_args(argv)
    try:
        data = args.export.read_bytes()
        anchors = [anchor for path in args.follows for anchor in anchors_from(path)] + args.head
        key = args.key_file.read_bytes().rstrip(b"\r\n") if args.key_file else None
    except OSError as exc:
        print(f"error: {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Unreadable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if not data:
        print(f"error: {args.export} is empty: not an audit export", file=sys.stderr)
        return 2
    result = verify(data, start_hash=args.start_hash, anchors=anchors, key=key)
    return report(args.export, result)


def report(path: Path, result: Result) -> int:
    for note in result.notes:
        print(f"note: {note}")
    if result.problems:
        first, *rest = result.problems
        print(f"BROKEN: {path}: {first}")
        for problem in rest[:SHOWN]:
            print(f"  also {problem}")
        if len(rest) > SHOWN:
            print(f"  … and {len(rest) - SHOWN} more")
        return 1
    span = f"events {result.first_id}-{result.last_id}" if result.first_id else "no events"
    print(
        f"OK: {path}: {span}, {result.events} recomputed, {result.withheld} withheld; "
        f"every link and hash holds; last hash {result.last_hash}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
