"""The participation ladder, taken once a day: each area's snapshot, and each person's rung in it.

Revision ID: 0016_ladder_snapshots
Revises: 0015_notification_html
Create Date: 2026-11-30

Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_ladder_snapshots"
down_revision = "0015_notification_html"
branch_labels = None
depends_on = None

TIMESTAMP = sa.TIMESTAMP(timezone=True)
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    op.create_table(
        "ladder_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("on_no_rung", sa.Integer(), nullable=False),
        sa.Column("taken_at", TIMESTAMP, nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="ladder_snapshots_pkey"),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name="ladder_snapshots_area_id_fkey", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("area_id", "day", name="uid_ladder_snap_area_id_9b9db8"),
        **TABLE_OPTIONS,
    )
    op.create_table(
        "ladder_rungs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("rung", sa.SmallInteger(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="ladder_rungs_pkey"),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name="ladder_rungs_area_id_fkey", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name="ladder_rungs_person_id_fkey", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("area_id", "day", "person_id", name="uid_ladder_rung_area_id_12057e"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_ladder_rung_person__298370", "ladder_rungs", ["person_id"])


def downgrade() -> None:
    op.drop_table("ladder_rungs")
    op.drop_table("ladder_snapshots")
