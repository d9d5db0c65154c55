"""The migration that lists each notification from its own moment: reminders written ahead are
listed from when they are due, everything else from when it was written.
Runs on SQLite, and on PostgreSQL too when DATABASE_URL names a PostgreSQL server.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, text
from test_activity_backfill import database_url, insert, person, upgrade_to_before

from backend.db import sqlalchemy_url
from backend.migrations import upgrade

__all__ = ["database_url"]  # the fixture, shared with the backfill's test

REVISION = "0019_notification_listing"
WRITTEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DUE = WRITTEN + timedelta(days=5)
# A mail that failed waits for its retry: its delivery moved, not the moment it was for.
RETRY = WRITTEN + timedelta(minutes=4)


def test_reminders_are_listed_from_when_they_are_due(database_url: str) -> None:
    upgrade_to_before(database_url, REVISION)
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        with engine.begin() as connection:
            person(connection, 1, "Rita", public_initials=False)
            for id, kind, deliver_after in ((1, "TASK_REMINDER", DUE), (2, "PROBLEM_UPDATE", RETRY)):
                insert(
                    connection,
                    "notifications",
                    id=id,
                    kind=kind,
                    dedupe_key=f"key-{id}",
                    title="News",
                    body="News",
                    listed=True,
                    created_at=WRITTEN,
                    deliver_after=deliver_after,
                    delivery="PENDING",
                    attempts=0,
                    recipient_id=1,
                )

        upgrade(database_url, REVISION)

        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, listed_from FROM notifications ORDER BY id")).all()
    finally:
        engine.dispose()
    # PostgreSQL answers datetimes, SQLite the text it keeps.
    moments = [
        moment if isinstance(moment, datetime) else datetime.fromisoformat(moment) for _, moment in rows
    ]
    assert moments == [DUE, WRITTEN]
