"""Learned Arabic-script → Latin transliteration model: how well a Latin token spells an Arabic one.

The model is a *contextual stochastic transducer* learned by EM (``bench/train_translit.py``) from
public Arabic/English name pairs. Arabic is written without short vowels, so every Arabic letter
emits a Latin *chunk* of 0..4 letters that carries its consonant and the vowels around it
(``م`` → ``m``/``mo``/``mu``/``mme``, ``ا`` → ``a``/``e``/``""``, ``ش`` → ``sh``/``ch``/``sch``).
Which chunk depends on the letter and its Arabic neighbours (``ي`` between consonants is ``i``,
before ``ا`` it is ``y``; word-initial ``ال`` often vanishes), so the emission distribution is
P(chunk | previous, letter, next), smoothed hierarchically (a Dirichlet prior centred on the
mean of the (letter, next) and (previous, letter) estimates, each centred on P(chunk | letter)).
As the Arabic side is given, this is a conditional distribution over Latin strings:

    P(latin | arabic) = Σ over segmentations of latin into chunks c_1..c_n of Π P(c_i | ctx_i)

**Spelling conventions.** The training names are mostly English-Wikipedia spellings of foreign
names, while watch lists spell Arabic names the French, German, Turkish or English way. So the
learned transducer is composed with a small hand-written *Latin-side* one: a chunk may be
rewritten (ou/u/oo, kh/ch/h, sh/ch/sch, j/dj/g, q/k/g, one vowel for another, a doubled or
undoubled consonant, or a short vowel added after a final consonant, the vowel Arabic leaves
unwritten), each rewrite costing a fixed factor (0.25), at most two per chunk. Two Arabic facts
are added the same way: the article's ل assimilating to a sun letter (عبد السلام → abdessalam)
and the usual readings of letters too rare in the data (ة → a/ah/at, ى, hamza seats). Rewrites
apply inside chunks, so the Viterbi search does not grow: they only enlarge each letter's table.

**Score.** ``score`` uses the best segmentation (Viterbi) rather than the sum: it ranks as well,
and since rewrites never beat the learned chunk they came from, the best Latin string is simply
the best chunk at every position. The score is the ratio P(latin | arabic) / P(best | arabic)
as a geometric mean per Arabic letter, raised to a power fitted on a held-out tenth of train so
that 0.5 is where right pairs and confusable wrong ones are equally often misjudged. The ratio
is monotone in the probability, so scores rank candidates for one Arabic word; the per-letter
mean keeps short and long words on one scale.

Input normalisation drops harakat, shadda, tatweel and bidi marks, folds presentation forms,
maps Persian/Urdu letters onto the Arabic letters used to write the same sounds (پ→ب, گ→غ,
چ→تش, ژ→ج, ک→ك, ی/ے→ي) and folds Latin accents (ş→s, ø→o, ß→ss). Pure Python at run time;
each letter-in-context table is built once (≈1 ms) and cached, as are scored pairs.
"""

from __future__ import annotations

import gzip
import heapq
import json
import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any, NamedTuple

DATA_FILE = "translit_model.json.gz"

# Arabic-script letters that are not in the training alphabet, written as the letters Arabic
# uses for the same sounds in the (Arabic-script) training data.
_AR_MAP = {
    "ک": "ك", "ی": "ي", "ې": "ي", "ے": "ي", "ۓ": "ي", "ھ": "ه", "ہ": "ه", "ۀ": "ة",
    "ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ں": "ن", "ڤ": "ف", "ڨ": "غ", "ڭ": "غ", "گ": "غ", "پ": "ب",
    "چ": "تش", "ژ": "ج", "ٱ": "ا", "ٲ": "أ", "ٳ": "إ", "ٵ": "أ", "ۃ": "ة",
}  # fmt: skip
_LATIN_MAP = {"ø": "o", "ı": "i", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss", "đ": "d", "ð": "d",
              "þ": "th", "ŀ": "l"}  # fmt: skip
_NON_AZ = re.compile(r"[^a-z]+")
_NEG = -math.inf


