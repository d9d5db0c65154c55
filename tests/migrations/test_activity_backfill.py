"""The migration that makes the activity record fills it from the rows there are.

Rows are written at the revision before it, as the service wrote them then; after the
upgrade each proposal, support, follow, comment, response and update is the act that made
it, at its moment, in time order. Supports and follows a duplicate carried over are
nobody's act, and the acts of someone who erased their account belong to nobody.
Runs on SQLite, and on PostgreSQL too when DATABASE_URL names a PostgreSQL server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, create_engine, text
from test_drift import _postgres_scratch_databases

from backend.db import is_postgres, sqlalchemy_url
from backend.migrations import alembic_config, upgrade

REVISION = "0007_activity"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(hours: int) -> datetime:
    return START + timedelta(hours=hours)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'rungs.sqlite3'}"
        return
    configured = os.environ.get("DATABASE_URL", "")
    if not is_postgres(configured):
        pytest.skip("PostgreSQL variant: DATABASE_URL is not a postgres:// or postgresql:// URL")
    with _postgres_scratch_databases(configured, "backfill") as (url,):
        yield url


def upgrade_to_before(database_url: str, revision: str) -> None:
    """Migrate to the revision before `revision`: where its test writes the rows it finds."""
    before = ScriptDirectory.from_config(alembic_config(database_url)).get_revision(revision).down_revision
    assert isinstance(before, str)
    upgrade(database_url, before)


def read_after_migrating(
    database_url: str, revision: str, write_before: Callable[[Connection], None], query: str
) -> list[Any]:
    """The rows `query` reads once `revision` has migrated what `write_before` wrote just
    before it."""
    upgrade_to_before(database_url, revision)
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        with engine.begin() as connection:
            write_before(connection)
        upgrade(database_url, revision)
        with engine.connect() as connection:
            return list(connection.execute(text(query)).all())
    finally:
        engine.dispose()


def insert(connection: Connection, table: str, **values: Any) -> None:
    columns = ", ".join(values)
    placeholders = ", ".join(f":{column}" for column in values)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"), values)


def person(connection: Connection, id: int, name: str, *, erased: bool = False, **later: object) -> None:
    """A person as the early schema has them; `later` fills columns later revisions added."""
    insert(
        connection,
        "users",
        id=id,
        email=f"{name.lower()}@example.org" if not erased else f"erased-{id}@erased.invalid",
        display_name=name if not erased else "Former participant",
        password_hash="!",
        is_admin=False,
        skills="[]",
        email_notifications=True,
        task_reminders=True,
        digest="WEEKLY",
        created_at=START,
        updated_at=START,
        confirmed_at=START,
        erased_at=at(100) if erased else None,
        **later,
    )


def notification(connection: Connection, id: int, recipient_id: int, **columns: Any) -> None:
    """A notification as the early schema has it, to person `recipient_id`; `columns` override."""
    insert(
        connection,
        "notifications",
        **{
            "id": id,
            "kind": "PROBLEM_UPDATE",
            "dedupe_key": f"key-{id}",
            "title": "News",
            "body": "News of a problem",
            "url": None,
            "listed": True,
            "created_at": START,
            "deliver_after": START,
            "delivery": "PENDING",
            "attempts": 0,
            "recipient_id": recipient_id,
            **columns,
        },
    )


def area(connection: Connection, id: int, name: str) -> None:
    insert(connection, "areas", id=id, name=name, slug=name.lower(), path=f"/{id}/", created_at=START)


def problem(connection: Connection, id: int, *, area_id: int, proposer_id: int, proposed: datetime) -> None:
    insert(
        connection,
        "problems",
        id=id,
        title=f"Problem {id}",
        description="Something to see to.",
        category="ANTISOCIAL_BEHAVIOUR",
        status="PROPOSED",
        stage="SCANNING",
        visibility="PUBLIC",
        created_at=proposed,
        updated_at=proposed,
        response_due_at=proposed + timedelta(days=14),
        answered=False,
        support_count=1,
        follower_count=1,
        comment_count=0,
        area_id=area_id,
        proposer_id=proposer_id,
    )
    # The proposer supported and followed what they proposed.
    for table in ("problem_supports", "problem_follows"):
        insert(connection, table, problem_id=id, user_id=proposer_id, created_at=proposed)


RITA, RAY, PAT, ZED = 1, 2, 3, 4
WARD, HILLSIDE = 1, 2


def the_past(connection: Connection) -> None:
    """Rita's proposal, supported by Ray, who commented; Pat accepted it and posted news.
    Ray's own proposal in Hillside was marked a duplicate of Rita's: his follow carried
    over (he supported it already). Zed proposed and commented, then erased his account,
    which took his follows and left the rest as a former participant's."""
    for id, name in ((RITA, "Rita"), (RAY, "Ray"), (PAT, "Pat")):
        person(connection, id, name)
    person(connection, ZED, "Zed", erased=True)
    area(connection, WARD, "Mill Lane")
    area(connection, HILLSIDE, "Hillside")
    problem(connection, 1, area_id=WARD, proposer_id=RITA, proposed=at(1))
    insert(connection, "problem_supports", problem_id=1, user_id=RAY, created_at=at(2))
    insert(connection, "comments", problem_id=1, author_id=RAY, body="Every night.", created_at=at(3))
    response = {"problem_id": 1, "author_id": PAT, "decision": "ACCEPT", "body": "", "created_at": at(4)}
    insert(connection, "problem_responses", **response)
    problem(connection, 2, area_id=HILLSIDE, proposer_id=RAY, proposed=at(5))
    insert(
        connection,
        "problem_responses",
        problem_id=2,
        author_id=PAT,
        decision="DUPLICATE",
        duplicate_of_id=1,
        body="",
        created_at=at(6),
    )
    insert(connection, "problem_follows", problem_id=1, user_id=RAY, created_at=at(6))
    insert(connection, "problem_updates", problem_id=1, author_id=PAT, body="Patrols.", created_at=at(7))
    problem(connection, 3, area_id=WARD, proposer_id=ZED, proposed=at(8))
    connection.execute(text("DELETE FROM problem_follows WHERE user_id = :zed"), {"zed": ZED})
    insert(connection, "comments", problem_id=1, author_id=ZED, body="Me too.", created_at=at(9))


