"""The index's version: the model parameters and the code that turns a name into keys and
features. A persisted index whose version differs from the running code is stale (built with
other keys or frequencies) and is rebuilt, never used."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources

from ftfhub.index.kept import FORMAT_TAG
from ftfhub.matching.parameters import Parameters

# 2: each record's features kept beside its fields (`kept.py`), in marshal's format of the
# Python that wrote them.
FORMAT = 2
# The code and data whose change changes keys or features. Every module of the name analysis
# counts (a list of some of them left an index stale when romanisation or cognates changed);
# of matching and index, the modules that make features and keys.
_SOURCES = (
    ("ftfhub.matching", ("features.py", "frequency.py")),
    ("ftfhub.index", ("keys.py", "columns.py", "payload.py", "kept.py")),
)
_WHOLE_PACKAGES = ("ftfhub.names",)


def fingerprinted() -> list[str]:
    """The source files whose bytes the version covers, as package/file."""
    out = [f"{package}/{name}" for package, names in _SOURCES for name in names]
    for package in _WHOLE_PACKAGES:
        folder = resources.files(package)
        found = sorted(p.name for p in folder.iterdir() if p.name.endswith(".py"))
        out.extend(f"{package}/{name}" for name in found)
    return out


@lru_cache(maxsize=1)
def _code_digest() -> str:
    digest = hashlib.sha256()
    for entry in fingerprinted():
        package, name = entry.split("/")
        path = resources.files(package) / name
        digest.update(entry.encode() + path.read_bytes())
    data = resources.files("ftfhub.names") / "data"
    for path in sorted(data.iterdir(), key=lambda p: p.name):
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def model_version(params: Parameters) -> str:
    """A short fingerprint: index format, parameters, key and feature code."""
    digest = hashlib.sha256(f"{FORMAT}|{FORMAT_TAG}|{params!r}|{_code_digest()}".encode())
    return digest.hexdigest()[:16]
