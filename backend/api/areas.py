from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Protocol

import strawberry

from backend import ids, models
from backend.api import references
from backend.api.accountability import AccountabilityStats, area_accountability
from backend.api.area_ladder import AreaLadder
from backend.api.context import Info, ValueOrAwaitable, settled, then
from backend.api.enums import AreaRoleKind, ProblemCategory
from backend.api.errors import UserError
from backend.api.loaders import all_at_hand, at_hand, load_ahead
from backend.api.node import Node
from backend.api.pagination import Connection, paginate_in_order
from backend.api.payloads import Answer
from backend.api.selections import asked
from backend.services import areas

if TYPE_CHECKING:
    from backend.api.accounts import User
    from backend.api.organisations import Organisation


@strawberry.type
class Area(AreaLadder, Node):
    model: strawberry.Private[models.Area]
    name: str
    slug: str

    @strawberry.field(graphql_type=Annotated["Area", strawberry.lazy("backend.api.areas")] | None)
    def parent(self, info: Info) -> ValueOrAwaitable[Area | None]:
        return references.area_or_none(info, self.model.parent_id)

    @strawberry.field(graphql_type=list[Annotated["Area", strawberry.lazy("backend.api.areas")]])
    def children(self, info: Info) -> ValueOrAwaitable[list[Area]]:
        return then(at_hand(info.context.loaders.area_children, self.model.id), _areas_of)

    @strawberry.field(
        description="Days within which every proposal in this area must get an official response.",
        graphql_type=int,
    )
    def response_days(self, info: Info) -> ValueOrAwaitable[int]:
        lineage = all_at_hand(info.context.loaders.area, self.model.ancestor_ids)
        return then(lineage, areas.response_days)

    @strawberry.field(description="The area's own response time; null when it follows the area above it.")
    def own_response_days(self) -> int | None:
        return self.model.response_days

    @strawberry.field(
        description=(
            "Who answers for this area directly: its coordinators (those of the areas above it answer too)."
        )
    )
    async def coordinators(
        self, info: Info
    ) -> list[Annotated[User, strawberry.lazy("backend.api.accounts")]]:
        roles = await info.context.loaders.coordinators_of_area.load(self.model.id)
        return await references.users(info, (role.user_id for role in roles))

    @strawberry.field(
        description=(
            "Whether proposals made in this area, and in the areas inside it, get the response they are owed."
        )
    )
    async def accountability(self, info: Info, since: date | None = None) -> AccountabilityStats:
        return await area_accountability(info, self.model, since)

    @strawberry.field(
        description="The organisations that own proposals here, by category (this area's own rules)."
    )
    async def routing_rules(self, info: Info) -> list[RoutingRule]:
        rules = await info.context.loaders.routing_rules_of_area.load(self.model.id)
        return [RoutingRule(category=rule.category, organisation_id=rule.organisation_id) for rule in rules]

    @strawberry.field(
        description=(
            "Who owns proposals made here, by category: the rules in force, this area's own and those it "
            "inherits from the nearest area above that has one, each with the area it is set on. A category "
            "with no rule in force is answered by the coordinators."
        )
    )
    async def routing_rules_in_force(self, info: Info) -> list[RuleInForce]:
        lineage = self.model.ancestor_ids
        in_force: dict[ProblemCategory, RuleInForce] = {}
        # Nearest first, so an area's own rule hides the one it would inherit.
        for area_id, rules in zip(
            lineage, await info.context.loaders.routing_rules_of_area.load_many(lineage), strict=True
        ):
            for rule in rules:
                in_force.setdefault(
                    ProblemCategory(rule.category),
                    RuleInForce(
                        category=ProblemCategory(rule.category),
                        organisation_id=rule.organisation_id,
                        area_id=area_id,
                        inherited=area_id != self.model.id,
                    ),
                )
        return [in_force[category] for category in ProblemCategory if category in in_force]


@strawberry.type
class RoutingRule:
    category: ProblemCategory
    organisation_id: strawberry.Private[int]

    @strawberry.field
    async def organisation(
        self, info: Info
    ) -> Annotated[Organisation, strawberry.lazy("backend.api.organisations")]:
        return await settled(references.organisation(info, self.organisation_id))


class NamesArea(Protocol):
    area_id: int


async def named_area(root: NamesArea, info: Info) -> Area:
    """The area a role or a routing rule names by its `area_id`: the one resolver of the
    `area` field of every type that holds the area's key rather than its row."""
    return await settled(references.area(info, root.area_id))


