"""A purpose of blanks is no purpose: it never reaches the audit trail as an empty string
where a service states its default purpose, and never passes where a purpose is required."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from acting import as_user
from ftfhub.services import Database
from ftfhub.services.context import PurposeRequired
from ftfhub.services.records import export_records
from ftfhub.store.models import AuditEvent
from partner_world import two_agencies

LIST_BE = "record_id,name,birth_date,nationality,gender\nBE-1,Ilyas Vandermeulen,1979-03-03,BE,m\n"
LIST_FR = "record_id,name,birth_date,nationality,gender\nFR-1,Corentin Abadie,1981-05-02,FR,m\n"


@pytest.fixture()
def db(tmp_path: Path) -> Iterator[Database]:
    yield from two_agencies(tmp_path / "blank.db", {"BE-FP": LIST_BE, "FR-DGSI": LIST_FR})


def _last_export(db: Database) -> AuditEvent:
    with db.transaction() as session:
        found = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "records.export")
            .order_by(AuditEvent.id.desc())
        ).first()
        assert found is not None
        session.expunge(found)
        return found


@pytest.mark.parametrize("blank", ["", "   ", "\t \n"])
def test_own_export_with_a_blank_purpose_is_audited_with_the_default(
    db: Database, blank: str
) -> None:
    export_records(as_user(db, "BE-FP", purpose=blank))
    assert _last_export(db).purpose == "export own records"


def test_a_purpose_is_kept_as_one_line(db: Database) -> None:
    export_records(as_user(db, "BE-FP", purpose="  weekly\n review  "))
    assert _last_export(db).purpose == "weekly review"


def test_a_blank_purpose_does_not_open_another_agencys_records(db: Database) -> None:
    with pytest.raises(PurposeRequired):
        export_records(as_user(db, "BE-FP", purpose=" \t "), agency="FR-DGSI")
