"""One end-to-end run of a small synthetic world through the whole loop."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from ftfhub.demo import run_demo


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
