"""Problems: proposals, their routing to owners, official responses, updates, supports,
follows and comments.

Revision ID: 0003_problems
Revises: 0002_account_erasure
Create Date: 2026-11-21

Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_problems"
down_revision = "0002_account_erasure"
branch_labels = None
depends_on = None

BOOLEAN = sa.Boolean(create_constraint=False).with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.TIMESTAMP(timezone=True)
FLOAT = sa.Float().with_variant(sa.REAL(), "sqlite")
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
        "problems",
        _id(),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("visibility", sa.String(16), nullable=False),
        sa.Column("latitude", FLOAT, nullable=True),
        sa.Column("longitude", FLOAT, nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("response_due_at", TIMESTAMP, nullable=False),
        sa.Column("answered", BOOLEAN, nullable=False),
        sa.Column("first_responded_at", TIMESTAMP, nullable=True),
        sa.Column("first_response_hours", FLOAT, nullable=True),
        sa.Column("first_response_on_time", BOOLEAN, nullable=True),
        sa.Column("decline_reason", sa.String(40), nullable=True),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("follower_count", sa.Integer(), nullable=False),
        sa.Column("comment_count", sa.Integer(), nullable=False),
        _fk_column("area_id", nullable=False),
        _fk_column("duplicate_of_id", nullable=True),
        _fk_column("owner_id", nullable=True),
        _fk_column("proposer_id", nullable=False),
        _pk("problems"),
        _fk("problems", "area_id", "areas", "RESTRICT"),
        _fk("problems", "duplicate_of_id", "problems", "SET NULL"),
        _fk("problems", "owner_id", "organisations", "RESTRICT"),
        _fk("problems", "proposer_id", "users", "RESTRICT"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_problems_owner_i_6b73d0", "problems", ["owner_id"])
    op.create_index("idx_problems_propose_09b2cd", "problems", ["proposer_id"])
    op.create_index("idx_problems_support_487607", "problems", ["support_count", "id"])
    op.create_index("idx_problems_answere_1b1664", "problems", ["answered", "response_due_at", "id"])
    op.create_index("idx_problems_updated_d75403", "problems", ["updated_at", "id"])
    op.create_index("idx_problems_area_id_8108dd", "problems", ["area_id", "created_at"])

    op.create_table(
        "comments",
        _id(),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("hidden_at", TIMESTAMP, nullable=True),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
        _fk_column("author_id", nullable=False),
        _fk_column("hidden_by_id", nullable=True),
        _fk_column("problem_id", nullable=False),
        _pk("comments"),
        _fk("comments", "author_id", "users", "RESTRICT"),
        _fk("comments", "hidden_by_id", "users", "SET NULL"),
        _fk("comments", "problem_id", "problems", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_comments_author__a7f639", "comments", ["author_id"])
    op.create_index("idx_comments_problem_5130eb", "comments", ["problem_id", "id"])

    for table, index, unique in (
        ("problem_follows", "idx_problem_fol_user_id_073b61", "uid_problem_fol_problem_9900ec"),
        ("problem_supports", "idx_problem_sup_user_id_36cf9e", "uid_problem_sup_problem_c46220"),
    ):
        op.create_table(
            table,
            _id(),
            sa.Column("created_at", TIMESTAMP, nullable=False),
            _fk_column("problem_id", nullable=False),
            _fk_column("user_id", nullable=False),
            _pk(table),
            _fk(table, "problem_id", "problems", "CASCADE"),
            _fk(table, "user_id", "users", "CASCADE"),
            sa.UniqueConstraint("problem_id", "user_id", name=unique),
            **TABLE_OPTIONS,
        )
        op.create_index(index, table, ["user_id"])

    op.create_table(
        "problem_responses",
        _id(),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("reason_code", sa.String(40), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _fk_column("author_id", nullable=False),
        _fk_column("duplicate_of_id", nullable=True),
        _fk_column("organisation_id", nullable=True),
        _fk_column("problem_id", nullable=False),
        _fk_column("referred_to_id", nullable=True),
        _pk("problem_responses"),
        _fk("problem_responses", "author_id", "users", "RESTRICT"),
        _fk("problem_responses", "duplicate_of_id", "problems", "SET NULL"),
        _fk("problem_responses", "organisation_id", "organisations", "RESTRICT"),
        _fk("problem_responses", "problem_id", "problems", "CASCADE"),
        _fk("problem_responses", "referred_to_id", "organisations", "RESTRICT"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_problem_res_problem_d7d480", "problem_responses", ["problem_id"])

    op.create_table(
        "problem_routings",
        _id(),
        sa.Column("received_at", TIMESTAMP, nullable=False),
        sa.Column("due_at", TIMESTAMP, nullable=False),
        sa.Column("escalate_at", TIMESTAMP, nullable=False),
        sa.Column("answered_at", TIMESTAMP, nullable=True),
        sa.Column("answer_hours", FLOAT, nullable=True),
        sa.Column("answered_on_time", BOOLEAN, nullable=True),
        sa.Column("decision", sa.String(16), nullable=True),
        sa.Column("reason_code", sa.String(40), nullable=True),
        sa.Column("overdue_notified_at", TIMESTAMP, nullable=True),
        sa.Column("escalated_at", TIMESTAMP, nullable=True),
        _fk_column("organisation_id", nullable=True),
        _fk_column("problem_id", nullable=False),
        _pk("problem_routings"),
        _fk("problem_routings", "organisation_id", "organisations", "RESTRICT"),
        _fk("problem_routings", "problem_id", "problems", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_problem_rou_problem_47316b", "problem_routings", ["problem_id"])
    op.create_index("idx_problem_rou_organis_6a5802", "problem_routings", ["organisation_id", "received_at"])
    op.create_index("idx_problem_rou_answere_6526dd", "problem_routings", ["answered_at", "due_at"])

    op.create_table(
        "problem_updates",
        _id(),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _fk_column("author_id", nullable=False),
        _fk_column("organisation_id", nullable=True),
        _fk_column("problem_id", nullable=False),
        _pk("problem_updates"),
        _fk("problem_updates", "author_id", "users", "RESTRICT"),
        _fk("problem_updates", "organisation_id", "organisations", "RESTRICT"),
        _fk("problem_updates", "problem_id", "problems", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_problem_upd_problem_254e8d", "problem_updates", ["problem_id"])


def downgrade() -> None:
    for table in (
        "problem_updates",
        "problem_routings",
        "problem_responses",
        "problem_supports",
        "problem_follows",
        "comments",
        "problems",
    ):
        op.drop_table(table)
