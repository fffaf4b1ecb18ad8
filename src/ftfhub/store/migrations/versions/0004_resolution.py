"""identities: resolution runs, identity membership, pairwise evidence, judgements

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 21:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolution_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("engine", sa.String(length=16), nullable=False),
        sa.Column("threshold", sa.Float(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("identities", sa.Integer(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "identity_members",
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("identity_id", sa.String(length=32), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["record_id"], ["records.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["resolution_runs.id"]),
        sa.PrimaryKeyConstraint("record_id"),
    )
    op.create_index("ix_identity_members_identity_id", "identity_members", ["identity_id"])
    op.create_table(
        "pair_evidence",
        sa.Column("left_record_id", sa.Integer(), nullable=False),
        sa.Column("right_record_id", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["left_record_id"], ["records.id"]),
        sa.ForeignKeyConstraint(["right_record_id"], ["records.id"]),
        sa.ForeignKeyConstraint(["run_id"], ["resolution_runs.id"]),
        sa.PrimaryKeyConstraint("left_record_id", "right_record_id"),
    )
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("left_record_id", sa.Integer(), nullable=False),
        sa.Column("right_record_id", sa.Integer(), nullable=False),
        sa.Column("same", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["left_record_id"], ["records.id"]),
        sa.ForeignKeyConstraint(["right_record_id"], ["records.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_judgements_left_record_id", "judgements", ["left_record_id"])
    op.create_index("ix_judgements_right_record_id", "judgements", ["right_record_id"])


def downgrade() -> None:
    op.drop_table("judgements")
    op.drop_table("pair_evidence")
    op.drop_index("ix_identity_members_identity_id", "identity_members")
    op.drop_table("identity_members")
    op.drop_table("resolution_runs")
