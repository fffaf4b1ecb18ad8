"""Named points in long transactions where a test can stop the process (`kill -9`).

`FTFHUB_PAUSE_AT=ingest.stored` makes a process reaching that point write its pid into
`FTFHUB_PAUSE_FILE` and sleep (`FTFHUB_PAUSE_SECONDS`, default 60), so a crash test kills it
exactly there; with `FTFHUB_RESUME_FILE` it goes on as soon as that file exists, so a test
can do something else while a load is held at that point, then let it finish. Unset, it
costs one dictionary lookup.
"""

from __future__ import annotations

import os
import time
from pathlib import Path


def checkpoint(name: str) -> None:
    if os.environ.get("FTFHUB_PAUSE_AT") != name:
        return
    marker = os.environ.get("FTFHUB_PAUSE_FILE")
    if marker:
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    until = time.monotonic() + float(os.environ.get("FTFHUB_PAUSE_SECONDS", "60"))
    resume = os.environ.get("FTFHUB_RESUME_FILE")
    while time.monotonic() < until:
        if resume and Path(resume).exists():
            return
        time.sleep(0.05)
