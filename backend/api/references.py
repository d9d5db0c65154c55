"""One type's field that refers to a person, an organisation or an area: each loaded once per
request through the context's loaders, however many fields refer to it.

The GraphQL types are imported inside each function: their modules refer to one another."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from backend.api.context import Info

if TYPE_CHECKING:
    from backend.api.accounts import User
    from backend.api.areas import Area
    from backend.api.organisations import Organisation


async def user(info: Info, user_id: int) -> User:
    from backend.api.accounts import User

    person = await info.context.loaders.user.load(user_id)
    assert person is not None
    return User.of(person)


async def users(info: Info, user_ids: Iterable[int]) -> list[User]:
    from backend.api.accounts import User

    people = await info.context.loaders.user.load_many(list(user_ids))
    return [User.of(person) for person in people if person is not None]


async def organisation_or_none(info: Info, organisation_id: int | None) -> Organisation | None:
    from backend.api.organisations import Organisation

    if organisation_id is None:
        return None
    found = await info.context.loaders.organisation.load(organisation_id)
    return Organisation.of(found) if found else None


async def organisation(info: Info, organisation_id: int) -> Organisation:
    found = await organisation_or_none(info, organisation_id)
    assert found is not None
    return found


async def area_or_none(info: Info, area_id: int | None) -> Area | None:
    from backend.api.areas import Area

    if area_id is None:
        return None
    found = await info.context.loaders.area.load(area_id)
    return Area.of(found) if found else None


async def area(info: Info, area_id: int) -> Area:
    found = await area_or_none(info, area_id)
    assert found is not None
    return found
