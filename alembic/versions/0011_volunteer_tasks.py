"""Volunteer tasks: tasks of working groups, volunteers' assignments, private calendar feeds.

Revision ID: 0011_volunteer_tasks
Revises: 0010_outcomes
Create Date: 2026-11-29

Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011_volunteer_tasks"
down_revision = "0010_outcomes"
branch_labels = None
depends_on = None

BOOLEAN = sa.Boolean(create_constraint=False).with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.TIMESTAMP(timezone=True)
FLOAT = sa.Float().with_variant(sa.REAL(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=f"{table}_pkey")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"{table}_{column}_fkey", ondelete=ondelete
    )


def _fk_column(name: str, *, nullable: bool) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "volunteer_tasks",
        _id(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("starts_at", TIMESTAMP, nullable=False),
        sa.Column("ends_at", TIMESTAMP, nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("remote", BOOLEAN, nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("skill_tags", sa.Text(), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("filled", sa.Integer(), nullable=False),
        sa.Column("schedule_version", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("cancelled_at", TIMESTAMP, nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _fk_column("action_id", nullable=True),
        _fk_column("created_by_id", nullable=False),
        _fk_column("group_id", nullable=False),
        _pk("volunteer_tasks"),
        _fk("volunteer_tasks", "action_id", "actions", "SET NULL"),
        _fk("volunteer_tasks", "created_by_id", "users", "RESTRICT"),
        _fk("volunteer_tasks", "group_id", "working_groups", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_volunteer_t_action__459696", "volunteer_tasks", ["action_id"])
    op.create_index("idx_volunteer_t_created_ae007b", "volunteer_tasks", ["created_by_id"])
    op.create_index("idx_volunteer_t_starts__2082e0", "volunteer_tasks", ["starts_at", "id"])
    op.create_index("idx_volunteer_t_group_i_43ee75", "volunteer_tasks", ["group_id", "starts_at", "id"])

    op.create_table(
        "task_assignments",
        _id(),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("place", sa.Integer(), nullable=False),
        sa.Column("hours", FLOAT, nullable=True),
        sa.Column("checked_in_at", TIMESTAMP, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _fk_column("assigned_by_id", nullable=True),
        _fk_column("task_id", nullable=False),
        _fk_column("volunteer_id", nullable=False),
        _pk("task_assignments"),
        _fk("task_assignments", "assigned_by_id", "users", "SET NULL"),
        _fk("task_assignments", "task_id", "volunteer_tasks", "CASCADE"),
        _fk("task_assignments", "volunteer_id", "users", "CASCADE"),
        sa.UniqueConstraint("task_id", "volunteer_id", name="uid_task_assign_task_id_41eca3"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_task_assign_volunte_7c65c0", "task_assignments", ["volunteer_id"])
    op.create_index("idx_task_assign_task_id_015bb4", "task_assignments", ["task_id", "status", "place"])

    op.create_table(
        "calendar_feeds",
        _id(),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _fk_column("user_id", nullable=False),
        _pk("calendar_feeds"),
        _fk("calendar_feeds", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("token_hash", name="calendar_feeds_token_hash_key"),
        sa.UniqueConstraint("user_id", name="calendar_feeds_user_id_key"),
        **TABLE_OPTIONS,
    )


def downgrade() -> None:
    for table in ("calendar_feeds", "task_assignments", "volunteer_tasks"):
        op.drop_table(table)
