"""The grantee of a batch scan: the portfolio's id and name for every scan, failed ones too.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("grantee_id", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("grantee_name", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_scans_grantee_id"), ["grantee_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("scans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scans_grantee_id"))
        batch_op.drop_column("grantee_name")
        batch_op.drop_column("grantee_id")
