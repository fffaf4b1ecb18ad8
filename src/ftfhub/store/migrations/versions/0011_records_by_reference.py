"""records found by reference through an index of (agency, content hash)

A Record's reference is its agency and the first 12 hex digits of its content hash. It was
looked up with `LIKE 'digest%'`, which read every Record of the agency: an answer took longer
the more the agency held (12-17 ms for the demo's 28,800 passenger Records against 2.7 ms for a
list of 150), so a partner timing made-up references learnt roughly how much each agency held,
and at a million Records each lookup read them all. With this index a reference is a range.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 00:00:00
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.create_index("ix_records_reference", ["agency_code", "content_hash"])


def downgrade() -> None:
    with op.batch_alter_table("records", schema=None) as batch_op:
        batch_op.drop_index("ix_records_reference")
