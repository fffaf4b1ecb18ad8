"""Katakana names in Hepburn, and foreign names written in katakana as their own spelling.

Japan writes every foreign name in katakana, a syllable script in which each consonant
carries a vowel: `ムハンマド` is mu-ha-n-ma-do for Muhammad, `イブラヒム` i-bu-ra-hi-mu for
Ibrahim. The letter tables spell each syllable (`muhanmado`, `iburahimu`, and `afumado` for
Ahmad). Read here:

* as Hepburn writes any Japanese word: ン before m, b, p is m (`ムハンマド` muhammado, `ホンマ`
  Homma), ッ doubles the consonant after it, the long-vowel mark is not written, and a small
  vowel kana gives the syllable before it its vowel (`ファ` fa, `ティ` ti, `ドゥ` du, `ウィ` wi);
* in a name that shows it is foreign (`・` between its parts, `ー`, a small vowel kana or `ヴ`,
  none of which a Japanese name needs), the vowel katakana adds to a final or clustered
  consonant is dropped: u after k g s z b p m r f, o after t d (`アフマド・ハサン` Ahmad Hasan,
  `カリーム` Karim, `ユースフ` Yusuf), from the word's end back, never on two syllables in a row
  (Yu-suf keeps the u of su); フ before a consonant is the h of Arabic and Persian names
  (`アフマド` Ahmad, `マフムード` Mahmud).

Japanese has no l: ラ行 stays r (`アリ` ari for Ali), a difference left to the matcher.
"""

from __future__ import annotations

import re

from anyascii import anyascii

KATAKANA = re.compile("[\u30a1-\u30fc]+")
_SMALL_VOWEL = {"ァ": "a", "ィ": "i", "ゥ": "u", "ェ": "e", "ォ": "o"}
_SMALL_Y = {"ャ": "a", "ュ": "u", "ョ": "o"}
_FOREIGN = re.compile("[・ーァィゥェォヴ]")
_EPENTHETIC = {
    "ku": "k", "gu": "g", "su": "s", "zu": "z", "bu": "b", "pu": "p", "mu": "m", "ru": "r",
    "fu": "f", "do": "d", "to": "t",
}  # fmt: skip


def _with_vowel(syllable: str, vowel: str, glide: bool) -> str:
    """The syllable before a small kana, given that kana's vowel (with a y glide for ャュョ)."""
    if glide:
        if syllable in ("shi", "chi", "ji"):
            return syllable[:-1] + vowel
        return syllable.rstrip("aeiou") + "y" + vowel
    consonant = syllable.rstrip("aeiou")
    if not consonant:
        consonant = {"u": "w", "i": "y"}.get(syllable, "")
    elif consonant in ("k", "g") and syllable.endswith("u"):
        consonant += "w"  # クァ kwa
    elif consonant == "ts" and vowel != "u":
        consonant = "ts"
    return consonant + vowel


def _syllables(word: str) -> list[str]:
    out: list[str] = []
    double = False
    for ch in word:
        if ch == "ー":
            continue
        if ch == "ッ":
            double = True
            continue
        if out and (ch in _SMALL_VOWEL or ch in _SMALL_Y):
            glide = ch in _SMALL_Y
            out[-1] = _with_vowel(out[-1], (_SMALL_Y if glide else _SMALL_VOWEL)[ch], glide)
            continue
        syllable = "vu" if ch == "ヴ" else anyascii(ch).lower()
        if double and syllable[:1] not in ("", "a", "e", "i", "o", "u", "n"):
            syllable = ("t" if syllable.startswith("ch") else syllable[0]) + syllable
        double = False
        out.append(syllable)
    return out


def _foreign(syllables: list[str]) -> list[str]:
    """Epenthetic vowels dropped from the end back, one syllable in two at most."""
    out = list(syllables)
    kept_next = True  # the word's end counts as a consonant after a kept vowel
    for i in range(len(out) - 1, 0, -1):
        nxt = out[i + 1] if i + 1 < len(out) else ""
        before_consonant = nxt == "" or (nxt[0] not in "aeioun" or nxt.startswith("ny"))
        head, tail = out[i][:-2], out[i][-2:]  # ッド: ddo, its d doubled
        if tail in _EPENTHETIC and head in ("", tail[0]) and before_consonant and kept_next:
            out[i] = head + ("h" if tail == "fu" and nxt else _EPENTHETIC[tail])
            kept_next = False
        else:
            kept_next = True
    return out


def katakana(match: re.Match[str]) -> str:
    """A run of katakana as Hepburn spells it, read as a foreign name where it shows one."""
    run = match.group(0)
    foreign = _FOREIGN.search(run) is not None
    words = []
    for word in run.split("・"):
        syllables = _syllables(word)
        if foreign:
            syllables = _foreign(syllables)
        for i in range(len(syllables) - 1):
            if syllables[i] == "n" and syllables[i + 1][:1] in ("m", "b", "p"):
                syllables[i] = "m"
        words.append("".join(syllables))
    return " " + " ".join(w.capitalize() for w in words if w) + " "
