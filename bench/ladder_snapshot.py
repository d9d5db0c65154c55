"""The ladder's daily snapshot for a force of `--people` people (10,000 by default): how long
it takes, the statements it sends per area, the rows it writes, what a second run the same
day costs, and how long an area page's ladder, movement and monthly series take to read.

    .venv/bin/python bench/ladder_snapshot.py --database-url postgres://postgres@127.0.0.1:5432/rungs_bench

The database named is emptied (its name must contain "bench" or "test") and migrated; a force
of 3 districts of 4 wards each is made through the areas service, then people living in the
wards are written directly (the bench measures the snapshot, not the acts), each with a few
acts of any rung there over the last two years. The force's ladder is taken on two days a
week apart.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from random import Random

# One account needs no password strength: the bench measures the ladder, not sign-ins.
os.environ["RUNGS_CHEAP_PASSWORD_HASHING_FOR_TESTS"] = "1"

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tortoise import Tortoise  # noqa: E402

from backend import db  # noqa: E402
from backend.migrations import upgrade  # noqa: E402
from backend.models import Activity, Area, LadderRung, User  # noqa: E402
from backend.services import accounts, areas, configuration  # noqa: E402
from backend.services.activity import RUNG_REACHED  # noqa: E402
from backend.services.actors import Actor  # noqa: E402
from backend.services.ladder import ladder_of, movement, snapshots  # noqa: E402
from backend.settings import Settings  # noqa: E402

DISTRICTS, WARDS = 3, 4
KINDS = [kind for kind, rung in RUNG_REACHED.items() if rung]


class Statements(logging.Handler):
    """Counts the SQL statements Tortoise sends."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0
        logger = logging.getLogger("tortoise.db_client")
        logger.addHandler(self)
        logger.setLevel(logging.DEBUG)

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def reset(database_url: str) -> None:
    name = database_url.rsplit("/", 1)[-1]
    if "bench" not in name and "test" not in name:
        raise SystemExit(f"refusing to empty {name!r}: its name must contain 'bench' or 'test'")
    if db.is_postgres(database_url):
        import psycopg

        with psycopg.connect(
            db.sqlalchemy_url(database_url).replace("+psycopg", ""), autocommit=True
        ) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
    upgrade(database_url)


async def seed(people: int, now: datetime) -> list[Area]:
    admin = Actor(
        user=await accounts.create_admin(
            email="admin@bench.example",
            password="correct horse battery staple",
            display_name="Admin",
            now=now,
        )
    )
    made = [await areas.create_area(admin, name="Force", now=now)]
    wards = []
    for d in range(DISTRICTS):
        made.append(await areas.create_area(admin, name=f"District {d}", parent_id=made[0].id, now=now))
        for w in range(WARDS):
            wards.append(await areas.create_area(admin, name=f"Ward {d}.{w}", parent_id=made[-1].id, now=now))
    made += wards
    chance = Random(12)
    await User.bulk_create(
        [
            User(
                email=f"person{n}@bench.example",
                display_name=f"Person {n}",
                password_hash="-",
                home_area_id=wards[n % len(wards)].id,
                confirmed_at=now,
                created_at=now,
                updated_at=now,
            )
            for n in range(people)
        ],
        batch_size=2000,
    )
    acts = []
    for person_id, home in await User.filter(home_area_id__isnull=False).values_list("id", "home_area_id"):
        for _ in range(chance.randint(0, 6)):
            kind = chance.choice(KINDS)
            at = now - timedelta(days=chance.randint(0, 730), hours=chance.randint(0, 23))
            acts.append(
                Activity(
                    person_id=person_id, area_id=home, kind=kind, rung=RUNG_REACHED[kind], occurred_at=at
                )
            )
    await Activity.bulk_create(acts, batch_size=5000)
    print(f"seeded {len(made)} areas, {people} people, {len(acts)} acts")
    return made


async def main(database_url: str, people: int) -> None:
    reset(database_url)
    configuration.configure(
        Settings(
            data_dir=Path("/nonexistent"),
            database_url=database_url,
            redis_url=None,
            mail_url=None,
            mail_from="Rungs <no-reply@rungs.localhost>",
            public_url="http://bench",
            environment="production",
            secret_key="bench",
        )
    )
    await db.open_database(database_url)
    try:
        now = datetime(2026, 6, 1, 0, 20, tzinfo=UTC)
        made = await seed(people, now - timedelta(days=7))
        counter = Statements()
        for label, moment in (("a week ago", now - timedelta(days=7)), ("today", now), ("today, again", now)):
            before, started = counter.count, time.perf_counter()
            taken = await snapshots.take(now=moment)
            seconds = time.perf_counter() - started
            statements = counter.count - before
            print(
                f"snapshot {label}: {taken} areas in {seconds:.2f} s, {statements} statements "
                f"({statements / max(taken, 1):.1f} per area taken)"
            )
        rows = await LadderRung.filter(day=snapshots.day_of(now)).count()
        print(f"rows written for a day: {rows} rungs over {len(made)} areas")
        force = made[0]
        for label, read in (
            ("ladder", lambda: ladder_of(force, now=now)),
            ("movement", lambda: movement.movement(force, snapshots.day_of(now) - timedelta(days=7))),
            ("monthly series", lambda: movement.monthly(force, months=12, now=now)),
        ):
            started = time.perf_counter()
            await read()
            print(f"the force's {label}: {(time.perf_counter() - started) * 1000:.0f} ms")
        print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        await Tortoise.close_connections()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--people", type=int, default=10_000)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.people))
