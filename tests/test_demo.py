"""One end-to-end run of a small synthetic world through the whole loop."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

from ftfhub.demo import DemoReport, run_demo


def test_small_world_end_to_end(tmp_path: Path) -> None:
    report = run_demo(
        tmp_path / "world", fighters=30, travellers=600, seed=3, console=Console(quiet=True)
    )
    assert report.records["BE-PIU"] > 500 and report.records["HUB"] > 0
    assert report.hits > 0 and report.true_pairs > 0
    assert report.precision >= 0.8
    assert report.recall >= 0.7
    assert report.false_hit_rate < 0.01
    assert report.audit_ok and report.audit_events > len(report.records)
    assert report.escalated + report.acknowledged > 0


def test_the_commands_the_demo_suggests_work_for_the_user_it_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo ended with `ftfhub hits overdue` for an analyst, who is refused it: the
    first thing a newcomer tried after `make demo` was an error."""
    from cli_world import set_up

    monkeypatch.setenv("FTFHUB_DATABASE_URL", f"sqlite:///{tmp_path / 'hub.db'}")
    hub = set_up(tmp_path, {"BE-FP": [("ana.be", "analyst")]})
    report = DemoReport(database=f"sqlite:///{tmp_path / 'hub.db'}")
    report.users.append(("ana.be", "BE-FP", "analyst", hub.tokens["ana.be"]))
    console = Console(record=True, width=200)
    report.render_users(console)
    text = console.export_text()
    assert f"export FTFHUB_TOKEN={hub.tokens['ana.be']}" in text
    (suggested,) = [line for line in text.splitlines() if "whoami" in line]
    commands = [c.split()[1:] for c in suggested.split(";")]
    assert len(commands) >= 3
    for args in commands:
        assert hub.invoke("ana.be", *args)[0] == 0, args
