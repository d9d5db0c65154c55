"""Fields that refer to a person, an organisation or an area: each is loaded once per request
through the context's loaders, however many fields refer to it, and answered at once when the
request already holds it (see `loaders.load_ahead`).

The GraphQL types are imported inside each function: their modules refer to one another."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Annotated, Any, Protocol, TypeVar, cast

import strawberry
from strawberry.dataloader import DataLoader
from tortoise.models import Model

from backend.api.context import Info, ValueOrAwaitable, settled, then, waits
from backend.api.loaders import at_hand
from backend.api.node import fetches_node

if TYPE_CHECKING:
    from backend.api.accounts import User
    from backend.api.areas import Area
    from backend.api.organisations import Organisation

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def optional(
    loader: DataLoader[int, M | None], pk: int | None, of: Callable[[M], T]
) -> ValueOrAwaitable[T | None]:
    """What `of` makes of the row a reference names, through the request's loader: at once
    when the request holds the row; None for no reference, or for a row that is gone."""
    if pk is None:
        return None
    found = at_hand(loader, pk)
    if waits(found):
        return _made_later(cast("Awaitable[M | None]", found), of)
    row = cast("M | None", found)
    return of(row) if row else None


async def _made_later(found: Awaitable[M | None], of: Callable[[M], T]) -> T | None:
    row = await found
    return of(row) if row else None


def _kept(found: T | None) -> T:
    """What a required reference names: its row is kept while anything refers to it."""
    assert found is not None
    return found


def required(loader: DataLoader[int, M | None], pk: int, of: Callable[[M], T]) -> ValueOrAwaitable[T]:
    """As `optional`, for a reference that always names a row."""
    return then(optional(loader, pk, of), _kept)


async def row(loader: DataLoader[int, M | None], pk: int) -> M:
    """The row a required reference names, through the request's loader."""
    return _kept(await loader.load(pk))


def user(info: Info, user_id: int) -> ValueOrAwaitable[User]:
    from backend.api.accounts import User

    return required(info.context.loaders.user, user_id, User.of)


async def users(info: Info, user_ids: Iterable[int]) -> list[User]:
    from backend.api.accounts import User

    people = await info.context.loaders.user.load_many(list(user_ids))
    return [User.of(person) for person in people if person is not None]


def organisation_or_none(info: Info, organisation_id: int | None) -> ValueOrAwaitable[Organisation | None]:
    from backend.api.organisations import Organisation

    return optional(info.context.loaders.organisation, organisation_id, Organisation.of)


def organisation(info: Info, organisation_id: int) -> ValueOrAwaitable[Organisation]:
    from backend.api.organisations import Organisation

    return required(info.context.loaders.organisation, organisation_id, Organisation.of)


def area_or_none(info: Info, area_id: int | None) -> ValueOrAwaitable[Area | None]:
    from backend.api.areas import Area

    return optional(info.context.loaders.area, area_id, Area.of)


def area(info: Info, area_id: int) -> ValueOrAwaitable[Area]:
    from backend.api.areas import Area

    return required(info.context.loaders.area, area_id, Area.of)


class HoldsRow(Protocol):
    """A type showing a row (`model`): its fields below name what the row refers to. Their
    resolvers take `self`, as methods do, so that graphql-core calls them directly
    (`execution.lean_resolvers`)."""

    @property
    def model(self) -> Any: ...


def person_field(key: str) -> ValueOrAwaitable[User]:
    """A field naming the person whose id the row holds under `key` ("author_id")."""

    def named(self: HoldsRow, info: Info) -> ValueOrAwaitable[User]:
        return user(info, getattr(self.model, key))

    return strawberry.field(
        resolver=named, graphql_type=Annotated["User", strawberry.lazy("backend.api.accounts")]
    )


def organisation_field(key: str, description: str | None = None) -> ValueOrAwaitable[Organisation | None]:
    """A field naming the organisation whose id the row holds under `key` ("organisation_id"),
    null when it holds none."""

    def named(self: HoldsRow, info: Info) -> ValueOrAwaitable[Organisation | None]:
        return organisation_or_none(info, getattr(self.model, key))

    lazy = Annotated["Organisation", strawberry.lazy("backend.api.organisations")]
    return strawberry.field(resolver=named, description=description, graphql_type=lazy | None)


# Every organisation and every area is public: a node ID reaches it as any reference to it does.
@fetches_node("Organisation")
async def fetch_organisation(info: Info, pk: int) -> Organisation | None:
    return await settled(organisation_or_none(info, pk))


@fetches_node("Area")
async def fetch_area(info: Info, pk: int) -> Area | None:
    return await settled(area_or_none(info, pk))
