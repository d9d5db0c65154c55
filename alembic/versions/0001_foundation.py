"""Foundation: accounts, areas, organisations, routing rules and the notification outbox.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-21

The tables are exactly those the Tortoise models generate, on SQLite and on
PostgreSQL (tests/migrations/test_drift.py holds the two side by side).
Constraint names are PostgreSQL's defaults (`<table>_<column>_key`,
`<table>_<column>_fkey`) and index names are Tortoise's, so a database built
either way carries the same names; later migrations can rely on them.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_foundation"
down_revision = None
branch_labels = None
depends_on = None

# The column types Tortoise uses, per database: BOOL / INT, JSONB / JSON,
# TIMESTAMPTZ / TIMESTAMP. Tortoise keeps defaults in Python, never in the schema.
BOOLEAN = sa.Boolean(create_constraint=False).with_variant(sa.Integer(), "sqlite")
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TIMESTAMP = sa.TIMESTAMP(timezone=True)
# SQLite: INTEGER PRIMARY KEY AUTOINCREMENT, so ids are never reused; PostgreSQL: SERIAL.
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=f"{table}_pkey")


def _unique(table: str, column: str) -> sa.UniqueConstraint:
    return sa.UniqueConstraint(column, name=f"{table}_{column}_key")


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=f"{table}_{column}_fkey", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "areas",
        _id(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("slug", sa.String(80), nullable=False),
        sa.Column("path", sa.String(512), nullable=False),
        sa.Column("response_days", sa.Integer(), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        _pk("areas"),
        _unique("areas", "slug"),
        _fk("areas", "parent_id", "areas", "RESTRICT"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_areas_path_1338e3", "areas", ["path"])
    op.create_index("idx_areas_parent__60c4f8", "areas", ["parent_id"])

    op.create_table(
        "login_attempts",
        _id(),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("key", sa.String(320), nullable=False),
        sa.Column("attempted_at", TIMESTAMP, nullable=False),
        _pk("login_attempts"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_login_attem_scope_66f860", "login_attempts", ["scope", "key", "attempted_at"])

    op.create_table(
        "organisations",
        _id(),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("name_key", sa.String(120), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        _pk("organisations"),
        _unique("organisations", "name_key"),
        **TABLE_OPTIONS,
    )

    op.create_table(
        "routing_rules",
        _id(),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        _pk("routing_rules"),
        _fk("routing_rules", "area_id", "areas", "CASCADE"),
        _fk("routing_rules", "organisation_id", "organisations", "RESTRICT"),
        sa.UniqueConstraint("area_id", "category", name="uid_routing_rul_area_id_fdacbb"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_routing_rul_organis_a60118", "routing_rules", ["organisation_id"])

    op.create_table(
        "users",
        _id(),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("display_name", sa.String(80), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("is_admin", BOOLEAN, nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("email_notifications", BOOLEAN, nullable=False),
        sa.Column("task_reminders", BOOLEAN, nullable=False),
        sa.Column("digest", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("home_area_id", sa.Integer(), nullable=True),
        _pk("users"),
        _unique("users", "email"),
        _fk("users", "home_area_id", "areas", "SET NULL"),
        **TABLE_OPTIONS,
    )

    op.create_table(
        "area_roles",
        _id(),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _pk("area_roles"),
        _fk("area_roles", "area_id", "areas", "CASCADE"),
        _fk("area_roles", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("area_id", "user_id", "role", name="uid_area_roles_area_id_c6f119"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_area_roles_user_id_bd3652", "area_roles", ["user_id"])

    op.create_table(
        "magic_link_tokens",
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("used_at", TIMESTAMP, nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _pk("magic_link_tokens"),
        _unique("magic_link_tokens", "token_hash"),
        _fk("magic_link_tokens", "user_id", "users", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_magic_link__user_id_0a25df", "magic_link_tokens", ["user_id"])

    op.create_table(
        "notifications",
        _id(),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("dedupe_key", sa.String(255), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("url", sa.String(500), nullable=True),
        sa.Column("sealed_link", sa.Text(), nullable=True),
        sa.Column("listed", BOOLEAN, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("read_at", TIMESTAMP, nullable=True),
        sa.Column("deliver_after", TIMESTAMP, nullable=False),
        sa.Column("delivery", sa.String(16), nullable=False),
        sa.Column("claimed_until", TIMESTAMP, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", TIMESTAMP, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        _pk("notifications"),
        _unique("notifications", "dedupe_key"),
        _fk("notifications", "recipient_id", "users", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_notificatio_deliver_334764", "notifications", ["delivery", "deliver_after"])
    op.create_index("idx_notificatio_recipie_3f569f", "notifications", ["recipient_id", "created_at"])

    op.create_table(
        "organisation_memberships",
        _id(),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _pk("organisation_memberships"),
        _fk("organisation_memberships", "organisation_id", "organisations", "CASCADE"),
        _fk("organisation_memberships", "user_id", "users", "CASCADE"),
        sa.UniqueConstraint("organisation_id", "user_id", name="uid_organisatio_organis_89a895"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_organisatio_user_id_a839fd", "organisation_memberships", ["user_id"])

    op.create_table(
        "sessions",
        _id(),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.String(80), nullable=True),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("last_seen_at", TIMESTAMP, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _pk("sessions"),
        _unique("sessions", "token_hash"),
        _fk("sessions", "user_id", "users", "CASCADE"),
        **TABLE_OPTIONS,
    )
    op.create_index("idx_sessions_user_id_80072d", "sessions", ["user_id"])


def downgrade() -> None:
    # Dependants first; dropping a table drops its indexes and constraints with it.
    for table in (
        "sessions",
        "organisation_memberships",
        "notifications",
        "magic_link_tokens",
        "area_roles",
        "users",
        "routing_rules",
        "organisations",
        "login_attempts",
        "areas",
    ):
        op.drop_table(table)
