"""JSON lines that a terminal shows without obeying: JSON escapes C0 controls itself, but
with `ensure_ascii=False` it lets C1 controls (U+009B is CSI), bidi overrides and line
separators through. They are written as `\\uXXXX`, which is the same JSON value."""

from __future__ import annotations

import json
import re

_ACTING = re.compile(
    "[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)


def json_line(value: object) -> str:
    """`json.dumps(value, ensure_ascii=False)` with every acting character escaped."""
    text = json.dumps(value, ensure_ascii=False)
    return _ACTING.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
