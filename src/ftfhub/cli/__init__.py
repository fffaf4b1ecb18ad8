"""The `ftfhub` command line: parse arguments, call one service, render its typed result."""

from __future__ import annotations

from ftfhub.cli import (
    admin_cmd,
    audit_cmd,
    cases_cmd,
    demo_cmd,
    hits_cmd,
    identities_cmd,
    ingest_cmd,
    records_cmd,
    rules_cmd,
    screen_cmd,
    serve_cmd,
)
from ftfhub.cli.common import app
from ftfhub.cli.examples import add_examples

for module in (
    admin_cmd,
    ingest_cmd,
    screen_cmd,
    records_cmd,
    hits_cmd,
    audit_cmd,
    cases_cmd,
    demo_cmd,
    identities_cmd,
    rules_cmd,
    serve_cmd,
):
    module.register(app)
add_examples(app)


def main() -> None:
    app()


__all__ = ["app", "main"]