@strawberry.type(description="A routing rule that applies to an area, set on it or on an area above it.")
class RuleInForce(RoutingRule):
    area_id: strawberry.Private[int]
    inherited: bool = strawberry.field(description="Set on an area above, not on this one.")
    area: Area = strawberry.field(resolver=named_area, description="The area the rule is set on.")


@strawberry.type
class AreaRole:
    area_id: strawberry.Private[int]
    role: AreaRoleKind
    area: Area = strawberry.field(resolver=named_area)


@strawberry.type
class AreaPayload:
    area: Area | None
    errors: list[UserError]


@strawberry.input
class CreateAreaInput:
    name: str
    slug: str | None = None
    parent_id: strawberry.ID | None = None
    response_days: int | None = None


@strawberry.input
class AreaRoleInput:
    """A person's role in an area, as assigning and revoking it name it."""

    area_id: strawberry.ID
    user_id: strawberry.ID
    role: AreaRoleKind


@strawberry.input
class AssignAreaRoleInput(AreaRoleInput):
    pass


@strawberry.input
class RevokeAreaRoleInput(AreaRoleInput):
    pass


@strawberry.input
class UpdateAreaInput:
    area_id: strawberry.ID
    name: str
    response_days: int | None = strawberry.field(
        default=None, description="Empty: the parent area's response time (the platform's at the top)."
    )
    slug: str | None = strawberry.field(default=None, description="Omitted: the short name stays.")


@strawberry.input
class AreaRefInput:
    area_id: strawberry.ID


@strawberry.input
class RemoveRoutingRuleInput:
    area_id: strawberry.ID
    category: ProblemCategory


@strawberry.input
class SetRoutingRuleInput:
    area_id: strawberry.ID
    category: ProblemCategory
    organisation_id: strawberry.ID


@strawberry.type
class AreaQueries:
    @strawberry.field
    async def areas(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[Area]:
        page = await paginate_in_order(areas.EVERY_AREA, [], first=first, after=after)
        await _load_ahead(info, page.rows)
        return Connection.of(page, Area.of)

    @strawberry.field
    async def area(self, info: Info, id: strawberry.ID) -> Area | None:
        return await settled(references.area_or_none(info, ids.pk_of(id, "Area")))


async def _load_ahead(info: Info, areas: list[models.Area]) -> None:
    """What a page of areas shows of each, loaded for the whole page: its parent, with the line
    of areas above it that its response days are worked out from, and its children."""
    loaders = info.context.loaders
    fields = asked(info, "edges", "node")
    await load_ahead(
        areas,
        fields,
        ("parent", loaders.area, "parent_id"),
        ("responseDays", loaders.area, "ancestor_ids"),
        ("children", loaders.area_children, "id"),
    )


def _areas_of(rows: list[models.Area]) -> list[Area]:
    return [Area.of(row) for row in rows]


area_answer = Answer(AreaPayload, Area.of)


@strawberry.type
class AreaMutations:
    create_area = area_answer.mutation(areas.create_area, CreateAreaInput)
    assign_area_role = area_answer.mutation(areas.assign_area_role, AssignAreaRoleInput)

    update_area = area_answer.mutation(
        areas.update_area,
        UpdateAreaInput,
        description=(
            "Platform admins: rename an area, change its response time or short name. "
            "A name another area under the same parent has (whatever its case) is a CONFLICT."
        ),
    )
    remove_area = area_answer.mutation(
        areas.remove_area,
        AreaRefInput,
        description=(
            "Platform admins: remove an area with no areas inside it and nothing on record in it "
            "(INVALID_STATE otherwise). The payload holds the area as it was."
        ),
    )
    remove_routing_rule = area_answer.mutation(
        areas.remove_routing_rule,
        RemoveRoutingRuleInput,
        description=(
            "Platform admins: the area's own rule for the category goes; the rule of the nearest "
            "area above applies, or the coordinators answer."
        ),
    )
    revoke_area_role = area_answer.mutation(
        areas.revoke_area_role,
        RevokeAreaRoleInput,
        description="Take a coordinator's or moderator's role in an area away.",
    )
    set_routing_rule = area_answer.mutation(
        areas.set_routing_rule,
        SetRoutingRuleInput,
        description=(
            "Proposals of this category in this area are owned by, "
            "and must be answered by, this organisation."
        ),
    )
