"""identities: users, hashed tokens, disclosure grants; the queue of unscreened records;
urgency, retention and legal-basis defaults per agency

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 20:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("agency_code", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["agency_code"], ["agencies.code"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_index("ix_users_agency_code", "users", ["agency_code"])
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "disclosure_grants",
        sa.Column("owner_agency", sa.String(length=32), nullable=False),
        sa.Column("grantee_agency", sa.String(length=32), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(["owner_agency"], ["agencies.code"]),
        sa.ForeignKeyConstraint(["grantee_agency"], ["agencies.code"]),
        sa.PrimaryKeyConstraint("owner_agency", "grantee_agency"),
    )
    with op.batch_alter_table("agencies") as batch:
        batch.add_column(
            sa.Column("urgent_ack_hours", sa.Integer(), nullable=False, server_default="4")
        )
        batch.add_column(
            sa.Column("retention_days", sa.Integer(), nullable=False, server_default="1095")
        )
        batch.add_column(
            sa.Column(
                "default_legal_basis", sa.String(length=200), nullable=False, server_default=""
            )
        )
    # Records stored before the queue existed are in it: `hits raise --pending` screens them
    # again and adds only the hits not already stored.
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("screened_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_records_screened_at", ["screened_at"])


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.drop_index("ix_records_screened_at")
        batch.drop_column("screened_at")
    with op.batch_alter_table("agencies") as batch:
        batch.drop_column("default_legal_basis")
        batch.drop_column("retention_days")
        batch.drop_column("urgent_ack_hours")
    op.drop_table("disclosure_grants")
    op.drop_index("ix_tokens_user_id", table_name="tokens")
    op.drop_table("tokens")
    op.drop_index("ix_users_agency_code", table_name="users")
    op.drop_table("users")
