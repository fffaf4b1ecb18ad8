"""The Arabic article fused as a bare `l` (`Labidi` for al-Abidi), read apart only on evidence.

French and Maghrebi spellings write al- before a vowel-initial stem as one leading `l`:
`Labidi`/`Laabidi` العبيدي (al-Abidi, al-Obaidi), `Lamari` al-Amari, `Lahmar` al-Ahmar,
`Lazrak` al-Azraq, `Lansari` al-Ansari. Most Latin names that start with `l` and a vowel
(`Laurent`, `Lopez`, `Lukas`) have no article, so `features.py` only offers the stem as a
weak other reading. Two kinds of evidence license reading it as al- plus the stem, at the
stem's own level (`part_levels`):

- the other side writes the article itself: apart (`Al-Obaidi`, read as a nisba) or fused
  (`Elabidi`), so the pair is about an al- name in any case;
- the stem ends as an Arabic nisba does (`-i`: Abidi, Amari, Alaoui): `Labidi` against a
  plain `Obaidi`. `Lopez`, `Laurent`, `Lukas` and `Lina` do not, and keep their identity.
"""

from __future__ import annotations

import re

from ftfhub.matching.features import PartFeatures

_ARTICLES = ("al", "el")
# A nisba stem as Maghrebi and Levantine lists write it: a vowel, at least three more letters
# ending in a consonant and -i (Abidi, Amari, Alaoui, Ansari, Idrissi).
_NISBA_STEM = re.compile(r"^[aeiou][a-z]{2,}[^aeiou][iy]$")


def _l_stem(part: PartFeatures) -> str:
    """`abidi` for `labidi` (the stem `features.py` offered as another reading), else ""."""
    if part.script != "latin" or part.role != "name" or part.prefix or part.suffix:
        return ""
    stem = part.text[1:]
    return stem if part.text.startswith("l") and stem in part.alt else ""


def _article_stems(part: PartFeatures) -> tuple[str, ...]:
    """The other side's word after an article it wrote: apart (a nisba) or fused (`Elabidi`)."""
    if part.script != "latin" or part.prefix or part.suffix:
        return ()
    if part.role == "nisba":
        return (part.text,)
    if part.role != "name":
        return ()
    return tuple(
        alt for alt in part.alt if any(part.text == article + alt for article in _ARTICLES)
    )


def l_article_readings(a: PartFeatures, b: PartFeatures) -> tuple[tuple[str, str], ...]:
    """The (a, b) stems to compare when one side fuses the article as `l` and the evidence
    allows reading it so; empty otherwise."""
    found: list[tuple[str, str]] = []
    for one, other, flip in ((a, b, False), (b, a, True)):
        stem = _l_stem(one)
        if not stem:
            continue
        others = _article_stems(other)
        if not others and other.role == "name" and _NISBA_STEM.match(stem):
            others = (other.text,) if other.script == "latin" and not other.prefix else ()
        found += [(o, stem) if flip else (stem, o) for o in others if not other.suffix]
    return tuple(found)
