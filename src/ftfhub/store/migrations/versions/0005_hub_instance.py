"""hub instance: a random identifier of this database, made when it is created

Files kept beside the database (the screening index) carry it, so that a database deleted and
made again under the same name, or another database reached from the same folder, is never
served an index built from somebody else's Records.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 21:25:00
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "hub_instance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("instance", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "instance": str(uuid.uuid4())}])


def downgrade() -> None:
    op.drop_table("hub_instance")
