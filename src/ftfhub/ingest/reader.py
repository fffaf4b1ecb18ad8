"""Reading files as text: UTF-8 by default, the encodings agencies really send detected.

Arabic holdings often arrive in Windows-1256, European ones in Latin-1/Windows-1252. A file
that is not UTF-8 is decoded only when one of those readings is clearly right (Arabic letters
for 1256, Latin letters for 1252); anything else is refused with the first bad line named,
because a silently mis-decoded name can never be matched again.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ftfhub.ingest.errors import IngestError

ENCODINGS = ("utf-8", "cp1256", "cp1252", "latin-1", "iso8859-6", "cp1254")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _letters_ratio(text: str, script_prefix: str) -> float:
    high = [c for c in text if ord(c) > 127]
    if not high:
        return 0.0
    hits = sum(1 for c in high if unicodedata.name(c, "").startswith(script_prefix))
    return hits / len(high)


def _glued_to_ascii_ratio(text: str, script_prefix: str) -> float:
    """Share of the words with a letter of the script that also hold ASCII letters.

    A Latin-1 name read as Windows-1256 turns into Arabic letters glued to Latin ones
    (`María` → `Marيa`); a real Arabic word never has ASCII letters inside it.
    """
    words = [w for w in re.findall(r"[^\s,;|\"]+", text) if any(ord(c) > 127 for c in w)]
    in_script = [
        w for w in words if any(unicodedata.name(c, "").startswith(script_prefix) for c in w)
    ]
    if not in_script:
        return 0.0
    glued = sum(1 for w in in_script if any(c.isascii() and c.isalpha() for c in w))
    return glued / len(in_script)


def decode_bytes(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises IngestError when the encoding is not clear."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise IngestError(file, f"cannot be read as {encoding}: {exc}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    arabic = data.decode("cp1256", errors="replace")
    # Arabic *letters* (not vowel marks, which is what Latin-1 accents become: Núñez → Nٌْez).
    arabic_letters = _letters_ratio(arabic, "ARABIC LETTER")
    if arabic_letters >= 0.6 and _glued_to_ascii_ratio(arabic, "ARABIC") < 0.2:
        return arabic, "cp1256"
    latin = data.decode("cp1252", errors="replace")
    if "\ufffd" not in latin and _letters_ratio(latin, "LATIN") >= 0.9:
        return latin, "cp1252"
    raise IngestError(
        file,
        "is not UTF-8 and its encoding could not be recognised; "
        "re-save it as UTF-8 or pass --encoding (e.g. cp1256 for Arabic Windows, latin-1)",
        line=_line_of(data, first_bad),
    )


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot be read: {exc.strerror}") from None
    return decode_bytes(data, str(path), encoding)
