"""Answering well: corrections of official responses, and organisations' answer templates.

Revision ID: 0012_response_corrections
Revises: 0011_volunteer_tasks
Create Date: 2026-11-29

Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_response_corrections"
down_revision = "0011_volunteer_tasks"
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
    op.add_column("problem_responses", sa.Column("corrected_at", TIMESTAMP, nullable=True))

    op.create_table(
        "response_corrections",
        _id(),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("replaced_body", sa.Text(), nullable=True),
        _fk_column("author_id", nullable=False),
        _fk_column("organisation_id", nullable=True),
        _fk_column("response_id", nullable=False),
        _pk("response_corrections"),
        _fk("response_corrections", "author_id", "users", "RESTRICT"),
        _fk("response_corrections", "organisation_id", "organisations", "RESTRICT"),
        _fk("response_corrections", "response_id", "problem_responses", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_response_co_respons_7c50e4", "response_corrections", ["response_id"])
    op.create_index("idx_response_co_author__1c2279", "response_corrections", ["author_id"])

    op.create_table(
        "answer_templates",
        _id(),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("title_key", sa.String(120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        _fk_column("author_id", nullable=True),
        _fk_column("organisation_id", nullable=False),
        _pk("answer_templates"),
        _fk("answer_templates", "author_id", "users", "SET NULL"),
        _fk("answer_templates", "organisation_id", "organisations", "CASCADE"),
        sa.UniqueConstraint("organisation_id", "title_key", name="uid_answer_temp_organis_1ecc3a"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_answer_temp_author__b13320", "answer_templates", ["author_id"])


def downgrade() -> None:
    op.drop_table("answer_templates")
    op.drop_table("response_corrections")
    with op.batch_alter_table("problem_responses", table_kwargs=TABLE_OPTIONS) as responses:
        responses.drop_column("corrected_at")
