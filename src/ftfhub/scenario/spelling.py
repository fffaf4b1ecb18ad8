"""How the world's writers spell a name: a convention's variants, slips within it, and MRZ.

Variation comes in three layers, as in real holdings:

1. the convention (``fr`` Abdeslam, ``de`` Abdessalam, ``en`` Abdul Salam, ``tr`` Abdüsselam),
   whose usual spelling is picked most often and its other spellings sometimes (tables);
2. slips within a convention (:func:`latin_drift`): vowel drift e/i/a, ou/u, doubled or
   single consonants, the article al-/el-/none, a hyphen, space or nothing inside compounds,
   a final h, q/k, ai/ay, and accents dropped; in Arabic script (:func:`arabic_drift`) hamza
   forms, final ة/ه and ى/ي, ``عبد ال`` fused, and the article dropped;
3. the machine-readable zone of a passport (:func:`mrz_name`), folded by the issuing
   country's rule (German ``Ü`` → ``UE``, Turkish ``Ş`` → ``S``) and cut at 39 characters.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence

from unidecode import unidecode

from ftfhub.scenario.tables import CONVENTIONS, NamePart

USUAL = 0.6  # chance of a convention's usual spelling; the others share the rest


def pick(rng: random.Random, variants: Sequence[str], usual: float = USUAL) -> str:
    """One of a convention's spellings: the first (usual) one most of the time."""
    if len(variants) == 1 or rng.random() < usual:
        return variants[0]
    return rng.choice(variants[1:])


def spell(part: NamePart, convention: str, rng: random.Random, drift: float = 0.0) -> str:
    """A spelling of ``part`` in ``convention``, with a slip with probability ``drift``."""
    text = pick(rng, part.variants(convention))
    if drift and not part.european and rng.random() < drift:
        text = latin_drift(text, rng)
    elif part.european and rng.random() < drift / 3:
        text = unidecode(text)
    return text


# --- slips within a convention (Latin script) ---------------------------------------------

_ARTICLE = re.compile(r"^(?:al|el|Al|El|AL|EL|ul|Ul)[- ]")
_ARTICLE_FORMS = ("El ", "El-", "Al-", "al-", "el-", "Al ", "")
_INNER_ARTICLE = re.compile(r"\b(al|el|ul|as|ad|an|at|ash|ach|asch|es|et|en|ed|eş)-")
_PREFIX = re.compile(r"^(Abd[eu]l|Abd[eu]r|Abd[eu]s|Abd[eu]n|Ben|Bel|Bou|Abou|Abu)(?=[a-z]{3})")
_SUFFIX = re.compile(r"(?<=[a-z]{2})(eddine|eddin|uddin|ed-din|ettin|eddine)$")
_VOWELS = set("aeiouAEIOUyY")
_CONSONANTS = set("bcdfghjklmnpqrstvwxz")
_DOUBLED = set("bdfklmnprstz")  # consonants that spellings double (Mohammed, Hassan)


_VOWEL_SLIPS = {"e": "ia", "i": "e", "a": "e"}  # Mohamed/Mohamad, Hatim/Hatem, Abdal/Abdel


def _vowel(text: str, rng: random.Random) -> str | None:
    spots = [
        i
        for i, c in enumerate(text[:-1])
        if i > 1 and c in _VOWEL_SLIPS and text[i - 1] in _CONSONANTS and text[i + 1] != " "
    ]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + rng.choice(_VOWEL_SLIPS[text[i]]) + text[i + 1 :]


def _ou(text: str, rng: random.Random) -> str | None:
    if "ou" in text:
        return text.replace("ou", "u", 1)
    spots = [i for i, c in enumerate(text) if c == "u" and i > 0 and text[i - 1] not in "oq"]
    if not spots:
        return None
    i = rng.choice(spots)
    return text[:i] + "ou" + text[i + 1 :]


def _double(text: str, rng: random.Random) -> str | None:
    doubled = [i for i in range(1, len(text) - 1) if text[i] == text[i + 1] and text[i] in _DOUBLED]
    single = [
        i
        for i in range(1, len(text) - 1)
        if text[i] in _DOUBLED and text[i - 1] in _VOWELS and text[i + 1] in _VOWELS
    ]
    if doubled and (not single or rng.random() < 0.5):
        i = rng.choice(doubled)
        return text[:i] + text[i + 1 :]
    if single:
        i = rng.choice(single)
        return text[:i] + text[i] + text[i:]
    return None


def _article(text: str, rng: random.Random) -> str | None:
    inner = _INNER_ARTICLE.search(text)
    if inner and rng.random() < 0.5:
        other = rng.choice(["al-", "el-", "Al ", "al "])
        return text[: inner.start()] + other + text[inner.end() :]
    match = _ARTICLE.match(text)
    if not match:
        return None
    rest = text[match.end() :]
    form = rng.choice([f for f in _ARTICLE_FORMS if f != match.group(0)])
    if not form:
        return rest
    return form + (rest[:1].upper() + rest[1:] if form.endswith(" ") else rest)


def _joint(text: str, rng: random.Random) -> str | None:
    seps = [i for i, c in enumerate(text) if c in " -" and 0 < i < len(text) - 1]
    if seps:
        i = rng.choice(seps)
        new = rng.choice([s for s in (" ", "-", "") if s != text[i]])
        after = text[i + 1 :]
        after = after[:1].lower() + after[1:] if not new else after[:1].upper() + after[1:]
        return text[:i] + new + after
    for pattern in (_PREFIX, _SUFFIX):
        match = pattern.search(text)
        if match:
            cut = match.end() if pattern is _PREFIX else match.start()
            sep = rng.choice((" ", "-"))
            return text[:cut] + sep + text[cut:][:1].upper() + text[cut + 1 :]
    return None


