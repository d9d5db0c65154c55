"""The activity record: every act of taking part, kept when supports and follows are undone.

Revision ID: 0007_activity
Revises: 0006_sessions
Create Date: 2026-11-29

The record starts with what the existing rows still tell: each proposal, support, follow,
comment, official response and update becomes the act that made it, at the moment it was
made. Supports and follows already withdrawn left no row, so they cannot be recovered;
nor can the supports and follows that marking a duplicate carried over to the original
(they were the responder's doing, not the person's), which are left out, as the service
leaves them out. The acts of people who erased their account are kept as erasure leaves
them: without the person, and without the problem.

Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_activity"
down_revision = "0006_sessions"
branch_labels = None
depends_on = None

TIMESTAMP = sa.TIMESTAMP(timezone=True)
TABLE_OPTIONS = {"sqlite_autoincrement": True}

# The rungs as this revision knows them (ParticipationRung): later changes to the service's
# table must not change what this migration did.
NONE, PASSIVE, CONVERSATION, ACTIVIST = 0, 1, 2, 4

# Where each act of the past is read from: the act, the rung it reaches, the table, the
# column naming the person, and a condition on the rows. At one moment, acts are ordered
# as the service writes them (a proposal, then its proposer's support and follow).
CARRIED_OVER = """NOT EXISTS (
    SELECT 1 FROM problem_responses AS marking
    WHERE marking.decision = 'DUPLICATE'
      AND marking.duplicate_of_id = source.problem_id
      AND marking.created_at = source.created_at
)"""
SOURCES = (
    ("PROPOSED", ACTIVIST, "problems", "proposer_id", None),
    ("SUPPORTED", ACTIVIST, "problem_supports", "user_id", CARRIED_OVER),
    ("FOLLOWED", PASSIVE, "problem_follows", "user_id", CARRIED_OVER),
    ("COMMENTED", CONVERSATION, "comments", "author_id", None),
    ("RESPONDED", NONE, "problem_responses", "author_id", None),
    ("UPDATE_POSTED", NONE, "problem_updates", "author_id", None),
)


def _past_acts() -> str:
    selects = []
    for step, (kind, rung, table, person, condition) in enumerate(SOURCES):
        problem = "source.id" if table == "problems" else "source.problem_id"
        where = f"WHERE {condition}" if condition else ""
        selects.append(
            f"""SELECT CASE WHEN people.erased_at IS NULL THEN people.id END AS person_id,
               problems.area_id AS area_id,
               CASE WHEN people.erased_at IS NULL THEN problems.id END AS problem_id,
               '{kind}' AS kind, {rung} AS rung, source.created_at AS occurred_at,
               {step} AS step, source.id AS source_id
            FROM {table} AS source
            JOIN problems ON problems.id = {problem}
            JOIN users AS people ON people.id = source.{person}
            {where}"""
        )
    union = "\nUNION ALL\n".join(selects)
    return f"""INSERT INTO activities (person_id, area_id, problem_id, kind, rung, occurred_at)
        SELECT person_id, area_id, problem_id, kind, rung, occurred_at
        FROM ({union}) AS acts
        ORDER BY occurred_at, step, source_id"""


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("rung", sa.SmallInteger(), nullable=False),
        sa.Column("occurred_at", TIMESTAMP, nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("problem_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="activities_pkey"),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.id"], name="activities_area_id_fkey", ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name="activities_person_id_fkey", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["problems.id"], name="activities_problem_id_fkey", ondelete="SET NULL"
        ),
        **TABLE_OPTIONS,
    )
    op.create_index(
        "idx_activities_person__077b38", "activities", ["person_id", "area_id", "occurred_at", "rung"]
    )
    op.create_index("idx_activities_area_id_ce6bfa", "activities", ["area_id", "occurred_at"])
    op.execute(_past_acts())


def downgrade() -> None:
    op.drop_table("activities")
