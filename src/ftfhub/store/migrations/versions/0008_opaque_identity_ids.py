"""opaque identity ids: Identities stored under their lowest member's row id are renamed

An Identity was named after the lowest Record row id among its members (`ID-00000022`), so a
partner shown it learnt the row id of a member it may not see. Each stored Identity gets a
random id (`ID-` and 12 hex digits), and a case whose subject was the old id follows it. The
audit trail keeps the old ids it was written with (its events are hashed).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 15:00:00
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

members = sa.table("identity_members", sa.column("identity_id", sa.String))
cases = sa.table("cases", sa.column("subject", sa.String))


def upgrade() -> None:
    bind = op.get_bind()
    old = bind.execute(sa.select(members.c.identity_id).distinct()).scalars().all()
    taken = set(old)
    for name in old:
        new = f"ID-{secrets.token_hex(6)}"
        while new in taken:
            new = f"ID-{secrets.token_hex(6)}"
        taken.add(new)
        bind.execute(members.update().where(members.c.identity_id == name).values(identity_id=new))
        bind.execute(cases.update().where(cases.c.subject == name).values(subject=new))


def downgrade() -> None:
    """Nothing to undo: the random ids are as valid under the older code."""
