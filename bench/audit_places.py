"""What numbering an agency's events within the agency costs `audit list`: the CPU time of
the count it runs (`places_in_agency`), on a SQLite trail of N events spread over six
agencies, with the index migration 0009 adds and without it.

    nice -n 10 .venv/bin/python bench/audit_places.py --events 1000000
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, insert, text
from sqlalchemy.orm import Session

from ftfhub.services.audit_report import places_in_agency
from ftfhub.store.models import AuditEvent, Base

AGENCIES = ("BE-FP", "BE-PIU", "DE-BKA", "GB-CTP", "TR-EGM", "HUB")


def _cpu_ms(session: Session, newest: int, repeats: int = 5) -> float:
    """The best of `repeats` CPU times of numbering DE-BKA's 200 newest events."""
    ids = [newest - 200 * len(AGENCIES) + i * len(AGENCIES) for i in range(200)]
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        places_in_agency(session, "DE-BKA", ids)
        best = min(best, time.process_time() - start)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite:///{Path(folder) / 'trail.db'}")
        Base.metadata.create_all(engine, tables=[AuditEvent.__table__])  # type: ignore[list-item]
        at = datetime(2026, 11, 30)
        rng = random.Random(7)
        with engine.begin() as conn:
            for first in range(0, args.events, 50_000):
                rows = [
                    {
                        "at": at,
                        "actor": "user",
                        "agency": rng.choice(AGENCIES),
                        "action": "hit.list",
                        "object_type": "agency",
                        "object_id": "x",
                        "purpose": "a purpose of some length, as analysts write them",
                        "details": {},
                        "prev_hash": "0" * 64,
                        "hash": "0" * 64,
                    }
                    for _ in range(min(50_000, args.events - first))
                ]
                conn.execute(insert(AuditEvent), rows)
        with Session(engine) as session:
            indexed = _cpu_ms(session, args.events)
            session.execute(text("DROP INDEX ix_audit_events_agency_id"))
            bare = _cpu_ms(session, args.events)
        engine.dispose()
    print(f"{args.events:,} events: {indexed:.1f} ms CPU with the index, {bare:.1f} ms without")


if __name__ == "__main__":
    main()
