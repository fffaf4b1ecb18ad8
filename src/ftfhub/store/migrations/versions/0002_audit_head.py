"""audit head: the chain's newest position, kept beside the events

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 20:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    # An existing chain's head is taken as it stands; a new hub starts at the genesis.
    bind = op.get_bind()
    last = bind.execute(
        sa.text("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")
    ).first()
    op.bulk_insert(
        sa.table(
            "audit_head",
            sa.column("id", sa.Integer()),
            sa.column("last_id", sa.Integer()),
            sa.column("head_hash", sa.String()),
            sa.column("signature", sa.String()),
        ),
        [
            {
                "id": 1,
                "last_id": last[0] if last else 0,
                "head_hash": last[1] if last else GENESIS,
                "signature": "",
            }
        ],
    )


def downgrade() -> None:
    op.drop_table("audit_head")
