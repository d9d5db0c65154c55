"""Alembic, driven from code: `rungs migrate`, and the check that refuses to serve a stale schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from backend.db import ALEMBIC_DIR, is_postgres, sqlalchemy_url
from backend.settings import ConfigurationError

CONNECT_TIMEOUT = 10


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


@contextmanager
def _connected(database_url: str) -> Iterator[Connection]:
    """A connection to the database, or a ConfigurationError saying in one line why there is none."""
    # A server that never answers (a dropped route, a firewall) is refused in seconds too.
    patience = {"connect_timeout": CONNECT_TIMEOUT} if is_postgres(database_url) else {}
    engine = create_engine(sqlalchemy_url(database_url), connect_args=patience)
    try:
        try:
            connection = engine.connect()
        except DBAPIError as error:
            # The driver's first line says what failed and where (never the password); the
            # lines after it are hints and a link, which belong in no one-line message.
            reason = str(error.orig).strip().splitlines()[0]
            path = sqlite_file(database_url)
            where = f"the SQLite database {path}" if path else "the database DATABASE_URL names"
            raise ConfigurationError(f"cannot connect to {where}: {reason}") from None
        with connection:
            yield connection
    finally:
        engine.dispose()


def upgrade(database_url: str, revision: str = "head") -> None:
    path = sqlite_file(database_url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigurationError(
                f"cannot create the folder of the SQLite database {path} ({error.strerror or error})"
            ) from None
    # Alembic would report an unreachable server as a page of traceback: ask first.
    with _connected(database_url):
        pass
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(database_url: str) -> str | None:
    path = sqlite_file(database_url)
    if path is not None and not path.exists():
        return None  # Nothing migrated yet; do not leave an empty file behind by looking.
    with _connected(database_url) as connection:
        return MigrationContext.configure(connection).get_current_revision()


def pending_migration_message(database_url: str) -> str | None:
    """Why the database is not ready to serve, or None when it is at the latest migration."""
    current, head = current_revision(database_url), head_revision()
    if current == head:
        return None
    return (
        f"The database is at migration {current or '(none)'} but this release needs {head}. "
        "Run `rungs migrate` first."
    )
