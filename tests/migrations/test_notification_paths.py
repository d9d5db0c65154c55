"""The migration that keeps notification links as paths turns the stored absolute links into
the paths they lead to; what has no link, or a path already, stays as it is.
Runs on SQLite, and on PostgreSQL too when DATABASE_URL names a PostgreSQL server.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, create_engine, text
from test_activity_backfill import database_url, insert, person, upgrade_to_before

from backend.db import sqlalchemy_url
from backend.migrations import upgrade

__all__ = ["database_url"]  # the fixture, shared with the backfill's test

REVISION = "0008_notification_paths"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

STORED = {
    1: "https://rungs.example/#/problems/UHJvYmxlbTox",
    2: "http://127.0.0.1:8000/#/register",
    3: "https://rungs.example/base/#/sign-in",
    4: None,
    5: "/#/problems/UHJvYmxlbToy",
}
MIGRATED = {
    1: "/#/problems/UHJvYmxlbTox",
    2: "/#/register",
    3: "/#/sign-in",
    4: None,
    5: "/#/problems/UHJvYmxlbToy",
}


def notification(connection: Connection, id: int, url: str | None) -> None:
    insert(
        connection,
        "notifications",
        id=id,
        kind="PROBLEM_UPDATE",
        dedupe_key=f"key-{id}",
        title="News",
        body="News of a problem",
        url=url,
        listed=True,
        created_at=NOW,
        deliver_after=NOW,
        delivery="PENDING",
        attempts=0,
        recipient_id=1,
    )


def test_stored_links_become_the_paths_they_lead_to(database_url: str) -> None:
    upgrade_to_before(database_url, REVISION)
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        with engine.begin() as connection:
            person(connection, 1, "Rita")
            for id, url in STORED.items():
                notification(connection, id, url)

        upgrade(database_url, REVISION)

        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, url FROM notifications ORDER BY id")).all()
    finally:
        engine.dispose()
    assert dict(rows) == MIGRATED
