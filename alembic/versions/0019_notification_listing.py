"""A notification is listed from its own moment: a reminder written when a place is confirmed
appears in the notification centre when it is due, not days before.

Revision ID: 0019_notification_listing
Revises: 0018_answer_versions
Create Date: 2026-11-30

`listed_from` is set once, when the notification is written; `deliver_after`, which a failed
send pushes back, cannot serve. Existing reminders are listed from the moment they were
scheduled for (`deliver_after`, later only for a send that failed and waits to be retried);
everything else from when it was written. The centre's index follows the new order.
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_notification_listing"
down_revision = "0018_answer_versions"
branch_labels = None
depends_on = None

TIMESTAMP = sa.TIMESTAMP(timezone=True)
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    op.add_column("notifications", sa.Column("listed_from", TIMESTAMP, nullable=True))
    op.execute(
        "UPDATE notifications SET listed_from = "
        "CASE WHEN kind = 'TASK_REMINDER' THEN deliver_after ELSE created_at END"
    )
    op.drop_index("idx_notificatio_recipie_3f569f", table_name="notifications")
    with op.batch_alter_table("notifications", table_kwargs=TABLE_OPTIONS) as notifications:
        notifications.alter_column("listed_from", existing_type=TIMESTAMP, nullable=False)
    op.create_index("idx_notificatio_recipie_354ea5", "notifications", ["recipient_id", "listed_from"])


def downgrade() -> None:
    op.drop_index("idx_notificatio_recipie_354ea5", table_name="notifications")
    with op.batch_alter_table("notifications", table_kwargs=TABLE_OPTIONS) as notifications:
        notifications.drop_column("listed_from")
    op.create_index("idx_notificatio_recipie_3f569f", "notifications", ["recipient_id", "created_at"])
