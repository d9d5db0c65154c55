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
from backend.db import InOrder, Listed

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


def _cursor_values(cursor: str) -> list[Any]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError:
        raise PublicError(NOT_A_CURSOR) from None
    if not isinstance(values, list) or not values:
        raise PublicError(NOT_A_CURSOR)
    return values


def decode_cursor(cursor: str, width: int) -> list[Any]:
    values = _cursor_values(cursor)
    if len(values) != width:
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
    # Counting every row costs a query of its own, so it runs only if `totalCount` is asked
    # for, and not at all when the first page holds every row (`row_count`).
    count_rows: Callable[[], Awaitable[int]]
    row_count: int | None = None


def _after(keys: Sequence[str], values: Sequence[Any], beyond: str) -> Q:
    """Rows strictly beyond `values` in (keys...) order."""
    clauses = []
    for i, key in enumerate(keys):
        equal = {k: v for k, v in zip(keys[:i], values[:i], strict=True)}
        clauses.append(Q(**equal, **{f"{key}__{beyond}": values[i]}))
    return Q(*clauses, join_type="OR")


def _key_field(model: type[Model], key: str) -> fields.Field[Any]:
    """The column a key names: the model's own, or a related model's as `task__starts_at`."""
    *path, name = key.split("__")
    for relation in path:
        model = model._meta.fields_map[relation].related_model  # type: ignore[attr-defined]
    return model._meta.fields_map[name]


def _key_of(row: Model, key: str) -> Any:
    value: Any = row
    for part in key.split("__"):
        value = getattr(value, part)
    return value


def _ordered(
    queryset: QuerySet[M], keys: Sequence[str], descending: bool, after: Sequence[Any] | None
) -> QuerySet[M]:
    """The rows in `keys` order, from just beyond `after` (raw cursor values) when given."""
    if after is not None:
        values = [_key_field(queryset.model, key) for key in keys]
        decoded = [_key_value(field, value) for field, value in zip(values, after, strict=True)]
        queryset = queryset.filter(_after(keys, decoded, "lt" if descending else "gt"))
    related = sorted({key.rsplit("__", 1)[0] for key in keys if "__" in key})
    if related:
        # The cursor reads the related row's key, so it comes in the same statement.
        queryset = queryset.select_related(*related)
    return queryset.order_by(*([f"-{key}" for key in keys] if descending else keys))


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
    values = decode_cursor(after, len(keys)) if after is not None else None
    rows = list(await _ordered(queryset, keys, descending, values).limit(size + 1))
    return _page(rows, size, keys, after, queryset.count)


async def paginate_in_order(
    listing: InOrder[M], values: Sequence[Any], *, first: int | None, after: str | None
) -> Page[M]:
    """`paginate` for a listing with no read rule of its own, whose page is a statement written
    once (`InOrder`): the ORM builds the count alone, when it is needed."""
    size = page_size(first)
    resume = _resumed(listing.model, listing.keys, after)
    rows = await listing.page(values, after=resume, limit=size + 1)
    return _page(rows, size, listing.keys, after, listing.rows(*values).count)


async def paginate_listed(listed: Listed[M], *, first: int | None, after: str | None) -> Page[M]:
    """`paginate` for a listing under a read rule whose page and count are statements put
    together without the ORM (`RuledListing`)."""
    size = page_size(first)
    rows = await listed.page(after=_resumed(listed.model, listed.keys, after), limit=size + 1)
    return _page(rows, size, listed.keys, after, listed.count)


def _resumed(model: type[Model], keys: Sequence[str], after: str | None) -> list[Any] | None:
    """The key values a page resumes beyond, from its cursor, as the columns hold them."""
    if after is None:
        return None
    raw = decode_cursor(after, len(keys))
    return [_key_value(_key_field(model, key), value) for key, value in zip(keys, raw, strict=True)]


def _page(
    rows: list[M], size: int, keys: Sequence[str], after: str | None, count: Callable[[], Awaitable[int]]
) -> Page[M]:
    """The page of `rows`, read one beyond its `size` to tell whether another page follows."""
    return Page(
        rows=rows[:size],
        cursors=[encode_cursor([_key_of(row, key) for key in keys]) for row in rows[:size]],
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
        count_rows=count,
        row_count=_all_counted(rows, size, after),
    )


def _all_counted(rows: Sequence[Model], size: int, after: str | None) -> int | None:
    """How many rows there are, when the first page holds every one of them (the page asked
    one row more than it shows, and did not get it); None when only counting can tell."""
    return len(rows) if after is None and len(rows) <= size else None


@dataclass(frozen=True)
class Stretch(Generic[M]):
    """One run of a listing that shows several runs one after another, each in its own order
    (upcoming places soonest first, then past ones latest first)."""

    rows: QuerySet[M]
    keys: Sequence[str]
    descending: bool = False


async def paginate_stretches(
    stretches: Sequence[Stretch[M]], *, first: int | None, after: str | None
) -> Page[M]:
    """One page across the stretches in turn; a cursor holds its stretch's number and keys, so
    a page costs at most one statement per stretch whatever the rows."""
    size = page_size(first)
    start, resume = 0, None
    if after is not None:
        head = _cursor_values(after)
        if type(head[0]) is not int or not 0 <= head[0] < len(stretches):
            raise PublicError(NOT_A_CURSOR)
        start, resume = head[0], head[1:]
        if len(resume) != len(stretches[start].keys):
            raise PublicError(NOT_A_CURSOR)
    rows: list[M] = []
    cursors: list[str] = []
    for number in range(start, len(stretches)):
        stretch = stretches[number]
        ordered = _ordered(
            stretch.rows, stretch.keys, stretch.descending, resume if number == start else None
        )
        for row in await ordered.limit(size + 1 - len(rows)):
            rows.append(row)
            cursors.append(encode_cursor([number, *(_key_of(row, key) for key in stretch.keys)]))
        if len(rows) > size:
            break

    async def count_rows() -> int:
        return sum([await stretch.rows.count() for stretch in stretches])

    return Page(
        rows=rows[:size],
        cursors=cursors[:size],
        has_next_page=len(rows) > size,
        has_previous_page=after is not None,
        count_rows=count_rows,
        row_count=_all_counted(rows, size, after),
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
    row_count: strawberry.Private[int | None]

    @strawberry.field(graphql_type=int)
    def total_count(self) -> int | Awaitable[int]:
        return self.count_rows() if self.row_count is None else self.row_count


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
            row_count=page.row_count,
        )
