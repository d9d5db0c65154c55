from __future__ import annotations

from asyncio import Future
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from types import CoroutineType
from typing import TYPE_CHECKING, TypeAlias, TypeVar, cast

from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info as StrawberryInfo

from backend import models
from backend.api.loaders import Loaders
from backend.auth.tokens import Sealer
from backend.services.actors import Actor
from backend.settings import Settings

if TYPE_CHECKING:
    from backend.queue import JobQueue


@dataclass
class Context:
    request: Request
    response: Response
    actor: Actor
    now: datetime
    settings: Settings
    sealer: Sealer
    queue: JobQueue
    loaders: Loaders = field(init=False)

    def __post_init__(self) -> None:
        self.loaders = Loaders(now=self.now, actor=self.actor)

    def acting_as(self, user: models.User) -> Actor:
        """The person as the one acting: the request's actor (its standing already looked
        up), unless the request just signed them in."""
        actor = self.actor
        return actor if actor.user is not None and actor.user.id == user.id else Actor(user=user)


Info = StrawberryInfo[Context, None]

T = TypeVar("T")
U = TypeVar("U")
# What a resolver returns when it answers at once where it can (an anonymous viewer, a value
# already at hand) and waits only where it must. graphql-core awaits an awaitable result from
# any resolver, while an `async def` one costs a coroutine and an asyncio task for every item
# of a page even when it never waits. Such a field names its GraphQL type (`graphql_type=`).
ValueOrAwaitable: TypeAlias = T | Awaitable[T]


# What a value still to come is: a coroutine of an `async def`, or a future (a loader's load,
# a task, a gathering). Not `Awaitable`: Tortoise makes every row awaitable (awaiting one gives
# the row back). Concrete types, checked at C speed: a field asks this of each value it passes
# on, and the abstract `Coroutine` costs several times more to check.
_PENDING = (CoroutineType, Future)


def waits(value: object) -> bool:
    """Whether a resolver's value is still to come (see `_PENDING`)."""
    return isinstance(value, _PENDING)


def then(value: ValueOrAwaitable[T], use: Callable[[T], ValueOrAwaitable[U]]) -> ValueOrAwaitable[U]:
    """`use` applied to the value: at once when it is at hand, else once it arrives (and what
    `use` gives awaited in turn, so that steps chain)."""
    if waits(value):
        return _then_later(cast("Awaitable[T]", value), use)
    return use(cast(T, value))


async def _then_later(value: Awaitable[T], use: Callable[[T], ValueOrAwaitable[U]]) -> U:
    return await settled(use(await value))


async def settled(value: ValueOrAwaitable[T]) -> T:
    """The value, awaited if it must be: for callers that always wait."""
    if waits(value):
        return await cast("Awaitable[T]", value)
    return cast(T, value)
