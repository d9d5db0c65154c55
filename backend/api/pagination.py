"""Relay connections paged in SQL by keyset: a cursor holds the sort key of the last row."""

from __future__ import annotations

import base64
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import strawberry
from tortoise import fields
from tortoise.expressions import Q
from tortoise.models import Model
from tortoise.queryset import QuerySet

from backend.api.errors import PublicError

MAX_PAGE = 100
DEFAULT_PAGE = 20

M = TypeVar("M", bound=Model)


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if first < 0 or first > MAX_PAGE:
        raise PublicError(f"`first` must be between 0 and {MAX_PAGE}.")
    return first


def _plain(value: Any) -> Any:
    """A sort key as JSON holds it: moments as ISO 8601 text."""
    return value.isoformat() if isinstance(value, datetime) else value


def encode_cursor(values: Sequence[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps([_plain(v) for v in values]).encode()).decode().rstrip("=")


NOT_A_CURSOR = "`after` is not a cursor this query handed out."


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:
        raise PublicError(NOT_A_CURSOR) from None
    if not isinstance(values, list) or len(values) != width:
        raise PublicError(NOT_A_CURSOR)
    return values


def _key_value(field: fields.Field[Any], value: Any) -> Any:
    """A decoded cursor value as the column holds it. A forged cursor must be the client's
    error, not a failed conversion or a database error."""
    if isinstance(field, fields.IntField):
        limits = field.constraints
        if type(value) is int and limits["ge"] <= value <= limits["le"]:
            return value
    elif isinstance(field, fields.BooleanField):
        # SQLite keeps booleans as 0 and 1, and a row read from it may carry either form.
        if type(value) is bool or (type(value) is int and value in (0, 1)):
            return bool(value)
    elif isinstance(field, fields.CharField | fields.TextField):
        if isinstance(value, str) and "\x00" not in value:
            return value
    elif isinstance(field, fields.DatetimeField):
        try:
            moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            return moment
    raise PublicError(NOT_A_CURSOR)


@dataclass
class Page(Generic[M]):
    rows: list[M]
    cursors: list[str]
    has_next_page: bool
    has_previous_page: bool
    # Counting every row costs a query of its own, so it runs only if `totalCount` is asked for.
    count_rows: Callable[[], Awaitable[int]]


def _after(keys: Sequence[str], values: Sequence[Any], beyond: str) -> Q:
    """Rows strictly beyond `values` in (keys...) order."""
    clauses = []
    for i, key in enumerate(keys):
        equal = {k: v for k, v in zip(keys[:i], values[:i], strict=True)}
        clauses.append(Q(**equal, **{f"{key}__{beyond}": values[i]}))
    return Q(*clauses, join_type="OR")


async def paginate(
    queryset: QuerySet[M],
    *,
    keys: Sequence[str],
    first: int | None,
    after: str | None,
    descending: bool = False,
) -> Page[M]:
    """One page in `keys` order (the last key must be unique), plus the total count."""
    size = page_size(first)
    page = queryset
    if after is not None:
        beyond = "lt" if descending else "gt"
        fields_map = queryset.model._meta.fields_map
        values = [
            _key_value(fields_map[key], value)
            for key, value in zip(keys, decode_cursor(after, len(keys)), strict=True)
        ]
        page = page.filter(_after(keys, values, beyond))
    order = [f"-{key}" for key in keys] if descending else list(keys)
    rows = list(await page.order_by(*order).limit(size + 1))
    return Page(
        rows=rows[:size],
        cursors=[encode_cursor([getattr(row, key) for key in keys]) for row in rows[:size]],
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
        count_rows=queryset.count,
    )


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None

    @classmethod
    def of(cls, page: Page[Any]) -> PageInfo:
        return cls(
            has_next_page=page.has_next_page,
            has_previous_page=page.has_previous_page,
            start_cursor=page.cursors[0] if page.cursors else None,
            end_cursor=page.cursors[-1] if page.cursors else None,
        )


N = TypeVar("N")


@strawberry.type
class Edge(Generic[N]):
    """Named after its node: `Edge[Problem]` is `ProblemEdge` in the schema."""

    cursor: str
    node: N


@strawberry.type
class Counted:
    """What every connection has besides its edges (listed first, as the contract prints them)."""

    page_info: PageInfo
    count_rows: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field
    async def total_count(self) -> int:
        return await self.count_rows()


@strawberry.type
class Connection(Counted, Generic[N]):
    """A Relay connection, named after its node: `Connection[Problem]` is `ProblemConnection`."""

    edges: list[Edge[N]]

    @classmethod
    def of(cls, page: Page[M], node: Callable[[M], N]) -> Connection[N]:
        """The page's rows, each made into its GraphQL type by `node`."""
        return cls(
            page_info=PageInfo.of(page),
            edges=[
                Edge(cursor=cursor, node=node(row))
                for row, cursor in zip(page.rows, page.cursors, strict=True)
            ],
            count_rows=page.count_rows,
        )
