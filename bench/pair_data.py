"""The labelled name pairs of `pair_eval.py`, built from the development data, seeded.

Positives (same person), each labelled by kind of variation:

- `alias`: a listed person's primary name against one of the list's own aliases (real spelling
  variation, as the list wrote it);
- generated from a listed primary name, written `Given Surname`: `typo` (a letter dropped,
  doubled, or struck on a neighbouring key), `transposition` (two adjacent letters swapped),
  `join` (two words written as one, `FridrichBuchenberg`), `split` (a long word in two),
  `reorder` (surname first, with or without a comma), `initial` (a given name as its
  initial), `cyrillic` (the name written in Cyrillic letters, as a Russian-speaking agency
  would; compared with its Latin form);
- `arabic`: two or three words of the ar2en evaluation split (held out from the transliteration
  model's training), the Arabic-script words as one name against their romanisations.

Negatives (different people), each labelled:

- `relative`: the same family name, another listed person's given name;
- `same_given`: the same given name, another family name;
- `lineage`: a chain of three or more words under another first name (a brother);
- `shared_word`: two different listed people whose names share a word (real near-misses);
- `cyrillic_other` / `arabic_other`: a name in Cyrillic or Arabic script against another
  person's romanised name that shares one word with it.

Every pair carries the list it came from, so a figure can be read per list.
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from common import SHARED_DATA, split_multi
from ftfhub.names.latin import fold, soft_forms

LISTS = {
    "OFAC": SHARED_DATA / "watchlists" / "ofac_sdn_2021_non_terror.csv",
    "UK": SHARED_DATA / "watchlists" / "uk_hmt_2018_non_un.csv",
}
AR2EN = SHARED_DATA / "translit" / "google_ar2en" / "ar2en-eval.txt"


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool
    kind: str
    script: str  # the script of the side that is not Latin ("latin" when both are)
    source: str


def _display(name: str) -> list[str]:
    """`HAMSHO, Mohammed` → [`Mohammed`, `Hamsho`]: given names first, title case."""
    if "," in name:
        surname, _, given = name.partition(",")
        name = f"{given} {surname}"
    return [w.capitalize() for w in re.split(r"[\s]+", name.strip()) if w]


_KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"


def _neighbour(ch: str, rng: random.Random) -> str:
    i = _KEYBOARD.find(ch.lower())
    if i < 0:
        return ch
    options = [c for c in (_KEYBOARD[i - 1 : i] + _KEYBOARD[i + 1 : i + 2]) if c.strip()]
    return rng.choice(options) if options else ch


def _typo(word: str, rng: random.Random) -> str:
    k = rng.randrange(1, len(word) - 1)
    action = rng.choice(("drop", "double", "key"))
    if action == "drop":
        return word[:k] + word[k + 1 :]
    if action == "double":
        return word[:k] + word[k] + word[k:]
    return word[:k] + _neighbour(word[k], rng) + word[k + 1 :]


_CYRILLIC = [
    ("shch", "щ"), ("sh", "ш"), ("kh", "х"), ("zh", "ж"), ("ch", "ч"), ("ts", "ц"),
    ("ya", "я"), ("yu", "ю"), ("yo", "ё"), ("ye", "е"), ("a", "а"), ("b", "б"), ("v", "в"),
    ("w", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"),
    ("j", "дж"), ("k", "к"), ("q", "к"), ("c", "к"), ("l", "л"), ("m", "м"), ("n", "н"),
    ("o", "о"), ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"),
    ("h", "х"), ("x", "кс"),
]  # fmt: skip
_CYR_RE = re.compile("|".join(re.escape(latin) for latin, _ in _CYRILLIC))
_CYR_MAP = dict(_CYRILLIC)


def to_cyrillic(name: str) -> str:
    """A Latin name written as a Russian-speaking clerk would, letter group by group."""
    words = []
    for word in name.lower().split():
        cyr = _CYR_RE.sub(lambda m: _CYR_MAP[m.group(0)], word)
        words.append(cyr[:1].upper() + cyr[1:])
    return " ".join(words)


_VOWELS = re.compile(r"[aeiou]+")


def same_name(x: str, y: str) -> bool:
    """Two words that are spellings of one name: a soft form (English, French, German and
    Turkish conventions collapsed, doubled letters single) with the same consonants and the
    same vowel places (`Mohamed` / `Mohammad` / `Muhammad`, `Yousef` / `Yusuf`), told apart
    from names that share only consonants (`Hosseini` / `Hosni`, `Ali` / `Alia`). Used so
    that a generated negative never swaps in the same name; matcher-neutral (no score)."""

    def shapes(word: str) -> set[str]:
        return {_VOWELS.sub("V", s) for s in soft_forms(fold(word))}

    return x.lower() == y.lower() or bool(shapes(x) & shapes(y))


def _people(path: Path) -> list[tuple[str, list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["name"], split_multi(r.get("aliases"))) for r in csv.DictReader(handle)]


def _ascii_words(words: list[str]) -> bool:
    return all(w.isascii() and w.isalpha() for w in words)


def build_pairs(per_kind: int = 250, seed: int = 15) -> list[Pair]:
    rng = random.Random(seed)
    pairs: list[Pair] = []
    for source, path in LISTS.items():
        people = _people(path)
        names = [_display(n) for n, _ in people]
        usable = [w for w in names if 2 <= len(w) <= 4 and _ascii_words(w)]
        n = per_kind if source == "OFAC" else max(per_kind // 3, 40)
        pairs += _positives(people, usable, n, source, rng)
        pairs += _negatives(people, usable, n, source, rng)
    pairs += _arabic(per_kind, rng)
    return pairs


def _positives(
    people: list[tuple[str, list[str]]],
    usable: list[list[str]],
    n: int,
    source: str,
    rng: random.Random,
) -> list[Pair]:
    out = []
    with_alias = [(name, aliases) for name, aliases in people if aliases]
    for name, aliases in rng.sample(with_alias, min(n, len(with_alias))):
        out.append(Pair(name, rng.choice(aliases), True, "alias", "latin", source))
    for kind in ("typo", "transposition", "join", "split", "reorder", "initial", "cyrillic"):
        made = 0
        for words in rng.sample(usable, len(usable)):
            variant = _vary(kind, words, rng)
            if variant is None:
                continue
            script = "cyrillic" if kind == "cyrillic" else "latin"
            out.append(Pair(" ".join(words), variant, True, kind, script, source))
            made += 1
            if made >= n:
                break
    return out


def _vary(kind: str, words: list[str], rng: random.Random) -> str | None:
    words = list(words)
    long_ = [i for i, w in enumerate(words) if len(w) >= 5]
    if kind in ("typo", "transposition"):
        if not long_:
            return None
        i = rng.choice(long_)
        w = words[i]
        if kind == "typo":
            words[i] = _typo(w, rng)
        else:
            k = rng.randrange(1, len(w) - 2)
            words[i] = w[:k] + w[k + 1] + w[k] + w[k + 2 :]
        return " ".join(words)
    if kind == "join":
        k = rng.randrange(len(words) - 1)
        return " ".join([*words[:k], words[k] + words[k + 1], *words[k + 2 :]])
    if kind == "split":
        longer = [i for i, w in enumerate(words) if len(w) >= 8]
        if not longer:
            return None
        i = rng.choice(longer)
        k = rng.randrange(3, len(words[i]) - 2)
        return " ".join([*words[:i], words[i][:k], words[i][k:].capitalize(), *words[i + 1 :]])
    if kind == "reorder":
        surname = words[-1].upper()
        return (
            f"{surname}, {' '.join(words[:-1])}"
            if rng.random() < 0.5
            else " ".join([words[-1], *words[:-1]])
        )
    if kind == "initial":
        return " ".join([words[0][0] + ".", *words[1:]])
    return to_cyrillic(" ".join(words))


def _negatives(
    people: list[tuple[str, list[str]]],
    usable: list[list[str]],
    n: int,
    source: str,
    rng: random.Random,
) -> list[Pair]:
    out: list[Pair] = []
    known = {" ".join(sorted(w.lower() for w in words)) for words in usable}

    def add(a: list[str], b: list[str], kind: str, script: str = "latin") -> None:
        if " ".join(sorted(w.lower() for w in b)) in known and b != a:
            return  # the combination is a listed person's name
        if any(same_name(x, y) for x, y in zip(a, b, strict=False) if x != y):
            return  # the swapped word is a spelling of the same name (Mohamed for Mohammad)
        text_a = to_cyrillic(" ".join(a)) if script == "cyrillic" else " ".join(a)
        out.append(Pair(text_a, " ".join(b), False, kind, script, source))

    by_word: dict[str, list[int]] = defaultdict(list)
    for k, words in enumerate(usable):
        for w in sorted(set(words)):
            by_word[w.lower()].append(k)
    for kind in ("relative", "same_given", "lineage", "cyrillic_other"):
        made = 0
        while made < n:
            a, b = rng.sample(usable, 2)
            if kind == "relative" and a[0].lower() != b[0].lower():
                add(a, [b[0], *a[1:]], kind)
            elif kind == "same_given" and a[-1].lower() != b[-1].lower():
                add(a, [*a[:-1], b[-1]], kind)
            elif kind == "lineage" and len(a) >= 3 and a[0].lower() != b[0].lower():
                add(a, [b[0], *a[1:]], kind)
            elif kind == "cyrillic_other" and a[0].lower() != b[0].lower():
                add(a, [b[0], *a[1:]], kind, "cyrillic")
            else:
                continue
            made += 1
    shared = [ks for ks in by_word.values() if 1 < len(ks) < 30]
    for _ in range(n):
        ka, kb = rng.sample(rng.choice(shared), 2)
        a, b = usable[ka], usable[kb]
        if {w.lower() for w in a} != {w.lower() for w in b}:
            out.append(Pair(" ".join(a), " ".join(b), False, "shared_word", "latin", source))
    return out


def _arabic(n: int, rng: random.Random) -> list[Pair]:
    words = [line.split("\t") for line in AR2EN.read_text(encoding="utf-8").splitlines()]
    words = [(ar, la) for ar, la in words if ar and la]
    out: list[Pair] = []
    for _ in range(n):
        chosen = rng.sample(words, rng.choice((2, 3)))
        arabic = " ".join(ar for ar, _ in chosen)
        latin = " ".join(la.capitalize() for _, la in chosen)
        out.append(Pair(arabic, latin, True, "arabic", "arabic", "ar2en"))
        # The same Arabic name against another name sharing one word (a different first word).
        other = rng.choice(words)
        if same_name(other[1], chosen[0][1]):
            continue
        negative = " ".join([other[1].capitalize(), *(la.capitalize() for _, la in chosen[1:])])
        out.append(Pair(arabic, negative, False, "arabic_other", "arabic", "ar2en"))
    return out