def _final_h(text: str, rng: random.Random) -> str | None:
    if text.endswith("ah") and len(text) > 4:
        return text[:-1]
    if text.endswith("a") and len(text) > 3:
        return text + "h"
    return None


def _ai(text: str, rng: random.Random) -> str | None:
    for old, new in (("ai", "ay"), ("ay", "ai"), ("ei", "ai"), ("q", "k"), ("ck", "k")):
        if old in text[1:]:
            i = text.index(old, 1)
            return text[:i] + new + text[i + len(old) :]
    return None


def _plain(text: str, rng: random.Random) -> str | None:
    plain = unidecode(text)
    return plain if plain != text else None


_LATIN_SLIPS: tuple[Callable[[str, random.Random], str | None], ...] = (
    _vowel,
    _ou,
    _double,
    _article,
    _joint,
    _final_h,
    _ai,
    _plain,
)


def latin_drift(text: str, rng: random.Random) -> str:
    """One realistic slip within a spelling convention (or the text unchanged if none fits)."""
    slips = list(_LATIN_SLIPS)
    rng.shuffle(slips)
    for slip in slips:
        result = slip(text, rng)
        if result and result.strip() and result != text:
            return result
    return text


# --- slips in Arabic script ----------------------------------------------------------------

_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})


def arabic_drift(text: str, rng: random.Random) -> str:
    """One slip of Arabic handwriting or typing: hamza, final letters, spacing, article."""
    options: list[Callable[[str], str]] = []
    if any(c in text for c in "أإآ"):
        options.append(lambda t: t.translate(_HAMZA))
    if re.search(r"ة(\s|$)", text):
        options.append(lambda t: re.sub(r"ة(\s|$)", r"ه\1", t))
    if re.search(r"ى(\s|$)", text):
        options.append(lambda t: re.sub(r"ى(\s|$)", r"ي\1", t))
    if "عبد ال" in text:
        options.append(lambda t: t.replace("عبد ال", "عبدال"))
    if re.search(r"\sال\S{3,}$", text):  # the article of the last word (family, nisba)
        options.append(lambda t: re.sub(r"(\s)ال(?=\S{3,}$)", r"\1", t))
    if not options:
        return text
    return rng.choice(options)(text)


# --- passports -----------------------------------------------------------------------------

_MRZ_SPECIAL: dict[str, dict[str, str]] = {
    "DE": {"Ä": "AE", "Ö": "OE", "Ü": "UE"},
    "AT": {"Ä": "AE", "Ö": "OE", "Ü": "UE"},
    "SE": {"Å": "AA", "Ä": "AE", "Ö": "OE"},
    "DK": {"Æ": "AE", "Ø": "OE", "Å": "AA"},
}
_MRZ_FILLER = re.compile(r"[^A-Z<]")
MRZ_NAME_LENGTH = 39  # the name field of a TD3 (passport) machine-readable zone


def mrz_fold(text: str, country: str) -> str:
    """A name part as the issuing country prints it in the MRZ: A–Z and `<` only."""
    upper = text.upper()
    for old, new in _MRZ_SPECIAL.get(country, {}).items():
        upper = upper.replace(old, new)
    upper = unidecode(upper).upper().replace("'", "")
    upper = re.sub(r"[\s\-]+", "<", upper.strip())
    return _MRZ_FILLER.sub("", upper)


def mrz_name(surname: str, given: str, country: str) -> str:
    """`SURNAME<<GIVEN<NAMES`, cut to the 39 characters of a passport's name field."""
    text = f"{mrz_fold(surname, country)}<<{mrz_fold(given, country)}"
    return text[:MRZ_NAME_LENGTH].rstrip("<")


# --- names made from other names ------------------------------------------------------------


def compose_family(prefix: NamePart, given: NamePart) -> NamePart:
    """A family name made of a particle and a given name: `Ben Ali`, `Benali`, `Ould Ahmed`."""
    spellings: dict[str, tuple[str, ...]] = {}
    for conv in CONVENTIONS:
        first_p, first_g = prefix.variants(conv)[0], given.variants(conv)[0]
        spaced = f"{first_p} {first_g}"
        fused = f"{first_p}{first_g[:1].lower()}{first_g[1:]}"
        forms = [fused, spaced] if prefix.join >= 0.5 else [spaced, fused]
        forms.append(f"{first_p}-{first_g}")
        forms += [f"{p} {g}" for p in prefix.variants(conv) for g in given.variants(conv)]
        spellings[conv] = tuple(dict.fromkeys(forms))
    joiner = "" if prefix.join >= 0.5 else " "
    return NamePart(
        key=f"{prefix.key}_{given.key}",
        ar=f"{prefix.ar}{joiner}{given.ar}",
        spellings=spellings,
        regions=prefix.regions,
    )


def feminine(part: NamePart) -> NamePart:
    """The feminine of a Russian-style surname (`Magomedov` → `Magomedova`); others as they are."""
    endings = ("ov", "ev", "ow", "ew", "OV", "EV")
    if not any(f.endswith(endings) for forms in part.spellings.values() for f in forms):
        return part
    spellings = {
        conv: tuple(f + ("A" if f.isupper() else "a") for f in forms if f.endswith(endings))
        or forms
        for conv, forms in part.spellings.items()
    }
    return NamePart(
        key=f"{part.key}_f",
        ar=part.ar + "ا",
        spellings=spellings,
        regions=part.regions,
        gender="f",
    )
