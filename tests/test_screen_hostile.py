"""Screening a flight's message as a PIU operator receives it: behind a byte-order mark, in
UTF-16, with Windows line ends. Each test failed before its fix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli_world import Hub
from test_access import hub

__all__ = ["hub"]  # the fixture, shared with test_access

PAXLST = (
    "UNA:+.? '\n"
    "UNB+UNOA:4+AIR1+DHS+070218:1545+000006640++DHS'\n"
    "UNH+PAX001+PAXLST:D:05B:UN:IATA'\n"
    "BGM+745'\n"
    "TDT+20+XQ123+++XQ'LOC+125+IST'DTM+189:2403011540:201'LOC+87+BRU'DTM+232:2403011740:201'\n"
    "NAD+FL+++ZEROUALI:ABDELKARIM'ATT+2++M'DTM+329:870408'NAT+2+BEL'\n"
    "NAD+FL+++JANSSENS:PIETER'ATT+2++M'DTM+329:800202'NAT+2+BEL'\n"
    "CNT+42:2'UNT+9+PAX001'UNZ+1+000006640'"
)
WRITINGS = {
    "bom": b"\xef\xbb\xbf" + PAXLST.encode(),
    "utf16": PAXLST.encode("utf-16"),
    "utf16-le-no-bom": PAXLST.encode("utf-16-le"),
    "crlf": PAXLST.replace("\n", "\r\n").encode(),
}


@pytest.mark.parametrize("writing", sorted(WRITINGS))
def test_a_paxlst_in_any_writing_is_screened_as_travellers(
    hub: Hub, tmp_path: Path, writing: str
) -> None:
    """A UTF-8 byte-order mark or UTF-16 hid the message: 'is a PAXLST message: load it with
    --kind travel', an answer about loading, to someone screening."""
    message = tmp_path / f"flight-{writing}.edi"
    message.write_bytes(WRITINGS[writing])
    lines = hub.run("fr", "screen", str(message), "--purpose", "flight check").splitlines()
    found = [json.loads(x) for x in lines]
    assert len(found) == 2 and all(x["query_id"].startswith("XQ123-2024-03-01-") for x in found)
    assert any(m["agency"] == "BE-FP" for x in found for m in x["matches"])


def test_a_message_piped_in_is_screened(hub: Hub, tmp_path: Path) -> None:
    """`… | ftfhub screen /dev/stdin` ended in 'cannot use: File or stream is not seekable.'
    (no file named, no word of what to do): the streaming reader read the start, then went
    back to it."""
    ftfhub = Path(sys.executable).parent / "ftfhub"
    env = {**os.environ, "FTFHUB_TOKEN": hub.tokens["fr"]}
    for content in (PAXLST.encode(), b"record_id,name\nq1,Abdelkarim Zerouali\n"):
        done = subprocess.run(
            [str(ftfhub), "screen", "/dev/stdin", "--purpose", "flight check"],
            input=content,
            capture_output=True,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr.decode()
        found = [json.loads(x) for x in done.stdout.decode().splitlines()]
        assert found and any(m["agency"] == "BE-FP" for x in found for m in x["matches"])
