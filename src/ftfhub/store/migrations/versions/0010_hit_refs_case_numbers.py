"""hit references and case numbers: no count of the hub's work in a name a partner is given

A hit was named by its row id, one sequence over the whole hub: a partner given hit 523 today
and hit 601 tomorrow learnt that 78 hits were raised in between. Each hit gets a random
reference (`H-` and 12 hex digits) and each case a number counted in its agency (in the order
the agency opened them). The audit trail keeps the numbers it was written with (its events
are hashed), as 0008 kept the old Identity ids.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 21:00:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

hits = sa.table("hits", sa.column("id", sa.Integer), sa.column("ref", sa.String))
cases = sa.table(
    "cases",
    sa.column("id", sa.Integer),
    sa.column("agency_code", sa.String),
    sa.column("created_at", sa.DateTime),
    sa.column("number", sa.Integer),
)


def upgrade() -> None:
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ref", sa.String(length=16), nullable=True))
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
    bind = op.get_bind()
    taken: set[str] = set()
    for hit_id in bind.execute(sa.select(hits.c.id)).scalars().all():
        ref = f"H-{secrets.token_hex(6)}"
        while ref in taken:
            ref = f"H-{secrets.token_hex(6)}"
        taken.add(ref)
        bind.execute(hits.update().where(hits.c.id == hit_id).values(ref=ref))
    counts: dict[str, int] = {}
    opened = sa.select(cases.c.id, cases.c.agency_code).order_by(cases.c.created_at, cases.c.id)
    for case_id, agency in bind.execute(opened).all():
        counts[agency] = counts.get(agency, 0) + 1
        bind.execute(cases.update().where(cases.c.id == case_id).values(number=counts[agency]))
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.alter_column("ref", existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint("uq_hit_ref", ["ref"])
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint("uq_case_number", ["agency_code", "number"])


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_constraint("uq_case_number", type_="unique")
        batch_op.drop_column("number")
    with op.batch_alter_table("hits", schema=None) as batch_op:
        batch_op.drop_constraint("uq_hit_ref", type_="unique")
        batch_op.drop_column("ref")