@lru_cache(maxsize=8192)
def normalise_arabic(text: str) -> str:
    """Bare Arabic letters: harakat, tatweel, marks, spaces and foreign letters removed."""
    out = []
    for ch in unicodedata.normalize("NFKC", text):
        ch = _AR_MAP.get(ch, ch)
        if all("\u0621" <= c <= "\u064a" and c != "\u0640" for c in ch):
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=8192)
def normalise_latin(text: str) -> str:
    """Lowercase a–z only: accents folded, apostrophes, spaces and hyphens removed."""
    text = "".join(_LATIN_MAP.get(c, c) for c in text.lower())
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _NON_AZ.sub("", text)


Table = dict[str, float]  # Latin chunk -> probability


class Params:
    """Expected chunk counts per context level and the smoothing that turns them into P(chunk|ctx).

    Shared by the runtime and the EM trainer so both use the same probabilities.
    Context keys: ``x`` (letter), ``xr``/``lx`` (letter with next/previous), ``lxr``;
    word boundaries are ``^`` and ``$``.
    """

    def __init__(self, counts: dict[str, dict[str, Table]], betas: dict[str, float],
                 max_chunk: int) -> None:  # fmt: skip
        self.counts = counts
        self.betas = betas
        self.max_chunk = max_chunk

    def dist(self, left: str, x: str, right: str) -> Table:
        """Smoothed P(chunk | left, x, right) over the chunks ever seen for x."""
        base = self._letter(x)
        b_xr = self._level("xr", x + right, base)
        b_lx = self._level("lx", left + x, base)
        mixed = {c: 0.5 * (b_xr[c] + b_lx[c]) for c in base}
        return self._level("lxr", left + x + right, mixed)

    def _letter(self, x: str) -> Table:
        # P(chunk | x): counts plus a small uniform mass so any single letter (or nothing)
        # can still be emitted: a typo or an unusual spelling costs a lot but is not impossible.
        seen = self.counts["x"].get(x, {})
        support = dict.fromkeys([*seen, "", *"abcdefghijklmnopqrstuvwxyz"], 0.0)
        beta = self.betas["x"]
        total = sum(seen.values()) + beta
        return {c: (seen.get(c, 0.0) + beta / len(support)) / total for c in support}

    def _level(self, level: str, key: str, prior: Table) -> Table:
        seen = self.counts[level].get(key)
        if not seen:
            return prior
        beta = self.betas[level]
        total = sum(seen.values()) + beta
        return {c: (seen.get(c, 0.0) + beta * p) / total for c, p in prior.items()}


# The Latin-side rewrites (see the module docstring): either direction of a pair below, plus
# the vowel, doubling and added-vowel rewrites done in rewrites().
_SWAPS = (
    ("ou", "u"), ("oo", "u"), ("ou", "oo"), ("ou", "o"), ("ee", "i"), ("ie", "i"), ("aa", "a"),
    ("ei", "ai"), ("kh", "ch"), ("kh", "h"), ("kh", "x"), ("sh", "ch"), ("sh", "sch"), ("sh", "s"),
    ("ch", "tch"), ("ch", "tsch"), ("j", "dj"), ("j", "g"), ("j", "dsch"), ("j", "zh"),
    ("q", "k"), ("q", "g"), ("k", "c"), ("gh", "g"), ("dh", "d"), ("dh", "z"), ("th", "t"),
    ("th", "s"), ("w", "ou"), ("w", "v"), ("y", "j"), ("y", "i"), ("ph", "f"),
)  # fmt: skip
_VOWELS = "aeiou"
# The article's ل assimilates to a following "sun letter" (عبد السلام → abdessalam).
_SUN = {"ت": "t", "ث": "t", "د": "d", "ذ": "d", "ر": "r", "ز": "z", "س": "s", "ش": "s", "ص": "s",
        "ض": "d", "ط": "t", "ظ": "z", "ن": "n"}  # fmt: skip
# Letters too rare in the training names to have learned all their usual readings.
_ALSO = {
    "ة": ("a", "ah", "at", "e", "eh", "et"),
    "ى": ("a", "i", "y", "e", ""),
    "ء": ("", "a", "e", "i", "u"),
    "ئ": ("", "i", "y", "e", "a"),
    "ؤ": ("", "u", "o", "ou", "w"),
}


