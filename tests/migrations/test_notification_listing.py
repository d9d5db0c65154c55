"""The migration that lists each notification from its own moment: reminders written ahead are
listed from when they are due, everything else from when it was written.
Runs on SQLite, and on PostgreSQL too when DATABASE_URL names a PostgreSQL server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection
from test_activity_backfill import database_url, moment, notification, person, read_after_migrating

__all__ = ["database_url"]  # the fixture, shared with the backfill's test

REVISION = "0019_notification_listing"
WRITTEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = WRITTEN + timedelta(days=5)
# A mail that failed waits for its retry: its delivery moved, not the moment it was for.
RETRY = WRITTEN + timedelta(minutes=4)


def test_reminders_are_listed_from_when_they_are_due(database_url: str) -> None:
    def written(connection: Connection) -> None:
        person(connection, 1, "Rita", public_initials=False)
        for id, kind, deliver_after in ((1, "TASK_REMINDER", DUE), (2, "PROBLEM_UPDATE", RETRY)):
            notification(connection, id, 1, kind=kind, created_at=WRITTEN, deliver_after=deliver_after)

    query = "SELECT listed_from FROM notifications ORDER BY id"
    rows = read_after_migrating(database_url, REVISION, written, query)
    assert [moment(value) for (value,) in rows] == [DUE, WRITTEN]
