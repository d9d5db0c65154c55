"""A notification keeps the HTML part of its mail beside the plain text.

Revision ID: 0015_notification_html
Revises: 0014_public_initials
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_notification_html"
down_revision = "0014_public_initials"
branch_labels = None
depends_on = None

TABLE_OPTIONS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    op.add_column("notifications", sa.Column("html", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notifications", table_kwargs=TABLE_OPTIONS) as notifications:
        notifications.drop_column("html")
