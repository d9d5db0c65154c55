"""The migrations build exactly the schema the Tortoise models describe, and undo it.

Two empty databases are filled, one by `alembic upgrade head` and one by Tortoise's
generate_schemas, and compared table by table with SQLAlchemy's inspector. The
comparison always runs on SQLite, and on PostgreSQL too when DATABASE_URL names a
PostgreSQL server (in two scratch databases next to the one it names).

These tests are synchronous and use no fixture from tests/conftest.py: the models'
schema is built by a private TortoiseContext on a thread of its own, so it never
touches the connection the rest of the suite shares.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import Engine
from tortoise.context import TortoiseContext

from backend.db import is_postgres, sqlalchemy_url, tortoise_config
from backend.migrations import current_revision, downgrade, head_revision, upgrade

IGNORED_TABLES = {"alembic_version"}

Snapshot = dict[str, dict[str, Any]]


@dataclass(frozen=True)
class Pair:
    """Two empty databases of one kind: one for Alembic, one for the models."""

    kind: str
    alembic_url: str
    models_url: str


# ---------------------------------------------------------------------------
# Scratch databases


def _postgres_url_with_database(database_url: str, name: str) -> str:
    return urlunsplit(urlsplit(database_url)._replace(path=f"/{name}"))


@contextmanager
def _postgres_server(database_url: str) -> Iterator[Any]:
    """An autocommit connection to the server DATABASE_URL names (CREATE DATABASE needs one)."""
    import psycopg

    last_error: Exception | None = None
    # The named database may not exist yet; the maintenance database nearly always does.
    for database in (urlsplit(database_url).path.lstrip("/"), "postgres"):
        if not database:
            continue
        conninfo = _postgres_url_with_database(database_url, database)
        try:
            connection = psycopg.connect(conninfo, autocommit=True)
        except psycopg.OperationalError as error:
            last_error = error
            continue
        with connection:
            yield connection
        return
    raise RuntimeError(f"cannot reach the PostgreSQL server of DATABASE_URL: {last_error}")


@contextmanager
def _postgres_scratch_databases(database_url: str, *suffixes: str) -> Iterator[list[str]]:
    from psycopg import sql

    base = urlsplit(database_url).path.lstrip("/") or "rungs"
    names = [f"{base}_{suffix}" for suffix in suffixes]

    def drop_all(server: Any) -> None:
        for name in names:
            server.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    with _postgres_server(database_url) as server:
        drop_all(server)
        for name in names:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield [_postgres_url_with_database(database_url, name) for name in names]
    finally:
        with _postgres_server(database_url) as server:
            drop_all(server)


@pytest.fixture(params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Pair]:
    if request.param == "sqlite":
        yield Pair(
            "sqlite",
            alembic_url=f"sqlite://{tmp_path / 'alembic.sqlite3'}",
            models_url=f"sqlite://{tmp_path / 'models.sqlite3'}",
        )
        return
    database_url = os.environ.get("DATABASE_URL", "")
    if not is_postgres(database_url):
        pytest.skip("PostgreSQL variant: DATABASE_URL is not a postgres:// or postgresql:// URL")
    with _postgres_scratch_databases(database_url, "drift_alembic", "drift_models") as urls:
        yield Pair("postgresql", alembic_url=urls[0], models_url=urls[1])


# ---------------------------------------------------------------------------
# Building and reading schemas


def _run_isolated(coroutine_function: Any, *args: Any) -> Any:
    """Runs a coroutine in a fresh event loop on a thread of its own.

    The thread starts with an empty contextvars context, and the loop of the test
    session is never replaced, so nothing leaks either way.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function(*args)).result()


async def _generate_schemas(database_url: str) -> None:
    async with TortoiseContext() as context:
        await context.init(config=tortoise_config(database_url))
        await context.generate_schemas(safe=False)


def build_from_models(database_url: str) -> None:
    _run_isolated(_generate_schemas, database_url)


