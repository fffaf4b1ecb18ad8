"""Characters that act instead of showing, made visible; right-to-left runs isolated.

No Rich here: these functions work on plain strings, for any output.
"""

from __future__ import annotations

import re
import unicodedata

# Bidi controls and invisible characters (domain.validation removes them at ingest; records
# stored earlier, names typed on the command line and file names may still hold them).
_INVISIBLE = frozenset(
    [
        *(0x00AD, 0x061C, 0x180E, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF),
        *range(0x202A, 0x202F),
        *range(0x2061, 0x206A),
        0x2028,
        0x2029,
    ]
)
FSI, PDI = "\u2068", "\u2069"
"""First-strong isolate and pop-directional isolate: a run between them is laid out on its
own and cannot reorder the text around it."""
_RTL_RUN = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]"  # a right-to-left letter, then
    r"(?:[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\s\d.,'\-()]*"  # more of them, spaces, digits
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff])?"  # ending on a right-to-left letter
)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _acts(char: str) -> bool:
    """Whether a character acts instead of showing: C0/C1 controls (ESC, BEL, CSI…), DEL,
    bidi controls and invisible characters."""
    return ord(char) in _INVISIBLE or unicodedata.category(char) == "Cc"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Every control, bidi or invisible character written as an escape (`\\x1b`, `\\u202e`)
    so that it is seen, not obeyed. Newlines stay with `keep_newlines`."""
    if not any(_acts(c) for c in text):
        return text
    return "".join(c if not _acts(c) or (keep_newlines and c == "\n") else _escape(c) for c in text)


def isolate_rtl(text: str) -> str:
    """Each right-to-left run (Arabic, Hebrew, Syriac, Thaana…) wrapped in FSI … PDI."""
    return _RTL_RUN.sub(lambda m: f"{FSI}{m.group(0)}{PDI}", text)


def safe_text(text: str) -> str:
    """Text to show on one line of a terminal: controls visible, right-to-left isolated."""
    return isolate_rtl(visible(text))
