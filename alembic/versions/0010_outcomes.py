"""Outcomes: measures and their readings, closings of problems and the community's reviews.

Revision ID: 0010_outcomes
Revises: 0009_working_groups
Create Date: 2026-11-29

Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_outcomes"
down_revision = "0009_working_groups"
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
        "outcome_measures",
        _id(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("direction", sa.String(16), nullable=False),
        sa.Column("baseline", FLOAT, nullable=False),
        sa.Column("baseline_on", sa.Date(), nullable=False),
        sa.Column("target", FLOAT, nullable=False),
        sa.Column("target_on", sa.Date(), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _fk_column("defined_by_id", nullable=False),
        _fk_column("problem_id", nullable=False),
        _pk("outcome_measures"),
        _fk("outcome_measures", "defined_by_id", "users", "RESTRICT"),
        _fk("outcome_measures", "problem_id", "problems", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_outcome_mea_problem_ca5ecd", "outcome_measures", ["problem_id"])

    op.create_table(
        "outcome_readings",
        _id(),
        sa.Column("value", FLOAT, nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _fk_column("measure_id", nullable=False),
        _fk_column("recorded_by_id", nullable=False),
        _pk("outcome_readings"),
        _fk("outcome_readings", "measure_id", "outcome_measures", "CASCADE"),
        _fk("outcome_readings", "recorded_by_id", "users", "RESTRICT"),
        sa.UniqueConstraint("measure_id", "observed_on", name="uid_outcome_rea_measure_41917e"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_outcome_rea_recorde_eaef40", "outcome_readings", ["recorded_by_id"])

    op.create_table(
        "problem_resolutions",
        _id(),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("closed_at", TIMESTAMP, nullable=False),
        sa.Column("agree_count", sa.Integer(), nullable=False),
        sa.Column("disagree_count", sa.Integer(), nullable=False),
        sa.Column("judged_at", TIMESTAMP, nullable=True),
        sa.Column("reopened_at", TIMESTAMP, nullable=True),
        _fk_column("closed_by_id", nullable=False),
        _fk_column("organisation_id", nullable=True),
        _fk_column("problem_id", nullable=False),
        _pk("problem_resolutions"),
        _fk("problem_resolutions", "closed_by_id", "users", "RESTRICT"),
        _fk("problem_resolutions", "organisation_id", "organisations", "RESTRICT"),
        _fk("problem_resolutions", "problem_id", "problems", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_problem_res_problem_76ca4f", "problem_resolutions", ["problem_id"])
    op.create_index("idx_problem_res_judged__010497", "problem_resolutions", ["judged_at", "closed_at"])

    op.create_table(
        "resolution_reviews",
        _id(),
        sa.Column("agrees", BOOLEAN, nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _fk_column("resolution_id", nullable=False),
        _fk_column("user_id", nullable=False),
        _pk("resolution_reviews"),
        _fk("resolution_reviews", "resolution_id", "problem_resolutions", "CASCADE"),
        _fk("resolution_reviews", "user_id", "users", "RESTRICT"),
        sa.UniqueConstraint("resolution_id", "user_id", name="uid_resolution__resolut_eec693"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_resolution__user_id_9a3b6d", "resolution_reviews", ["user_id"])


def downgrade() -> None:
    for table in ("resolution_reviews", "problem_resolutions", "outcome_readings", "outcome_measures"):
        op.drop_table(table)
