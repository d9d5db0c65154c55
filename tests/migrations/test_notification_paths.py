"""The migration that keeps notification links as paths turns the stored absolute links into
the paths they lead to; what has no link, or a path already, stays as it is.
Runs on SQLite, and on PostgreSQL too when DATABASE_URL names a PostgreSQL server.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection
from test_activity_backfill import database_url, notification, person, read_after_migrating

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


def test_stored_links_become_the_paths_they_lead_to(database_url: str) -> None:
    def stored(connection: Connection) -> None:
        person(connection, 1, "Rita")
        for id, url in STORED.items():
            notification(connection, id, 1, url=url, created_at=NOW, deliver_after=NOW)

    rows = read_after_migrating(
        database_url, REVISION, stored, "SELECT id, url FROM notifications ORDER BY id"
    )
    assert dict(rows) == MIGRATED
