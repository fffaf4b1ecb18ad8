"""An agency's hours to acknowledge, its retention and a token's days are stored only within
bounds a date can hold: `agencies add --urgent-ack-hours 99999999999` was stored, and every
later load that raised a hit on that agency's records failed with a traceback (the deadline
past the year 9999); `users add --days 3000000` was a traceback (hostile pass, 2026-12-01)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from acting import as_user
from ftfhub.cli import app as cli
from ftfhub.domain.vocab import Role
from ftfhub.services import Context, Database, InvalidRequest, identity
from ftfhub.services.index_access import forget_live_indexes
from ftfhub.services.ingest import ingest_file


@pytest.fixture()
def admin(tmp_path: Path) -> Context:
    forget_live_indexes()
    db = Database(f"sqlite:///{tmp_path}/bounds.db")
    return Context(db, identity.authenticate(db, identity.init_hub(db).token))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("ack_hours", 9_999_999),
        ("urgent_ack_hours", 99_999_999_999),
        ("retention_days", 99_999_999_999),
        ("ack_hours", 10**30),
    ],
)
def test_an_agency_with_hours_or_days_past_the_bound_is_refused(
    admin: Context, field: str, value: int
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        identity.add_agency(admin, "ZZ-A", "Z", **{field: value})  # type: ignore[arg-type]
    assert field.replace("_", "-") in str(refused.value) and "at most" in str(refused.value)


@pytest.mark.parametrize("days", [3_000_000, 99_999_999_999, 10**30])
def test_a_token_valid_past_the_bound_is_refused(admin: Context, days: int) -> None:
    with pytest.raises(InvalidRequest) as refused:
        identity.add_user(admin, "ana", "HUB", Role.ANALYST, days=days)
    assert "at most" in str(refused.value)
    result = CliRunner().invoke(
        cli,
        ["users", "add", "bob", "--agency", "HUB", "--role", "analyst", "--days", str(days)],
        env={"FTFHUB_DATABASE_URL": admin.db.url, "FTFHUB_TOKEN": _admin_token(admin)},
    )
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def _admin_token(admin: Context) -> str:
    return identity.add_user(admin, "root2", "HUB", Role.ADMIN).token


def test_an_agency_at_the_bound_still_has_its_hits_raised(admin: Context, tmp_path: Path) -> None:
    """The longest hours allowed still give a deadline a load can store."""
    identity.add_agency(admin, "ZZ-A", "Z", ack_hours=8760, urgent_ack_hours=8760)
    identity.add_agency(admin, "ZZ-B", "Z")
    for agency, name in (("ZZ-A", "Karim Samir Yousef"), ("ZZ-B", "Karim Samir Youssef")):
        path = tmp_path / f"{agency}.csv"
        path.write_text(f"record_id,name,birth_date\n{agency}-1,{name},1985-03-12\n")
        report = ingest_file(as_user(admin.db, agency), path, "watchlist", threshold=0.8)
    assert report.hits_raised == 1
