"""Notification links are kept as paths of the web interface (`/#/problems/...`).

Revision ID: 0008_notification_paths
Revises: 0007_activity
Create Date: 2026-11-29

The address of the web interface (PUBLIC_URL) is added where a link leaves the system: in
the mail sent, and in the API's `Notification.url`. Stored links lose everything before
their `/#/`, so a change of address does not leave old notifications pointing at the old
one. Sealed sign-in links are opaque here; they are short-lived, and delivery completes
those sealed before this revision as they are (a link that is absolute already stays so).
"""

from alembic import op

revision = "0008_notification_paths"
down_revision = "0007_activity"
branch_labels = None
depends_on = None

MARK = "/#/"


def upgrade() -> None:
    # Both dialects number characters from 1; PostgreSQL's name for INSTR is STRPOS.
    find = "STRPOS" if op.get_bind().dialect.name == "postgresql" else "INSTR"
    op.execute(
        f"UPDATE notifications SET url = SUBSTR(url, {find}(url, '{MARK}')) WHERE {find}(url, '{MARK}') > 1"
    )


def downgrade() -> None:
    # The address the links had is not recorded anywhere; the revision before this one
    # shows a path as a link relative to the page, which still opens it.
    pass
