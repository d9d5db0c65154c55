"""Alembic, driven from code: `rungs migrate`, and the check that refuses to serve a stale schema."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from backend.db import ALEMBIC_DIR, sqlalchemy_url


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(database_url).replace("%", "%%"))
    return config


def sqlite_file(database_url: str) -> Path | None:
    """The file behind a SQLite URL; None for PostgreSQL and in-memory databases."""
    url = make_url(sqlalchemy_url(database_url))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def upgrade(database_url: str, revision: str = "head") -> None:
    path = sqlite_file(database_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(database_url: str) -> str | None:
    path = sqlite_file(database_url)
    if path is not None and not path.exists():
        return None  # Nothing migrated yet; do not leave an empty file behind by looking.
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def pending_migration_message(database_url: str) -> str | None:
    """Why the database is not ready to serve, or None when it is at the latest migration."""
    current, head = current_revision(database_url), head_revision()
    if current == head:
        return None
    return (
        f"The database is at migration {current or '(none)'} but this release needs {head}. "
        "Run `rungs migrate` first."
    )
