"""Shared fixtures: a real database (SQLite, or PostgreSQL via DATABASE_URL), a real Redis
(the embedded one, or REDIS_URL), the app over ASGI, and a hand-moved clock."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

# Read once, when backend.auth.passwords is first imported, which the imports below do.
os.environ["RUNGS_CHEAP_PASSWORD_HASHING_FOR_TESTS"] = "1"

import httpx
import pytest
import redis as redis_client
from starlette.applications import Starlette
from tortoise import Tortoise
from tortoise.backends.base.client import BaseDBAsyncClient

from backend import db
from backend.app import create_app
from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.embedded_redis import EmbeddedRedis
from backend.migrations import upgrade
from backend.services.configuration import Configuration, configure
from backend.settings import Settings
from neighbourhood import Neighbourhood
from neighbourhood import build as build_neighbourhood
from support import GraphQL, People, RecordingMailer

PUBLIC_URL = "https://rungs.test"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rungs-data")


@pytest.fixture(scope="session")
def redis_url(data_dir: Path) -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    with EmbeddedRedis(data_dir / "redis.sock") as server:
        yield server.url


@pytest.fixture(scope="session")
def base_settings(data_dir: Path) -> Settings:
    """The test settings, but for the Redis (which a test asks for through `settings`)."""
    return Settings(
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL") or f"sqlite://{data_dir / 'rungs.sqlite3'}",
        redis_url=None,
        mail_url=None,
        mail_from="Rungs <no-reply@rungs.test>",
        public_url=PUBLIC_URL,
        environment="test",
        secret_key="test-secret-key-not-for-production",
    )


@pytest.fixture(scope="session")
def settings(base_settings: Settings, redis_url: str) -> Settings:
    return dataclasses.replace(base_settings, redis_url=redis_url)


@pytest.fixture(autouse=True)
def configured(base_settings: Settings) -> Configuration:
    """The services read the test settings, as they read the app's: set before each test,
    since a test may build an app from other settings."""
    return configure(base_settings)


def _reset_postgres(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[-1].split("?", 1)[0]
    if "test" not in name:
        raise RuntimeError(f"refusing to wipe database {name!r}: test databases have 'test' in their name")
    with psycopg.connect(db.sqlalchemy_url(database_url).replace("+psycopg", ""), autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="session")
async def database(settings: Settings) -> AsyncIterator[None]:
    """The test database, migrated from empty once per run."""
    if db.is_postgres(settings.database_url):
        _reset_postgres(settings.database_url)
    await asyncio.to_thread(upgrade, settings.database_url)
    await db.open_database(settings.database_url)
    yield
    await db.close_database()


# The foreign keys between the test database's tables, and the sequences each table owns.
FOREIGN_KEYS = """
SELECT conrelid::regclass::text AS referring, confrelid::regclass::text AS referred
FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
"""
OWNED_SEQUENCES = """
SELECT owner.relname AS table_name, sequence.relname AS sequence_name
FROM pg_class sequence
JOIN pg_depend link ON link.objid = sequence.oid AND link.classid = 'pg_class'::regclass
    AND link.refclassid = 'pg_class'::regclass AND link.deptype IN ('a', 'i')
JOIN pg_class owner ON owner.oid = link.refobjid
WHERE sequence.relkind = 'S' AND sequence.relnamespace = current_schema()::regnamespace
"""


@dataclasses.dataclass(frozen=True)
class PostgresTables:
    """How to empty the PostgreSQL test database between tests as TRUNCATE ... RESTART IDENTITY
    CASCADE would, but for the tables a test touched only: a TRUNCATE of every table takes about
    half a second, an empty database's DELETEs a few milliseconds."""

    # Those referring to others before those they refer to, so each DELETE leaves no dangling row.
    in_deleting_order: list[str]
    sequences: dict[str, list[str]]
    # Names the tables holding rows, or whose sequences have handed out a number.
    touched_query: str

    async def empty(self, connection: BaseDBAsyncClient) -> None:
        touched = {row["name"] for row in await connection.execute_query_dict(self.touched_query)}
        statements = [f'DELETE FROM "{table}"' for table in self.in_deleting_order if table in touched]
        statements += [
            f'ALTER SEQUENCE "{sequence}" RESTART'
            for table in self.in_deleting_order
            if table in touched
            for sequence in self.sequences.get(table, [])
        ]
        if statements:
            await connection.execute_script(";\n".join(statements))


