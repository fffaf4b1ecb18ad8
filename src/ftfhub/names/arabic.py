"""Arabic-script names: normalisation, tokens, and the consonant skeleton.

Arabic (and Persian/Urdu) script writes consonants and long vowels only. The skeleton maps
each letter to the same class the Latin skeleton (:mod:`ftfhub.names.latin`) uses, so a name
in a captured form and its romanisation on a European list share a blocking key. The finer
comparison of an Arabic token with a Latin one is the learned transliteration model's job.
"""

from __future__ import annotations

import re
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
_SUN_LETTERS = set("تثدذرزسشصضطظلن")


def is_arabic(text: str) -> bool:
    return any("\u0600" <= c <= "\u06ff" for c in text)


def normalise(text: str) -> str:
    """Harakat and tatweel off, letter variants unified, non-letters to spaces."""
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
    token = normalise(token).replace(" ", "")
    if token.endswith("ه") and len(token) > 2:
        token = token[:-1]
    out: list[str] = []
    prev = ""
    for i, char in enumerate(token):
        if char in "وي":
            if i == 0 or prev == "ا":
                out.append("w" if char == "و" else "y")
        elif char != "ا":
            out.append(_CLASSES.get(char, ""))
        prev = char
    key = "".join(out)
    return re.sub(r"([a-z])\1+", r"\1", key)


def is_sun_letter(char: str) -> bool:
    return char in _SUN_LETTERS
