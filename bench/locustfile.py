"""Locust load for `POST /match`: each simulated client sends one traveller per request at a
constant rate (``LOAD_RATE`` requests/s per user), travellers drawn from ``LOAD_QUERIES``
(a JSON list of person objects written by ``api_load.py``). FastHttpUser (geventhttpclient)
keeps the load generator's own CPU small beside the server's."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, constant_throughput, task

QUERIES = json.loads(Path(os.environ["LOAD_QUERIES"]).read_text("utf-8"))
TOKEN = os.environ.get("LOAD_TOKEN", "")


class Screener(FastHttpUser):
    wait_time = constant_throughput(float(os.environ.get("LOAD_RATE", "10")))

    @task
    def match(self) -> None:
        person = random.choice(QUERIES)
        self.client.post(
            "/match",
            json={"queries": {"t": person}, "kind": "travel"},
            headers={"Authorization": f"Bearer {TOKEN}", "X-Purpose": "flight check"},
            name="/match",
        )
