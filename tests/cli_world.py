"""A hub set up through the command line, with one user per role, for CLI tests."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from typer.testing import CliRunner

from ftfhub.cli import app

TOKEN = re.compile(r"^ftf_[0-9a-f]{12}_\S+$", re.M)


@dataclass
class Hub:
    folder: Path
    tokens: dict[str, str] = field(default_factory=dict)

    def invoke(self, user: str | None, *args: str) -> tuple[int, str]:
        env = {"FTFHUB_TOKEN": self.tokens[user] if user else ""}
        result = CliRunner().invoke(app, list(args), env=env)
        return result.exit_code, result.output

    def run(self, user: str | None, *args: str) -> str:
        code, output = self.invoke(user, *args)
        assert code == 0, output
        return output

    def add_user(self, name: str, agency: str, role: str) -> str:
        output = self.run("admin", "users", "add", name, "--agency", agency, "--role", role)
        self.tokens[name] = token_in(output)
        return self.tokens[name]


def token_in(output: str) -> str:
    found = TOKEN.search(output)
    assert found, output
    return found.group(0)


def set_up(folder: Path, agencies: dict[str, list[tuple[str, str]]]) -> Hub:
    """`init`, then each agency with its users: {"BE-FP": [("ana", "analyst")], …}."""
    hub = Hub(folder)
    code, output = hub.invoke(None, "init", "--admin", "admin")
    assert code == 0, output
    hub.tokens["admin"] = token_in(output)
    for code_, users in agencies.items():
        if code_ != "HUB":
            hub.run("admin", "agencies", "add", code_, "--name", f"Agency {code_}")
        for name, role in users:
            hub.add_user(name, code_, role)
    return hub
