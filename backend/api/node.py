"""The Node interface and `node(id)`: every aggregate registers how to fetch its own."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

import strawberry

from backend import ids
from backend.api.context import Info
from backend.api.objects import copied


class Identified:
    """A type showing one row under a global ID; a Node besides when `node(id)` may fetch it."""

    if TYPE_CHECKING:
        # Each subclass is a strawberry type, and so a dataclass `copied` can make.
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @classmethod
    def of(cls, row: Any) -> Self:
        """The type showing a row: the fields it stores copied from the row's, its global ID
        made of the class's name and the row's key, and the row kept as `model` for the fields
        worked out when asked."""
        return copied(cls, row, id=node_id(cls.__name__, row.id), model=row)


@strawberry.interface(description="An object with a globally unique, opaque ID. Clients never parse IDs.")
class Node(Identified):
    id: strawberry.ID


def node_id(type_name: str, pk: int) -> strawberry.ID:
    """The global ID of the node of this type with this primary key."""
    return strawberry.ID(ids.encode(type_name, pk))


NodeFetcher = Callable[[Info, int], Awaitable[Node | None]]
# Registering keeps the fetcher's own type, so its callers get the node type it returns.
Fetcher = TypeVar("Fetcher", bound=NodeFetcher)
_fetchers: dict[str, NodeFetcher] = {}


def fetches_node(type_name: str) -> Callable[[Fetcher], Fetcher]:
    def register(fetch: Fetcher) -> Fetcher:
        _fetchers[type_name] = fetch
        return fetch

    return register


Row = TypeVar("Row")


async def reached_through(
    info: Info, row: Row | None, parent: NodeFetcher, parent_id: Callable[[Row], int]
) -> Row | None:
    """A row that exists for those who may see the node it hangs off; None for anyone else."""
    if row is None or await parent(info, parent_id(row)) is None:
        return None
    return row


async def resolve_node(info: Info, global_id: str) -> Node | None:
    parsed = ids.parse(global_id)
    if parsed is None or parsed[0] not in _fetchers:
        return None
    type_name, pk = parsed
    return await _fetchers[type_name](info, pk)
