"""Reading airline messages: how long one flight's PAXLST and PNRGOV take to parse.

Builds a PAXLST of N travellers (one flight, passport each) and a PNRGOV of N/2 two-person
bookings (documents, tickets, cards with their expiry, seats, some phones and cards shared
across bookings, so the links are built too), from invented names, then times the reader
(tokenizing, grammar, Records and links) as the median of five runs, wall clock and the
process's CPU time (on a loaded machine the CPU time is the one to compare). `--lines`
writes the PAXLST as some senders do: one segment per line with no terminator, behind a Type
B envelope. Run:

    python bench/airline_parse.py [--travellers 300] [--lines]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from ftfhub.ingest.paxlst import read_paxlst_text
from ftfhub.ingest.pnrgov import read_pnrgov_text


def paxlst(n: int) -> str:
    head = (
        "UNA:+.? 'UNB+UNOA:4+AIR1+DHS+240301:1545+1++DHS'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'"
        "TDT+20+XQ123+++XQ'LOC+125+IST'DTM+189:2403011540:201'LOC+87+BRU'"
        "DTM+232:2403011740:201'\n"
    )
    body = "".join(
        f"NAD+FL+++SURNAME{i}:GIVEN{i}'ATT+2++M'DTM+329:850101'LOC+178+IST'LOC+179+BRU'"
        f"NAT+2+TUR'RFF+AVF:B{i:05d}'DOC+P:110:111+U{i:07d}'DTM+36:300101'LOC+91+TUR'\n"
        for i in range(n)
    )
    return head + body + f"CNT+42:{n}'UNT+1+1'UNZ+1+1'"


def pnrgov(n: int) -> str:
    head = (
        "UNA:+.? 'UNB+IATA:1+XQ++240301:1200+77'UNH+1+PNRGOV:13:1:IA+X'MSG+:22'ORG+XQ'"
        f"TVL+010324:1010:010324:1420+IST+BRU+XQ+123'EQN+{n // 2}'\n"
    )
    body = "".join(
        f"SRC'RCI+XQ:L{i:05d}::150224:0900'IFT+4:28::XQ+CTCM 32 470 12 {i % 50:02d} 56'"
        f"TIF+SURNAME{i}+GIVEN{i}MR:A:1'SSR+DOCS:HK:1:XQ:::::/P/TUR/U{i:07d}/TUR/01JAN90/M/"
        f"01JAN30/SURNAME{i}/GIVEN{i}'TKT+123{i}:T:1'MON+T:100.00:EUR'"
        f"FOP+CC:::VI:XXXX{i % 30:04d}:0728'TIF+SURNAME{i}+OTHER{i}MRS:A:2'SSR+DOCS:HK:1:XQ:::::"
        f"/P/TUR/V{i:07d}/TUR/01JAN91/F/01JAN30/SURNAME{i}/OTHER{i}'"
        f"TVL+010324:1010::1420+IST+BRU+XQ+123:Y'SSR+SEAT:HK:2:XQ:::IST:BRU+{i % 30 + 1}A::1+"
        f"{i % 30 + 1}B::2'\n"
        for i in range(n // 2)
    )
    return head + body + "UNT+1+1'UNZ+1+77'"


def as_lines(text: str) -> str:
    """The same interchange one segment per line without terminators, after a Type B
    envelope (no name in the bench holds an apostrophe)."""
    body = text.removeprefix("UNA:+.? '").replace("\n", "")
    return "QU BRUAPXA\n.XQAIRXH 011545\n" + body.replace("'", "\n")


def _median_seconds(run: Callable[[], int]) -> tuple[float, float, int]:
    walls, cpus, count = [], [], 0
    for _ in range(5):
        start, cpu = time.perf_counter(), time.process_time()
        count = run()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--travellers", type=int, default=300)
    parser.add_argument("--lines", action="store_true", help="PAXLST one segment per line")
    args = parser.parse_args()
    n = args.travellers
    pax = as_lines(paxlst(n)) if args.lines else paxlst(n)
    pnr = pnrgov(n)
    for label, text, read in (("PAXLST", pax, read_paxlst_text), ("PNRGOV", pnr, read_pnrgov_text)):
        wall, cpu, count = _median_seconds(lambda t=text, r=read: len(r(t, "bench").records))
        print(
            f"{label}: {count} travellers, {len(text):,} bytes, {wall * 1000:.0f} ms "
            f"(CPU {cpu * 1000:.0f} ms)"
        )


if __name__ == "__main__":
    main()
