"""Latin-script spellings brought to comparable forms.

Three levels, from faithful to aggressive:

* :func:`fold` — lowercase ASCII letters: diacritics off (Turkish `ı ğ ç`, German `ü ß`,
  Nordic `ø æ`, scholarly `ḥ ṣ ā`; Turkish `ş` and Slavic `š` as `sh`), ayn/hamza marks and
  apostrophes dropped.
* :func:`soft_forms` — the folded token with the spelling conventions of English, French,
  German and Turkish romanisation collapsed (`ou`/`oo`→`u`, `dj`/`dsch`→`j`, `kh`→`h`,
  `q`→`k`, doubled letters, tāʾ marbūṭa `-ah`/`-eh`). Where a spelling is truly ambiguous
  (`ch` is `sh` in French, `kh` in German; `j` is `y` in German; `x` is `kh` in Uzbek) it
  yields each reading.
* :func:`skeleton` — the consonant skeleton of a soft form, the way Arabic itself is written
  (no short vowels): the blocking key that lets `Zerouali`, `Zerwali` and `Zarouali` meet.

Beside them, :func:`weak_forms`: readings of letters that German and Turkish use for another
sound as often as for their own (German `s` for z, `z` for ts, `sch` for zh; Turkish `s` for
th, `z` for d), which the matcher lets meet only as a close spelling.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from ftfhub.names.syllables import is_one_syllable, is_syllabic

# Letters NFKD does not take apart.
_SPECIAL = str.maketrans(
    {
        "ı": "i",
        "ə": "a",  # Azerbaijani schwa, written a: Əliyev Aliyev, Məmmədov Mammadov
        "š": "sh",  # scholarly and Slavic Latin: Šamil, Žukov, Čečen
        "ş": "sh",  # Turkish and Azeri: Şah, Şeyh, Beşir (ç stays c: French ç is s, Fayçal)
        "ș": "sh",  # Romanian, and Turkish ş typed with a comma
        "ž": "zh",
        "č": "ch",
        "ß": "ss",
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "đ": "d",
        "ł": "l",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "ŧ": "t",
        "ʿ": "",
        "ʾ": "",
        "ʻ": "",
        "ʼ": "",
        "'": "",
        "’": "",
        "‘": "",
        "`": "",
        "´": "",
    }
)
_NON_LETTERS = re.compile(r"[^a-z]+")

# Ordered rewrites: longest patterns first. Applied to folded tokens.
_REWRITES: tuple[tuple[str, str], ...] = (
    ("dsch", "j"),
    ("tsch", "ch"),
    ("sch", "sh"),
    ("dzh", "j"),
    ("dj", "j"),
    ("dz", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("ey", "ei"),
    ("ay", "ai"),
    ("oy", "oi"),
    ("v", "w"),
    ("c", "k"),
)
_REWRITE_MAP = dict(_REWRITES)
# One pass, longest pattern first at each position (what the ordered replaces did, faster).
_REWRITE_RE = re.compile("|".join(sorted(_REWRITE_MAP, key=len, reverse=True)))


def _rewrite_one(match: re.Match[str]) -> str:
    return _REWRITE_MAP[match.group(0)]


_DOUBLE = re.compile(r"([a-z])\1+")


def _first(match: re.Match[str]) -> str:
    """A run of one letter as the letter (a callable: cheaper than the template `\\1`)."""
    return match.group(1)


_TURKISH_C = re.compile(r"c(?![hk])")
_SOFT_C = re.compile(r"c(?=[eiy])")
_OU_W = re.compile(r"(?<![a-z])ou(?=[aei])|(?<=[aei])ou(?=[aei])")
# After a consonant, French `ou` before a vowel is the waw as often as a vowel (Marouane
# مروان, Touati تواتي, where Turkish writes Mervan, Tevati; but Mouad معاذ): another reading.
_OU_W_AFTER_CONSONANT = re.compile(r"(?<=[b-df-hj-np-tv-z])ou(?=[aei])")
_VOWELS = re.compile(r"[aeiouy]")
_UZBEK_X = re.compile("^x|x(?=[b-df-hj-np-rtv-z])")
_X_NOT_PINYIN = re.compile("x(?![iu])")
# ei or ey as a diphthong (before a consonant or at the end), not the e and glide of a
# Slavic -eyev (Alekseyev) or a Turkish -eyin (Hüseyin).
_DIPHTHONG_EI = re.compile("e[iy](?![aeiouy])")
_EI = re.compile("ei(?![aeiouy])")


def _pinyin_x(token: str) -> bool:
    """A word of one or two Chinese syllables whose every x comes before i or u."""
    return not _X_NOT_PINYIN.search(token) and is_syllabic(token)


# The e after o or u (not the silent u of gue, que: Miguel).
_UMLAUT = re.compile("(?<=o)e|(?<=u)(?<![gq]u)e")


def fold(text: str) -> str:
    """Lowercase ASCII letters and spaces; everything else becomes a space."""
    if text.isascii():  # most list and manifest names: no accents to take apart
        return _NON_LETTERS.sub(" ", text.lower().replace("'", "").replace("`", "")).strip()
    text = text.lower().translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    if not text.isascii():  # a letter of its own (Hausa ɗ ƙ ɓ, Akan ɛ ɔ, ŋ) is not a break
        text = "".join(c if c.isascii() or not c.isalpha() else anyascii(c).lower() for c in text)
    return _NON_LETTERS.sub(" ", text).strip()


_SLAVIC_FF = re.compile(r"(?<=[aeiou])ff$")  # Ivanoff, Abdullaeff: the French -ov, -ev
_I_GLIDE = re.compile(r"i(?=[aou])")  # Iakov/Yakov, Petrosian/Petrosyan, Maria/Marya


def _rewrite(token: str, ch: str, j: str) -> str:
    final_h = token.endswith("h") and token[-2:] not in ("kh", "ch", "sh", "gh", "th", "dh")
    token = _I_GLIDE.sub("y", _SLAVIC_FF.sub("v", token))
    # German tsch is the English ch and French tch (Tschetschenow, Tchetchenov, Chechenov):
    # read before sch, or it would be t + sh.
    token = token.replace("dsch", "j").replace("tsch", "ch").replace("sch", "sh")
    token = token.replace("tch", "ch")
    token = token.replace("ch", ch)
    # French writes w as ou before a vowel: Oualid, Ouardi.
    token = _OU_W.sub("w", token)
    # German writes y as j (Jussuf, Jasin); dj/dsch are handled before this.
    if j == "y" and "dj" not in token and "dsch" not in token:
        token = token.replace("j", "y")
    token = _REWRITE_RE.sub(_rewrite_one, token)
    token = _DOUBLE.sub(_first, token)
    # Tāʾ marbūṭa and final h after a vowel: Fatimah/Fatima, Aisha/Aischah.
    if final_h and len(token) > 3 and token.endswith("h") and token[-2] in "aeiou":
        token = token[:-1]
    if len(token) > 3 and token.endswith("eh"):
        token = token[:-2] + "a"
    # Turkish writes a final d or b devoiced: Ahmet/Ahmed, Hamit/Hamid, Yakup/Yakub.
    if len(token) > 3 and token[-1] in "tp" and token[-2] in "aeiou":
        token = token[:-1] + ("d" if token[-1] == "t" else "b")
    return token


@lru_cache(maxsize=200_000)
def soft_forms(token: str) -> tuple[str, ...]:
    """The readings of one folded token, most likely first (usually exactly one)."""
    readings = [_rewrite(token, "sh", "j")]
    if "ch" in token.replace("sch", "").replace("tch", ""):
        readings.append(_rewrite(token, "h", "j"))  # German/Dutch ch = kh
    if "j" in token and "dj" not in token and "dsch" not in token:
        readings.append(_rewrite(token, "sh", "y"))  # German j = y
    if _TURKISH_C.search(token):
        turkish = _rewrite(_TURKISH_C.sub("j", token), "sh", "j")  # Turkish c = j
        readings.append(turkish)
        # Turkish writes the fatha e where English writes a: Cevat/Jawad, Cemal/Jamal,
        # Recep/Rajab, Cafer/Jafar (the e of a Turkish-c word is read as a too; a final e
        # is French, not Turkish: Celine).
        if "e" in turkish and not token.endswith("e"):
            readings.append(turkish.replace("e", "a"))
    if _SOFT_C.search(token):
        readings.append(_rewrite(_SOFT_C.sub("s", token), "sh", "j"))  # French c = s: Nacer
    if "x" in token and _UZBEK_X.search(token) and not _pinyin_x(token):
        # Uzbek Latin (and old Spanish) x is kh: Xurshid, Xoliqov, Baxtiyor. Read so where
        # x opens the word or stands before a consonant; between vowels and at the end it is
        # the ks of Alexander and Felix, and Pinyin's x comes before i or u (Xu, Xiaoming).
        readings.append(_rewrite(token.replace("x", "kh"), "sh", "j"))
    if _OU_W_AFTER_CONSONANT.search(token):
        readings.append(_rewrite(_OU_W_AFTER_CONSONANT.sub("w", token), "sh", "j"))
    if _UMLAUT.search(token):  # German oe, ue for ö, ü (Oeztuerk Öztürk, Oezkan Ozkan)
        readings.append(_rewrite(_UMLAUT.sub("", token), "sh", "j"))
    seen: dict[str, None] = {}
    # The diphthong ay of Arabic and Persian names, which French, German and Persian
    # spellings write ei and English ones ai (Obeidi Ubaidi, Hossein Husain, Zeinab); not
    # in a word of one Chinese syllable, where ei and ai are two finals (Wei, Wai; Lei, Lai).
    diphthong = _DIPHTHONG_EI.search(token) is not None and not is_one_syllable(token)
    for reading in readings:
        seen.setdefault(reading, None)
        if diphthong and "ei" in reading:
            seen.setdefault(_EI.sub("ai", reading), None)
    return tuple(seen)


# Letter classes for the skeleton: sounds that romanisations of one Arabic letter share.
_SKELETON_CLASSES = str.maketrans(
    {
        "p": "b",
        "z": "z",
        "g": "k",
        "k": "k",
        "w": "w",
    }
)


@lru_cache(maxsize=200_000)
def skeleton(soft: str) -> str:
    """Consonant skeleton of a soft form: vowels out (but a word-initial w/y kept), sh→s."""
    if not soft:
        return ""
    body = soft.replace("sh", "s").translate(_SKELETON_CLASSES)
    # A vowel-initial word keeps no mark: Omar/Umar/Oumar all start at m.
    out = _VOWELS.sub("", body[1:]) if body[0] in "wy" else _VOWELS.sub("", body)
    out = (body[0] + out) if body[0] in "wy" else out
    return _DOUBLE.sub(_first, out)


# Readings that are not a convention of their own, because the letter is as often read the
# English way. German: a single s is voiced (`Asis` عزيز Aziz, `Sacharow` Захаров Zakharov)
# yet also the s of سعيد (`Said`); sch is ш and ж (`Schukow` Жуков Zhukov); z is ц (`Jelzin`
# Ельцин Yeltsin, `Saizew` Зайцев Zaytsev; `Kusnezow` Кузнецов: both). Turkish: s is ث as
# well as س (`Osman` عثمان Uthman, `Heysem` Haitham), z is ض and ذ as well as ز (`Rıza`
# Rida, `Ramazan` Ramadan, `Kazım` Kadhim).
_SINGLE_S = r"(?<![sct])s(?![sch])"  # not in ss, sch, sh, sc, ts
_WEAK_READINGS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (re.compile(rf"(?<![tdsc])sch|{_SINGLE_S}|z"), {"sch": "zh", "s": "z", "z": "ts"}),
    (re.compile(rf"{_SINGLE_S}|z"), {"s": "th", "z": "d"}),
)


def _read_as(token: str, letters: re.Pattern[str], sounds: dict[str, str], read: set[str]) -> str:
    """`token` with the letters of the kinds in `read` read as `sounds` says."""
    return letters.sub(lambda m: sounds[m.group(0)] if m.group(0) in read else m.group(0), token)


@lru_cache(maxsize=200_000)
def weak_forms(token: str) -> frozenset[str]:
    """The soft forms of a folded token read as German or Turkish writes Arabic and Cyrillic
    sounds with a letter of its own alphabet (each kind of letter read or not, in every
    combination, one convention at a time) that `soft_forms` does not give already; empty
    when it has none of those letters. Weaker evidence than a spelling convention: the caller
    counts a meeting here as a close spelling, never as a variant."""
    readings: set[str] = set()
    for letters, sounds in _WEAK_READINGS:
        kinds = sorted({m.group(0) for m in letters.finditer(token)})
        for chosen in itertools.product((False, True), repeat=len(kinds)):
            if any(chosen):
                read = {k for k, on in zip(kinds, chosen, strict=True) if on}
                readings.add(_read_as(token, letters, sounds, read))
    return frozenset(f for r in readings for f in soft_forms(r)) - set(soft_forms(token))


@lru_cache(maxsize=200_000)
def weak_skeletons(token: str) -> frozenset[str]:
    """The skeletons of `weak_forms`: a pair whose skeletons do not meet cannot meet there."""
    return frozenset(skeleton(f) for f in weak_forms(token))


@lru_cache(maxsize=200_000)
def soft_skeletons(token: str) -> frozenset[str]:
    """The skeletons of `soft_forms`."""
    return frozenset(skeleton(f) for f in soft_forms(token))


_COARSE = str.maketrans("zstdj", "sssss")  # the letters `weak_forms` reads otherwise, as one


@lru_cache(maxsize=200_000)
def coarse_skeletons(token: str) -> frozenset[str]:
    """The skeletons of `soft_forms` with s, z, t, d and j taken as one letter: what a weak
    reading leaves of a word, so two words whose coarse skeletons differ cannot meet there."""
    return frozenset(_DOUBLE.sub(_first, skeleton(f).translate(_COARSE)) for f in soft_forms(token))
