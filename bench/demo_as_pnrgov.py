"""The demo's travellers with more than one given name as one PNRGOV push: the booking (TIF)
gives the first given name only, SSR DOCS the passport's full name, as reservation systems
send it. For measuring what a change to how PNR names are read does to screening: screen the
file with each version of the code against the same hub, then compare the two outputs.

    python bench/demo_as_pnrgov.py build DEMO_WORKDIR OUT.edi
    ftfhub screen OUT.edi --kind travel --purpose … --no-progress > before.jsonl   # each version
    python bench/demo_as_pnrgov.py compare before.jsonl after.jsonl
"""

from __future__ import annotations

import csv
import json
import sys
from datetime import date
from pathlib import Path

from ftfhub.dates import parse_date
from ftfhub.domain.errors import FieldError


def _airimp(text: str) -> str:
    """A full birth date as AIRIMP writes it (`03MAR1992`), "" when not a full date."""
    try:
        found = parse_date(text, field="birth")
    except FieldError:
        return ""
    if found is None or not (found.year and found.month and found.day):
        return ""
    return date(found.year, found.month, found.day).strftime("%d%b%Y").upper()


def _day(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d%m%y")


def build(workdir: Path, out: Path) -> int:
    rows: list[dict[str, str]] = []
    for path in sorted((workdir / "files").glob("be-piu-manifests-*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    chosen = [r for r in rows if len(r["passenger_name"].split("<<", 1)[-1].split("<")) >= 2]
    first = chosen[0]
    lines = ["UNA:+.? '", "UNB+IATA:1+ZZ+BEPIU+261201:0600+M1++PNRGOV'",
             "UNH+1+PNRGOV:15:1:IA+X'", "MSG+:22'",
             f"TVL+{_day(first['departure_date'])}:1000+{first['origin']}+"
             f"{first['destination']}+{first['flight'][:2]}+{first['flight'][2:]}'"]  # fmt: skip
    for number, r in enumerate(chosen):
        surname, given = r["passenger_name"].split("<<", 1)
        surname, words = surname.replace("<", " ").strip(), given.replace("<", " ").split()
        docs = (
            f"/P/{r['issuing_country']}/{r['document_number']}/{r['nationality']}/"
            f"{_airimp(r['birth_date'])}/{r['gender']}//{surname}/{words[0]}/{' '.join(words[1:])}"
        )
        lines += ["SRC'", f"RCI+ZZ:M{number:05d}'", f"TIF+{surname}:I+{words[0]}:A:1'",
                  f"SSR+DOCS:HK:1:ZZ:::::{docs}'",
                  f"TVL+{_day(r['departure_date'])}:1000+{r['origin']}+{r['destination']}+"
                  f"{r['flight'][:2]}+{r['flight'][2:]}:Y'"]  # fmt: skip
    lines += ["UNT+1+1'", "UNZ+1+M1'"]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(chosen)


def _matches(path: Path) -> dict[str, list[tuple[str, str, float]]]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        result = json.loads(line)
        found[result["query_id"]] = [
            (m["agency"], m["record_id"] or m["held"]["reference"], m["score"])
            for m in result["matches"]
        ]
    return found


def compare(before: Path, after: Path) -> None:
    a, b = _matches(before), _matches(after)
    changed = [q for q in a if a[q] != b.get(q)]
    print(f"queries {len(a)}; matches {sum(map(len, a.values()))} / {sum(map(len, b.values()))}")
    print(f"queries whose matches or scores differ: {len(changed)}")
    for query in changed:
        print(query, a[query], "->", b.get(query))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "build":
        print(build(Path(sys.argv[2]), Path(sys.argv[3])), "travellers")
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        raise SystemExit(__doc__)
