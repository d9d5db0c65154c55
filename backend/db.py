"""The database: Tortoise set-up, and the bridge Alembic uses to reach the same database."""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlsplit

import asyncpg
from tortoise import Tortoise
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.connection import get_connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.fields import DatetimeField, Field
from tortoise.models import MetaInfo, Model
from tortoise.queryset import QuerySet
from tortoise.timezone import get_default_timezone, get_use_tz
from tortoise.transactions import in_transaction

from backend.errors import InvalidState, NotFound

M = TypeVar("M", bound=Model)
P = TypeVar("P")
K = TypeVar("K")

MODELS = ["backend.models"]
ALEMBIC_DIR = Path(__file__).resolve().parent.parent / "alembic"


class StatelessConnection(asyncpg.Connection):  # type: ignore[misc]
    """A pooled PostgreSQL connection handed back without a reset query.

    asyncpg's default reset (`pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *; RESET ALL`)
    is a second round trip after every statement run outside a transaction, and Rungs leaves
    nothing for it to undo: no session settings, advisory locks held across statements,
    cursors or LISTENs (tests/services/test_database_connections.py holds the code to that).
    An open transaction is still rolled back on release, which asyncpg does before and apart
    from this query.
    """

    def get_reset_query(self) -> str:
        return ""


class HeldReads(AsyncpgDBClient):
    """One request's statements outside transactions, sent on one pooled PostgreSQL connection
    taken at the first of them and handed back when the request ends.

    Taking a connection from asyncpg's pool and handing it back costs about as much CPU as
    the rest of a small statement's client side (246 against 127 µs per statement measured
    on the task list), and a page sends up to ten. Statements of one request that would have
    run side by side (the batches of one level of the page) wait for each other on the held
    connection instead: each is a short round trip on this host. A transaction still takes a
    connection of its own from the pool, as it would without this, after handing the held one
    back when no statement is using it (the next read takes one again): a read that opened a
    transaction must not hold two connections, or as many such requests as the pool has
    connections would wait for each other for ever."""

    def __init__(self, pooled: AsyncpgDBClient) -> None:
        # Not the parent's __init__: that would describe a new pool, and this holds no pool.
        self._pooled = pooled
        self._connection: asyncpg.Connection | None = None
        self._lock = asyncio.Lock()
        self.log = pooled.log
        self.connection_name = pooled.connection_name
        self.fetch_inserted = pooled.fetch_inserted

    @asynccontextmanager
    async def acquire_connection(self) -> AsyncIterator[asyncpg.Connection]:  # type: ignore[override]
        async with self._lock:
            if self._connection is None:
                await self._pooled.acquire_connection().ensure_connection()
                self._connection = await self._pool().acquire()
            yield self._connection

    def _in_transaction(self) -> TransactionContext:
        return _AfterHandingBack(self, self._pooled._in_transaction())

    async def hand_back(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            await self._pool().release(connection)

    def _pool(self) -> asyncpg.Pool:
        pool: asyncpg.Pool | None = self._pooled._pool
        assert pool is not None, "the pool is made before the first connection is taken"
        return pool


class _AfterHandingBack(TransactionContext):
    """A transaction begun within held reads: the held connection goes back to the pool first,
    unless a statement is using it."""

    def __init__(self, held: HeldReads, transaction: TransactionContext) -> None:
        self.held = held
        self.transaction = transaction

    async def __aenter__(self) -> Any:
        if not self.held._lock.locked():
            async with self.held._lock:
                await self.held.hand_back()
        return await self.transaction.__aenter__()

    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        await self.transaction.__aexit__(exc_type, exc_val, exc_tb)


@asynccontextmanager
async def reads_held() -> AsyncIterator[None]:
    """Within the block, the statements of this task (and of the tasks it starts) that run
    outside a transaction share one PostgreSQL connection (`HeldReads`); on SQLite, which
    has one connection already, nothing changes."""
    connections = get_connections()
    pooled = connections.get("default")
    if not isinstance(pooled, AsyncpgDBClient) or isinstance(pooled, HeldReads | TransactionWrapper):
        yield
        return
    held = HeldReads(pooled)
    token = connections.set("default", held)
    try:
        yield
    finally:
        connections.reset(token)
        await held.hand_back()


def is_postgres(database_url: str) -> bool:
    return urlsplit(database_url).scheme in {"postgres", "postgresql"}


def tortoise_config(database_url: str, *, generic_plans: bool = False) -> dict[str, Any]:
    """Tortoise's configuration for the database; `generic_plans` for a web process: see below."""
    url = database_url
    if urlsplit(url).scheme == "postgresql":
        url = "postgres" + url[len("postgresql") :]
    connection: dict[str, Any] = expand_db_url(url)
    if connection["engine"] == "tortoise.backends.sqlite":
        Path(connection["credentials"]["file_path"]).parent.mkdir(parents=True, exist_ok=True)
        # WAL lets the worker read while the web process writes; the busy timeout makes
        # a second writer wait for the lock instead of failing at once. Secure delete
        # zeroes what is deleted or overwritten, so erased personal data leaves no bytes.
        connection["credentials"].update(
            journal_mode="WAL", busy_timeout=5000, foreign_keys="ON", secure_delete="ON"
        )
    elif connection["engine"] == "tortoise.backends.asyncpg":
        connection["credentials"]["connection_class"] = StatelessConnection
        if generic_plans:
            # A page sends the same few statements again and again with other keys (the
            # loaders' `= ANY($1)`, the listings). Left to choose, PostgreSQL plans each run
            # afresh, as a plan for any list of keys looks dearer on paper than one for the
            # keys at hand, and that planning was half its CPU for a page (the group page's
            # statements: 1.2-1.45 ms against 0.61-0.64 planned once). The figures whose best
            # plan depends on the values are planned for them (`planned_for_the_values`).
            server_settings = connection["credentials"].setdefault("server_settings", {})
            server_settings["plan_cache_mode"] = "force_generic_plan"
    return {
        "connections": {"default": connection},
        "apps": {"models": {"models": MODELS, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str, *, generic_plans: bool = False) -> None:
    # The global fallback makes the connection visible to every task: the ASGI server
    # runs the lifespan and the requests in different tasks.
    config = tortoise_config(database_url, generic_plans=generic_plans)
    await Tortoise.init(config=config, _enable_global_fallback=True)


@asynccontextmanager
async def planned_for_the_values() -> AsyncIterator[None]:
    """Within the block, PostgreSQL plans each statement for the values it is run with, where a
    web process otherwise plans a statement once (`tortoise_config`): for figures over a date
    range or over an area of any size, whose best plan depends on how many rows the values
    take in (the force's figures since a date: 139 ms planned once, 73 ms for the values). A
    transaction on PostgreSQL, for the setting to end with it; nothing on SQLite."""
    if not isinstance(get_connections().get("default"), AsyncpgDBClient):
        yield
        return
    async with in_transaction() as connection:
        await connection.execute_query("SET LOCAL plan_cache_mode = force_custom_plan")
        yield


async def close_database() -> None:
    await Tortoise.close_connections()


def sqlalchemy_url(database_url: str) -> str:
    """The same database, spelt for SQLAlchemy's synchronous drivers (used by Alembic)."""
    parts = urlsplit(database_url)
    if parts.scheme == "sqlite":
        # sqlite:///abs/path (absolute) and sqlite://rel/path both become sqlite:///<path>.
        return f"sqlite:///{database_url[len('sqlite://') :]}"
    if parts.scheme in {"postgres", "postgresql"}:
        return "postgresql+psycopg://" + database_url.split("://", 1)[1]
    raise ValueError(f"unsupported DATABASE_URL scheme {parts.scheme!r}")


async def int_column(queryset: QuerySet[Any], column: str) -> list[int]:
    """One integer column of the rows a query selects (ids, mostly), in their order."""
    return [int(value) for (value,) in await queryset.values_list(column)]


async def get_or_not_found(model: type[M], pk: int, *, missing: str, field: str) -> M:
    """The row with this primary key, or NOT_FOUND (saying `missing`) on the field that gave it."""
    row = await model.get_or_none(id=pk)
    if row is None:
        raise NotFound(missing, field=field)
    return row


async def save_changes(row: Model, **changes: object) -> None:
    """Sets the fields that change and saves those alone: what others change meanwhile in
    the row's other fields stands."""
    for name, value in changes.items():
        setattr(row, name, value)
    await row.save(update_fields=list(changes))


async def seen_through(
    row: M | None, parent: Callable[[M], Awaitable[P]], *, missing: str, field: str
) -> tuple[M, P]:
    """A row and the parent it is seen through, which `parent` fetches with the actor's rights:
    NOT_FOUND alike, saying `missing` on the row's field, whether the row does not exist or its
    parent is hidden from the actor, so that nobody learns which."""
    if row is None:
        raise NotFound(missing, field=field)
    try:
        return row, await parent(row)
    except NotFound:
        raise NotFound(missing, field=field) from None


async def delete_unless_referenced(queryset: QuerySet[Any], *, kept: str, field: str) -> None:
    """Deletes the rows, unless the database refuses because other rows still name them: then
    says why they stay, on `field`."""
    try:
        async with in_transaction():
            await queryset.delete()
    except IntegrityError:
        raise InvalidState(kept, field=field) from None


def made(model: type[M], row: Mapping[str, Any]) -> M:
    """The model's row from a statement's columns, as `Model._init_from_db` makes it, with
    each column's conversion chosen once per model instead of for every value."""
    make: Callable[[Mapping[str, Any]], M] = _maker(model)
    return make(row)


@cache
def _maker(model: type[M]) -> Callable[[Mapping[str, Any]], M]:
    # The same steps as Tortoise's `_init_from_db`, whose cost is mostly choosing and calling
    # a conversion per value: a page's rows are a tenth of its CPU.
    meta = model._meta
    plain = [(key, name) for key, name, _ in meta.db_native_fields]
    typed = [(key, name, field.field_type) for key, name, field in meta.db_default_fields]
    converted = [(key, name, _conversion(field)) for key, name, field in meta.db_complex_fields]
    custom_pk = meta.db_pk_column not in meta.generated_db_fields
    # Columns are plain attributes of a model, so they go straight into the row's dictionary,
    # where `object.__setattr__` would put them; a property of the same name would not see it.
    for _, name, _ in (*meta.db_native_fields, *meta.db_default_fields, *meta.db_complex_fields):
        if hasattr(type(inspect.getattr_static(model, name, None)), "__set__"):
            raise TypeError(f"{model.__name__}.{name} is a column and a property besides")

    def make(row: Mapping[str, Any]) -> M:
        made = model.__new__(model)
        attributes = made.__dict__
        attributes["_partial"] = False
        attributes["_saved_in_db"] = True
        attributes["_custom_generated_pk"] = custom_pk
        attributes["_await_when_save"] = {}
        for key, name in plain:
            attributes[name] = row[key]
        for key, name, kind in typed:
            value = row[key]
            attributes[name] = None if value is None else kind(value)
        for key, name, convert in converted:
            attributes[name] = convert(row[key])
        return made

    return make


def _conversion(field: Field[Any]) -> Callable[[Any], Any]:
    """`field.to_python_value`, sooner for the values a driver hands back most."""
    if isinstance(field, DatetimeField) and get_use_tz():
        zone = get_default_timezone()
        slow = field.to_python_value

        def moment(value: Any) -> Any:
            # An aware moment from the driver, moved into the ORM's zone; anything else as the ORM does.
            if isinstance(value, datetime) and value.utcoffset() is not None:
                return value.astimezone(zone)
            return slow(value)

        return moment
    enum_type = getattr(field, "enum_type", None)
    if isinstance(enum_type, type) and issubclass(enum_type, Enum):
        members = enum_type._value2member_map_

        def member(value: Any) -> Any:
            found = members.get(value) if value is not None else None
            return found if found is not None else field.to_python_value(value)

        return member
    return field.to_python_value


class _WrittenOnce:
    """A statement written once per dialect for a process, whose first parameter is a batch of
    keys: one array on PostgreSQL, one JSON list on SQLite, so that the text is the same for
    every batch size."""

    def __init__(self) -> None:
        self._statements: dict[bool, str] = {}

    def _statement(self, postgres: bool) -> str:
        found = self._statements.get(postgres)
        if found is None:
            found = self._statements[postgres] = self._write(postgres)
        return found

    def _write(self, postgres: bool) -> str:
        raise NotImplementedError

    @staticmethod
    def _keys(postgres: bool, keys: Sequence[Any]) -> Any:
        return list(keys) if postgres else json.dumps(list(keys))

    @staticmethod
    def _among(postgres: bool) -> str:
        return "= ANY($1)" if postgres else "IN (SELECT value FROM json_each(?))"

    @staticmethod
    def _columns(model: type[Model]) -> list[str]:
        """The columns `_init_from_db` reads, by the names it reads them under."""
        meta = model._meta
        return [
            key for key, _, _ in (*meta.db_native_fields, *meta.db_default_fields, *meta.db_complex_fields)
        ]


class _AmongKeys(_WrittenOnce, Generic[M]):
    """A statement on a model's rows whose `column` is any of a batch of keys and whose other
    columns equal `equal`."""

    def __init__(self, model: type[M], column: str, **equal: Any) -> None:
        super().__init__()
        self.model = model
        self.column = column
        self.equal = equal

    async def _rows(self, keys: Sequence[Any]) -> list[Any]:
        client = self.model._meta.db
        postgres = client.capabilities.dialect == "postgres"
        values = [
            self._keys(postgres, keys),
            *(self._db_value(name, value) for name, value in self.equal.items()),
        ]
        _, rows = await client.execute_query(self._statement(postgres), values)
        return list(rows)

    def _db_value(self, name: str, value: Any) -> Any:
        return self.model._meta.fields_map[name].to_db_value(value, self.model)

    def _column_of(self, name: str) -> str:
        return f'"{_column(self.model._meta, name)}"'

    def _where(self, postgres: bool) -> str:
        def place(n: int) -> str:
            return f"${n}" if postgres else "?"

        where = [f"{self._column_of(self.column)} {self._among(postgres)}"]
        where += [f"{self._column_of(name)} = {place(n)}" for n, name in enumerate(self.equal, start=2)]
        return f'FROM "{self.model._meta.db_table}" WHERE {" AND ".join(where)}'


class RowsByKey(_AmongKeys[M]):
    """A model's rows whose `column` is any of a batch of keys (and whose other columns equal
    `equal`), in `order`: the statement a loader sends per batch.

    Its SQL is written once per dialect, not built by the ORM for every batch: that building
    cost as much CPU as all the rest of the statement (about 0.9 against 0.5 ms for 20 areas
    on PostgreSQL). The keys travel as one parameter (an array, or a JSON list on SQLite), so
    the text is the same for every batch size. Rows are made as the ORM makes them."""

    def __init__(self, model: type[M], column: str, *order: str, **equal: Any) -> None:
        super().__init__(model, column, **equal)
        self.order = order

    async def __call__(self, keys: Sequence[Any]) -> list[M]:
        return [made(self.model, row) for row in await self._rows(keys)]

    def _write(self, postgres: bool) -> str:
        columns = ", ".join(f'"{key}"' for key in self._columns(self.model))
        sql = f"SELECT {columns} {self._where(postgres)}"
        if self.order:
            sql += " ORDER BY " + ", ".join(f"{self._column_of(name)} ASC" for name in self.order)
        return sql


class CountsByKey(_AmongKeys[M]):
    """How many of a model's rows there are per key, among the rows whose `column` is any of a
    batch of keys (and whose other columns equal `equal`); a key with none is left out. The
    same statement, written once, as `RowsByKey`'s, for the counts a page shows per item."""

    async def __call__(self, keys: Sequence[Any]) -> dict[Any, int]:
        return {row["key"]: int(row["count"]) for row in await self._rows(keys)}

    def _write(self, postgres: bool) -> str:
        column = self._column_of(self.column)
        return f'SELECT {column} AS "key", COUNT(*) AS "count" {self._where(postgres)} GROUP BY {column}'


class InOrder(Generic[M]):
    """A listing with no read rule of its own: a model's rows whose columns `equal` hold the
    values given and whose columns `null` are null, in ascending `keys` order (the last key
    unique). A page of it is a statement written once per dialect, with and without a cursor
    (`page`), as `RowsByKey`'s is; the ORM counts it (`rows`), which a page needs only when it
    cannot tell the total itself. Keys are numbers and text: a moment in a cursor would need
    each dialect's conversion."""

    def __init__(
        self, model: type[M], keys: Sequence[str], *, equal: Sequence[str] = (), null: Sequence[str] = ()
    ) -> None:
        self.model = model
        self.keys = tuple(keys)
        self.equal = tuple(equal)
        self.null = tuple(null)
        self._statements: dict[tuple[bool, bool], str] = {}

    def rows(self, *values: Any) -> QuerySet[M]:
        """The whole listing, for the `values` of `equal` in turn, as the ORM reads it."""
        conditions = {
            **dict(zip(self.equal, values, strict=True)),
            **{f"{n}__isnull": True for n in self.null},
        }
        return self.model.filter(**conditions)

    async def page(self, values: Sequence[Any], *, after: Sequence[Any] | None, limit: int) -> list[M]:
        """At most `limit` rows, from just beyond the keys `after` when given."""
        client = self.model._meta.db
        postgres = client.capabilities.dialect == "postgres"
        shape = (postgres, after is not None)
        statement = self._statements.get(shape)
        if statement is None:
            statement = self._statements[shape] = self._write(postgres, resumed=after is not None)
        fields_map = self.model._meta.fields_map
        named = [*zip(self.equal, values, strict=True), *zip(self.keys, after or (), strict=False)]
        parameters = [fields_map[name].to_db_value(value, self.model) for name, value in named]
        _, rows = await client.execute_query(statement, [*parameters, limit])
        return [made(self.model, row) for row in rows]

    def _write(self, postgres: bool, *, resumed: bool) -> str:
        meta = self.model._meta

        def column(name: str) -> str:
            if isinstance(meta.fields_map[name], DatetimeField) and name in self.keys:
                raise ValueError(f"{self.model.__name__}.{name}: a moment cannot be a key of InOrder")
            return f'"{_column(meta, name)}"'

        where = [f"{column(name)} = ?" for name in self.equal]
        where += [f"{column(name)} IS NULL" for name in self.null]
        if resumed:
            keys = ", ".join(column(key) for key in self.keys)
            where.append(f"({keys}) > ({', '.join('?' for _ in self.keys)})")
        columns = ", ".join(f'"{key}"' for key in _WrittenOnce._columns(self.model))
        sql = f'SELECT {columns} FROM "{meta.db_table}"'
        if where:
            sql += " WHERE " + " AND ".join(where)
        order = ", ".join(f"{column(key)} ASC" for key in self.keys)
        sql += f" ORDER BY {order} LIMIT ?"
        return _numbered(sql, start=0) if postgres else sql


@dataclass(frozen=True)
class Condition:
    """A condition on a listing's own columns, in SQL with a `?` for each of its `values` (in
    conditions written here, a `?` is never anything but a placeholder)."""

    sql: str
    values: tuple[Any, ...] = ()

    @classmethod
    def rendered(cls, model: type[Model], condition: Q) -> Condition:
        """A filter stated for the ORM (a `Q` other read paths share), rendered by the ORM into
        SQL on `model`'s own table: a condition stated once, whatever reads it."""
        sql, values = _where(model, condition)
        return cls(sql, values)


def _where(model: type[Model], condition: Q) -> tuple[str, tuple[Any, ...]]:
    """The SQL the ORM writes for `condition` on `model`, with a `?` for each value; "" for
    none. Refused where it would need more than the model's own table in the statement (a
    join), or where a `?` would be anything but a placeholder."""
    pk = model._meta.pk_attr
    everything = model.all().values_list(pk).sql()
    filtered = model.filter(condition).values_list(pk)
    filtered._make_query()
    sql, values = filtered.query.get_parameterized_sql()
    head, where, rendered = sql.partition(" WHERE ")
    if head != everything or (where and not rendered):
        raise ValueError(f"{model.__name__}: the filter did not render as one condition on its table")
    if model._meta.db.capabilities.dialect == "postgres":
        # PostgreSQL's `$1`…`$n`, in the order of `values`, become `?`s, numbered again when
        # the statement is put together (`_numbered`).
        numbers = [int(number) for number in _PLACEHOLDER.findall(rendered)]
        if "?" in rendered or numbers != list(range(1, len(values) + 1)):
            raise ValueError(f"{model.__name__}: the filter's placeholders cannot be put together")
        rendered = _PLACEHOLDER.sub("?", rendered)
    return rendered, tuple(values)


_PLACEHOLDER = re.compile(r"\$(\d+)")


def like_escaped(text: str) -> str:
    """`text` matched literally by LIKE with `ESCAPE '\\'`, its wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class RuledListing(Generic[M, K]):
    """The rows of `model` that a read rule lets someone see and that meet further conditions,
    in `keys` order (the last key unique; descending where told, else ascending): a page at a
    time, and their count.

    Each is one statement put together here, not built by the ORM on every request: building a
    statement with a read rule's nested subqueries costs more CPU than PostgreSQL spends running
    it. The rule stays stated once, as the filter that every other read path uses (`rule(key)`,
    a `Q` for whom it is read, such as a person's standing, made from the key alone); the ORM
    renders it into SQL once per key and dialect, and the latest `remembered` renderings are
    kept. The conditions are written in SQL by the listing's owner, or rendered from filters
    the ORM shares (`Condition.rendered`)."""

    def __init__(
        self,
        model: type[M],
        keys: Sequence[str],
        rule: Callable[[K], Q],
        *,
        descending: bool = False,
        remembered: int = 1024,
    ) -> None:
        self.model = model
        self.keys = tuple(keys)
        self.descending = descending
        self.rule = rule
        self._rendered = lru_cache(maxsize=remembered)(self._render)

    def of(self, key: K, conditions: Sequence[Condition]) -> Listed[M]:
        """The listing for `key` under `conditions`, to page and count."""
        return Listed(self, key, tuple(conditions), self.keys, self.descending)

    def _render(self, key: K, postgres: bool) -> tuple[str, tuple[Any, ...]]:
        """The rule for `key` as a condition ("" for none); `postgres` keys the dialect."""
        return _where(self.model, self.rule(key))

    def statement(
        self,
        key: K,
        conditions: Sequence[Condition],
        *,
        order: tuple[Sequence[str], bool],
        after: Sequence[Any] | None,
        limit: int | None,
    ) -> tuple[str, list[Any]]:
        """The page (`limit` rows in `order`, keys and whether descending, from just beyond
        `after`) or, with no limit, the count."""
        client = self.model._meta.db
        postgres = client.capabilities.dialect == "postgres"
        rule, values = self._rendered(key, postgres)
        meta = self.model._meta
        parts = [f"({rule})"] if rule else []
        parameters = list(values)
        for condition in conditions:
            parts.append(f"({condition.sql})")
            parameters += condition.values
        names, descending = order
        keys = [f'"{_column(meta, name)}"' for name in names]
        if after is not None:
            beyond = "<" if descending else ">"
            parts.append(f"({', '.join(keys)}) {beyond} ({', '.join('?' for _ in keys)})")
            fields = [meta.fields_map[name] for name in names]
            parameters += [field.to_db_value(v, self.model) for field, v in zip(fields, after, strict=True)]
        if limit is None:
            sql = f'SELECT COUNT(*) AS "count" FROM "{meta.db_table}"'
        else:
            columns = ", ".join(f'"{column}"' for column in _WrittenOnce._columns(self.model))
            sql = f'SELECT {columns} FROM "{meta.db_table}"'
        if parts:
            sql += " WHERE " + " AND ".join(parts)
        if limit is not None:
            direction = "DESC" if descending else "ASC"
            sql += f" ORDER BY {', '.join(f'{key} {direction}' for key in keys)} LIMIT ?"
            parameters.append(limit)
        return (_numbered(sql, start=0) if postgres else sql), parameters


def _numbered(sql: str, *, start: int) -> str:
    """PostgreSQL's placeholders for a statement's `?`s, numbered from `start` + 1."""
    pieces = sql.split("?")
    numbered = [pieces[0]]
    for number, piece in enumerate(pieces[1:], start=start + 1):
        numbered.append(f"${number}{piece}")
    return "".join(numbered)


@dataclass(frozen=True)
class Listed(Generic[M]):
    """One person's view of a `RuledListing` under some conditions, in an order."""

    listing: RuledListing[M, Any]
    key: Any
    conditions: tuple[Condition, ...]
    keys: tuple[str, ...]
    descending: bool

    @property
    def model(self) -> type[M]:
        return self.listing.model

    def ordered(self, keys: Sequence[str], *, descending: bool) -> Listed[M]:
        """The same rows in another order (the last key unique)."""
        return replace(self, keys=tuple(keys), descending=descending)

    async def page(self, *, after: Sequence[Any] | None, limit: int) -> list[M]:
        sql, parameters = self.listing.statement(
            self.key, self.conditions, order=(self.keys, self.descending), after=after, limit=limit
        )
        _, rows = await self.model._meta.db.execute_query(sql, parameters)
        return [made(self.model, row) for row in rows]

    async def count(self) -> int:
        sql, parameters = self.listing.statement(
            self.key, self.conditions, order=(self.keys, self.descending), after=None, limit=None
        )
        _, rows = await self.model._meta.db.execute_query(sql, parameters)
        return int(rows[0]["count"])


class RowsAlong(_WrittenOnce, Generic[M]):
    """Rows of `model` by primary key (or whose column `by` is any of the keys, in `order`),
    each with the rows it reaches through a chain of required foreign keys
    (`RowsAlong(WorkingGroup, "problem", "area")`: each group, its problem and that problem's
    area), in one statement written once, like `RowsByKey`'s.

    For a page that must read a row and what it hangs from before it may show anything (the
    read rule of a working group is its problem's and its area's), one joined read by key in
    place of a statement per step: each statement costs more on the way to PostgreSQL and
    back than such a join costs it to plan."""

    def __init__(self, model: type[M], *chain: str, by: str | None = None, order: Sequence[str] = ()) -> None:
        super().__init__()
        self.by = by
        self.order = order
        self.models: list[type[Model]] = [model]
        self.links: list[str] = []
        for name in chain:
            reference = self.models[-1]._meta.fields_map[name]
            if getattr(reference, "null", True) or not hasattr(reference, "related_model"):
                raise ValueError(f"{self.models[-1].__name__}.{name} is not a required foreign key")
            self.links.append(reference.source_field or f"{name}_id")
            self.models.append(reference.related_model)

    async def __call__(self, keys: Sequence[Any]) -> list[tuple[Any, ...]]:
        client = self.models[0]._meta.db
        postgres = client.capabilities.dialect == "postgres"
        _, rows = await client.execute_query(self._statement(postgres), [self._keys(postgres, keys)])
        found = []
        for row in rows:
            parts: list[dict[str, Any]] = [{} for _ in self.models]
            for alias, value in dict(row).items():
                step, _, column = alias.partition(".")
                parts[int(step)][column] = value
            found.append(tuple(made(model, part) for model, part in zip(self.models, parts, strict=True)))
        return found

    def _write(self, postgres: bool) -> str:
        columns = []
        for step, model in enumerate(self.models):
            columns += [f't{step}."{key}" AS "{step}.{key}"' for key in self._columns(model)]
        sql = f'SELECT {", ".join(columns)} FROM "{self.models[0]._meta.db_table}" t0'
        for step, link in enumerate(self.links, start=1):
            meta = self.models[step]._meta
            sql += f' JOIN "{meta.db_table}" t{step} ON t{step}."{meta.db_pk_column}" = t{step - 1}."{link}"'
        first = self.models[0]._meta
        by = first.db_pk_column if self.by is None else _column(first, self.by)
        sql += f' WHERE t0."{by}" {self._among(postgres)}'
        if self.order:
            sql += " ORDER BY " + ", ".join(f't0."{_column(first, name)}" ASC' for name in self.order)
        return sql


def _column(meta: MetaInfo, name: str) -> str:
    """The column a model's field is stored in (a relation's `…_id` is its own name)."""
    field = meta.fields_map.get(name)
    return (field.source_field if field else None) or name
