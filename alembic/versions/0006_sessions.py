"""Sessions: each browser session keeps how the browser described itself at sign-in.

Revision ID: 0006_sessions
Revises: 0005_registrations
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_sessions"
down_revision = "0005_registrations"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sessions", sa.Column("user_agent", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as sessions:
        sessions.drop_column("user_agent")
