"""CSV cells that a spreadsheet would run as formulas, neutralised (OWASP's advice).

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula (or becomes
one) when the file is opened in Excel or LibreOffice: `=HYPERLINK(…)` leaks data on a click,
`=cmd|' /C calc'!A0` runs a program. Such a cell is written with a leading `'`, which the
spreadsheet shows as text; reading the file back (`restore`) takes the `'` off again, so an
export re-imported is the same data.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """The cell with a leading `'` if a spreadsheet would read it as a formula."""
    if cell.startswith(FORMULA_START) or (cell.startswith("'") and restore(cell) != cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    """The cell as it was before :func:`neutralise`."""
    if cell.startswith("'") and cell[1:].startswith((*FORMULA_START, "'")):
        return cell[1:]
    return cell
