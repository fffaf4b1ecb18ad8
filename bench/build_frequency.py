"""Build the default name-part frequency table shipped in the package.

`compare` and single queries need a population to weigh a name part against; the holdings
give one when there are holdings, this table when there are none (and a floor under small
holdings). It counts, per part key (`PartFeatures.freq_key`), how many people of three public
sources carry the part:

- the OFAC SDN 2021 and UK HMT 2018 lists in `../shared/data/watchlists` (primary names only:
  the aliases are what `watchlist_eval.py` holds out);
- the FEBRL synthetic person records in `../shared/data/linkage/febrl` (original records only,
  not their duplicates): a Western population beside the lists';

and gives an Arabic-script part the count of its romanisation in the Google ar2en training
pairs (`../shared/data/translit/google_ar2en/ar2en-train.txt`), so that `صلاح` is as common
as `Salah`. Rebuild it whenever the part keys change:

    python bench/build_frequency.py        # writes src/ftfhub/names/data/part_frequency.json.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
from collections import Counter
from pathlib import Path

from ftfhub.matching.features import name_features

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "ftfhub" / "names" / "data" / "part_frequency.json.gz"


def _keys(name: str) -> set[str]:
    return {p.freq_key for p in name_features(name).parts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    people = 0
    for path in sorted((args.data / "watchlists").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                counts.update(_keys(row["name"]))
                people += 1
    for path in sorted((args.data / "linkage" / "febrl").glob("dataset*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle, skipinitialspace=True)
            next(rows)
            for row in rows:
                if row and row[0].endswith("-org"):
                    counts.update(_keys(f"{row[1]} {row[2]}"))
                    people += 1
    pairs = args.data / "translit" / "google_ar2en" / "ar2en-train.txt"
    arabic: dict[str, int] = {}
    for line in pairs.read_text(encoding="utf-8").splitlines():
        script_form, _, latin = line.partition("\t")
        seen = max((counts.get(k, 0) for k in _keys(latin)), default=0)
        for key in _keys(script_form):
            arabic[key] = max(arabic.get(key, 0), seen)
    for key, count in arabic.items():
        counts[key] = max(counts[key], count)
    table = {"people": people, "counts": {k: c for k, c in sorted(counts.items()) if c >= 2}}
    args.out.write_bytes(gzip.compress(json.dumps(table, ensure_ascii=False).encode(), mtime=0))
    print(f"{people} people, {len(table['counts'])} part keys seen at least twice -> {args.out}")


if __name__ == "__main__":
    main()
