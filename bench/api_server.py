"""The API app for `api_load.py`: `ftfhub serve`'s app; until the hub has users and tokens
(`ftfhub.services.identity`), a stand-in accepts the bench's own token as a BE-PIU analyst."""

from __future__ import annotations

import importlib.util
import os

from fastapi import FastAPI

from ftfhub.api import create_app
from ftfhub.domain.vocab import Role
from ftfhub.services import Caller, Database


def app() -> FastAPI:
    if importlib.util.find_spec("ftfhub.services.identity") is not None:
        return create_app()
    token = os.environ["LOAD_TOKEN"]

    def bench_only(_db: Database, given: str | None) -> Caller:
        from ftfhub.api.errors import NotAuthenticated

        if given != token:
            raise NotAuthenticated("the token is not valid")
        return Caller("bench-analyst", "BE-PIU", Role.ANALYST)

    return create_app(authenticate=bench_only)