def moment(value: datetime | str) -> datetime:
    """A timestamp as read back: PostgreSQL's driver gives datetimes, SQLite's gives text."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)


def test_the_record_starts_with_every_act_the_existing_rows_tell_of(database_url: str) -> None:
    rows = read_after_migrating(
        database_url,
        REVISION,
        the_past,
        "SELECT person_id, area_id, problem_id, kind, rung, occurred_at FROM activities ORDER BY id",
    )
    assert [(*row[:5], moment(row[5])) for row in rows] == [
        (RITA, WARD, 1, "PROPOSED", 4, at(1)),
        (RITA, WARD, 1, "SUPPORTED", 4, at(1)),
        (RITA, WARD, 1, "FOLLOWED", 1, at(1)),
        (RAY, WARD, 1, "SUPPORTED", 4, at(2)),
        (RAY, WARD, 1, "COMMENTED", 2, at(3)),
        (PAT, WARD, 1, "RESPONDED", 0, at(4)),
        (RAY, HILLSIDE, 2, "PROPOSED", 4, at(5)),
        (RAY, HILLSIDE, 2, "SUPPORTED", 4, at(5)),
        (RAY, HILLSIDE, 2, "FOLLOWED", 1, at(5)),
        # Marking the duplicate is Pat's act; the follow it carried over is nobody's.
        (PAT, HILLSIDE, 2, "RESPONDED", 0, at(6)),
        (PAT, WARD, 1, "UPDATE_POSTED", 0, at(7)),
        (None, WARD, None, "PROPOSED", 4, at(8)),
        (None, WARD, None, "SUPPORTED", 4, at(8)),
        (None, WARD, None, "COMMENTED", 2, at(9)),
    ]
