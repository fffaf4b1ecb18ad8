"""Burmese names in the Latin spelling Myanmar's passports and lists use (`ကျော်ဇော်ထွန်း`
Kyaw Zaw Htun, `မောင်မောင်ဝင်း` Maung Maung Win, `သိန်း` Thein, `မြင့်` Myint).

The letter tables read Burmese letter by letter (`အောင်` 'ean, `ထွန်း` thvn): the script
writes a syllable's vowel around its consonant and marks a final consonant with the asat,
and the Latin convention spells the sound of the whole rhyme (`-ောင်` aung, `-ိုင်` aing,
`-ိန်` ein, a creaky `-န့်` nt). Here a word is cut into syllables (an onset, its medials
ya, ra, wa and ha, its vowel signs, a final under the asat) and each syllable is spelled as a
word of its own, as the Latin form of a Burmese name writes it.
"""

from __future__ import annotations

import re

_ONSET = {
    "က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z",
    "ဈ": "z", "ဉ": "ny", "ည": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n",
    "တ": "t", "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "ph", "ဗ": "b",
    "ဘ": "b", "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h",
    "ဠ": "l", "အ": "", "ဿ": "th",
}  # fmt: skip
_INDEPENDENT = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "e", "ဩ": "aw", "ဪ": "aw"}
# An onset with the ya or ra medial: ky and ch as the language says them.
_WITH_Y = {"k": "ky", "kh": "ch", "g": "gy", "ph": "phy"}
_FINAL = {
    "က": "k", "င": "ng", "စ": "c", "ည": "ny", "ဉ": "ny", "တ": "t", "ပ": "t", "န": "n",
    "မ": "n", "ယ": "y", "ံ": "n",
}  # fmt: skip
_ASAT, _VIRAMA, _DOT, _VISARGA = "\u103a", "\u1039", "\u1037", "\u1038"
_MEDIAL_Y, _MEDIAL_R, _MEDIAL_W, _MEDIAL_H = "\u103b", "\u103c", "\u103d", "\u103e"
_CONSONANT = re.compile("[\u1000-\u1021\u103f]")
MYANMAR = re.compile("[\u1000-\u109f]+")


def _rhyme(vowel: str, final: str, w: bool) -> str:
    """The Latin spelling of a vowel (its signs, long ones as short) with its final."""
    if vowel == "ော":  # aw; with a final k or ng: auk, aung
        return {"k": "auk", "ng": "aung"}.get(final, "aw")
    if vowel == "ို":
        return {"k": "aik", "ng": "aing"}.get(final, "o")
    if vowel == "ိ":
        return {"n": "ein", "t": "eik", "k": "eik"}.get(final, "i")
    if vowel == "ု":
        return {"n": "on", "t": "ok", "k": "ok"}.get(final, "u")
    if vowel in ("ေ", "ဲ") or final == "y":
        return "e"
    if w and final in ("n", "t"):  # ွန် un, ွတ် ut: the wa is the vowel
        return "u" + final
    return {"k": "et", "ng": "in", "c": "it", "ny": "i", "t": "at", "n": "an"}.get(final, "a")


class _Syllable:
    __slots__ = ("creaky", "final", "high", "medials", "onset", "vowel")

    def __init__(self, onset: str) -> None:
        self.onset, self.medials, self.vowel, self.final = onset, "", "", ""
        self.creaky = self.high = False

    def spell(self) -> str:
        if self.onset in _INDEPENDENT:
            return _INDEPENDENT[self.onset]
        head, medials = _ONSET[self.onset], self.medials
        if _MEDIAL_H in medials:  # voiceless: hl, hm, hn; ရှ, ယှ, လျှ sh
            sh = self.onset in "ရယ" or (self.onset == "လ" and _MEDIAL_Y in medials)
            head = "sh" if sh else "h" + head
        elif _MEDIAL_Y in medials or _MEDIAL_R in medials:
            head = _WITH_Y.get(head, head + "y")
        w = _MEDIAL_W in medials
        vowel = self.vowel.replace("ါ", "ာ").replace("ီ", "ိ").replace("ူ", "ု")
        rhyme = _rhyme("" if vowel == "ာ" else vowel, self.final, w)
        if w and not rhyme.startswith("u"):
            head += "w"
        if self.high and rhyme == "o" and not medials:
            rhyme = "oe"  # ိုး, the high o: Soe, Moe (but Phyo, Myo)
        elif rhyme == "e" and vowel == "ေ" and self.onset == "အ":
            rhyme = "aye"
        if self.creaky and rhyme.endswith("n"):
            rhyme += "t"  # မြင့် Myint, ညွန့် Nyunt, သန့် Thant
        return head + rhyme


def _syllables(word: str) -> list[_Syllable]:
    out: list[_Syllable] = []
    for i, ch in enumerate(word):
        after = word[i + 1 : i + 3]
        last = out[-1] if out else None
        if last and (ch == "ံ" or (_CONSONANT.match(ch) and _closes(after))):
            last.final = _FINAL.get(ch, "")
            last.creaky = last.creaky or _DOT in after
        elif ch in _ONSET or ch in _INDEPENDENT:
            out.append(_Syllable(ch))
        elif last and ch in (_MEDIAL_Y, _MEDIAL_R, _MEDIAL_W, _MEDIAL_H):
            last.medials += ch
        elif last and "\u102b" <= ch <= "\u1032":
            last.vowel += ch
        elif last and ch == _DOT:
            last.creaky = True
        elif last and ch == _VISARGA:
            last.high = True
    return out


def _closes(after: str) -> bool:
    """The letters after a consonant make it a syllable's final (asat, or stacked)."""
    return after[:1] in (_ASAT, _VIRAMA) or after == _DOT + _ASAT


def burmese(match: re.Match[str]) -> str:
    """A run of Burmese letters: each syllable a Latin word (`ကျော်ဇော်` → ` Kyaw Zaw `)."""
    words = [s.spell() for s in _syllables(match.group(0))]
    return " " + " ".join(w.capitalize() for w in words if w) + " "