@contextmanager
def _engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(sqlalchemy_url(database_url))
    try:
        yield engine
    finally:
        engine.dispose()


def _type_name(engine: Engine, column_type: Any) -> str:
    """A reflected type as the database spells it (INT and INTEGER are one type)."""
    try:
        return str(column_type.compile(dialect=engine.dialect))
    except Exception:
        return repr(column_type)


def _columns(columns: Sequence[str | None], expressions: Sequence[str] | None = None) -> tuple[str, ...]:
    expressions = expressions or []
    return tuple(
        column if column is not None else f"({expressions[i] if i < len(expressions) else '?'})"
        for i, column in enumerate(columns)
    )


Keys = tuple[set[tuple[Any, ...]], set[tuple[str, ...]], set[tuple[str, ...]]]


def _keys_from_inspector(inspector: Any, table: str) -> Keys:
    """Foreign keys, unique column sets and plain indexes, as PostgreSQL's catalogue has them."""
    foreign_keys = {
        (
            _columns(fk["constrained_columns"]),
            fk["referred_table"],
            _columns(fk["referred_columns"]),
            (fk.get("options", {}).get("ondelete") or "NO ACTION").upper(),
            (fk.get("options", {}).get("onupdate") or "NO ACTION").upper(),
        )
        for fk in inspector.get_foreign_keys(table)
    }
    unique = {_columns(uc["column_names"]) for uc in inspector.get_unique_constraints(table)}
    indexes: set[tuple[str, ...]] = set()
    for index in inspector.get_indexes(table):
        key = _columns(index["column_names"], index.get("expressions"))
        where = index.get("dialect_options", {}).get("postgresql_where")
        if where is not None:
            key += (f"WHERE {where}",)
        (unique if index["unique"] else indexes).add(key)
    return foreign_keys, unique, indexes


def _keys_from_sqlite(connection: Any, table: str) -> Keys:
    """The same, read from SQLite's pragmas.

    SQLAlchemy's SQLite reflection reads ON DELETE and unique constraints out of the
    CREATE TABLE text, and misses them when they are written inline on the column
    (`"user_id" INT REFERENCES ... ON DELETE CASCADE`, `"email" ... UNIQUE`), which is
    how Tortoise writes them. The pragmas report what SQLite actually enforces.
    """

    def pragma(statement: str) -> list[Any]:
        return list(connection.exec_driver_sql(statement))

    grouped: dict[int, list[Any]] = {}
    for row in pragma(f"PRAGMA foreign_key_list('{table}')"):
        grouped.setdefault(row[0], []).append(row)
    foreign_keys: set[tuple[Any, ...]] = set()
    for rows in grouped.values():
        rows.sort(key=lambda row: row[1])
        _, _, referred, _, _, on_update, on_delete, _ = rows[0]
        foreign_keys.add(
            (
                tuple(row[3] for row in rows),
                referred,
                tuple(row[4] for row in rows),
                on_delete.upper(),
                on_update.upper(),
            )
        )
    index_sql = dict(
        pragma(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}'")
    )
    unique: set[tuple[str, ...]] = set()
    indexes: set[tuple[str, ...]] = set()
    for _, name, is_unique, origin, partial in pragma(f"PRAGMA index_list('{table}')"):
        if origin == "pk":
            continue
        info = sorted(pragma(f"PRAGMA index_info('{name}')"))
        key: tuple[str, ...] = tuple(
            column if column is not None else "(expression)" for _, _, column in info
        )
        if partial:
            sql = index_sql.get(name) or ""
            key += ("WHERE " + sql[sql.upper().rindex(" WHERE ") + 7 :].strip(),)
        (unique if is_unique else indexes).add(key)
    return foreign_keys, unique, indexes


