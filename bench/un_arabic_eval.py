"""Arabic-script originals of a real list against its Latin names: the cross-script check.

Data: the UN Security Council Consolidated List as XML (`--xml`), which is public but is not
in `../shared/data` and must not be committed: download it from the UN (or any copy) and pass
its path. Each INDIVIDUAL with an Arabic-script NAME_ORIGINAL_SCRIPT gives one query.

Protocol:
- the reference holdings are every individual's Latin name (FIRST_NAME … FOURTH_NAME) and
  Latin aliases, with the birth date (`--no-dates` leaves dates out of the holdings too);
- each query is the Arabic original-script name alone (no date, no nationality);
- innocents: `--innocents` Arabic-script look-alikes, the first word of one original-script
  name followed by the rest of another (the same lineage under another given name: relatives,
  the hardest innocents there are), any equal to a listed original dropped;
- per matcher, the threshold at which at most 0.2 % (and 1 %) of innocents raise a hit, and
  hit@1 there, as in `watchlist_eval.py`.

ftfhub screens with its own index; the baseline and the peer score every reference (a
trigram retrieval over unidecoded Arabic would handicap them).

    python bench/un_arabic_eval.py --xml consolidated.xml [--matchers ftfhub,baseline,peer]
"""

from __future__ import annotations

import argparse
import random
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from common import PairScorer
from matchers import run_matchers
from watchlist_eval import MATCHERS, Holdings, Run, report, run_ftfhub, run_pairs

_ARABIC = re.compile("[\u0600-\u06ff]")
_SPACES = re.compile(r"\s+")


def _text(element: ET.Element, tag: str) -> str:
    return _SPACES.sub(" ", element.findtext(tag) or "").strip()


def load(xml: Path, innocents: int, seed: int, dates: bool) -> Holdings:
    """References, Arabic-script queries with their truths, and look-alike innocents."""
    references, queries, truths = [], [], []
    for person in ET.parse(xml).getroot().iter("INDIVIDUAL"):
        key = "UN-" + (_text(person, "REFERENCE_NUMBER") or _text(person, "DATAID"))
        fields = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        latin = " ".join(x for x in (_text(person, f) for f in fields) if x)
        aliases = [_text(a, "ALIAS_NAME") for a in person.findall("INDIVIDUAL_ALIAS")]
        aliases = list(dict.fromkeys(a for a in aliases if a and not _ARABIC.search(a)))
        birth = ""
        for date in person.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            birth = birth or _text(date, "DATE")[:10] or _text(date, "YEAR")
        references.append(
            {
                "record_id": key,
                "name": latin,
                "aliases": "|".join(aliases),
                "birth_date": birth if dates else "",
            }
        )
        original = _text(person, "NAME_ORIGINAL_SCRIPT")
        if _ARABIC.search(original):
            queries.append({"record_id": f"q-{key}", "name": original})
            truths.append(key)
    rng = random.Random(seed)
    chains = [q["name"].split() for q in queries if len(q["name"].split()) >= 2]
    seen = {q["name"] for q in queries}
    look_alikes: list[dict[str, str]] = []
    while chains and len(look_alikes) < innocents:
        name = " ".join([rng.choice(chains)[0], *rng.choice(chains)[1:]])
        if name not in seen:
            seen.add(name)
            look_alikes.append({"record_id": f"innocent-{len(look_alikes) + 1:05d}", "name": name})
    return Holdings(references, queries, truths, look_alikes)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--xml", type=Path, required=True, help="UN consolidated list XML")
    parser.add_argument("--matchers", default=",".join(MATCHERS))
    parser.add_argument("--innocents", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-dates", action="store_true", help="no birth dates in the holdings")
    args = parser.parse_args(argv)
    if not args.xml.is_file():
        parser.error(f"--xml {args.xml}: no such file")
    holdings = load(args.xml, args.innocents, args.seed, not args.no_dates)
    every = list(range(len(holdings.references)))
    retrieved = [every] * (len(holdings.queries) + len(holdings.innocents))

    def pairs(scorer: PairScorer, name: str, note: str) -> Run:
        return run_pairs(scorer, name, holdings, retrieved, note + "; every reference scored")

    runs, skipped = run_matchers(args.matchers.split(","), lambda: run_ftfhub(holdings, 10), pairs)
    header = (
        f"{len(holdings.queries)} Arabic-script originals against {len(holdings.references)} "
        f"listed people's Latin names; {len(holdings.innocents)} look-alike innocents"
    )
    print(report(runs, skipped, holdings, header))


if __name__ == "__main__":
    main()
