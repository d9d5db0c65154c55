"""Notification audiences: what each notification is about, and whose doing it was.

Revision ID: 0004_notification_audiences
Revises: 0003_problems
Create Date: 2026-11-29

What it is about lets delivery check, again, that the recipient may still read it; whose
doing it was lets erasure take that person's name out of what others were told.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_notification_audiences"
down_revision = "0003_problems"
branch_labels = None
depends_on = None

# SQLite cannot add a foreign key to a table in place: the batch copies the table, and
# must keep AUTOINCREMENT, as 0001 made it.
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    with op.batch_alter_table("notifications", table_kwargs=TABLE_OPTIONS) as notifications:
        notifications.add_column(sa.Column("subject_type", sa.String(32), nullable=True))
        notifications.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        notifications.add_column(sa.Column("actor_id", sa.Integer(), nullable=True))
        notifications.create_foreign_key(
            "notifications_actor_id_fkey", "users", ["actor_id"], ["id"], ondelete="SET NULL"
        )
    op.create_index("idx_notificatio_actor_i_f73a90", "notifications", ["actor_id"])


def downgrade() -> None:
    op.drop_index("idx_notificatio_actor_i_f73a90", table_name="notifications")
    with op.batch_alter_table("notifications", table_kwargs=TABLE_OPTIONS) as notifications:
        notifications.drop_constraint("notifications_actor_id_fkey", type_="foreignkey")
        notifications.drop_column("actor_id")
        notifications.drop_column("subject_id")
        notifications.drop_column("subject_type")
