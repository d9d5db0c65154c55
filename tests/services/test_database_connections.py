"""PostgreSQL connections go back to the pool without a reset query: nothing in Rungs leaves
session state behind for one to undo, and a transaction left open is still rolled back."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.backends.asyncpg.client import AsyncpgDBClient
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.connection import get_connections

from backend import db
from backend.settings import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
# SQL that would outlive the statement on a pooled connection, for the next borrower to meet:
# session settings, LISTEN, session-level advisory locks, cursors held open. The code base
# writes SQL keywords in capitals, which keeps prose ("Set on an area above") out.
SESSION_STATE = re.compile(
    r"""["'(]\s*SET\s+(?!LOCAL\b)\w|\bLISTEN\s|pg_advisory_lock\(|pg_try_advisory_lock\(|"""
    r"""\bDECLARE\s+\w+\s+(?:\w+\s+)*CURSOR\b|set_config\(""",
)


def test_postgres_connections_skip_the_reset_query_and_sqlite_is_unchanged() -> None:
    postgres = db.tortoise_config("postgres://rungs@127.0.0.1:5432/rungs")["connections"]["default"]
    assert postgres["credentials"]["connection_class"] is db.StatelessConnection
    sqlite = db.tortoise_config("sqlite:///tmp/rungs-connections-test/db.sqlite3")["connections"]["default"]
    assert "connection_class" not in sqlite["credentials"]


def test_no_code_leaves_session_state_on_a_pooled_connection() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("backend", "workers")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SESSION_STATE.search(line)
    ]
    assert found == []


def test_the_session_state_check_finds_what_it_looks_for() -> None:
    for statement in (
        "execute_query('SET search_path TO x')",
        'execute_query("LISTEN jobs")',
        "SELECT pg_advisory_lock(1)",
        "DECLARE rows NO SCROLL CURSOR WITH HOLD FOR SELECT 1",
        "SELECT set_config('x', 'y', false)",
    ):
        assert SESSION_STATE.search(statement), statement
    for statement in (
        '"SET LOCAL lock_timeout = 1000"',
        "UPDATE problems SET status = $1",
        "pg_advisory_xact_lock(1)",
    ):
        assert not SESSION_STATE.search(statement), statement


async def test_a_transaction_left_open_is_rolled_back_when_its_connection_goes_back(
    database: None, settings: Settings
) -> None:
    if not db.is_postgres(settings.database_url):
        pytest.skip("the asyncpg pool exists on PostgreSQL only")
    client = Tortoise.get_connection("default")
    await client.execute_query("SELECT 1")  # the pool is made on first use
    pool = client._pool  # type: ignore[attr-defined]
    async with pool.acquire() as connection:
        assert connection.get_reset_query() == ""
        await connection.execute("BEGIN")
        await connection.execute("CREATE TEMPORARY TABLE left_open (id int) ON COMMIT DROP")
    async with pool.acquire() as connection:
        assert not connection.is_in_transaction()
        assert await connection.fetchval("SELECT to_regclass('pg_temp.left_open')") is None


def test_a_web_process_asks_postgresql_to_plan_each_statement_once() -> None:
    url = "postgres://rungs@127.0.0.1:5432/rungs"
    web = db.tortoise_config(url, generic_plans=True)["connections"]["default"]["credentials"]
    assert web["server_settings"] == {"plan_cache_mode": "force_generic_plan"}
    assert "server_settings" not in db.tortoise_config(url)["connections"]["default"]["credentials"]
    sqlite = db.tortoise_config("sqlite:///tmp/rungs-connections-test/db.sqlite3", generic_plans=True)
    assert "server_settings" not in sqlite["connections"]["default"]["credentials"]


async def _plan_cache_mode(client: BaseDBAsyncClient) -> str:
    rows = await client.execute_query_dict("SELECT current_setting('plan_cache_mode') AS mode")
    return str(rows[0]["mode"])


async def test_a_web_process_connection_plans_once_and_figures_are_planned_for_their_values(
    database: None, settings: Settings
) -> None:
    if not db.is_postgres(settings.database_url):
        pytest.skip("plan_cache_mode is PostgreSQL's; SQLite plans every statement as it runs it")
    credentials = db.tortoise_config(settings.database_url, generic_plans=True)["connections"]["default"]
    web = AsyncpgDBClient(connection_name="web", **credentials["credentials"])
    await web.create_connection(with_db=True)
    try:
        assert await _plan_cache_mode(web) == "force_generic_plan"
    finally:
        await web.close()
    default = Tortoise.get_connection("default")
    assert await _plan_cache_mode(default) == "auto"
    async with db.planned_for_the_values():
        assert await _plan_cache_mode(get_connections().get("default")) == "force_custom_plan"
    # The setting ended with the block's transaction: the connection plans as it did before.
    assert await _plan_cache_mode(default) == "auto"
