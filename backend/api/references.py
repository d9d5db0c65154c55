"""Fields that refer to a person, an organisation or an area: each is loaded once per request
through the context's loaders, however many fields refer to it.

The GraphQL types are imported inside each function: their modules refer to one another."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from backend.api.context import Info
from backend.api.node import fetches_node

if TYPE_CHECKING:
    from backend.api.accounts import User
    from backend.api.areas import Area
    from backend.api.organisations import Organisation

M = TypeVar("M", bound=Model)
T = TypeVar("T")


async def _made(loader: DataLoader[int, M | None], pk: int | None, of: Callable[[M], T]) -> T | None:
    """The row's GraphQL type; None for no reference, or for a row that is gone."""
    if pk is None:
        return None
    found = await loader.load(pk)
    return of(found) if found else None


def _kept(found: T | None) -> T:
    """What a required reference names: its row is kept while anything refers to it."""
    assert found is not None
    return found


async def row(loader: DataLoader[int, M | None], pk: int) -> M:
    """The row a required reference names, through the request's loader."""
    return _kept(await loader.load(pk))


async def user(info: Info, user_id: int) -> User:
    from backend.api.accounts import User

    return _kept(await _made(info.context.loaders.user, user_id, User.of))


async def users(info: Info, user_ids: Iterable[int]) -> list[User]:
    from backend.api.accounts import User

    people = await info.context.loaders.user.load_many(list(user_ids))
    return [User.of(person) for person in people if person is not None]


# Every organisation is public: a node ID reaches it as any reference to it does.
@fetches_node("Organisation")
async def organisation_or_none(info: Info, organisation_id: int | None) -> Organisation | None:
    from backend.api.organisations import Organisation

    return await _made(info.context.loaders.organisation, organisation_id, Organisation.of)


async def organisation(info: Info, organisation_id: int) -> Organisation:
    return _kept(await organisation_or_none(info, organisation_id))


# Every area is public: a node ID reaches it as any reference to it does.
@fetches_node("Area")
async def area_or_none(info: Info, area_id: int | None) -> Area | None:
    from backend.api.areas import Area

    return await _made(info.context.loaders.area, area_id, Area.of)


async def area(info: Info, area_id: int) -> Area:
    return _kept(await area_or_none(info, area_id))
