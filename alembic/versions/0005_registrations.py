"""Registrations confirm the address; sign-in throttling per account and client, with known devices.

Revision ID: 0005_registrations
Revises: 0004_notification_audiences
Create Date: 2026-11-29

Addresses get a row before they are confirmed (`users.confirmed_at` stays null), so the
registration mail has a recipient; what the person chose waits on the link that confirms it.
Accounts made before this revision were all made by people who chose their password, so
they count as confirmed when they were made.

Login attempts are only ever read back for a quarter of an hour, so the table is made anew
rather than converted: attempts now name the account by a digest, never by the address.

Names follow 0001: PostgreSQL's default constraint names, Tortoise's index names.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_registrations"
down_revision = "0004_notification_audiences"
branch_labels = None
depends_on = None

BOOLEAN = sa.Boolean(create_constraint=False).with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.TIMESTAMP(timezone=True)
TABLE_OPTIONS = {"sqlite_autoincrement": True}


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False)


def _pk(table: str) -> sa.PrimaryKeyConstraint:
    return sa.PrimaryKeyConstraint("id", name=f"{table}_pkey")


def _login_attempts_by_address() -> None:
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


def upgrade() -> None:
    op.add_column("users", sa.Column("confirmed_at", TIMESTAMP, nullable=True))
    op.execute("UPDATE users SET confirmed_at = created_at")

    # SQLite cannot add a foreign key to a table in place; batch mode copies the table.
    with op.batch_alter_table("magic_link_tokens", table_kwargs=TABLE_OPTIONS) as tokens:
        tokens.add_column(sa.Column("display_name", sa.String(80), nullable=True))
        tokens.add_column(sa.Column("password_hash", sa.String(255), nullable=True))
        tokens.add_column(sa.Column("home_area_id", sa.Integer(), nullable=True))
        tokens.create_foreign_key(
            "magic_link_tokens_home_area_id_fkey", "areas", ["home_area_id"], ["id"], ondelete="SET NULL"
        )

    op.drop_table("login_attempts")
    op.create_table(
        "login_attempts",
        _id(),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("client", sa.String(80), nullable=False),
        sa.Column("known_device", BOOLEAN, nullable=False),
        sa.Column("attempted_at", TIMESTAMP, nullable=False),
        _pk("login_attempts"),
        **TABLE_OPTIONS,
    )
    op.create_index(
        "idx_login_attem_account_32f310", "login_attempts", ["account", "kind", "client", "attempted_at"]
    )
    op.create_index("idx_login_attem_client_c965ea", "login_attempts", ["client", "attempted_at"])

    op.create_table(
        "known_devices",
        _id(),
        sa.Column("device_hash", sa.String(64), nullable=False),
        sa.Column("account", sa.String(64), nullable=False),
        sa.Column("last_signed_in_at", TIMESTAMP, nullable=False),
        _pk("known_devices"),
        sa.UniqueConstraint("device_hash", "account", name="uid_known_devic_device__db6cc4"),
        **TABLE_OPTIONS,
    )


def downgrade() -> None:
    op.drop_table("known_devices")
    op.drop_table("login_attempts")
    _login_attempts_by_address()
    # Links that would make an account go with the columns that carry what was chosen; rows
    # of addresses nobody confirmed are no accounts and go too.
    op.execute("DELETE FROM magic_link_tokens WHERE password_hash IS NOT NULL")
    with op.batch_alter_table("magic_link_tokens", table_kwargs=TABLE_OPTIONS) as tokens:
        tokens.drop_constraint("magic_link_tokens_home_area_id_fkey", type_="foreignkey")
        tokens.drop_column("home_area_id")
        tokens.drop_column("password_hash")
        tokens.drop_column("display_name")
    op.execute("DELETE FROM users WHERE confirmed_at IS NULL")
    with op.batch_alter_table("users", table_kwargs=TABLE_OPTIONS) as users:
        users.drop_column("confirmed_at")
