"""A person may be shown to the public by their initials alone.

Revision ID: 0014_public_initials
Revises: 0013_area_names
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_public_initials"
down_revision = "0013_area_names"
branch_labels = None
depends_on = None

BOOLEAN = sa.Boolean(create_constraint=False).with_variant(sa.Integer(), "sqlite")
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    op.add_column("users", sa.Column("public_initials", BOOLEAN, nullable=False, server_default=sa.false()))
    # The models give the default; the column keeps none, as every other column.
    with op.batch_alter_table("users", table_kwargs=TABLE_OPTIONS) as users:
        users.alter_column("public_initials", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("users", table_kwargs=TABLE_OPTIONS) as users:
        users.drop_column("public_initials")
