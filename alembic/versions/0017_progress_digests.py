"""Progress digests: the digests each person was sent, problems' stage changes for them to
report, and a digest frequency that is unset until the person chooses one.

Revision ID: 0017_progress_digests
Revises: 0016_ladder_snapshots
Create Date: 2026-11-30

Until now every account had WEEKLY, the old default, whether chosen or not: those become
unset (the rung decides), while NEVER and DAILY, which only a choice could set, stay.
Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_progress_digests"
down_revision = "0016_ladder_snapshots"
branch_labels = None
depends_on = None

TIMESTAMP = sa.TIMESTAMP(timezone=True)
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def upgrade() -> None:
    with op.batch_alter_table("users", table_kwargs=TABLE_OPTIONS) as users:
        users.alter_column("digest", existing_type=sa.String(16), nullable=True)
    op.execute("UPDATE users SET digest = NULL WHERE digest = 'WEEKLY'")

    op.create_table(
        "progress_digests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("covers_from", TIMESTAMP, nullable=False),
        sa.Column("covers_until", TIMESTAMP, nullable=False),
        sa.Column("run", sa.String(32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="progress_digests_pkey"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name="progress_digests_person_id_fkey", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("person_id", "number", name="uid_progress_di_person__f2d20f"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_progress_di_person__5ed48f", "progress_digests", ["person_id"])

    op.create_table(
        "problem_stage_changes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("changed_at", TIMESTAMP, nullable=False),
        sa.Column("problem_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="problem_stage_changes_pkey"),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["problems.id"], name="problem_stage_changes_problem_id_fkey", ondelete="CASCADE"
        ),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_problem_sta_problem_1d41f8", "problem_stage_changes", ["problem_id", "changed_at"])


def downgrade() -> None:
    op.drop_table("problem_stage_changes")
    op.drop_table("progress_digests")
    op.execute("UPDATE users SET digest = 'WEEKLY' WHERE digest IS NULL")
    with op.batch_alter_table("users", table_kwargs=TABLE_OPTIONS) as users:
        users.alter_column("digest", existing_type=sa.String(16), nullable=False)