@lru_cache(maxsize=65536)
def rewrites(chunk: str) -> tuple[str, ...]:
    """Every spelling one rewrite away from ``chunk`` (see ``_SWAPS``)."""
    out: set[str] = set()
    for a, b in _SWAPS:
        for src, dst in ((a, b), (b, a)):
            at = chunk.find(src)
            while at >= 0:
                out.add(chunk[:at] + dst + chunk[at + len(src) :])
                at = chunk.find(src, at + 1)
    for i, c in enumerate(chunk):
        if c in _VOWELS:
            out.update(chunk[:i] + v + chunk[i + 1 :] for v in _VOWELS)
        elif i + 1 < len(chunk) and chunk[i + 1] == c:
            out.add(chunk[:i] + chunk[i + 1 :])
        elif i == 0 or chunk[i - 1] != c:
            out.add(chunk[:i] + c + chunk[i:])
    if chunk and chunk[-1] not in _VOWELS:
        out.update(chunk + v for v in _VOWELS)
    out.discard(chunk)
    return tuple(sorted(out))


class Slot(NamedTuple):
    """One Arabic letter in context: what each Latin chunk costs, and the best chunks first."""

    walk: dict[str, float]  # chunk -> log-probability; proper prefixes of chunks -> -inf
    top: tuple[tuple[str, float], ...]  # the best chunks, best first (for the beam search)
    longest: int


