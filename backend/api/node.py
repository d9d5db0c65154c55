"""The Node interface and `node(id)`: every aggregate registers how to fetch its own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import strawberry

from backend import ids
from backend.api.context import Info


@strawberry.interface(description="An object with a globally unique, opaque ID. Clients never parse IDs.")
class Node:
    id: strawberry.ID


def node_id(type_name: str, pk: int) -> strawberry.ID:
    """The global ID of the node of this type with this primary key."""
    return strawberry.ID(ids.encode(type_name, pk))


NodeFetcher = Callable[[Info, int], Awaitable[Any]]
_fetchers: dict[str, NodeFetcher] = {}


def fetches_node(type_name: str) -> Callable[[NodeFetcher], NodeFetcher]:
    def register(fetch: NodeFetcher) -> NodeFetcher:
        _fetchers[type_name] = fetch
        return fetch

    return register


async def resolve_node(info: Info, global_id: str) -> Node | None:
    parsed = ids.parse(global_id)
    if parsed is None or parsed[0] not in _fetchers:
        return None
    type_name, pk = parsed
    result: Node | None = await _fetchers[type_name](info, pk)
    return result
