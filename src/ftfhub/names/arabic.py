"""Arabic-script names: normalisation, tokens, and the consonant skeleton.

Arabic (and Persian/Urdu) script writes consonants and long vowels only. The skeleton maps
each letter to the same class the Latin skeleton (:mod:`ftfhub.names.latin`) uses, so a name
in a captured form and its romanisation on a European list share a blocking key. The finer
comparison of an Arabic token with a Latin one is the learned transliteration model's job.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # + tatweel
_NORMALISE = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ے": "ي",  # Urdu barree yeh
        "ک": "ك",  # Persian kaf
        "ۀ": "ه",
        "ة": "ه",
        "ؤ": "و",
        "ئ": "ي",
        "٠": "0",
        "ہ": "ه",  # Urdu heh goal
        "ھ": "ه",  # heh doachashmee
        "ە": "ه",  # Kurdish ae
        "ٹ": "ت",  # Urdu retroflex tteh, ddal, rreh; noon ghunna
        "ڈ": "د",
        "ڑ": "ر",
        "ں": "ن",
        "ۓ": "ي",
        "ڤ": "ف",  # Maghrebi v
        "ڨ": "ق",  # Algerian g
        # Pashto: its retroflexes and affricates as the letters of the sound Latin writes
        # (ګل Gul, ټکر Takar, ډاډ Dad, ځلمی Zalmai, څ Ts as s, ښ Sh, ږ Zh, ڼ n, ې ۍ y).
        "ګ": "گ",
        "ټ": "ت",
        "ډ": "د",
        "ړ": "ر",
        "ځ": "ز",
        "څ": "س",
        "ښ": "ش",
        "ږ": "ژ",
        "ڼ": "ن",
        "ې": "ي",
        "ۍ": "ي",
        # Kurdish (Sorani) and Uyghur vowels and letters (ۆ o, ێ e, ڵ ll, ڕ rr; ۇ ۈ ۋ).
        "ۆ": "و",
        "ێ": "ي",
        "ڵ": "ل",
        "ڕ": "ر",
        "ۇ": "و",
        "ۈ": "و",
        "ۋ": "و",
    }
)
_NON_ARABIC = re.compile(r"[^\u0621-\u064a\u067e\u0686\u0698\u06af0-9 ]+")

# Letter → skeleton class. Vowel letters (ا و ي) are handled in context; ء and ع leave no mark.
_CLASSES = {
    "ب": "b",
    "پ": "b",
    "ت": "t",
    "ث": "t",
    "ط": "t",
    "ج": "j",
    "چ": "j",
    "ژ": "j",
    "ح": "h",
    "خ": "h",
    "ه": "h",
    "د": "d",
    "ذ": "d",
    "ض": "d",
    "ر": "r",
    "ز": "z",
    "ظ": "z",
    "س": "s",
    "ش": "s",
    "ص": "s",
    "غ": "k",
    "ق": "k",
    "ك": "k",
    "گ": "k",
    "ف": "f",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ء": "",
    "ع": "",
}


_ARABIC_LETTER = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufefc]")  # with presentation forms


def is_arabic(text: str) -> bool:
    return _ARABIC_LETTER.search(text) is not None


_PRESENTATION = re.compile("[\ufb50-\ufeff]")
_DOUBLE = re.compile(r"([a-z])\1+")


def _first(match: re.Match[str]) -> str:
    """A run of one letter as the letter (a callable: cheaper than the template `\\1`)."""
    return match.group(1)


def normalise(text: str) -> str:
    """Harakat and tatweel off, letter variants unified, non-letters to spaces."""
    if _PRESENTATION.search(text):  # presentation forms (old PDFs, lists)
        text = unicodedata.normalize("NFKC", text)
    text = _HARAKAT.sub("", text).translate(_NORMALISE)
    return " ".join(_NON_ARABIC.sub(" ", text).split())


def split_article(token: str) -> tuple[str, str]:
    """`البلجيكي` → (`ال`, `بلجيكي`); tokens without the article → ("", token)."""
    if token.startswith("ال") and len(token) > 3 and token not in _NOT_ARTICLE:
        return "ال", token[2:]
    return "", token


# Names that begin with the letters of the article but are not al-X.
_NOT_ARTICLE = frozenset({"الياس", "اليسع", "الفت", "الهام", "الله"})


@lru_cache(maxsize=100_000)
def skeleton(token: str) -> str:
    """Consonant skeleton in the Latin skeleton's classes.

    و and ي are consonants (w, y) at the start of a word or after ا; otherwise long vowels.
    A final ه is usually tāʾ marbūṭa or a vowel ending (Fatimah/Fatima) and is dropped.
    """
    return _skeleton(normalise(token).replace(" ", ""), {})


def _skeleton(text: str, override: dict[str, str]) -> str:
    text = text.replace("تش", "ش")  # tsh is how Arabic writes ch (Chechen, Chaudhry)
    if text.endswith("ه") and len(text) > 2:
        text = text[:-1] + override.get("final_ta", "")
    out: list[str] = []
    prev = ""
    for i, char in enumerate(text):
        if char in override:
            out.append(override[char])
        elif char in "وي":
            # A consonant first in the word or after a long a (Dawud); a vowel after a
            # word-initial alif (أوس Os, إيمان Iman) or between consonants.
            if i == 0:
                out.append("w" if char == "و" else "y")
            elif char == "و" and prev == "ا" and i > 1:  # Dawud; the Latin skeleton keeps w
                out.append("w")
        elif char != "ا":
            out.append(_CLASSES.get(char, ""))
        prev = char
    return _DOUBLE.sub(_first, "".join(out))


# Letters whose romanisation varies by convention or dialect, with the other class they take
# (ج is g in Egypt, ث is s in Turkish and Persian, ذ/ض/ظ are z, و/ي inside a word are w/y in
# diphthongs: Dawud, Hussayn).
_OTHER_READINGS = {
    "ج": "k",  # Egyptian g, and g in foreign names (جورج George)
    "ث": "s",
    "ذ": "z",
    "ض": "z",  # Persian, Turkish and Urdu z: رضا Reza, رمضان Ramazan, مرتضی Morteza
    "ظ": "d",
    "ف": "w",  # v in foreign names (فيكتور Victor), which the Latin skeleton writes w
    "ك": "s",  # c before e/i in foreign names (Cecilia)
    "و": "",  # Daoud: a long vowel after all
    "ه": "",  # silent h
    "ع": "",
}


@lru_cache(maxsize=100_000)
def skeletons(token: str) -> tuple[str, ...]:
    """The skeleton and, for each ambiguous letter in the token, the skeleton with that
    letter's other reading: blocking keys that need no model."""
    text = normalise(token).replace(" ", "")
    found = [_skeleton(text, {})]
    present = {letter: other for letter, other in _OTHER_READINGS.items() if letter in text}
    for letter, other in present.items():
        found.append(_skeleton(text, {letter: other}))
    if len(present) > 1:  # every other reading at once
        found.append(_skeleton(text, present))
    if text.endswith("ه"):  # tāʾ marbūṭa read -at (Najat, Hayat) or devoiced -ad
        found += [_skeleton(text, {"final_ta": "t"}), _skeleton(text, {"final_ta": "d"})]
    return tuple(dict.fromkeys(k for k in found if k))


# Persian, Turkish and Urdu say the Arabic letters ث as s and ذ ض ظ as z, and write every
# name of Arabic origin so (Reza رضا where Arabic writes Rida, Ramazan, Osman, Zakir, Fazel):
# one reading of a word that has them, beside the Arabic one.
_PERSIAN_SOUNDS = str.maketrans({"ث": "س", "ذ": "ز", "ض": "ز", "ظ": "ز"})


def persian_reading(text: str) -> str:
    """`رضايي` → `رزايي`: the letters as Persian says them (the text itself when it has none)."""
    return text.translate(_PERSIAN_SOUNDS)
