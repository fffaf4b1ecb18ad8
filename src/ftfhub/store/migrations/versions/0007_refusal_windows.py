"""refusal windows: the bound on itemised refusals, per user, shared by every process

Each user's current window (when it began, how many refusals were written one by one, how
many past the bound were counted and of which rules) is a row here, read and written under
the audit chain's lock: two workers, or a command-line process per refusal, no longer each
get a bound of their own.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "refusal_windows",
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("written", sa.Integer(), nullable=False),
        sa.Column("suppressed", sa.Integer(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("last_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("actor", "agency"),
    )


def downgrade() -> None:
    op.drop_table("refusal_windows")
