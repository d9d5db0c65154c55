"""What the administration screen lists: who holds which role where, every routing rule,
the configuration check's gaps, an organisation's members and a search for people.

Each list is one query (and a loader per kind of thing it refers to), however long it is.
Refusals are top-level errors: these are reads, and a reader without the right learns
nothing from an empty list that an error would not tell them plainly.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry

from backend import ids, models
from backend.api import references
from backend.api.areas import AreaRole, named_area
from backend.api.context import Info, settled
from backend.api.enums import OrganisationRole, ProblemCategory
from backend.api.errors import refused_as_public
from backend.services import areas, organisations, people, routing_gaps

if TYPE_CHECKING:
    from backend.api.accounts import User
    from backend.api.areas import Area
    from backend.api.organisations import Organisation

T = TypeVar("T")

LazyArea = Annotated["Area", strawberry.lazy("backend.api.areas")]
LazyUser = Annotated["User", strawberry.lazy("backend.api.accounts")]
LazyOrganisation = Annotated["Organisation", strawberry.lazy("backend.api.organisations")]


async def _allowed(read: Awaitable[T]) -> T:
    with refused_as_public():
        return await read


@strawberry.type(description="A person's role in an area, as platform admins see every one.")
class AreaRoleHolder(AreaRole):
    user_id: strawberry.Private[int]

    @strawberry.field
    async def user(self, info: Info) -> LazyUser:
        return await settled(references.user(info, self.user_id))


@strawberry.type(description="Proposals of a category in an area are owned by an organisation.")
class AreaRoutingRule:
    area_id: strawberry.Private[int]
    organisation_id: strawberry.Private[int]
    category: ProblemCategory
    area: LazyArea = strawberry.field(resolver=named_area)

    @strawberry.field
    async def organisation(self, info: Info) -> LazyOrganisation:
        return await settled(references.organisation(info, self.organisation_id))


@strawberry.type(
    description=(
        "An area where proposals of these categories would reach nobody: no routing rule for them "
        "there or above, and no coordinator of the area or of one above it."
    )
)
class RoutingGap:
    model: strawberry.Private[models.Area]
    categories: list[ProblemCategory]

    @strawberry.field
    def area(self) -> LazyArea:
        from backend.api.areas import Area

        return Area.of(self.model)


@strawberry.type(description="A member as those who manage the organisation's members see them.")
class OrganisationMember:
    user_id: strawberry.Private[int]
    role: OrganisationRole
    email: str = strawberry.field(description="Their address, to tell apart people of the same name.")

    @strawberry.field
    async def user(self, info: Info) -> LazyUser:
        return await settled(references.user(info, self.user_id))


@strawberry.type(description="A person found by an administrator's search.")
class PersonFound:
    person: strawberry.Private[models.User]
    email: str = strawberry.field(description="Their address, to tell apart people of the same name.")

    @strawberry.field
    def user(self) -> LazyUser:
        from backend.api.accounts import User

        return User.of(self.person)


@strawberry.type
class AdministrationQueries:
    @strawberry.field(description="Platform admins: every coordinator and moderator, by area.")
    async def area_role_holders(self, info: Info) -> list[AreaRoleHolder]:
        roles = await _allowed(areas.role_holders(info.context.actor))
        return [AreaRoleHolder(area_id=r.area_id, user_id=r.user_id, role=r.role) for r in roles]

    @strawberry.field(description="Every routing rule, by area and category.")
    async def routing_rules(self, info: Info) -> list[AreaRoutingRule]:
        rules = await areas.routing_rules()
        return [
            AreaRoutingRule(area_id=r.area_id, organisation_id=r.organisation_id, category=r.category)
            for r in rules
        ]

    @strawberry.field(
        description="Platform admins: the configuration check, each area where a proposal reaches nobody."
    )
    async def routing_gaps(self, info: Info) -> list[RoutingGap]:
        found = await _allowed(routing_gaps.gaps_for(info.context.actor))
        return [RoutingGap(model=gap.area, categories=list(gap.categories)) for gap in found]

    @strawberry.field(
        description="Platform admins and the organisation's admins: its members, with their addresses."
    )
    async def organisation_members(
        self, info: Info, organisation_id: strawberry.ID
    ) -> list[OrganisationMember]:
        found = await _allowed(_members(info, organisation_id))
        return [OrganisationMember(user_id=m.user_id, role=m.role, email=m.user.email) for m in found]

    @strawberry.field(
        description=(
            "People found by name or email address (every word searched for, at most 20): any account "
            "for platform admins, members of their own organisations for organisation admins."
        )
    )
    async def people(self, info: Info, search: str) -> list[PersonFound]:
        found = await _allowed(people.find(info.context.actor, search))
        return [PersonFound(person=p, email=p.email) for p in found]


async def _members(info: Info, organisation_id: strawberry.ID) -> list[models.OrganisationMembership]:
    return await organisations.members(
        info.context.actor, ids.decode(organisation_id, "Organisation", "organisationId")
    )
