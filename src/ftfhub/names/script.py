"""Which writing system a name is in (by its letters, never by its origin)."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_SCRIPTS = (
    "ARABIC", "LATIN", "CYRILLIC", "GREEK", "HEBREW", "CJK", "HANGUL", "DEVANAGARI",
    "GEORGIAN", "ARMENIAN", "THAI", "HIRAGANA", "KATAKANA", "BENGALI", "GURMUKHI", "TAMIL",
    "GUJARATI", "ETHIOPIC", "SINHALA", "KHMER", "MYANMAR", "LAO", "TIBETAN", "TELUGU",
    "KANNADA", "MALAYALAM", "ORIYA", "SYRIAC", "THAANA", "MONGOLIAN",
)  # fmt: skip


@lru_cache(maxsize=4096)
def _char_script(char: str) -> str:
    name = unicodedata.name(char, "")
    for script in _SCRIPTS:
        if name.startswith(script):
            return script.lower()
    return ""


def detect_script(text: str) -> str:
    """The script most of the letters are in: 'latin', 'arabic', …, or '' for none."""
    counts: dict[str, int] = {}
    for char in text:
        if char.isalpha():
            script = _char_script(char) or "other"
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return ""
    return max(counts.items(), key=lambda item: item[1])[0]