class TranslitModel:
    """Scores Latin spellings of Arabic-script name tokens; see the module docstring."""

    def __init__(self, params: Params, sharpness: float, variant_cost: float) -> None:
        self.params = params
        self.sharpness = sharpness  # per-letter log-ratio multiplier fitted at training time
        self.variant_cost = math.log(variant_cost)  # log-probability price of one rewrite
        # Caches: a context's tables are ~20 kB and shared by all words; pairs are cheap.
        self._slot = lru_cache(maxsize=4096)(self._make_slot)
        self._plan = lru_cache(maxsize=8192)(self._compile)
        self._score = lru_cache(maxsize=65536)(self._score_norm)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TranslitModel:
        params = Params(data["counts"], data["betas"], int(data["max_chunk"]))
        return cls(params, float(data["sharpness"]), float(data["variant_cost"]))

    def _make_slot(self, left: str, x: str, right: str) -> Slot:
        learned = {c: math.log(p) for c, p in self.params.dist(left, x, right).items()}
        table = dict(learned)
        best = max(learned.values())
        floor = best + 2 * self.variant_cost + math.log(0.05)  # skip hopeless variants
        if x == "ل" and right in _SUN:
            table[_SUN[right]] = max(table[_SUN[right]], learned["l"] + self.variant_cost)
        for chunk in _ALSO.get(x, ()):
            table[chunk] = max(table.get(chunk, -math.inf), best + self.variant_cost)
        frontier = dict(table)
        for _ in range(2):  # up to two rewrites per chunk
            nxt: dict[str, float] = {}
            for chunk, lp in frontier.items():
                lp += self.variant_cost
                if lp < floor:
                    continue
                for variant in rewrites(chunk):
                    if lp > table.get(variant, -math.inf):
                        table[variant] = nxt[variant] = lp
            frontier = nxt
        near = [(-lp, c) for c, lp in table.items() if lp >= floor]  # the beam needs no more
        if len(near) < 32:  # but a one-letter word may still be asked for many candidates
            near = [(-lp, c) for c, lp in table.items()]
        top = tuple((c, -neg) for neg, c in sorted(near)[:32])
        # Proper prefixes of chunks map to -inf so that the Viterbi can stop extending early.
        walk = {c[:i]: -math.inf for c in table for i in range(1, len(c))}
        walk.update(table)
        return Slot(walk, top, max(map(len, table)))

    def _compile(self, arabic: str) -> tuple[tuple[Slot, ...], float]:
        """The Slot of every Arabic letter and the log-probability of the best Latin string."""
        letters = [c for c in arabic if c in self.params.counts["x"]]
        padded = ["^", *letters, "$"]
        slots = tuple(self._slot(*padded[i - 1 : i + 2]) for i in range(1, len(padded) - 1))
        return slots, sum(slot.top[0][1] for slot in slots)

    def log_prob(self, arabic: str, latin: str) -> float:
        """log P(latin | arabic) along the best segmentation (-inf when impossible)."""
        slots, _ = self._plan(normalise_arabic(arabic))
        return self._viterbi(slots, normalise_latin(latin))

    @staticmethod
    def _viterbi(slots: tuple[Slot, ...], latin: str) -> float:
        # The hot path of score(): plain loops and local names, as this runs ~10^5 times a second.
        m = len(latin)
        if not slots:
            return 0.0 if not latin else _NEG
        best: dict[int, float] = {0: 0.0}  # Latin letters consumed -> best log-prob so far
        for slot in slots:
            chunk_lp_of, k = slot.walk.get, slot.longest
            nxt: dict[int, float] = {}
            nxt_get = nxt.get
            for j, lp in best.items():
                stop = j + k + 1 if j + k < m else m + 1  # min() is a slow call here
                for end in range(j, stop):
                    chunk_lp = chunk_lp_of(latin[j:end])
                    if chunk_lp is None:  # no chunk starts like this: longer ones cannot match
                        break
                    total = lp + chunk_lp
                    if total > nxt_get(end, _NEG):
                        nxt[end] = total
            if not nxt:
                return _NEG
            best = nxt
        return best.get(m, _NEG)

    def score(self, arabic: str, latin: str) -> float:
        """How well ``latin`` transliterates ``arabic``, in [0, 1] (1 = the model's best)."""
        return self._score(normalise_arabic(arabic), normalise_latin(latin))

    def _score_norm(self, arabic: str, latin: str) -> float:
        slots, best = self._plan(arabic)
        if not slots or not latin:  # nothing is no spelling of something, and vice versa
            return 1.0 if not slots and not latin else 0.0
        return self._to_score(self._viterbi(slots, latin) - best, len(slots))

    def _to_score(self, log_ratio: float, letters: int) -> float:
        if log_ratio == -math.inf:
            return 0.0
        return min(1.0, math.exp(self.sharpness * log_ratio / letters))

    def candidates(self, arabic: str, k: int = 5) -> list[tuple[str, float]]:
        """The k most probable Latin spellings with their scores, best first (beam search)."""
        slots, best = self._plan(normalise_arabic(arabic))
        if k <= 0:
            return []
        if not slots:
            return [("", 1.0)]
        width = max(2 * k, 10)
        beam: list[tuple[str, float]] = [("", 0.0)]
        for slot in slots:
            nxt: dict[str, float] = {}
            heap: list[float] = []
            floor = -math.inf
            for prefix, lp in beam:  # both lists are best-first: stop once below the floor
                for chunk, chunk_lp in slot.top[:width]:
                    total = lp + chunk_lp
                    if total < floor:
                        break
                    out = prefix + chunk
                    if total > nxt.get(out, -math.inf):
                        nxt[out] = total
                        # The width-th best total so far: nothing below it can enter the beam.
                        if len(heap) < width:
                            heapq.heappush(heap, total)
                        else:
                            floor = heapq.heappushpop(heap, total)
            beam = sorted(nxt.items(), key=lambda item: (-item[1], item[0]))[:width]
        # The beam kept one segmentation per string; rescore the winners exactly so that
        # their scores are those score() gives.
        exact = [(s, self._viterbi(slots, s)) for s, _ in beam[:k]]
        ranked = sorted(exact, key=lambda item: (-item[1], item[0]))
        return [(s, self._to_score(lp - best, len(slots))) for s, lp in ranked]


@lru_cache(maxsize=1)
def load_model() -> TranslitModel:
    """The model shipped in ``ftfhub/names/data`` (loaded once)."""
    raw = resources.files("ftfhub.names").joinpath("data", DATA_FILE).read_bytes()
    return TranslitModel.from_json(json.loads(gzip.decompress(raw)))
