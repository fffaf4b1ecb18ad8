"""Named points in long transactions where a test can stop the process (`kill -9`).

`FTFHUB_PAUSE_AT=ingest.stored` makes a process reaching that point write its pid into
`FTFHUB_PAUSE_FILE` and sleep, so a crash test kills it exactly there. Unset, it costs one
dictionary lookup.
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
    time.sleep(float(os.environ.get("FTFHUB_PAUSE_SECONDS", "60")))
