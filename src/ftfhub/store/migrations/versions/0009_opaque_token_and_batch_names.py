"""opaque token and load batch names: the public part of a token and the name of a load
batch no longer count the hub's tokens and loads

A token was `ftf_<row id>_<secret>` and an `ingest` event named its batch `batch:<row id>`,
so whoever was handed a token, or read an ingest event, learnt how many tokens the hub had
issued or files it had loaded (docs/oversight.md §8). New tokens are `ftf_<12 hex digits>_…`
and new batches `B-<12 hex digits>`, drawn at random; the row ids stay internal keys.

Tokens issued before keep working as they are: each keeps its number as its public id
(`tokens.public_id` = the old row id, in decimal), which its holder already knew; only new
tokens get random ones, and a new token is never found by its row id. Stored batches get
random names; the audit trail keeps the numbers its events were hashed with.

Audit events are indexed by agency and chain position: `audit list` numbers an agency's
events within the agency by counting those before the ones it shows (6 ms of CPU for 1M
events with the index, 98 without, in SQLite: bench/audit_places.py).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 20:45:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

tokens = sa.table("tokens", sa.column("id", sa.Integer), sa.column("public_id", sa.String))
batches = sa.table("ingest_batches", sa.column("id", sa.Integer), sa.column("ref", sa.String))


def upgrade() -> None:
    op.create_index("ix_audit_events_agency_id", "audit_events", ["agency", "id"])
    with op.batch_alter_table("tokens") as batch:
        batch.add_column(sa.Column("public_id", sa.String(length=12), nullable=True))
    with op.batch_alter_table("ingest_batches") as batch:
        batch.add_column(sa.Column("ref", sa.String(length=16), nullable=True))
    bind = op.get_bind()
    for token_id in bind.execute(sa.select(tokens.c.id)).scalars().all():
        bind.execute(tokens.update().where(tokens.c.id == token_id).values(public_id=str(token_id)))
    taken: set[str] = set()
    for batch_id in bind.execute(sa.select(batches.c.id)).scalars().all():
        name = f"B-{secrets.token_hex(6)}"
        while name in taken:
            name = f"B-{secrets.token_hex(6)}"
        taken.add(name)
        bind.execute(batches.update().where(batches.c.id == batch_id).values(ref=name))
    with op.batch_alter_table("tokens") as batch:
        batch.alter_column("public_id", existing_type=sa.String(length=12), nullable=False)
        batch.create_unique_constraint("uq_tokens_public_id", ["public_id"])
    with op.batch_alter_table("ingest_batches") as batch:
        batch.alter_column("ref", existing_type=sa.String(length=16), nullable=False)
        batch.create_unique_constraint("uq_ingest_batches_ref", ["ref"])


def downgrade() -> None:
    """Tokens issued since (random public ids) stop working under the older code, which
    reads a token's public part as its row id: revoke and re-issue them."""
    op.drop_index("ix_audit_events_agency_id", table_name="audit_events")
    with op.batch_alter_table("ingest_batches") as batch:
        batch.drop_constraint("uq_ingest_batches_ref", type_="unique")
        batch.drop_column("ref")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_constraint("uq_tokens_public_id", type_="unique")
        batch.drop_column("public_id")
