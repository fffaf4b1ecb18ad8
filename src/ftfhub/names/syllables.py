"""Chinese and Korean syllables as their romanisation systems write them, brought to one key.

Wade–Giles and Pinyin (`Chang`/`Zhang`, `Hsiao`/`Xiao`, `Tsai`/`Cai`, `Kuo`/`Guo`,
`Tung`/`Dong`, `Chih`/`Zhi`, `Tien`/`Tian`) and McCune–Reischauer and Revised Romanisation
(`Pak`/`Bak`, `Kang`/`Gang`, `Chol`/`Cheol`, `Yong`/`Yeong`, `Un`/`Eun`) write the same
syllable with different letters: an unaspirated onset as a voiceless or a voiced consonant,
a vowel with or without its breve (which folding drops: `ŏ` becomes `o`, where Revised writes
`eo`). The key keeps what both systems agree on. Apostrophes (aspiration) are gone by the
time a name is folded, so `ch'` and `ch` are one onset here as they are in the folded text.
Korean passports add their own habits (`Park`, `Ahn`, `Yoon`, `Hyun`, `Choi`), and a few
family names differ by more than a letter (`Lee`/`Yi`/`Rhee`/`Ri`, `Lim`/`Im`/`Rim`): those
are listed, each with its usual spellings.

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
    r"^(ch|zh|sh|hs|ts|tz|rh|[bcdfghjklmnpqrstwxyz])?([aeiouwy]{1,3})(ng|n|l|m|k|p|t|r|h)?$"
)
_SHAPE = _SYLLABLE.pattern.strip("^$")
_ONE_OR_TWO = re.compile(rf"^(?:{_SHAPE}){{1,2}}$")  # one match, for feature extraction
# Onsets the systems write differently, to one class each. Pinyin q and WG ch' meet in ch;
# Pinyin c, z and WG ts, tz meet in z; Pinyin x and WG hs meet in x.
_ONSETS = {
    "k": "g", "g": "g", "t": "d", "d": "d", "p": "b", "b": "b",
    "ch": "j", "zh": "j", "j": "j", "q": "j",
    "ts": "z", "tz": "z", "c": "z", "z": "z",
    "hs": "x", "x": "x", "rh": "r",
}  # fmt: skip
# Vowels: Revised `eo`/`eu` are McCune–Reischauer `ŏ`/`ŭ` folded; WG `ie(n)` is Pinyin `ia(n)`;
# Korean passports write `oo` for u (`Yoon`, `Soo`, `Woo`), `ee` for i (`Hee`), `oi` for oe
# (`Choi`), `weo` for wo (`Kweon`) and `you` for yeo (`Young`).
_VOWELS = {
    "eo": "o", "yeo": "yo", "eu": "u", "ie": "ia", "uo": "o",
    "oo": "u", "yoo": "yu", "ee": "i", "oe": "oi", "weo": "wo", "you": "yo",
}  # fmt: skip
_CODAS = {"h": ""}
# Korean family names whose spellings no onset or vowel rule brings together: the initial
# r/l that South Korea drops and North Korea keeps (`Lee`, `Yi`, `Rhee`, `Ri`; `Lim`, `Im`,
# `Rim`), and the passport habit of writing ㅓ as u (`Suh` for Seo). Each line one family name,
# its spellings in Revised Romanisation, McCune–Reischauer and common passport use. Passport
# spellings that no syllable has (`Park`, `Ahn`, `Sohn`) are listed rather than read as
# syllables, which would make `Mark` or `John` one.
_FAMILIES = """
park pak bak bahk
ahn an
sohn son shon
lee yi rhee ri rhie
lim im rim yim
ryu yu yoo rhyu lyu ryoo
roh noh no ro rho
na ra rha
yang ryang
seo suh so
heo hur huh ho
jeon jun chun chon jon
cheon chun chon
yook yuk ryuk
yeom yum yom
eom um om
woo u
"""


def _one(syllable: str) -> str:
    """One syllable's key, "" when the token is not one syllable."""
    found = _SYLLABLE.match(syllable)
    if found is None:
        return ""
    onset, written, coda = found.group(1) or "", found.group(2), found.group(3) or ""
    vowel = _VOWELS.get(written, written)
    coda = _CODAS.get(coda, coda)  # and WG `chih`, `shih`: Pinyin `zhi`, `shi`
    # Before a coda u and o (yu and yo) meet: WG `tung`, `chung`, `yung` are Pinyin `dong`,
    # `zhong`, `yong`, and Korean passports write ㅓ as u (`Hyun`, `Kyung`, `Chul`: Revised
    # `Hyeon`, `Gyeong`, `Cheol`). Pinyin writes no `on`, `ol` or `ok`, so none of its
    # syllables meet another so. A passport's `oo` is ㅜ, written so to tell it from ㅓ
    # (`Yoon` is not `Yeon`).
    if coda and vowel in ("u", "yu") and "oo" not in written:
        vowel = vowel[:-1] + "o"
    if vowel == "ou" and coda == "ng":  # `Young` (Pinyin writes no `oung`)
        vowel = "o"
    if onset == "w" and vowel == "u":  # `Woo` is Revised `U`
        onset = ""
    if onset == "sh" and vowel == "i" and coda:  # McCune–Reischauer `Shin`, Revised `Sin`
        onset = "s"
    return _ONSETS.get(onset, onset) + vowel + coda


@lru_cache(maxsize=100_000)
def syllable_keys(token: str) -> frozenset[str]:
    """The keys of a token read as one syllable or as two (every way of cutting it)."""
    if len(token) > 12:
        return frozenset()
    keys = {f"family:{k}" for k in _families().get(token, ())}
    if len(token) <= 6 and (whole := _one(token)):
        keys.add(whole)
    for cut in range(1, len(token)):
        first, second = _one(token[:cut]), _one(token[cut:])
        if first and second:
            keys.add(f"{first}-{second}")
    return frozenset(keys)


@lru_cache(maxsize=1)
def _families() -> dict[str, tuple[int, ...]]:
    table: dict[str, tuple[int, ...]] = {}
    for k, line in enumerate(_FAMILIES.strip().splitlines()):
        for spelling in line.split():
            table[spelling] = (*table.get(spelling, ()), k)
    return table


def is_syllabic(token: str) -> bool:
    """Whether the token reads as one syllable or two (no key is built: this is cheap)."""
    return len(token) <= 12 and (_ONE_OR_TWO.match(token) is not None or token in _families())


def same_syllables(a: str, b: str) -> bool:
    """Two tokens that one of the romanisation systems could both have written."""
    return bool(syllable_keys(a) & syllable_keys(b))


def is_one_syllable(token: str) -> bool:
    """Whether the token reads as one Chinese or Korean syllable (`Chan`, `Zhang`, `Lee`)."""
    return _SYLLABLE.match(token) is not None
