"""cases: an agency's triage of an Identity, and each case's history

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 21:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=False),
        sa.Column("category_by", sa.String(length=100), nullable=False),
        sa.Column("category_why", sa.Text(), nullable=False),
        sa.Column("category_at", sa.DateTime(), nullable=True),
        sa.Column("priority", sa.String(length=10), nullable=False),
        sa.Column("officer", sa.String(length=100), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("closed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["agency_code"], ["agencies.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cases_agency_code", "cases", ["agency_code"])
    op.create_index("ix_cases_next_review", "cases", ["next_review"])
    op.create_table(
        "case_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_case_entries_case_id", "case_entries", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_case_entries_case_id", "case_entries")
    op.drop_table("case_entries")
    op.drop_index("ix_cases_next_review", "cases")
    op.drop_index("ix_cases_agency_code", "cases")
    op.drop_table("cases")
