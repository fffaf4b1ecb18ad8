"""Hebrew names against their Latin spellings, on the consonants both write.

Hebrew writes consonants and some long vowels (the matres lectionis ו, י, final ה, and the
silent א, ע); Latin spellings of Hebrew names write every vowel and several conventions for one
letter (כ and ח as k, kh, ch or h; צ as tz, ts or z; ב as b or v; פ as p or f). Both sides are
brought to one consonant key: the Latin vowels dropped, the Hebrew vowel letters dropped (a ו
or a י inside a word may be a vowel or the consonant v/y, so both readings are kept), and each
letter's conventions merged into one class (s and z too: German `Rosenberg` is `רוזנברג`).
`Sara` and `שרה` both give `sr`, `Levi` and `לוי` `lb`, `Yaakov`, `Jacob` and `יעקב` `yhb`,
`Peretz` and `פרץ` `prs`.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Hebrew letters onto the classes (final forms included); "" for the silent א and ע.
_HEBREW_CLASSES = {
    "א": "", "ע": "", "ב": "b", "ג": "g", "ד": "d", "ז": "s", "ח": "h", "ט": "t",
    "כ": "h", "ך": "h", "ק": "h", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n",
    "ס": "s", "ש": "s", "פ": "p", "ף": "p", "צ": "s", "ץ": "s", "ר": "r", "ת": "t",
}  # fmt: skip
_MARKS = re.compile("[\u0591-\u05c7\u05f3\u05f4]")

# Latin letter groups onto the same classes, longest first.
_LATIN_GROUPS = (
    ("sch", "s"), ("tch", "h"), ("sh", "s"), ("tz", "s"), ("ts", "s"), ("z", "s"), ("kh", "h"),
    ("ch", "h"), ("ck", "h"), ("ph", "p"), ("th", "t"), ("k", "h"), ("c", "h"), ("q", "h"),
    ("f", "p"), ("v", "b"), ("w", "b"), ("j", "y"), ("x", "hs"),
)  # fmt: skip
_LATIN_RE = re.compile("|".join(g for g, _ in _LATIN_GROUPS))
_LATIN_MAP = dict(_LATIN_GROUPS)
_DOUBLE = re.compile(r"(.)\1+")
_MAX_READINGS = 8


@lru_cache(maxsize=50_000)
def hebrew_keys(word: str) -> frozenset[str]:
    """The consonant keys of one Hebrew word, one per reading of its inner ו and י."""
    word = _MARKS.sub("", word)
    readings = [""]
    i = 0
    while i < len(word):
        ch, nxt = word[i], word[i + 1 : i + 2]
        if ch in "וי":
            consonant = "b" if ch == "ו" else "y"
            if i == 0 or nxt == ch:  # first in the word, or doubled: the consonant
                readings = [r + consonant for r in readings]
                i += 2 if nxt == ch else 1
                continue
            # Inside a word: a vowel (Yosef) or the consonant (Levi's ו is v) — both readings.
            readings = [r + c for r in readings for c in ("", consonant)][:_MAX_READINGS]
        elif ch == "ה":
            if i != len(word) - 1:  # a final ה is the vowel a or e (Sara, Moshe)
                readings = [r + "h" for r in readings]
        else:
            readings = [r + _HEBREW_CLASSES.get(ch, "") for r in readings]
        i += 1
    return frozenset(_DOUBLE.sub(r"\1", r) for r in readings)


def _initial_i(nxt: str) -> bool:
    """A first י before a consonant is `yi` or `i` in Latin (`Yitzhak`/`Itzhak`,
    `Yisrael`/`Israel`, `Yigal`/`Igal`); before a vowel letter it is only y (`Yosef`)."""
    return bool(nxt) and nxt not in "אעהוי" and "\u05d0" <= nxt <= "\u05ea"


@lru_cache(maxsize=200_000)
def latin_key(word: str) -> str:
    """The consonant key of a folded Latin word in the classes of `hebrew_keys` (a first y
    kept, the other vowels dropped)."""
    body = _LATIN_RE.sub(lambda m: _LATIN_MAP[m.group(0)], word)
    head = "y" if body.startswith("y") else ""
    rest = body[1:] if head else body
    return _DOUBLE.sub(r"\1", head + re.sub(r"[aeiouy]", "", rest))


def same_consonants(hebrew: str, latin: str) -> bool:
    """A Hebrew word and a folded Latin word write the same consonants (two or more). A final
    h after a vowel may be the final ה, which writes a vowel (`Sarah`, `Leah`, `Yehudah`), or a
    consonant (`Noah` נח): both readings."""
    keys = hebrew_keys(hebrew)
    key = latin_key(latin)
    if len(key) >= 2 and key in keys:
        return True
    # A first i before a consonant writes a first י (`Itzhak` יצחק, `Igal` יגאל).
    first_i = latin[:1] == "i" and latin[1:2] not in ("", *"aeiouy")
    if first_i and _initial_i(hebrew[1:2]) and len(key) >= 2 and "y" + key in keys:
        return True
    if len(latin) >= 4 and latin.endswith("h") and latin[-2] in "aeiou":
        short = latin_key(latin[:-1])
        return len(short) >= 2 and short in keys
    return False


# Each Hebrew letter's Latin spellings, for blocking keys in the Latin skeleton space (so that a
# Latin query meets a Hebrew record and the other way round); "" for a silent letter.
_LATIN_SPELLINGS: dict[str, tuple[str, ...]] = {
    "א": ("",), "ע": ("",), "ב": ("b", "v"), "ג": ("g",), "ד": ("d",), "ז": ("z", "s"),
    "ח": ("h", "kh"), "ט": ("t",), "כ": ("k", "kh"), "ך": ("kh", "k"), "ק": ("k",),
    "ל": ("l",), "מ": ("m",), "ם": ("m",), "נ": ("n",), "ן": ("n",), "ס": ("s",),
    "ש": ("sh", "s"), "פ": ("p", "f"), "ף": ("f", "p"), "צ": ("tz", "ts", "z"),
    "ץ": ("tz", "ts", "z"), "ר": ("r",), "ת": ("t",),
}  # fmt: skip


@lru_cache(maxsize=50_000)
def latin_spellings(word: str) -> tuple[str, ...]:
    """A Hebrew word's consonants as Latin spellings would write them (a few readings, capped),
    vowels left out: the blocking keys' skeletons drop them anyway."""
    word = _MARKS.sub("", word)
    readings = [""]
    for i, ch in enumerate(word):
        if ch in "וי":
            consonant = "v" if ch == "ו" else "y"
            first = i == 0 or word[i - 1 : i] == ch
            options: tuple[str, ...] = (consonant,) if first else ("", consonant)
            if i == 0 and ch == "י" and _initial_i(word[1:2]):
                options = ("y", "")
        elif ch == "ה":
            options = ("",) if i == len(word) - 1 else ("h",)
        else:
            options = _LATIN_SPELLINGS.get(ch, ("",))
        readings = [r + o for r in readings for o in options][: _MAX_READINGS * 2]
    return tuple(dict.fromkeys(r for r in readings if r))
