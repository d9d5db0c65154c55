"""Working groups: the groups, their members, and the acts that form and run them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from backend import errors, ids, models
from backend.api import references
from backend.api.areas import Area
from backend.api.context import Info
from backend.api.enums import GroupRole, JoinPolicy, MembershipStatus, WorkingGroupStatus
from backend.api.errors import PublicError, UserError
from backend.api.node import Node, fetches_node, node_id
from backend.api.objects import copied
from backend.api.organisations import Organisation
from backend.api.pagination import Connection, paginate
from backend.api.payloads import Act, outcome
from backend.services import working_groups
from backend.services.standing import Standing, standing_of
from backend.services.working_groups import access, reading

if TYPE_CHECKING:
    from backend.api.accounts import User
    from backend.api.actions import Action
    from backend.api.problems import Problem
    from backend.api.volunteer_tasks import VolunteerTask


async def _footing(
    info: Info, group: models.WorkingGroup
) -> tuple[Standing, models.Area, models.GroupMembership | None]:
    """What the rights ask about the viewer and a group: where they stand, the group's area
    and their membership of it (each read once per request, however many fields ask)."""
    loaders = info.context.loaders
    area = await loaders.area.load(group.area_id)
    assert area is not None
    return await standing_of(info.context.actor), area, await loaders.viewer_membership.load(group.id)


@strawberry.type
class WorkingGroup(Node):
    model: strawberry.Private[models.WorkingGroup]
    name: str
    purpose: str
    status: WorkingGroupStatus
    join_policy: JoinPolicy
    created_at: datetime
    closed_at: datetime | None

    @classmethod
    def of(cls, group: models.WorkingGroup) -> WorkingGroup:
        return copied(cls, group, id=node_id("WorkingGroup", group.id), model=group)

    @strawberry.field
    async def area(self, info: Info) -> Area:
        return await references.area(info, self.model.area_id)

    @strawberry.field(
        description="The problems the group works on that the viewer may see, in the order taken up."
    )
    async def problems(self, info: Info) -> list[Annotated[Problem, strawberry.lazy("backend.api.problems")]]:
        from backend.api.problems import Problem

        return [Problem.of(p) for p in await info.context.loaders.problems_of_group.load(self.model.id)]

    @strawberry.field(
        description=(
            "Active members to everyone; leads and area coordinators also see invitations and requests."
        )
    )
    async def members(
        self, info: Info, statuses: list[MembershipStatus] | None = None
    ) -> list[GroupMembership]:
        standing, area, viewer = await _footing(info, self.model)
        shown = reading.shown_statuses(access.may_lead(standing, area, viewer), statuses)
        memberships = await info.context.loaders.memberships_of_group.load(self.model.id)
        return [GroupMembership.of(m) for m in memberships if m.status in shown]

    @strawberry.field(description="The group's action plan, oldest first.")
    async def actions(self, info: Info) -> list[Annotated[Action, strawberry.lazy("backend.api.actions")]]:
        from backend.api.actions import Action

        return [Action.of(a) for a in await info.context.loaders.actions_of_group.load(self.model.id)]

    @strawberry.field(description="The group's volunteer tasks, soonest first.")
    async def tasks(
        self, info: Info
    ) -> list[Annotated[VolunteerTask, strawberry.lazy("backend.api.volunteer_tasks")]]:
        from backend.api.volunteer_tasks import VolunteerTask

        return [VolunteerTask.of(t) for t in await info.context.loaders.tasks_of_group.load(self.model.id)]

    @strawberry.field(
        description=(
            "Whether the viewer may create tasks for the group: its active members, while it takes new tasks."
        )
    )
    async def viewer_can_create_task(self, info: Info) -> bool:
        viewer = await info.context.loaders.viewer_membership.load(self.model.id)
        return access.is_active(viewer) and await info.context.loaders.group_accepts_tasks.load(self.model.id)

    @strawberry.field
    async def viewer_membership(self, info: Info) -> GroupMembership | None:
        membership = await info.context.loaders.viewer_membership.load(self.model.id)
        return GroupMembership.of(membership) if membership else None

    @strawberry.field(
        description=(
            "Whether the viewer runs the group: invites, decides requests, sets roles, adds problems "
            "and sees invitations, requests and members' addresses: its active leads and the area's "
            "coordinators."
        )
    )
    async def viewer_can_lead(self, info: Info) -> bool:
        standing, area, viewer = await _footing(info, self.model)
        return access.may_lead(standing, area, viewer)

    @strawberry.field(description="Whether the viewer may invite people now (inviteToWorkingGroup).")
    async def viewer_can_invite(self, info: Info) -> bool:
        standing, area, viewer = await _footing(info, self.model)
        return access.may_invite(standing, self.model, area, viewer)

    @strawberry.field(
        description="Whether the viewer may join, or ask to (joinWorkingGroup): the join policy says which."
    )
    async def viewer_can_join(self, info: Info) -> bool:
        standing, _, viewer = await _footing(info, self.model)
        return access.may_join(standing, self.model, viewer)

    @strawberry.field(description="Whether the viewer may leave, or take back an invitation or request.")
    async def viewer_can_leave(self, info: Info) -> bool:
        return access.may_leave(await info.context.loaders.viewer_membership.load(self.model.id))

    @strawberry.field(description="Whether the viewer may close the group (closeWorkingGroup).")
    async def viewer_can_close(self, info: Info) -> bool:
        standing, area, viewer = await _footing(info, self.model)
        return access.may_close(standing, self.model, area, viewer)

    @strawberry.field(description="Whether the viewer may plan the group's actions: its active members.")
    async def viewer_can_create_action(self, info: Info) -> bool:
        viewer = await info.context.loaders.viewer_membership.load(self.model.id)
        return access.may_create_action(self.model, viewer)


@strawberry.type
class GroupMembership(Node):
    model: strawberry.Private[models.GroupMembership]
    role: GroupRole
    status: MembershipStatus
    created_at: datetime

    @classmethod
    def of(cls, membership: models.GroupMembership) -> GroupMembership:
        return copied(cls, membership, id=node_id("GroupMembership", membership.id), model=membership)

    async def _group(self, info: Info) -> models.WorkingGroup:
        group = await info.context.loaders.working_group.load(self.model.group_id)
        assert group is not None
        return group

    async def _leads(self, info: Info) -> bool:
        standing, area, viewer = await _footing(info, await self._group(info))
        return access.may_lead(standing, area, viewer)

    @strawberry.field
    async def group(self, info: Info) -> WorkingGroup:
        return WorkingGroup.of(await self._group(info))

    @strawberry.field
    async def user(self, info: Info) -> Annotated[User, strawberry.lazy("backend.api.accounts")]:
        return await references.user(info, self.model.user_id)

    @strawberry.field(
        description="The organisation this member represents; null for a resident taking part as themself."
    )
    async def organisation(self, info: Info) -> Organisation | None:
        return await references.organisation_or_none(info, self.model.organisation_id)

    @strawberry.field(
        description=(
            "The member's email: visible to the group's leads and the area's coordinators only, "
            "null to everyone else."
        )
    )
    async def contact_email(self, info: Info) -> str | None:
        if not await self._leads(info):
            return None
        person = await info.context.loaders.user.load(self.model.user_id)
        return person.email if person else None

    @strawberry.field(
        description="What the person wrote with their request to join: for the leads and themself."
    )
    async def message(self, info: Info) -> str | None:
        own = self.model.user_id == (await standing_of(info.context.actor)).user_id
        return self.model.message if own or await self._leads(info) else None

    @strawberry.field(
        description="Whether the viewer may accept or decline this invitation (respondToInvitation)."
    )
    async def viewer_can_answer(self, info: Info) -> bool:
        return access.may_answer_invitation(await standing_of(info.context.actor), self.model)

    @strawberry.field(
        description="Whether the viewer may approve or decline this request (decideJoinRequest)."
    )
    async def viewer_can_decide(self, info: Info) -> bool:
        group = await self._group(info)
        return (
            self.model.status == models.enums.MembershipStatus.REQUESTED
            and group.status == models.enums.WorkingGroupStatus.ACTIVE
            and await self._leads(info)
        )

    @strawberry.field(description="Whether the viewer may change this member's role (setGroupMemberRole).")
    async def viewer_can_set_role(self, info: Info) -> bool:
        return self.model.status == models.enums.MembershipStatus.ACTIVE and await self._leads(info)


@strawberry.type(description="Someone a lead may invite: their name and organisations, never their address.")
class GroupInvitee:
    model: strawberry.Private[models.User]

    @strawberry.field
    def user(self) -> Annotated[User, strawberry.lazy("backend.api.accounts")]:
        from backend.api.accounts import User

        return User.of(self.model)

    @strawberry.field
    async def organisations(self, info: Info) -> list[Organisation]:
        memberships = await info.context.loaders.memberships_of_user.load(self.model.id)
        return [await references.organisation(info, m.organisation_id) for m in memberships]


@fetches_node("WorkingGroup")
async def fetch_group(info: Info, pk: int) -> WorkingGroup | None:
    """A group exists for those who may see it (`access.may_see`), read through the loaders."""
    loaders = info.context.loaders
    group = await loaders.working_group.load(pk)
    if group is None:
        return None
    problem = await loaders.problem.load(group.problem_id)
    assert problem is not None
    area = await loaders.area.load(problem.area_id)
    assert area is not None
    membership = await loaders.viewer_membership.load(group.id)
    if not access.may_see(await standing_of(info.context.actor), problem, area, membership):
        return None
    return WorkingGroup.of(group)


@fetches_node("GroupMembership")
async def fetch_membership(info: Info, pk: int) -> GroupMembership | None:
    """A membership exists for those who may see its group and are shown it there."""
    membership = await models.GroupMembership.get_or_none(id=pk)
    if membership is None or await fetch_group(info, membership.group_id) is None:
        return None
    group = await info.context.loaders.working_group.load(membership.group_id)
    assert group is not None
    standing, area, viewer = await _footing(info, group)
    return (
        GroupMembership.of(membership) if access.sees_membership(standing, area, viewer, membership) else None
    )


@strawberry.input
class FormWorkingGroupInput:
    problem_id: strawberry.ID
    name: str
    purpose: str
    join_policy: JoinPolicy | None = None


@strawberry.input
class InviteToWorkingGroupInput:
    group_id: strawberry.ID
    user_id: strawberry.ID
    organisation_id: strawberry.ID | None = None
    role: GroupRole | None = None


@strawberry.input
class RespondToInvitationInput:
    membership_id: strawberry.ID
    accept: bool


@strawberry.input
class JoinWorkingGroupInput:
    group_id: strawberry.ID
    message: str | None = None


@strawberry.input
class DecideJoinRequestInput:
    membership_id: strawberry.ID
    approve: bool


@strawberry.input
class WorkingGroupRefInput:
    group_id: strawberry.ID


@strawberry.input
class SetGroupMemberRoleInput:
    membership_id: strawberry.ID
    role: GroupRole


@strawberry.input
class AddProblemToWorkingGroupInput:
    group_id: strawberry.ID
    problem_id: strawberry.ID


@strawberry.type
class WorkingGroupPayload:
    working_group: WorkingGroup | None
    errors: list[UserError]


@strawberry.type
class MembershipPayload:
    membership: GroupMembership | None
    errors: list[UserError]


def _group_id(value: strawberry.ID) -> int:
    return ids.decode(value, "WorkingGroup", "groupId")


def _membership_id(value: strawberry.ID) -> int:
    return ids.decode(value, "GroupMembership", "membershipId")


async def _group_outcome(info: Info, act: Act[models.WorkingGroup]) -> WorkingGroupPayload:
    return await outcome(
        info,
        WorkingGroupPayload,
        act,
        lambda group: WorkingGroupPayload(working_group=WorkingGroup.of(group), errors=[]),
    )


async def _membership_outcome(info: Info, act: Act[models.GroupMembership]) -> MembershipPayload:
    return await outcome(
        info,
        MembershipPayload,
        act,
        lambda membership: MembershipPayload(membership=GroupMembership.of(membership), errors=[]),
    )


@strawberry.type
class WorkingGroupQueries:
    @strawberry.field
    async def working_group(self, info: Info, id: strawberry.ID) -> WorkingGroup | None:
        pk = ids.pk_of(id, "WorkingGroup")
        return None if pk is None else await fetch_group(info, pk)

    @strawberry.field(
        description=(
            "Groups in an area and the areas inside it, newest first; ACTIVE only unless `status` "
            "says otherwise."
        )
    )
    async def working_groups(
        self,
        info: Info,
        area_id: strawberry.ID | None = None,
        status: WorkingGroupStatus | None = None,
        open_to_join: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[WorkingGroup]:
        try:
            criteria = reading.GroupFilter(
                area_id=ids.decode_optional(area_id, "Area", "areaId"),
                status=status or WorkingGroupStatus.ACTIVE,
                open_to_join=open_to_join,
            )
            listed = await reading.listing(info.context.actor, criteria)
        except errors.DomainError as error:
            raise PublicError(f"{error.field}: {error.message}") from None
        page = await paginate(listed, keys=("created_at", "id"), first=first, after=after, descending=True)
        return Connection.of(page, WorkingGroup.of)

    @strawberry.field(
        description=(
            "People the viewer may invite to the group, found by display name: those whose home area lies in "
            "the group's area and members of the organisations in the group. Only for those who may invite."
        )
    )
    async def group_invitees(self, info: Info, group_id: strawberry.ID, search: str) -> list[GroupInvitee]:
        try:
            found = await reading.invitees(info.context.actor, _group_id(group_id), search)
        except errors.DomainError as error:
            raise PublicError(f"{error.field or 'groupId'}: {error.message}") from None
        return [GroupInvitee(model=person) for person in found]


@strawberry.type
class WorkingGroupMutations:
    @strawberry.mutation(
        description="Owner's members, area coordinators and admins: a group around an accepted problem."
    )
    async def form_working_group(self, info: Info, input: FormWorkingGroupInput) -> WorkingGroupPayload:
        return await _group_outcome(
            info,
            lambda actor, now: working_groups.form(
                actor,
                problem_id=ids.decode(input.problem_id, "Problem", "problemId"),
                name=input.name,
                purpose=input.purpose,
                join_policy=input.join_policy or JoinPolicy.APPROVAL,
                now=now,
            ),
        )

    @strawberry.mutation
    async def invite_to_working_group(
        self, info: Info, input: InviteToWorkingGroupInput
    ) -> MembershipPayload:
        return await _membership_outcome(
            info,
            lambda actor, now: working_groups.invite(
                actor,
                group_id=_group_id(input.group_id),
                user_id=ids.decode(input.user_id, "User", "userId"),
                organisation_id=ids.decode_optional(input.organisation_id, "Organisation", "organisationId"),
                role=input.role or GroupRole.MEMBER,
                now=now,
            ),
        )

    @strawberry.mutation
    async def respond_to_invitation(self, info: Info, input: RespondToInvitationInput) -> MembershipPayload:
        return await _membership_outcome(
            info,
            lambda actor, now: working_groups.respond_to_invitation(
                actor,
                membership_id=_membership_id(input.membership_id),
                accept=input.accept,
                now=now,
            ),
        )

    @strawberry.mutation(
        description=(
            "OPEN groups: ACTIVE at once. APPROVAL: REQUESTED until a lead decides. INVITE_ONLY: FORBIDDEN."
        )
    )
    async def join_working_group(self, info: Info, input: JoinWorkingGroupInput) -> MembershipPayload:
        return await _membership_outcome(
            info,
            lambda actor, now: working_groups.join(
                actor, group_id=_group_id(input.group_id), message=input.message, now=now
            ),
        )

    @strawberry.mutation
    async def decide_join_request(self, info: Info, input: DecideJoinRequestInput) -> MembershipPayload:
        return await _membership_outcome(
            info,
            lambda actor, now: working_groups.decide_request(
                actor,
                membership_id=_membership_id(input.membership_id),
                approve=input.approve,
                now=now,
            ),
        )

    @strawberry.mutation
    async def leave_working_group(self, info: Info, input: WorkingGroupRefInput) -> MembershipPayload:
        return await _membership_outcome(
            info, lambda actor, now: working_groups.leave(actor, group_id=_group_id(input.group_id), now=now)
        )

    @strawberry.mutation(
        description="Leads only: make a member a LEAD or a MEMBER. The last lead cannot step down."
    )
    async def set_group_member_role(self, info: Info, input: SetGroupMemberRoleInput) -> MembershipPayload:
        return await _membership_outcome(
            info,
            lambda actor, now: working_groups.set_role(
                actor,
                membership_id=_membership_id(input.membership_id),
                role=input.role,
                now=now,
            ),
        )

    @strawberry.mutation(
        description="Leads: take on another accepted problem of the same area (or an area inside it)."
    )
    async def add_problem_to_working_group(
        self, info: Info, input: AddProblemToWorkingGroupInput
    ) -> WorkingGroupPayload:
        return await _group_outcome(
            info,
            lambda actor, now: working_groups.add_problem(
                actor,
                group_id=_group_id(input.group_id),
                problem_id=ids.decode(input.problem_id, "Problem", "problemId"),
                now=now,
            ),
        )

    @strawberry.mutation(
        description="Leads and area coordinators: the group's work is over; open tasks are cancelled."
    )
    async def close_working_group(self, info: Info, input: WorkingGroupRefInput) -> WorkingGroupPayload:
        return await _group_outcome(
            info, lambda actor, now: working_groups.close(actor, group_id=_group_id(input.group_id), now=now)
        )
