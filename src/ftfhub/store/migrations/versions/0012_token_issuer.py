"""tokens name who issued them

The admin issues every token and sees it once, so the admin could act as any user, and the
trail showed that only as a `token.issue` followed by that user's events. A token now names
its issuer (`issued_by`, a user name): the user's own when the user rotated it
(`ftfhub tokens rotate`), so only they have seen it. Every event done with a token another
user issued says so (`token_issued_by`). Tokens issued before this keep `issued_by` empty
(NULL): an admin issued them, which one the row never said.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 00:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_by", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_column("issued_by")
