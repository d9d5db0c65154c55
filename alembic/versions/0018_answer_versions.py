"""Answer versions: a counter per table, bumped by the database on every write to it, in the
write's own transaction, for the tables that cached public answers read.

Revision ID: 0018_answer_versions
Revises: 0017_progress_digests
Create Date: 2026-11-30

The triggers are the database's: no service can forget to bump, and a counter moves exactly
when the write commits. PostgreSQL bumps once per statement (a plpgsql function shared by
every table; TRUNCATE too); SQLite, which has only row triggers, once per row.

Contention: on PostgreSQL the counter row of a table is locked from the first write to that
table in a transaction until the transaction ends, so concurrent writers to the SAME table
take turns for the rest of their transactions (readers never wait: they read the committed
row). Our write transactions are a few short statements; measured in bench/README.md.

A later migration that rebuilds one of these tables on SQLite (batch mode copies the table)
drops its triggers: tests/api/test_public_answers.py checks that every table the cached
answers read still has them.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0018_answer_versions"
down_revision = "0017_progress_digests"
branch_labels = None
depends_on = None

# Every table a cached public answer reads (backend/api/public_answers.py, DEPENDENCIES).
TABLES = (
    "action_owners",
    "actions",
    "area_roles",
    "areas",
    "comments",
    "group_memberships",
    "organisations",
    "problem_responses",
    "problem_supports",
    "problem_updates",
    "problems",
    "response_corrections",
    "routing_rules",
    "task_assignments",
    "users",
    "volunteer_tasks",
    "working_group_problems",
    "working_groups",
)

BUMP_FUNCTION = """
CREATE FUNCTION bump_answer_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO answer_versions (name, version) VALUES (TG_TABLE_NAME, 1)
    ON CONFLICT (name) DO UPDATE SET version = answer_versions.version + 1;
    RETURN NULL;
END
$$
"""


def _sqlite_bump(table: str) -> str:
    return (
        f"INSERT INTO answer_versions (name, version) VALUES ('{table}', 1) "
        "ON CONFLICT (name) DO UPDATE SET version = version + 1;"
    )


def upgrade() -> None:
    op.create_table(
        "answer_versions",
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="answer_versions_pkey"),
    )
    # This database's own number (backend/services/answer_versions.py, DATABASE).
    number = secrets.randbits(62)
    op.execute(f"INSERT INTO answer_versions (name, version) VALUES ('(database)', {number})")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(BUMP_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE TRIGGER answer_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_answer_version()"
            )
        return
    for table in TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER answer_version_{table}_{event.lower()} AFTER {event} ON {table} "
                f"FOR EACH ROW BEGIN {_sqlite_bump(table)} END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER answer_version ON {table}")
        op.execute("DROP FUNCTION bump_answer_version()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER answer_version_{table}_{event}")
    op.drop_table("answer_versions")
