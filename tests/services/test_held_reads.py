"""A request's reads share one pooled PostgreSQL connection (`db.reads_held`): taken at the
first statement, handed back at the end whatever happens, never used for a transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from tortoise import Tortoise
from tortoise.transactions import in_transaction

from backend import db
from backend.models import Area
from backend.settings import Settings


async def backend_pid() -> int:
    _, rows = await Tortoise.get_connection("default").execute_query("SELECT pg_backend_pid() AS pid")
    return int(rows[0]["pid"])


@pytest.fixture
def pool(database: None, settings: Settings) -> Iterator[object]:
    if not db.is_postgres(settings.database_url):
        pytest.skip("the asyncpg pool exists on PostgreSQL only; SQLite has one connection already")
    yield Tortoise.get_connection("default")


async def idle(client: object) -> int:
    await Tortoise.get_connection("default").execute_query("SELECT 1")  # the pool is made on first use
    return int(client._pool.get_idle_size())  # type: ignore[attr-defined]


async def test_the_reads_of_a_block_and_of_the_tasks_it_starts_share_one_connection(pool: object) -> None:
    async with db.reads_held():
        pids = await asyncio.gather(*(backend_pid() for _ in range(6)))
        later = await backend_pid()
    assert len(set(pids)) == 1
    assert later == pids[0]


async def test_a_transaction_within_commits_and_the_reads_after_it_see_it(
    pool: object, clean_db: None
) -> None:
    async with db.reads_held():
        await backend_pid()
        async with in_transaction() as transaction:
            assert not isinstance(transaction, db.HeldReads)
            await Area.create(
                name="Held Ward",
                slug="held-ward",
                path="/",
                sibling_key="held ward",
                created_at=datetime.now(UTC),
            )
        assert isinstance(Tortoise.get_connection("default"), db.HeldReads)
        assert await Area.filter(slug="held-ward").count() == 1


async def test_a_transaction_within_hands_the_held_connection_back_first(pool: object) -> None:
    before = await idle(pool)
    async with db.reads_held():
        await backend_pid()
        assert pool._pool.get_idle_size() == before - 1  # type: ignore[attr-defined]
        async with in_transaction():
            # The transaction's connection only: the held one went back.
            assert pool._pool.get_idle_size() == before - 1  # type: ignore[attr-defined]
            await backend_pid()
        assert pool._pool.get_idle_size() == before  # type: ignore[attr-defined]
        await backend_pid()  # taken again
        assert pool._pool.get_idle_size() == before - 1  # type: ignore[attr-defined]
    assert pool._pool.get_idle_size() == before  # type: ignore[attr-defined]


async def test_the_connection_is_taken_at_the_first_statement_and_given_back_at_the_end(
    pool: object,
) -> None:
    before = await idle(pool)
    async with db.reads_held():
        assert pool._pool.get_idle_size() == before  # type: ignore[attr-defined]
        await backend_pid()
        assert pool._pool.get_idle_size() == before - 1  # type: ignore[attr-defined]
        await backend_pid()
        assert pool._pool.get_idle_size() == before - 1  # type: ignore[attr-defined]
    assert pool._pool.get_idle_size() == before  # type: ignore[attr-defined]


async def test_a_block_that_reads_nothing_takes_no_connection(pool: object) -> None:
    before = await idle(pool)
    async with db.reads_held():
        assert pool._pool.get_idle_size() == before  # type: ignore[attr-defined]
    assert pool._pool.get_idle_size() == before  # type: ignore[attr-defined]


async def test_the_connection_goes_back_when_the_block_fails(pool: object) -> None:
    before = await idle(pool)
    with pytest.raises(RuntimeError, match="page failed"):
        async with db.reads_held():
            await backend_pid()
            raise RuntimeError("page failed")
    assert pool._pool.get_idle_size() == before  # type: ignore[attr-defined]
    assert await backend_pid() > 0


async def test_a_failed_statement_leaves_the_held_connection_usable(pool: object) -> None:
    async with db.reads_held():
        with pytest.raises(Exception, match="no_such_table"):
            await Tortoise.get_connection("default").execute_query("SELECT * FROM no_such_table")
        assert await backend_pid() > 0


async def test_held_blocks_nest_into_the_outer_one_and_sqlite_is_left_alone(
    database: None, settings: Settings
) -> None:
    outer = Tortoise.get_connection("default")
    async with db.reads_held():
        held = Tortoise.get_connection("default")
        async with db.reads_held():
            assert Tortoise.get_connection("default") is held
    assert Tortoise.get_connection("default") is outer
    if not db.is_postgres(settings.database_url):
        assert held is outer
