"""The standalone verifier (tools/verify_audit_export.py), loaded from its file for tests:
it is a script an oversight body copies, not a module of ftfhub."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

VERIFIER = Path(__file__).resolve().parents[1] / "tools" / "verify_audit_export.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("verify_audit_export", VERIFIER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


verifier = sys.modules.get("verify_audit_export") or load()