async def postgres_tables(connection: BaseDBAsyncClient, tables: list[str]) -> PostgresTables:
    referred_by: dict[str, set[str]] = {table: set() for table in tables}
    for key in await connection.execute_query_dict(FOREIGN_KEYS):
        if key["referring"] != key["referred"] and key["referred"] in referred_by:
            referred_by[key["referred"]].add(key["referring"])
    in_deleting_order: list[str] = []
    placing: list[str] = []

    def place(table: str) -> None:
        if table in placing:
            # No DELETE order empties tables that refer to each other in a ring.
            ring = " -> ".join([*placing, table])
            raise RuntimeError(f"foreign keys in a ring: {ring}; empty these tables together")
        if table not in in_deleting_order:
            placing.append(table)
            for referring in sorted(referred_by.get(table, ())):
                place(referring)
            placing.pop()
            in_deleting_order.append(table)

    for table in tables:
        place(table)
    sequences: dict[str, list[str]] = {}
    for owned in await connection.execute_query_dict(OWNED_SEQUENCES):
        sequences.setdefault(owned["table_name"], []).append(owned["sequence_name"])
    holding_rows = [f"SELECT '{table}' AS name WHERE EXISTS (SELECT 1 FROM \"{table}\")" for table in tables]
    counting = [
        f"SELECT '{table}' AS name FROM pg_sequences WHERE schemaname = current_schema()"
        f" AND sequencename = '{sequence}' AND last_value IS NOT NULL"
        for table in tables
        for sequence in sequences.get(table, [])
    ]
    return PostgresTables(in_deleting_order, sequences, "\nUNION ALL ".join(holding_rows + counting))


# Made once per run, on the first test's emptying.
_postgres_tables: list[PostgresTables] = []


@pytest.fixture
async def clean_db(database: None) -> None:
    """Every test starts from empty tables, their ids counting from 1 again."""
    connection = Tortoise.get_connection("default")
    tables = [model._meta.db_table for model in Tortoise.apps["models"].values()]
    if db.is_postgres(os.environ.get("DATABASE_URL", "")):
        if not _postgres_tables:
            _postgres_tables.append(await postgres_tables(connection, tables))
        await _postgres_tables[0].empty(connection)
    else:
        # Foreign keys are checked per statement; off while emptying, so order does not matter.
        await connection.execute_script("PRAGMA foreign_keys = OFF")
        for table in tables:
            await connection.execute_script(f'DELETE FROM "{table}"')
        await connection.execute_script("DELETE FROM sqlite_sequence")
        await connection.execute_script("PRAGMA foreign_keys = ON")


@pytest.fixture
def redis(redis_url: str) -> Iterator[redis_client.Redis]:
    """The job queue's Redis, emptied before each test that uses it."""
    client = redis_client.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def sealer(settings: Settings) -> Sealer:
    return Sealer(settings.secret_key)


@pytest.fixture
def mailer() -> RecordingMailer:
    return RecordingMailer()


@pytest.fixture
def app(settings: Settings, clock: ManualClock, clean_db: None, redis: redis_client.Redis) -> Starlette:
    return create_app(settings, clock=clock, manage_database=False)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC_URL) as http:
        yield http


@pytest.fixture
def gql(client: httpx.AsyncClient) -> GraphQL:
    return GraphQL(client)


@pytest.fixture
def people(clean_db: None, clock: ManualClock, client: httpx.AsyncClient) -> People:
    return People(clock, client)


@pytest.fixture
async def neighbourhood(people: People, clock: ManualClock) -> Neighbourhood:
    """Areas, organisations and people in every role the problem rules name (tests/neighbourhood.py)."""
    return await build_neighbourhood(people, clock)
