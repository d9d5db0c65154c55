"""The app refuses to serve a database the migrations have not caught up with."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory

from backend.migrations import (
    alembic_config,
    current_revision,
    head_revision,
    pending_migration_message,
    upgrade,
)


def test_a_fresh_database_asks_for_rungs_migrate_until_it_is_migrated(tmp_path: Path) -> None:
    database_url = f"sqlite://{tmp_path / 'data' / 'rungs.sqlite3'}"

    message = pending_migration_message(database_url)

    assert message is not None
    assert "rungs migrate" in message
    assert str(head_revision()) in message
    assert not (tmp_path / "data" / "rungs.sqlite3").exists(), "looking must not create the file"

    upgrade(database_url)

    assert current_revision(database_url) == head_revision()
    assert pending_migration_message(database_url) is None


def test_the_migrations_form_one_line() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))

    assert len(scripts.get_heads()) == 1, f"several heads, merge them: {scripts.get_heads()}"
    assert len(scripts.get_bases()) == 1, f"several bases: {scripts.get_bases()}"
