"""A working group's co-owned actions: each owner's share, and the acts that answer and report."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from backend import ids, models
from backend.api import references
from backend.api.context import Info, ValueOrAwaitable, then
from backend.api.enums import ActionStatus, OwnerStatus
from backend.api.errors import UserError
from backend.api.loaders import at_hand
from backend.api.node import Node, fetches_node, reached_through
from backend.api.objects import copied
from backend.api.payloads import Answer, given
from backend.api.working_groups import InWorkingGroup, fetch_group
from backend.models.enums import OrganisationRole
from backend.services.working_groups import actions

if TYPE_CHECKING:
    from backend.api.accounts import User


@strawberry.type(
    description=(
        "A step of the group's response plan, co-owned: each owner (an organisation, or a resident "
        "member) accepts its share and reports its own progress. PROPOSED until an owner accepts; "
        "DONE when every owner that accepted is DONE."
    )
)
class Action(InWorkingGroup, Node):
    model: strawberry.Private[models.Action]
    title: str
    description: str
    status: ActionStatus
    due_on: date | None
    created_at: datetime

    @strawberry.field(
        description="Whether the due day has passed, in the area's local date, with the action not over."
    )
    def is_overdue(self, info: Info) -> bool:
        return actions.is_overdue(self.model, info.context.now)

    @strawberry.field(description="Share of accepting owners that are DONE, 0 to 1.", graphql_type=float)
    def progress(self, info: Info) -> ValueOrAwaitable[float]:
        owners = at_hand(info.context.loaders.owners_of_action, self.model.id)
        return then(owners, lambda owners: actions.progress(owner.status for owner in owners))

    @strawberry.field(graphql_type=list[Annotated["ActionOwner", strawberry.lazy("backend.api.actions")]])
    def owners(self, info: Info) -> ValueOrAwaitable[list[ActionOwner]]:
        loaders = info.context.loaders

        def of_group(group: models.WorkingGroup | None) -> ValueOrAwaitable[list[ActionOwner]]:
            assert group is not None
            owners = at_hand(loaders.owners_of_action, self.model.id)
            return then(owners, lambda owners: [ActionOwner.of(o, group) for o in owners])

        return then(at_hand(loaders.working_group, self.model.group_id), of_group)


@strawberry.type(description="One owner's share of an action: an organisation, or a resident member.")
class ActionOwner:
    model: strawberry.Private[models.ActionOwner]
    group: strawberry.Private[models.WorkingGroup]
    status: OwnerStatus
    note: str | None
    updated_at: datetime

    @classmethod
    def of(cls, owner: models.ActionOwner, group: models.WorkingGroup) -> ActionOwner:
        return copied(cls, owner, model=owner, group=group)

    organisation = references.organisation_field("organisation_id")

    @strawberry.field(graphql_type=Annotated["User", strawberry.lazy("backend.api.accounts")] | None)
    def user(self, info: Info) -> ValueOrAwaitable[User | None]:
        if self.model.user_id is None:
            return None
        return references.user(info, self.model.user_id)

    def _answers(self, info: Info) -> ValueOrAwaitable[bool]:
        """Whether the viewer answers for this share: at once for an anonymous visitor, who
        belongs to no organisation and no group."""
        if info.context.actor.user is None:
            return actions.answers_for(None, self.model, organisation_role=None, membership=None)
        return self._member_answers(info, info.context.actor.user.id)

    async def _member_answers(self, info: Info, user_id: int) -> bool:
        loaders = info.context.loaders
        role: OrganisationRole | None = None
        if self.model.organisation_id is not None:
            joined = [
                m
                for m in await loaders.memberships_of_user.load(user_id)
                if m.organisation_id == self.model.organisation_id
            ]
            role = joined[0].role if joined else None
        return actions.answers_for(
            user_id,
            self.model,
            organisation_role=role,
            membership=await loaders.viewer_membership.load(self.group.id),
        )

    @strawberry.field(
        description="Whether the viewer may accept or decline this share now (respondToActionOwnership).",
        graphql_type=bool,
    )
    def viewer_can_answer(self, info: Info) -> ValueOrAwaitable[bool]:
        return then(self._answers(info), lambda answers: actions.may_answer(self.group, self.model, answers))

    @strawberry.field(
        description="Whether the viewer may report this share's progress now (updateActionProgress).",
        graphql_type=bool,
    )
    def viewer_can_report(self, info: Info) -> ValueOrAwaitable[bool]:
        return then(self._answers(info), lambda answers: actions.may_report(self.group, self.model, answers))


@fetches_node("Action")
async def fetch_action(info: Info, pk: int) -> Action | None:
    """An action exists for those who may see its group."""
    found = await models.Action.get_or_none(id=pk)
    action = await reached_through(info, found, fetch_group, lambda action: action.group_id)
    return Action.of(action) if action else None


@strawberry.input
class ActionOwnerInput:
    organisation_id: strawberry.ID | None = None
    user_id: strawberry.ID | None = None


@strawberry.input
class CreateActionInput:
    group_id: strawberry.ID
    title: str
    description: str
    owners: list[ActionOwnerInput]
    due_on: date | None = None


@strawberry.input
class RespondToActionOwnershipInput:
    action_id: strawberry.ID
    accept: bool
    organisation_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The owning organisation answering; omitted when a resident owner answers for themself.",
    )
    note: str | None = None


@strawberry.input
class UpdateActionProgressInput:
    action_id: strawberry.ID
    status: OwnerStatus
    organisation_id: strawberry.ID | None = None
    note: str | None = None


@strawberry.type
class ActionPayload:
    action: Action | None
    errors: list[UserError]


def _owner_choices(owners: list[ActionOwnerInput]) -> list[actions.OwnerChoice]:
    return [
        actions.OwnerChoice(
            organisation_id=ids.decode_optional(
                owner.organisation_id, "Organisation", f"owners[{index}].organisationId"
            ),
            user_id=ids.decode_optional(owner.user_id, "User", f"owners[{index}].userId"),
        )
        for index, owner in enumerate(owners)
    ]


action_answer = Answer(ActionPayload, Action.of)


@strawberry.type
class ActionMutations:
    @strawberry.mutation(
        description=(
            "Active members of an active group: an action co-owned by organisations represented in "
            "the group and by its members."
        )
    )
    async def create_action(self, info: Info, input: CreateActionInput) -> ActionPayload:
        return await action_answer(
            info,
            lambda actor, now: actions.create(
                actor,
                **(given(input) | {"owners": _owner_choices(input.owners)}),
                now=now,
            ),
        )

    respond_to_action_ownership = action_answer.mutation(
        actions.respond,
        RespondToActionOwnershipInput,
        description=(
            "An owner accepts or declines its share; it may change its answer until it reports progress."
        ),
    )
    update_action_progress = action_answer.mutation(
        actions.report_progress,
        UpdateActionProgressInput,
        description="An owner that accepted reports IN_PROGRESS, BLOCKED or DONE, with a note.",
    )
