"""The index's version: the model parameters and the code that turns a name into keys and
features. A persisted index whose version differs from the running code is stale (built with
other keys or frequencies) and is rebuilt, never used."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

from ftfhub.matching.parameters import Parameters

FORMAT = 1
# The code and data whose change changes keys or features.
_SOURCES = (
    ("ftfhub.matching", ("features.py", "frequency.py")),
    ("ftfhub.names", ("arabic.py", "latin.py", "lexicon.py", "script.py", "structure.py")),
    ("ftfhub.index", ("keys.py", "columns.py", "payload.py")),
)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    digest = hashlib.sha256()
    for package, names in _SOURCES:
        folder = resources.files(package)
        for name in names:
            path = folder / name
            if path.is_file():
                digest.update(name.encode() + path.read_bytes())
    data = resources.files("ftfhub.names") / "data"
    for path in sorted(data.iterdir(), key=lambda p: p.name):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def model_version(params: Parameters) -> str:
    """A short fingerprint: index format, parameters, key and feature code."""
    digest = hashlib.sha256(f"{FORMAT}|{params!r}|{_code_digest()}".encode())
    return digest.hexdigest()[:16]
