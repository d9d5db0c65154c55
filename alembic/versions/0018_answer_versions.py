"""Answer versions: a counter per table, bumped by the database on every write to it, in the
write's own transaction, for the tables that cached public answers read.

Revision ID: 0018_answer_versions
Revises: 0017_progress_digests
Create Date: 2026-11-30

The triggers are the database's: no service can forget to bump, and a counter moves exactly
when the write commits. SQLite, which has only row triggers and one writer at a time, bumps
once per row written.

Contention on PostgreSQL: a counter row, once bumped, stays locked until its transaction
ends, so concurrent writers to the SAME table take turns while it is held (readers never
wait: they read the committed row). Bumping as each statement ran would hold it from the
first write to the commit, client round trips included; so PostgreSQL bumps once per table
per transaction from a deferred constraint trigger, which runs as the transaction commits
(still inside it), holding the lock for the commit alone. Measured with 16 concurrent writers
of three-statement transactions to one table (2 busy CPUs): 740-910 commits/s without a
counter, 220-230 bumping per statement, 550-720 bumping at commit (bench/README.md).
(A sequence would never lock, but it moves before the commit: a reader could then store the
old answer under the new version.)

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
    "problem_routings",
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

# PostgreSQL: bump once per table per transaction, at its commit. A deferred trigger runs as
# the transaction commits, still inside it, so the counter row is locked only for the commit
# itself, not from the first write on (see the docstring); the transaction-local setting
# remembers which tables this transaction has bumped already.
BUMP_FUNCTION = """
CREATE FUNCTION bump_answer_version() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    bumped text := 'rungs.answer_version_bumped.' || TG_TABLE_NAME;
BEGIN
    IF current_setting(bumped, true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config(bumped, txid_current()::text, true);
        INSERT INTO answer_versions (name, version) VALUES (TG_TABLE_NAME, 1)
        ON CONFLICT (name) DO UPDATE SET version = answer_versions.version + 1;
    END IF;
    RETURN NULL;
END
$$
"""
# TRUNCATE has no row to defer for: its own statement trigger bumps at once.
BUMP_NOW_FUNCTION = """
CREATE FUNCTION bump_answer_version_now() RETURNS trigger LANGUAGE plpgsql AS $$
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
        op.execute(BUMP_NOW_FUNCTION)
        for table in TABLES:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER answer_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_answer_version()"
            )
            op.execute(
                f"CREATE TRIGGER answer_version_truncate AFTER TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_answer_version_now()"
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
            op.execute(f"DROP TRIGGER answer_version_truncate ON {table}")
        op.execute("DROP FUNCTION bump_answer_version()")
        op.execute("DROP FUNCTION bump_answer_version_now()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER answer_version_{table}_{event}")
    op.drop_table("answer_versions")
