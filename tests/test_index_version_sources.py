"""Every module whose output becomes an index key or feature is in the index's version, so a
change to it makes a kept index stale (rebuilt), never misread."""

from __future__ import annotations

import pkgutil
from importlib import resources

import ftfhub.names
from ftfhub.index.version import fingerprinted


def test_every_name_analysis_module_is_fingerprinted() -> None:
    modules = {m.name for m in pkgutil.iter_modules(ftfhub.names.__path__)}
    covered = {
        e.split("/")[1].removesuffix(".py")
        for e in fingerprinted()
        if e.startswith("ftfhub.names/")
    }
    assert {"romanise", "hebrew", "cognates", "syllables", "arabic", "latin"} <= modules
    assert modules <= covered


def test_every_fingerprinted_file_exists() -> None:
    for entry in fingerprinted():
        package, name = entry.split("/")
        assert (resources.files(package) / name).is_file(), entry
