"""Where the persisted index lives: beside the database."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url


def index_root(database_url: str, override: str | None = None) -> Path | None:
    """`FTFHUB_INDEX_DIR` if set, else beside a SQLite file (`ftfhub.db` → `ftfhub.db.index/`),
    else `./ftfhub-index/`; None for an in-memory database (nothing to persist beside)."""
    override = override or os.environ.get("FTFHUB_INDEX_DIR")
    if override:
        return Path(override)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        return Path(url.database + ".index")
    return Path("ftfhub-index")