def snapshot(database_url: str) -> Snapshot:
    """Every table's shape, in a form two databases of one kind can be compared in."""
    result: Snapshot = {}
    with _engine(database_url) as engine, engine.connect() as connection:
        inspector = inspect(connection)
        is_sqlite = engine.dialect.name == "sqlite"
        table_sql: dict[str, str] = {}
        if is_sqlite:
            rows = connection.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'"))
            table_sql = {name: sql or "" for name, sql in rows}
        for table in sorted(set(inspector.get_table_names()) - IGNORED_TABLES):
            columns = {
                column["name"]: {
                    "type": _type_name(engine, column["type"]),
                    "nullable": bool(column["nullable"]),
                    "server default": column.get("default"),
                }
                for column in inspector.get_columns(table)
            }
            if is_sqlite:
                foreign_keys, unique, indexes = _keys_from_sqlite(connection, table)
            else:
                foreign_keys, unique, indexes = _keys_from_inspector(inspector, table)
            shape: dict[str, Any] = {
                "columns": columns,
                "primary key": _columns(inspector.get_pk_constraint(table).get("constrained_columns") or []),
                "foreign keys": foreign_keys,
                "unique": unique,
                "indexes": indexes,
            }
            if is_sqlite:
                # INTEGER PRIMARY KEY AUTOINCREMENT: ids of deleted rows are never handed out again.
                shape["autoincrement"] = "AUTOINCREMENT" in table_sql.get(table, "").upper()
            result[table] = shape
    return result


def differences(
    left: Snapshot, right: Snapshot, names: tuple[str, str] = ("migrations", "models")
) -> list[str]:
    """What differs, one line per table and aspect (per column for columns)."""
    ours, theirs = names
    found: list[str] = []
    for only, name in ((set(left) - set(right), ours), (set(right) - set(left), theirs)):
        if only:
            found.append(f"tables made only by the {name}: {sorted(only)}")
    for table in sorted(set(left) & set(right)):
        for aspect in sorted(left[table].keys() | right[table].keys()):
            a, b = left[table].get(aspect), right[table].get(aspect)
            if a == b:
                continue
            if aspect == "columns":
                a, b = a or {}, b or {}
                for column in sorted(a.keys() | b.keys()):
                    if a.get(column) != b.get(column):
                        found.append(
                            f"table {table!r}, column {column!r}: "
                            f"{ours} {a.get(column)} != {theirs} {b.get(column)}"
                        )
            elif isinstance(a, set) and isinstance(b, set):
                found.append(
                    f"table {table!r}, {aspect}: only in {ours} {sorted(a - b)}, "
                    f"only in {theirs} {sorted(b - a)}"
                )
            else:
                found.append(f"table {table!r}, {aspect}: {ours} {a!r} != {theirs} {b!r}")
    return found


# ---------------------------------------------------------------------------
# Tests


def test_migrations_build_the_schema_the_models_describe(pair: Pair) -> None:
    upgrade(pair.alembic_url)
    build_from_models(pair.models_url)

    alembic, models = snapshot(pair.alembic_url), snapshot(pair.models_url)

    assert models, "the models produced no tables: is backend.models importable?"
    problems = differences(alembic, models)
    assert not problems, f"{pair.kind}: the migrations and the models disagree:\n" + "\n".join(problems)


def test_migrations_downgrade_to_nothing_and_upgrade_again(pair: Pair) -> None:
    upgrade(pair.alembic_url)
    migrated = snapshot(pair.alembic_url)
    assert current_revision(pair.alembic_url) == head_revision()

    downgrade(pair.alembic_url, "base")

    assert snapshot(pair.alembic_url) == {}, f"{pair.kind}: tables left after downgrading to base"
    assert current_revision(pair.alembic_url) is None

    upgrade(pair.alembic_url)

    assert current_revision(pair.alembic_url) == head_revision()
    problems = differences(snapshot(pair.alembic_url), migrated, ("second upgrade", "first upgrade"))
    assert not problems, f"{pair.kind}: upgrading again built another schema:\n" + "\n".join(problems)
