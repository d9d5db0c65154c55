"""Account erasure: people may erase their account and keep their public contributions anonymous.

Revision ID: 0002_account_erasure
Revises: 0001_foundation
Create Date: 2026-11-21
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_account_erasure"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("erased_at", sa.TIMESTAMP(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users") as users:
        users.drop_column("erased_at")
