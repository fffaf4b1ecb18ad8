"""Locust load for `POST /match`: each simulated client sends one traveller per request at a
constant rate (``LOAD_RATE`` requests/s per user), travellers drawn from ``LOAD_QUERIES``
(a JSON list of person objects written by ``api_load.py``). FastHttpUser (geventhttpclient)
keeps the load generator's own CPU small beside the server's.

The clients send out of step, and stay so: each starts at a random moment of its first
interval and then keeps to its own beat (start, start + 1/rate, start + 2/rate, …), skipping
a beat it is too late for rather than sending at once. Locust's own `constant_throughput`
sends the next request at once when an answer came late, so one slow moment — the first
requests all waiting for the one check of their shared token — sets every client to the same
beat for good: twenty requests at once every tenth of a second at 200/s from 20 clients,
which measures how long a burst of twenty queues, not a steady rate. At the end the load says
how steady it was: the most requests sent in any 10 ms.
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import gevent
from locust import FastHttpUser, events, task

RATE = float(os.environ.get("LOAD_RATE", "10"))  # requests/s of one client
QUERIES = json.loads(Path(os.environ["LOAD_QUERIES"]).read_text("utf-8"))
TOKEN = os.environ.get("LOAD_TOKEN", "")
SENT: list[float] = []  # when each request was sent (this process's clock)
SKIPPED = [0]  # beats a client was too late for


class Screener(FastHttpUser):
    def on_start(self) -> None:
        gevent.sleep(random.uniform(0.0, 1.0 / RATE))  # this client's phase
        self.beat = time.monotonic()

    def wait_time(self) -> float:
        """Until this client's next beat; a beat already past is skipped, not caught up."""
        now = time.monotonic()
        if self.beat <= now:
            missed = math.floor((now - self.beat) * RATE) + 1
            SKIPPED[0] += missed - 1
            self.beat += missed / RATE
        return self.beat - now

    @task
    def match(self) -> None:
        person = random.choice(QUERIES)
        SENT.append(time.monotonic())
        self.client.post(
            "/match",
            json={"queries": {"t": person}, "kind": "travel"},
            headers={"Authorization": f"Bearer {TOKEN}", "X-Purpose": "flight check"},
            name="/match",
        )


@events.test_stop.add_listener
def steadiness(**_kwargs: Any) -> None:
    """The most requests sent in one 10 ms window, and the median over busy windows (a
    steady 200/s sends about 2 per 10 ms; clients in step send 20 at once)."""
    if not SENT:
        return
    windows = sorted(Counter(int(t * 100) for t in SENT).values())
    print(
        f"load steadiness: at most {windows[-1]} requests in any 10 ms, "
        f"median {windows[len(windows) // 2]} in a 10 ms window with any; "
        f"{SKIPPED[0]} beats skipped by clients still waiting for an answer",
        file=sys.stderr,
    )
