"""Text made safe to show: terminal, JSON lines, spreadsheets."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console

from ftfhub.domain import Name, RecordData
from ftfhub.ingest.export import write_person_file
from ftfhub.ingest.person_file import read_person_file
from ftfhub.rendering.jsonl import json_line
from ftfhub.rendering.spreadsheet import neutralise, restore
from ftfhub.rendering.terminal import labelled, markup_escape, plain
from ftfhub.rendering.text import FSI, PDI, isolate_rtl, safe_text, visible


def _printed(renderable: object) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def test_controls_are_made_visible() -> None:
    assert visible("a\x1b[31mb\x07\u202ec\x9b") == "a\\x1b[31mb\\x07\\u202ec\\x9b"
    assert visible("line\nnext", keep_newlines=True) == "line\nnext"
    assert visible("plain Karim") == "plain Karim"


def test_right_to_left_runs_are_isolated() -> None:
    assert isolate_rtl("Karim عبد الكريم 1987 x") == f"Karim {FSI}عبد الكريم{PDI} 1987 x"
    assert safe_text("\u202eabc") == "\\u202eabc"


def test_rich_never_runs_record_content() -> None:
    for text in ("[bold]x[/x]", "[link=file:///etc/passwd]y[/link]", ":warning: z", "\\[q]"):
        assert text in _printed(plain(text))
    assert "[/x]" in _printed(labelled("error:", "bad [/x]", "red"))
    assert "[bold]x[/x]" in _printed(markup_escape("[bold]x[/x]"))


def test_json_lines_escape_acting_characters_and_stay_the_same_json() -> None:
    value = {"name": "Karim\u202e\x9b\x1b\u2028 عبد"}
    line = json_line(value)
    assert "\u202e" not in line and "\x9b" not in line and "\x1b" not in line
    assert json.loads(line) == value


def test_formula_cells_are_neutralised_and_restored() -> None:
    for cell in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'=1", "'quoted", "Karim"):
        written = neutralise(cell)
        assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert restore(written) == cell


def test_export_neutralises_and_reimport_restores() -> None:
    names = ['=HYPERLINK("http://example.invalid","x")', "=cmd|' /C calc'!A0", "@Karim"]
    records = [
        RecordData(record_id=f"R-{i}", kind="watchlist", names=(Name(n),))
        for i, n in enumerate(names)
    ]
    out = io.StringIO()
    write_person_file(records, out)
    cells = [row["name"] for row in csv.DictReader(io.StringIO(out.getvalue()))]
    assert all(cell.startswith("'") for cell in cells)
    back = read_person_file(out.getvalue(), "export.csv", "watchlist")
    assert [r.record.primary_name for r in back if r.record] == names
