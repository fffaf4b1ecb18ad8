"""Names in scripts other than Latin and Arabic brought to a comparable Latin (or Arabic) form.

`anyascii` (pure Python, tables for every Unicode script) does the letter work; it was chosen
over ICU's `Any-Latin` transforms (PyICU) because on real-looking names it keeps the digraphs
that agencies write (`Шамиль` → `Shamil`, `Жуков` → `Zhukov`, where ICU's `Any-Latin;
Latin-ASCII` gives `Samil`, `Zukov`), is as fast, and needs no C library on the machine.
What it gets wrong for names is corrected here, script by script:

* Cyrillic `х` after г, д, з, к, т, с is the h of a Latin digraph (`Гхиатх` Ghiath);
* Greek digraphs (`ου` ou, `αυ`/`ευ` av/ev, `μπ` b, `ντ` d, `γγ`/`γκ` ng);
* Chinese and Korean: one syllable per character, written CamelCase by anyascii, become the
  family name (the first syllable) and the given name as one word (`王小明` → `Wang Xiaoming`,
  `김민준` → `Kim Minjun`); the common Korean family names take the spelling passports use
  (`박` Park, `이` Lee, `최` Choi);
* North Indian scripts (Devanagari, Bengali, Gurmukhi, Gujarati): the inherent vowel a
  that anyascii leaves out (`प्रकाश` Prakash, not prks); the southern ones (Tamil, Telugu,
  Kannada, Malayalam) and Sinhala, where it is said at a word's end too (`ருத்ரன்` Rudran,
  `කමල් ජයසූරිය` Kamal Jayasuriya, not rutrn, kml jysuriy);
* Japanese small kana (`ジョ` jo, not jiyo), katakana in Hepburn and foreign names in
  katakana without the vowels it adds (:mod:`ftfhub.names.kana`); Thai and Lao vowels
  written before their consonant; Burmese by its rhymes, a syllable a word
  (:mod:`ftfhub.names.burmese`);
* Hebrew, an abjad like Arabic (consonants and a few long vowels), is mapped letter for letter
  onto Arabic letters so that it meets Latin spellings through the same skeletons and
  transliteration model the Arabic work uses.

The Latin spelling conventions of each script (English/BGN-PCGN, French, German, Turkish,
scholarly, MRZ) then meet in :mod:`ftfhub.names.latin`'s soft forms and skeletons.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

from ftfhub.names.burmese import MYANMAR, burmese
from ftfhub.names.kana import KATAKANA, katakana

_GREEK_DIGRAPHS = (
    ("ου", "ou"),
    ("αυ", "av"),
    ("ευ", "ev"),
    ("ηυ", "iv"),
    ("γγ", "ng"),
    ("γκ", "g"),
    ("μπ", "b"),
    ("ντ", "d"),
    ("τσ", "ts"),
    ("τζ", "tz"),
)
# Latin digraphs spelled letter by letter in Cyrillic (`Ghiath` → `Гхиатх`, `Sadeghi` →
# `Садегхи`, `Ishaq` → `Исхак`): that х is the h of the digraph, not kh.
_CYRILLIC_DIGRAPH_H = re.compile("(?<=[гдзктсГДЗКТС])[хХ]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_SMALL_KANA = str.maketrans(
    {"ゃ": "\x01a", "ゅ": "\x01u", "ょ": "\x01o", "ャ": "\x01a", "ュ": "\x01u", "ョ": "\x01o"}
)
_SMALL_AFTER = re.compile(r"(j|ch|sh)i\x01|i\x01")
_THAI_LEADING = re.compile(r"([\u0e40-\u0e44])([\u0e01-\u0e2e])")
# Thai letters not pronounced, which the Royal Thai General System does not write: a letter
# (with its vowel) under the thanthakhat (`ศักดิ์` sak, `วงศ์` wong), and the ห that only
# sets the tone of a sonorant after it (`ใหญ่` yai, `หมอ` mo).
_THAI_LETTER = re.compile("[\u0e01-\u0e4c]")
_THAI_SILENT = re.compile(
    r"[\u0e01-\u0e2e][\u0e31\u0e34-\u0e3a]?\u0e4c|\u0e2b(?=[\u0e07\u0e0d\u0e19\u0e21\u0e22\u0e23\u0e25\u0e27])"
)
# Lao writes the same way as Thai: a vowel before its consonant (`ແສງ` saeng, `ເພັດ` phet,
# the mai kan there only shortens it), a ຫ that only sets the tone of a sonorant after it
# (`ສະຫວັນ` savan, `ຫຼວງ` luang); ອ after a consonant is the vowel o (`ພອນ` phon) and ວ
# between consonants, or after the vowel sign o, is ua (`ບົວ` bua); anyascii left ອ out
# and read ວ as v.
_LAO_LETTER = re.compile("[\u0e81-\u0ede]")
_LAO_SILENT = re.compile("\u0eab(?=[\u0e87\u0e8d\u0e99\u0ea1\u0ea3\u0ea5\u0ea7\u0ebc])")
_LAO_LEADING = re.compile("([\u0ec0-\u0ec4])([\u0e81-\u0eae\u0edc-\u0edf]\u0ebc?)\u0eb1?")
_LAO_C = "\u0e81-\u0eac\u0eae\u0ebc\u0edc-\u0edf"  # consonants (and the subscript l)
_LAO_O = re.compile(f"(?<=[{_LAO_C}\u0ec8-\u0ecb])\u0ead")
_LAO_UA = re.compile(f"\u0ebb\u0ea7|(?<=[{_LAO_C}])\u0ea7(?=[{_LAO_C}])")

# The family names most Koreans carry, as their passports and lists spell them.
_KOREAN_FAMILY = {
    "김": "Kim", "이": "Lee", "박": "Park", "최": "Choi", "정": "Jung", "강": "Kang",
    "조": "Cho", "윤": "Yoon", "장": "Jang", "임": "Lim", "한": "Han", "오": "Oh",
    "서": "Seo", "신": "Shin", "권": "Kwon", "황": "Hwang", "안": "Ahn", "송": "Song",
    "류": "Ryu", "유": "Yoo", "홍": "Hong", "전": "Jeon", "고": "Ko", "문": "Moon",
    "양": "Yang", "손": "Son", "배": "Bae", "백": "Baek", "노": "Noh", "하": "Ha",
}  # fmt: skip

# Hebrew letters onto the Arabic letters of the same Semitic sound (final forms included).
_HEBREW_TO_ARABIC = str.maketrans(
    {
        "א": "ا", "ב": "ب", "ג": "ج", "ד": "د", "ה": "ه", "ו": "و", "ז": "ز", "ח": "ح",
        "ט": "ط", "י": "ي", "כ": "ك", "ך": "ك", "ל": "ل", "מ": "م", "ם": "م", "נ": "ن",
        "ן": "ن", "ס": "س", "ע": "ع", "פ": "ف", "ף": "ف", "צ": "ص", "ץ": "ص", "ק": "ق",
        "ר": "ر", "ש": "ش", "ת": "ت", "׳": "", "״": "", "־": " ",
    }
)  # fmt: skip
_HEBREW_MARKS = re.compile("[\u0591-\u05c7]")
_HEBREW = re.compile("[\u05d0-\u05ea]")
_ARABIC_TO_HEBREW = {
    "ا": "א", "ب": "ב", "ج": "ג", "د": "ד", "ه": "ה", "و": "ו", "ز": "ז", "ح": "ח",
    "ط": "ט", "ي": "י", "ك": "כ", "ل": "ל", "م": "מ", "ن": "נ", "س": "ס", "ع": "ע",
    "ف": "פ", "ص": "צ", "ق": "ק", "ر": "ר", "ش": "ש", "ت": "ת",
}  # fmt: skip


def is_hebrew(text: str) -> bool:
    return _HEBREW.search(text) is not None


def hebrew_as_arabic(text: str) -> str:
    """`יוסף כהן` → `يوسف كهن`: the same consonants and vowel letters in Arabic letters."""
    return _HEBREW_MARKS.sub("", text).translate(_HEBREW_TO_ARABIC)


def arabic_as_hebrew(text: str) -> str:
    """Back to Hebrew letters, for showing a part to an analyst."""
    hebrew = "".join(_ARABIC_TO_HEBREW.get(ch, ch) for ch in text)
    return hebrew[:-1] + _FINAL_FORMS.get(hebrew[-1], hebrew[-1]) if hebrew else hebrew


_FINAL_FORMS = {"כ": "ך", "מ": "ם", "נ": "ן", "פ": "ף", "צ": "ץ"}

# Hebrew letters in Latin as Israeli usage writes them; ב כ פ are b k p first in a word and
# v kh f after a vowel (the dagesh is not written); the vowel letters are read below.
_HEBREW_LATIN = {
    "ב": "v", "ג": "g", "ד": "d", "ה": "h", "ז": "z", "ח": "kh", "ט": "t", "כ": "kh",
    "ך": "kh", "ל": "l", "מ": "m", "ם": "m", "נ": "n", "ן": "n", "ס": "s", "פ": "f",
    "ף": "f", "צ": "ts", "ץ": "ts", "ק": "k", "ר": "r", "ש": "sh", "ת": "t", "א": "a",
    "ע": "a",
}  # fmt: skip
_HEBREW_FIRST = {"ב": "b", "כ": "k", "פ": "p"}


def hebrew_letters(text: str) -> str:
    """`לוי` → `loi`, `משה` → `msha`: a Latin reading of the letters written, for showing a
    Hebrew part to an analyst (short vowels are not written, so none are guessed).

    ו is v first in a word or doubled, o elsewhere; י is y first or doubled, i elsewhere; a
    final ה is the vowel a; א and ע are a."""
    words = []
    for word in _HEBREW_MARKS.sub("", text).split():
        out: list[str] = []
        i = 0
        while i < len(word):
            ch, nxt = word[i], word[i + 1 : i + 2]
            if ch in "וי":
                doubled = nxt == ch
                consonant = i == 0 or doubled
                out.append(
                    ("v" if ch == "ו" else "y") if consonant else ("o" if ch == "ו" else "i")
                )
                i += 2 if doubled else 1
                continue
            if ch == "ה" and i == len(word) - 1 and i > 0:
                out.append("a")
            elif i == 0 and ch in _HEBREW_FIRST:
                out.append(_HEBREW_FIRST[ch])
            else:
                out.append(_HEBREW_LATIN.get(ch, "" if ch in "׳״" else ch))
            i += 1
        words.append("".join(out))
    return " ".join(words)


def needs_romanising(text: str) -> bool:
    """Letters of a script other than Latin (Arabic and Hebrew are handled apart)."""
    return any(ch.isalpha() and ord(ch) > 0x24F and not _latin_like(ch) for ch in text)


@lru_cache(maxsize=4096)
def _latin_like(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("LATIN", "MODIFIER LETTER"))


def _syllables(match: re.Match[str], korean: bool) -> str:
    """A run of Han or Hangul characters: at the start of a name written without spaces, the
    first syllable is the family name and the rest one given name; elsewhere one word."""
    run = match.group(0)
    read = _hangul if korean else anyascii
    if match.start() > 0 or (len(run) == 1 and not match.string[1:].strip()):
        return f" {read(run).lower().capitalize()} "
    family = _KOREAN_FAMILY[run[0]] if korean and run[0] in _KOREAN_FAMILY else read(run[0])
    rest = read(run[1:]).lower()
    return f" {family} {rest.capitalize()} " if rest else f" {family} "


def _hangul(run: str) -> str:
    """Hangul syllables in Revised Romanisation: a syllable's first ㄹ is r (`리` Ri, `룡`
    Ryong, as North Korea writes its names), where the letter tables write l."""
    return "".join("R" + r[1:] if r[:1] == "L" else r for r in map(anyascii, run))


# Brahmic scripts of North India (Devanagari, Bengali, Gurmukhi, Gujarati) share one layout
# (ISCII's): a consonant carries the vowel a unless a vowel sign or the virama follows it.
_INDIC = re.compile(r"[\u0900-\u0aff]+")
_INDIC_SPELLING = {0x1A: "ch", 0x1B: "chh", 0x36: "sh", 0x37: "sh"}  # ca, cha, sha, ssa
_LABIAL = range(0x2A, 0x2F)  # pa, pha, ba, bha, ma: a nasal before them is m
_NUKTA_SPELLING = {0x15: "q", 0x1C: "z", 0x2B: "f"}  # क़ ज़ फ़: the Persian and Arabic sounds
_NASAL = (0x01, 0x02, 0x70)  # candrabindu, anusvara, Gurmukhi tippi


def _consonant(code: int) -> bool:
    return 0x15 <= code <= 0x39 or 0x58 <= code <= 0x5F


def _indic(match: re.Match[str]) -> str:
    """A word of a North Indian script as Hindi names are written in Latin (`प्रकाश चंद्र`
    Prakash Chandr, `संजय` Sanjay, `फ़रहान` Farhan): the inherent a of a consonant before
    another, but not at the word's end nor between a vowel and a consonant that has its own
    (Hindi drops it there: `कमला` Kamla, `इसलाम` Islam); ca as ch, sha as sh, the anusvara as
    n (m before a labial, ng before h: `सिंह` Singh)."""
    run, out, vowel_before = match.group(0), [], False
    for k, ch in enumerate(run):
        code, after = ord(ch) & 0x7F, _code(run, k + 1)
        if _consonant(code):
            spelling = _INDIC_SPELLING.get(code) or anyascii(ch)
            nxt = k + 1
            if after == 0x3C:  # nukta: a sign on this consonant, look past it
                spelling, nxt = _NUKTA_SPELLING.get(code, spelling), k + 2
                after = _code(run, nxt)
            out.append(spelling)
            inherent = _consonant(after) or after in (*_NASAL, 0x03)
            # Dropped between a vowel and a consonant that is not the word's bare last letter.
            if inherent and vowel_before and _consonant(after) and nxt + 1 < len(run):
                inherent = _code(run, nxt + 1) == 0x3C and nxt + 2 >= len(run)
            if inherent:
                out.append("a")
            vowel_before = inherent
        elif code in _NASAL:
            out.append("m" if after in _LABIAL else "ng" if after == 0x39 else "n")
            vowel_before = False
        elif code not in (0x3C, 0x4D):
            out.append(anyascii(ch))
            vowel_before = True
        elif code == 0x4D:
            vowel_before = False
    return "".join(out)


# Brahmic scripts of the South (Tamil, Telugu, Kannada, Malayalam; the same layout) and
# Sinhala: a consonant with no vowel sign nor virama carries a, at a word's end too (`రామ`
# Rama, `ருத்ரன்` Rudran, `කමල් ජයසූරිය` Kamal Jayasuriya); anyascii leaves it out.
_SOUTH = re.compile(r"[\u0b80-\u0dff]+")
_SOUTH_SPELLING = {0x1A: "ch", 0x1B: "chh", 0x36: "sh", 0x37: "sh"}  # ca, cha, sha, ssa
_TAMIL_CA, _TAMIL_VIRAMA = "\u0b9a", "\u0bcd"


def _south_consonant(ch: str) -> bool:
    o = ord(ch)
    return 0x0D9A <= o <= 0x0DC6 if o >= 0x0D80 else 0x15 <= (o & 0x7F) <= 0x3A


def _south_sign(ch: str) -> bool:
    """A vowel sign, the virama or the nukta: the consonant before it carries no a."""
    o = ord(ch)
    if o >= 0x0D80:  # Sinhala: al-lakuna and the vowel signs
        return o == 0x0DCA or 0x0DCF <= o <= 0x0DDF or o in (0x0DF2, 0x0DF3)
    return 0x3C <= (o & 0x7F) <= 0x4D or (o & 0x7F) in (0x55, 0x56, 0x57, 0x62, 0x63)


def _south(match: re.Match[str]) -> str:
    """A word of a southern script or Sinhala with its inherent vowels written; Tamil ச is s
    but ch after the virama (`செல்வம்` Selvam, `பிச்சை` Pichai)."""
    run, out = match.group(0), []
    for k, ch in enumerate(run):
        if ord(ch) & 0x7F == 0x02 and ord(ch) < 0x0D80:  # anusvara: m before a labial
            out.append("m" if 0x2A <= _code(run, k + 1) <= 0x2E else "n")
            continue
        if not _south_consonant(ch):
            out.append(anyascii(ch))
            continue
        if ch == _TAMIL_CA:
            if run[k + 1 : k + 3] == _TAMIL_VIRAMA + _TAMIL_CA:  # the first of ச்ச: one ch
                out.append("")
            else:
                out.append("ch" if run[k - 1 : k] == _TAMIL_VIRAMA else "s")
        elif ord(ch) < 0x0D80 and ord(ch) & 0x7F in _SOUTH_SPELLING:
            out.append(_SOUTH_SPELLING[ord(ch) & 0x7F])
        else:
            out.append(anyascii(ch))
        if k + 1 >= len(run) or not _south_sign(run[k + 1]):
            out.append("a")
    return "".join(out)


def _code(run: str, k: int) -> int:
    return ord(run[k]) & 0x7F if k < len(run) else -1


def _greek(text: str) -> str:
    text = "".join(
        c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c)
    )
    for greek, latin in _GREEK_DIGRAPHS:
        text = text.replace(greek, latin)
    return text


@lru_cache(maxsize=50_000)
def romanise(text: str) -> str:
    """A Latin rendering of a name written in any script but Arabic and Hebrew."""
    text = text.strip()
    if any("\u0370" <= ch <= "\u03ff" or "\u1f00" <= ch <= "\u1fff" for ch in text):
        text = _greek(text)
    if _HAN.search(text):
        text = _HAN.sub(lambda m: _syllables(m, False), text)
    if _HANGUL.search(text):
        text = _HANGUL.sub(lambda m: _syllables(m, True), text)
    if _INDIC.search(text):
        text = _INDIC.sub(_indic, text)
    if _SOUTH.search(text):
        text = _SOUTH.sub(_south, text)
    text = _CYRILLIC_DIGRAPH_H.sub(lambda m: "h" if m.group(0) == "х" else "H", text)
    if _THAI_LETTER.search(text):
        text = _THAI_LEADING.sub(r"\2\1", _THAI_SILENT.sub("", text))
    if _LAO_LETTER.search(text):
        text = _LAO_LEADING.sub(r"\2\1", _LAO_SILENT.sub("", text))
        text = _LAO_UA.sub("ua", _LAO_O.sub("o", text))
    if MYANMAR.search(text):
        text = MYANMAR.sub(burmese, text)
    if KATAKANA.search(text):
        text = KATAKANA.sub(katakana, text)
    text = text.translate(_SMALL_KANA)
    latin = anyascii(text)
    if "\x01" in latin:  # ジョ: ji + small yo → jo; キャ: ki + small ya → kya
        latin = _SMALL_AFTER.sub(lambda m: m.group(1) or "y", latin).replace("\x01", "y")
    return " ".join(latin.split())
