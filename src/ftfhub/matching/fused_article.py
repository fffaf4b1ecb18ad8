"""The Arabic article fused as a bare `l` (`Labidi` for al-Abidi), read apart only on evidence.

French and Maghrebi spellings write al- before a vowel-initial stem as one leading `l`:
`Labidi`/`Laabidi` العبيدي (al-Abidi, al-Obaidi), `Lamari` al-Amari, `Lahmar` al-Ahmar,
`Lazrak` al-Azraq, `Lansari` al-Ansari. Most Latin names that start with `l` and a vowel
(`Laurent`, `Lopez`, `Lukas`) have no article, so `features.py` only offers the stem as a
weak other reading. Two kinds of evidence license reading it as al- plus the stem, at the
stem's own level (`part_levels`):

- the other side writes the article itself, apart (`Al-Obaidi`, read as a nisba), so the
  pair is about an al- name in any case: the stems' own level, a close spelling included;
- the stem ends as an Arabic nisba does (`-i`: Abidi, Amari, Alaoui) and is the other side's
  word itself (`Lamari` ~ `Amari`): a spelling variant, nothing looser, since Persian and
  other names open with a real `l` too (`Larijani` is not `Arana`).

An article fused on the other side is no evidence: `Alberto` and `Elena` start with one.
`Lopez`, `Laurent`, `Lukas` and `Lina` keep their identity.
"""

from __future__ import annotations

import re

from ftfhub.matching.features import PartFeatures

# A nisba stem as Maghrebi and Levantine lists write it: a vowel, at least three more letters
# ending in a consonant and -i (Abidi, Amari, Alaoui, Ansari, Idrissi).
_NISBA_STEM = re.compile(r"^[aeiou][a-z]{2,}[^aeiou][iy]$")


def _l_stem(part: PartFeatures) -> str:
    """`abidi` for `labidi` (the stem `features.py` offered as another reading), else ""."""
    if part.script != "latin" or part.role != "name" or part.prefix or part.suffix:
        return ""
    stem = part.text[1:]
    return stem if part.text.startswith("l") and stem in part.alt else ""


def _la_stem(part: PartFeatures, stem: str) -> str:
    """`hlali` for `lahlali`: before a consonant Maghrebi spellings write the article `la`
    (`Lahlali` الهلالي al-Hilali, `Lahbabi` al-Habbabi, `Lahrichi` al-Harishi), the stem's
    own first vowel then left out as after any first consonant (`Zbidi`, `Mhamed`); "" when
    the word is not so written."""
    rest = stem[1:]
    two_consonants = len(rest) >= 4 and not _VOWELS.intersection(rest[:2])
    return rest if stem.startswith("a") and two_consonants else ""


_VOWELS = frozenset("aeiouy")


def _written_article(part: PartFeatures) -> bool:
    """The word after an article the other side wrote apart (`Al-Obaidi`, `El Amari`)."""
    return part.script == "latin" and part.role == "nisba" and not (part.prefix or part.suffix)


def l_article_readings(a: PartFeatures, b: PartFeatures) -> tuple[tuple[str, str, bool], ...]:
    """The (a, b) words to compare when one side fuses the article as `l` and the evidence
    allows reading it so, each with whether the other side wrote the article; empty
    otherwise."""
    found: list[tuple[str, str, bool]] = []
    for one, other, flip in ((a, b, False), (b, a, True)):
        stem = _l_stem(one)
        if not stem:
            continue
        written = _written_article(other)
        plain = other.role == "name" and other.script == "latin" and not other.prefix
        if written or (plain and not other.suffix and _NISBA_STEM.match(stem)):
            found.append((other.text, stem, written) if flip else (stem, other.text, written))
        # `la` before a consonant, only where the other side writes the article apart.
        la = _la_stem(one, stem) if written else ""
        if la:
            found.append((other.text, la, written) if flip else (la, other.text, written))
    return tuple(found)
