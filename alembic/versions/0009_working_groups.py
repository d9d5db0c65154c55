"""Working groups: their problems, members, and co-owned actions; group acts in the record.

Revision ID: 0009_working_groups
Revises: 0008_notification_paths
Create Date: 2026-11-29

Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_working_groups"
down_revision = "0008_notification_paths"
branch_labels = None
depends_on = None

TIMESTAMP = sa.TIMESTAMP(timezone=True)
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
        "working_groups",
        _id(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("join_policy", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("closed_at", TIMESTAMP, nullable=True),
        _fk_column("area_id", nullable=False),
        _fk_column("created_by_id", nullable=False),
        _fk_column("problem_id", nullable=False),
        _pk("working_groups"),
        _fk("working_groups", "area_id", "areas", "RESTRICT"),
        _fk("working_groups", "created_by_id", "users", "RESTRICT"),
        _fk("working_groups", "problem_id", "problems", "RESTRICT"),
        **TABLE_OPTIONS,
    )
    op.create_index(
        "idx_working_gro_area_id_756de4", "working_groups", ["area_id", "status", "created_at", "id"]
    )
    op.create_index("idx_working_gro_created_de3e52", "working_groups", ["created_by_id"])
    op.create_index("idx_working_gro_problem_a61cf2", "working_groups", ["problem_id"])

    op.create_table(
        "working_group_problems",
        _id(),
        sa.Column("added_at", TIMESTAMP, nullable=False),
        _fk_column("added_by_id", nullable=False),
        _fk_column("group_id", nullable=False),
        _fk_column("problem_id", nullable=False),
        _pk("working_group_problems"),
        _fk("working_group_problems", "added_by_id", "users", "RESTRICT"),
        _fk("working_group_problems", "group_id", "working_groups", "CASCADE"),
        _fk("working_group_problems", "problem_id", "problems", "CASCADE"),
        sa.UniqueConstraint("group_id", "problem_id", name="uid_working_gro_group_i_d0bbab"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_working_gro_problem_473cd3", "working_group_problems", ["problem_id"])

    op.create_table(
        "group_memberships",
        _id(),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _fk_column("group_id", nullable=False),
        _fk_column("invited_by_id", nullable=True),
        _fk_column("organisation_id", nullable=True),
        _fk_column("user_id", nullable=False),
        _pk("group_memberships"),
        _fk("group_memberships", "group_id", "working_groups", "CASCADE"),
        _fk("group_memberships", "invited_by_id", "users", "SET NULL"),
        _fk("group_memberships", "organisation_id", "organisations", "RESTRICT"),
        _fk("group_memberships", "user_id", "users", "RESTRICT"),
        sa.UniqueConstraint("group_id", "user_id", name="uid_group_membe_group_i_880e6b"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_group_membe_user_id_da5408", "group_memberships", ["user_id"])

    op.create_table(
        "actions",
        _id(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _fk_column("created_by_id", nullable=False),
        _fk_column("group_id", nullable=False),
        _pk("actions"),
        _fk("actions", "created_by_id", "users", "RESTRICT"),
        _fk("actions", "group_id", "working_groups", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_actions_created_f00489", "actions", ["created_by_id"])
    op.create_index("idx_actions_group_i_075b61", "actions", ["group_id", "created_at", "id"])

    op.create_table(
        "action_owners",
        _id(),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _fk_column("action_id", nullable=False),
        _fk_column("organisation_id", nullable=True),
        _fk_column("updated_by_id", nullable=True),
        _fk_column("user_id", nullable=True),
        _pk("action_owners"),
        _fk("action_owners", "action_id", "actions", "CASCADE"),
        _fk("action_owners", "organisation_id", "organisations", "RESTRICT"),
        _fk("action_owners", "updated_by_id", "users", "SET NULL"),
        _fk("action_owners", "user_id", "users", "RESTRICT"),
        sa.UniqueConstraint("action_id", "organisation_id", name="uid_action_owne_action__dec120"),
        sa.UniqueConstraint("action_id", "user_id", name="uid_action_owne_action__f44425"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_action_owne_user_id_81f597", "action_owners", ["user_id"])

    with op.batch_alter_table("activities", table_kwargs=TABLE_OPTIONS) as activities:
        activities.add_column(_fk_column("working_group_id", nullable=True))
        activities.create_foreign_key(
            "activities_working_group_id_fkey",
            "working_groups",
            ["working_group_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("activities", table_kwargs=TABLE_OPTIONS) as activities:
        activities.drop_constraint("activities_working_group_id_fkey", type_="foreignkey")
        activities.drop_column("working_group_id")
    for table in (
        "action_owners",
        "actions",
        "group_memberships",
        "working_group_problems",
        "working_groups",
    ):
        op.drop_table(table)
