"""What the answer versions cost writers on PostgreSQL: concurrent transactions writing one table.

Each transaction writes like a comment does (a row in the table, its problem's counter, a
read), in three round trips. The table is written three ways: with no version counter, with
a counter bumped by a statement trigger as each write runs (the lock held from the first write
to the commit), and with the deferred, once-per-transaction trigger of alembic 0018 (held for
the commit alone). Prints commits per second for 1 and 16 writers; the database is dropped
at the start and the end.

    .venv/bin/python bench/answer_versions_contention.py --database rungs_contention_bench
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import time
from pathlib import Path
from types import ModuleType

import psycopg

MIGRATION = Path(__file__).resolve().parent.parent / "alembic" / "versions" / "0018_answer_versions.py"
TABLES = ("plain", "per_statement", "at_commit")


def _migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("answer_versions_migration", MIGRATION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prepare(url: str) -> None:
    migration = _migration()
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            "CREATE TABLE answer_versions (name varchar(63) PRIMARY KEY, version bigint NOT NULL)"
        )
        connection.execute("CREATE TABLE problems (id int PRIMARY KEY, comment_count int NOT NULL)")
        connection.execute("INSERT INTO problems SELECT g, 0 FROM generate_series(1, 64) g")
        for table in TABLES:
            connection.execute(f"CREATE TABLE {table} (id serial PRIMARY KEY, body text)")
        connection.execute(migration.BUMP_FUNCTION)
        connection.execute(migration.BUMP_NOW_FUNCTION)
        connection.execute(
            "CREATE TRIGGER answer_version AFTER INSERT OR UPDATE OR DELETE ON per_statement "
            "FOR EACH STATEMENT EXECUTE FUNCTION bump_answer_version_now()"
        )
        connection.execute(
            "CREATE CONSTRAINT TRIGGER answer_version AFTER INSERT OR UPDATE OR DELETE ON at_commit "
            "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bump_answer_version()"
        )


async def writer(url: str, table: str, problem: int, until: float) -> int:
    commits = 0
    async with await psycopg.AsyncConnection.connect(url) as connection:
        while time.monotonic() < until:
            async with connection.transaction():
                await connection.execute(f"INSERT INTO {table} (body) VALUES ('A comment.')")
                await connection.execute(
                    "UPDATE problems SET comment_count = comment_count + 1 WHERE id = %s", (problem,)
                )
                await connection.execute("SELECT comment_count FROM problems WHERE id = %s", (problem,))
            commits += 1
    return commits


async def commits_per_second(url: str, table: str, writers: int, seconds: float) -> float:
    until = time.monotonic() + seconds
    done = await asyncio.gather(*(writer(url, table, i + 1, until) for i in range(writers)))
    return sum(done) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="rungs_contention_bench")
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {args.database}")
        admin.execute(f"CREATE DATABASE {args.database}")
    url = f"{args.postgres}/{args.database}"
    try:
        prepare(url)
        for writers in (1, 16):
            for table in TABLES:
                rate = asyncio.run(commits_per_second(url, table, writers, args.seconds))
                print(f"{writers:2d} writers, {table:13s} {rate:8,.0f} commits/s", flush=True)
    finally:
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {args.database}")


if __name__ == "__main__":
    main()
