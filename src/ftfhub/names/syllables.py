"""Chinese and Korean syllables as their romanisation systems write them, brought to one key.

Wade–Giles and Pinyin (`Chang`/`Zhang`, `Hsiao`/`Xiao`, `Tsai`/`Cai`, `Kuo`/`Guo`,
`Tung`/`Dong`, `Chih`/`Zhi`, `Tien`/`Tian`) and McCune–Reischauer and Revised Romanisation
(`Pak`/`Bak`, `Kang`/`Gang`, `Chol`/`Cheol`, `Yong`/`Yeong`, `Un`/`Eun`) write the same
syllable with different letters: an unaspirated onset as a voiceless or a voiced consonant,
a vowel with or without its breve (which folding drops: `ŏ` becomes `o`, where Revised writes
`eo`). The key keeps what both systems agree on. Apostrophes (aspiration) are gone by the
time a name is folded, so `ch'` and `ch` are one onset here as they are in the folded text.

Only a token of one or two syllables gets a key (`Hsiao-ming` is written apart, `Xiaoming`
together: each way of cutting a token into two syllables is tried); a longer word gets none,
nor does one that ends as no Chinese or Korean syllable does (`Jad`, `Chad`). A key agreement
is a likeness, not identity (the matcher's "close"): syllables are short, many names share
them, and a Latin name of the same shape meets its voiced twin too (`Dan`/`Tan`).
"""

from __future__ import annotations

import re
from functools import lru_cache

_SYLLABLE = re.compile(
    r"^(ch|zh|sh|hs|ts|tz|[bcdfghjklmnpqrstwxyz])?([aeiouwy]{1,3})(ng|n|l|m|k|p|t|r|h)?$"
)
_SHAPE = _SYLLABLE.pattern.strip("^$")
_ONE_OR_TWO = re.compile(rf"^(?:{_SHAPE}){{1,2}}$")  # one match, for feature extraction
# Onsets the systems write differently, to one class each. Pinyin q and WG ch' meet in ch;
# Pinyin c, z and WG ts, tz meet in z; Pinyin x and WG hs meet in x.
_ONSETS = {
    "k": "g", "g": "g", "t": "d", "d": "d", "p": "b", "b": "b",
    "ch": "j", "zh": "j", "j": "j", "q": "j",
    "ts": "z", "tz": "z", "c": "z", "z": "z",
    "hs": "x", "x": "x",
}  # fmt: skip
# Vowels: Revised `eo`/`eu` are McCune–Reischauer `ŏ`/`ŭ` folded; WG `ie(n)` is Pinyin `ia(n)`.
_VOWELS = {"eo": "o", "yeo": "yo", "eu": "u", "ie": "ia", "uo": "o"}


def _one(syllable: str) -> str:
    """One syllable's key, "" when the token is not one syllable."""
    found = _SYLLABLE.match(syllable)
    if found is None:
        return ""
    onset, vowel, coda = found.group(1) or "", found.group(2), found.group(3) or ""
    vowel = _VOWELS.get(vowel, vowel)
    if coda == "h":  # WG `chih`, `shih`: Pinyin `zhi`, `shi`
        coda = ""
    if vowel == "u" and coda == "ng":  # WG `tung`, `chung`: Pinyin `dong`, `zhong`
        vowel = "o"
    return _ONSETS.get(onset, onset) + vowel + coda


@lru_cache(maxsize=100_000)
def syllable_keys(token: str) -> frozenset[str]:
    """The keys of a token read as one syllable or as two (every way of cutting it)."""
    if len(token) > 12:
        return frozenset()
    keys = set()
    if len(token) <= 6 and (whole := _one(token)):
        keys.add(whole)
    for cut in range(1, len(token)):
        first, second = _one(token[:cut]), _one(token[cut:])
        if first and second:
            keys.add(f"{first}-{second}")
    return frozenset(keys)


def is_syllabic(token: str) -> bool:
    """Whether the token reads as one syllable or two (no key is built: this is cheap)."""
    return len(token) <= 12 and _ONE_OR_TWO.match(token) is not None


def same_syllables(a: str, b: str) -> bool:
    """Two tokens that one of the romanisation systems could both have written."""
    return bool(syllable_keys(a) & syllable_keys(b))


def is_one_syllable(token: str) -> bool:
    """Whether the token reads as one Chinese or Korean syllable (`Chan`, `Zhang`, `Lee`)."""
    return _SYLLABLE.match(token) is not None
