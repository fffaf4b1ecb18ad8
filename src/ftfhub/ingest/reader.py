"""Reading files as text: UTF-8 by default, the encodings agencies really send recognised.

Arabic holdings often arrive in Windows-1256, European ones in Windows-1252, Turkish ones in
Windows-1254, and some systems write UTF-16 without a byte-order mark. A file that is not
UTF-8 is decoded only when one reading is clearly right:

- UTF-16 (with or without BOM): every other byte of a text is NUL; NUL never occurs in the
  other encodings' text, so a file holding NULs is UTF-16 or not text at all.
- Windows-1256: most non-ASCII characters decode to Arabic letters (not the vowel marks that
  Latin accents become), and those letters are not glued to Latin ones inside words.
- Windows-1252 and Windows-1254 differ in six letters only: Ð Ý Þ ð ý þ (1252) are
  Ğ İ Ş ğ ı ş (1254). A file with none of those bytes is read as 1252 (both readings are
  the same text). A file with them is Turkish unless its words also hold the other
  Icelandic letters (á é í ó ú æ) — the only language that writes ð þ ý — and Icelandic
  unless they also hold Turkish ones (ç ü â î û); with both, it is refused as ambiguous.

An EDIFACT interchange (PAXLST, PNRGOV) that is not UTF-8 is read in the character set its
UNB declares (`UNOC` ISO 8859-1, `UNOE` ISO 8859-5, …) before any guessing.

Anything else is refused with the first bad line named and the candidates charset-normalizer
finds, because a silently mis-decoded name (`Yıldız` stored as `Yýldýz`) can never be
matched again.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from charset_normalizer import from_bytes

from ftfhub.ingest.edifact.syntax import declared_charset
from ftfhub.ingest.errors import IngestError

ENCODINGS = ("utf-8", "utf-16", "cp1256", "cp1252", "cp1254", "latin-1", "iso8859-6")
MAX_FILE_BYTES = 200 * 1024 * 1024
"""The largest file read (200 MiB): a bigger one is a mistake or must be split."""

_TURKISH_BYTES = frozenset(b"\xd0\xdd\xde\xf0\xfd\xfe")
_ICELANDIC_ONLY = frozenset("áéíóúæÁÉÍÓÚÆ")
_TURKISH_ONLY = frozenset("çüâîûÇÜÂÎÛ")
_WORD = re.compile(r"[^\W\d_]+")


def check_file_size(size: int, file: str) -> None:
    if size > MAX_FILE_BYTES:
        raise IngestError(
            file,
            f"is {size / 2**20:,.0f} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB "
            "(split it into smaller files)",
        )


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


def _mostly_accented_ratio(text: str) -> float:
    """Share of the words with a non-ASCII letter that are mostly non-ASCII letters.

    In Western and Turkish names accented letters are a minority in a word (`Yıldız`,
    `Müller`); another script read in a Latin code page is all accents (`Øàìèëü`).
    """
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if not words:
        return 0.0
    heavy = [w for w in words if len(w) >= 4 and sum(not c.isascii() for c in w) * 3 > len(w) * 2]
    return len(heavy) / len(words)


def _detected(data: bytes) -> tuple[list[str], tuple[str, str] | None]:
    """charset-normalizer's candidates (best first, at most three), and the text when the
    best is a Cyrillic code page whose reading is Cyrillic letters: there it beats our rules
    (Chechen, Russian and Central Asian holdings come in Windows-1251 or KOI8-R)."""
    try:
        matches = list(from_bytes(data[:65536]))
    except Exception:  # a detector failure must not hide our own message
        return [], None
    names = [match.encoding for match in matches][:3]
    if matches and matches[0].encoding in ("cp1251", "koi8_r"):
        try:
            text = data.decode(matches[0].encoding)
        except UnicodeDecodeError:
            return names, None
        if _letters_ratio(text, "CYRILLIC") >= 0.9:
            return names, (text, matches[0].encoding)
    return names, None


def _utf16(data: bytes, file: str) -> tuple[str, str] | None:
    """The text of a UTF-16 file without BOM (NULs at odd or even offsets), else None."""
    sample = data[:4096]
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if max(even, odd) < half * 0.3 or min(even, odd) > half * 0.05:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError as exc:
        message = f"looks like {encoding} but byte {exc.start} is not valid {encoding}"
        raise IngestError(file, message) from None


def _latin_choice(data: bytes, file: str) -> tuple[str, str] | None:
    """Windows-1252 or Windows-1254 (module docstring), None if neither reads as Latin."""
    western = data.decode("cp1252", errors="replace")
    if "\ufffd" in western or _letters_ratio(western, "LATIN") < 0.9:
        return None
    if _mostly_accented_ratio(western) >= 0.3:
        return None  # Cyrillic or Greek read as Western: `Øàìèëü` is no one's name
    if not _TURKISH_BYTES.intersection(data):
        return western, "cp1252"
    turkish = data.decode("cp1254", errors="replace")
    if "\ufffd" in turkish:
        return western, "cp1252"
    marked = [w for w in _WORD.findall(western) if any(c in "ÐÝÞðýþ" for c in w)]
    icelandic = any(_ICELANDIC_ONLY.intersection(w) for w in marked)
    turkish_words = any(_TURKISH_ONLY.intersection(w) for w in _WORD.findall(turkish))
    if icelandic and turkish_words:
        sample = ", ".join(sorted(set(marked))[:3])
        raise IngestError(
            file,
            f"is not UTF-8 and could be Windows-1254 (Turkish) or Windows-1252 (Western) "
            f"— e.g. {sample}; pass --encoding cp1254 or --encoding cp1252",
        )
    if icelandic:
        return western, "cp1252"
    return turkish, "cp1254"


def _declared(data: bytes) -> tuple[str, str] | None:
    """An EDIFACT interchange in the character set its UNB declares (`UNOC` Latin-1, `UNOE`
    Cyrillic …): the sender said which, so nothing is guessed. An interchange declaring
    ASCII (`UNOA`, `UNOB`) that holds other bytes is left to the detection below."""
    codec = declared_charset(data)
    if codec is None or codec in ("ascii", "utf-8"):
        return None
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError:
        return None


def decode_bytes(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises IngestError when the encoding is not clear."""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            message = f"cannot be read as {encoding}: byte {exc.start} is not {encoding}"
            raise IngestError(file, message, line=_line_of(data, exc.start)) from None
        except LookupError:
            raise IngestError(file, f"'{encoding}' is not an encoding Python knows") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise IngestError(file, "starts with a UTF-16 mark but is not UTF-16") from None
    if b"\x00" in data[:4096]:
        found = _utf16(data, file)
        if found is not None:
            return found
        raise IngestError(file, "holds NUL bytes: it is not a text file (nor UTF-16)")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    declared = _declared(data)
    if declared is not None:
        return declared
    arabic = data.decode("cp1256", errors="replace")
    # Arabic *letters* (not vowel marks, which is what Latin-1 accents become: Núñez → Nٌْez).
    arabic_letters = _letters_ratio(arabic, "ARABIC LETTER")
    if arabic_letters >= 0.6 and _glued_to_ascii_ratio(arabic, "ARABIC") < 0.2:
        return arabic, "cp1256"
    latin = _latin_choice(data, file)
    if latin is not None:
        return latin
    candidates, cyrillic = _detected(data)
    if cyrillic is not None:
        return cyrillic
    named = f" (it could be {', '.join(candidates)})" if candidates else ""
    raise IngestError(
        file,
        f"is not UTF-8 and its encoding could not be recognised{named}; re-save it as UTF-8 "
        "or pass --encoding (e.g. cp1256 Arabic, cp1254 Turkish, cp1252 Western, cp1251)",
        line=_line_of(data, first_bad),
    )


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file and the encoding it was read in; IngestError if unreadable."""
    return decode_bytes(read_bytes(path), str(path), encoding)


def read_bytes(path: Path) -> bytes:
    """A file's bytes, refused with a message if missing, unreadable or over the limit."""
    try:
        check_file_size(path.stat().st_size, str(path))
        return path.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot be read: {exc.strerror}") from None
