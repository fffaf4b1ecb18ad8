"""Locust load for `POST /match`: each simulated client sends one traveller per request at a
constant rate (``LOAD_RATE`` requests/s per user), travellers drawn from ``LOAD_QUERIES``
(a JSON list of person objects written by ``api_load.py``). FastHttpUser (geventhttpclient)
keeps the load generator's own CPU small beside the server's.

Each client starts at a random moment within its first interval: clients started together
at a constant throughput stay in step and send their requests in bursts (twenty at once every
tenth of a second at 200/s from 20 clients), which measures how long a burst queues, not a
steady rate."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import gevent
from locust import FastHttpUser, constant_throughput, task

RATE = float(os.environ.get("LOAD_RATE", "10"))  # requests/s of one client
QUERIES = json.loads(Path(os.environ["LOAD_QUERIES"]).read_text("utf-8"))
TOKEN = os.environ.get("LOAD_TOKEN", "")


class Screener(FastHttpUser):
    wait_time = constant_throughput(RATE)

    def on_start(self) -> None:
        gevent.sleep(random.uniform(0.0, 1.0 / RATE))  # out of step with the other clients

    @task
    def match(self) -> None:
        person = random.choice(QUERIES)
        self.client.post(
            "/match",
            json={"queries": {"t": person}, "kind": "travel"},
            headers={"Authorization": f"Bearer {TOKEN}", "X-Purpose": "flight check"},
            name="/match",
        )
