"""Working groups: the groups, their members, and the acts that form and run them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from backend import ids, models
from backend.api import references
from backend.api.areas import Area
from backend.api.context import Info, ValueOrAwaitable, settled, then
from backend.api.enums import GroupRole, JoinPolicy, MembershipStatus, WorkingGroupStatus
from backend.api.errors import UserError, refused_as_public
from backend.api.loaders import at_hand, load_ahead
from backend.api.node import Node, fetches_node, reached_through
from backend.api.organisations import Organisation
from backend.api.pagination import Connection, paginate
from backend.api.payloads import Answer
from backend.api.selections import asked
from backend.services import working_groups
from backend.services.standing import Standing, standing_now, standing_of
from backend.services.working_groups import access, reading

if TYPE_CHECKING:
    from backend.api.accounts import User
    from backend.api.actions import Action
    from backend.api.problems import Problem
    from backend.api.volunteer_tasks import VolunteerTask


@strawberry.type
class WorkingGroup(Node):
    model: strawberry.Private[models.WorkingGroup]
    name: str
    purpose: str
    status: WorkingGroupStatus
    join_policy: JoinPolicy
    created_at: datetime
    closed_at: datetime | None

    @strawberry.field(graphql_type=Area)
    def area(self, info: Info) -> ValueOrAwaitable[Area]:
        return references.area(info, self.model.area_id)

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
        loaders = info.context.loaders
        standing, area, viewer = await info.context.loaders.footing(self.model)
        leads = access.may_lead(standing, area, viewer)
        # Each member's fields ask it again: they find it at hand.
        loaders.viewer_leads.prime(self.model.id, leads)
        shown = reading.shown_statuses(leads, statuses)
        memberships = [m for m in await loaders.memberships_of_group.load(self.model.id) if m.status in shown]
        await load_ahead(
            memberships,
            asked(info),
            ("user", loaders.user, "user_id"),
            ("contactEmail", loaders.user, "user_id"),
            ("organisation", loaders.organisation, "organisation_id"),
        )
        return [GroupMembership.of(m) for m in memberships]

    @strawberry.field(description="The group's action plan, oldest first.")
    async def actions(self, info: Info) -> list[Annotated[Action, strawberry.lazy("backend.api.actions")]]:
        from backend.api.actions import Action

        loaders = info.context.loaders
        plan = await loaders.actions_of_group.load(self.model.id)
        fields = asked(info)
        if fields & {"owners", "progress"}:
            shares = [
                o for owners in await loaders.owners_of_action.load_many([a.id for a in plan]) for o in owners
            ]
            owners = asked(info, "owners")
            people = (
                ("user", loaders.user, "user_id"),
                ("organisation", loaders.organisation, "organisation_id"),
            )
            await load_ahead(shares, owners, *people)
        return [Action.of(a) for a in plan]

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
        standing, area, viewer = await info.context.loaders.footing(self.model)
        return access.may_lead(standing, area, viewer)

    @strawberry.field(description="Whether the viewer may invite people now (inviteToWorkingGroup).")
    async def viewer_can_invite(self, info: Info) -> bool:
        standing, area, viewer = await info.context.loaders.footing(self.model)
        return access.may_invite(standing, self.model, area, viewer)

    @strawberry.field(
        description="Whether the viewer may join, or ask to (joinWorkingGroup): the join policy says which."
    )
    async def viewer_can_join(self, info: Info) -> bool:
        standing, _, viewer = await info.context.loaders.footing(self.model)
        return access.may_join(standing, self.model, viewer)

    @strawberry.field(description="Whether the viewer may leave, or take back an invitation or request.")
    async def viewer_can_leave(self, info: Info) -> bool:
        return access.may_leave(await info.context.loaders.viewer_membership.load(self.model.id))

    @strawberry.field(description="Whether the viewer may close the group (closeWorkingGroup).")
    async def viewer_can_close(self, info: Info) -> bool:
        standing, area, viewer = await info.context.loaders.footing(self.model)
        return access.may_close(standing, self.model, area, viewer)

    @strawberry.field(description="Whether the viewer may plan the group's actions: its active members.")
    async def viewer_can_create_action(self, info: Info) -> bool:
        viewer = await info.context.loaders.viewer_membership.load(self.model.id)
        return access.may_create_action(self.model, viewer)


@strawberry.type
class InWorkingGroup:
    """What a working group holds (its memberships, actions and tasks): the group it is in."""

    model: strawberry.Private[models.GroupMembership | models.Action | models.VolunteerTask]

    async def _group(self, info: Info) -> models.WorkingGroup:
        return await references.row(info.context.loaders.working_group, self.model.group_id)

    @strawberry.field(graphql_type=WorkingGroup)
    def group(self, info: Info) -> ValueOrAwaitable[WorkingGroup]:
        return references.required(info.context.loaders.working_group, self.model.group_id, WorkingGroup.of)


@strawberry.type
class GroupMembership(InWorkingGroup, Node):
    model: strawberry.Private[models.GroupMembership]
    role: GroupRole
    status: MembershipStatus
    created_at: datetime

    def _leads(self, info: Info) -> ValueOrAwaitable[bool]:
        """Whether the viewer runs the member's group: at hand on a group's list of members."""
        return at_hand(info.context.loaders.viewer_leads, self.model.group_id)

    user = references.person_field("user_id")

    organisation = references.organisation_field(
        "organisation_id",
        "The organisation this member represents; null for a resident taking part as themself.",
    )

    @strawberry.field(
        description=(
            "The member's email: visible to the group's leads and the area's coordinators only, "
            "null to everyone else."
        ),
        graphql_type=str | None,
    )
    def contact_email(self, info: Info) -> ValueOrAwaitable[str | None]:
        def email(leads: bool) -> ValueOrAwaitable[str | None]:
            person = info.context.loaders.user
            return references.optional(person, self.model.user_id, lambda p: p.email) if leads else None

        return then(self._leads(info), email)

    @strawberry.field(
        description="What the person wrote with their request to join: for the leads and themself.",
        graphql_type=str | None,
    )
    def message(self, info: Info) -> ValueOrAwaitable[str | None]:
        def shown(standing: Standing) -> ValueOrAwaitable[str | None]:
            if self.model.user_id == standing.user_id:
                return self.model.message
            return then(self._leads(info), lambda leads: self.model.message if leads else None)

        return then(standing_now(info.context.actor), shown)

    @strawberry.field(
        description="Whether the viewer may accept or decline this invitation (respondToInvitation).",
        graphql_type=bool,
    )
    def viewer_can_answer(self, info: Info) -> ValueOrAwaitable[bool]:
        return then(
            standing_now(info.context.actor),
            lambda standing: access.may_answer_invitation(standing, self.model),
        )

    @strawberry.field(
        description="Whether the viewer may approve or decline this request (decideJoinRequest).",
        graphql_type=bool,
    )
    def viewer_can_decide(self, info: Info) -> ValueOrAwaitable[bool]:
        if self.model.status != models.enums.MembershipStatus.REQUESTED:
            return False

        def decides(group: models.WorkingGroup | None) -> ValueOrAwaitable[bool]:
            if group is None or group.status != models.enums.WorkingGroupStatus.ACTIVE:
                return False
            return self._leads(info)

        return then(at_hand(info.context.loaders.working_group, self.model.group_id), decides)

    @strawberry.field(
        description="Whether the viewer may change this member's role (setGroupMemberRole).",
        graphql_type=bool,
    )
    def viewer_can_set_role(self, info: Info) -> ValueOrAwaitable[bool]:
        return self.model.status == models.enums.MembershipStatus.ACTIVE and self._leads(info)


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
        return [await settled(references.organisation(info, m.organisation_id)) for m in memberships]


@fetches_node("WorkingGroup")
async def fetch_group(info: Info, pk: int) -> WorkingGroup | None:
    """A group exists for those who may see it (`access.may_see`), read through the loaders."""
    loaders = info.context.loaders
    found = await loaders.group_in_place.load(pk)
    if found is None:
        return None
    group, problem, area = found
    membership = await loaders.viewer_membership.load(group.id)
    if not access.may_see(await standing_of(info.context.actor), problem, area, membership):
        return None
    return WorkingGroup.of(group)


@fetches_node("GroupMembership")
async def fetch_membership(info: Info, pk: int) -> GroupMembership | None:
    """A membership exists for those who may see its group and are shown it there."""
    found = await models.GroupMembership.get_or_none(id=pk)
    membership = await reached_through(info, found, fetch_group, lambda membership: membership.group_id)
    if membership is None:
        return None
    group = await references.row(info.context.loaders.working_group, membership.group_id)
    standing, area, viewer = await info.context.loaders.footing(group)
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


group_answer = Answer(WorkingGroupPayload, WorkingGroup.of)
membership_answer = Answer(MembershipPayload, GroupMembership.of)


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
        with refused_as_public():
            criteria = reading.GroupFilter(
                area_id=ids.decode_optional(area_id, "Area", "areaId"),
                status=status or WorkingGroupStatus.ACTIVE,
                open_to_join=open_to_join,
            )
            listed = await reading.listing(info.context.actor, criteria)
        page = await paginate(listed, keys=("created_at", "id"), first=first, after=after, descending=True)
        return Connection.of(page, WorkingGroup.of)

    @strawberry.field(
        description=(
            "People the viewer may invite to the group, found by display name: those whose home area lies in "
            "the group's area and members of the organisations in the group. Only for those who may invite."
        )
    )
    async def group_invitees(self, info: Info, group_id: strawberry.ID, search: str) -> list[GroupInvitee]:
        with refused_as_public(field="groupId"):
            found = await reading.invitees(info.context.actor, _group_id(group_id), search)
        return [GroupInvitee(model=person) for person in found]


@strawberry.type
class WorkingGroupMutations:
    form_working_group = group_answer.mutation(
        working_groups.form,
        FormWorkingGroupInput,
        description="Owner's members, area coordinators and admins: a group around an accepted problem.",
        defaults={"join_policy": JoinPolicy.APPROVAL},
    )
    invite_to_working_group = membership_answer.mutation(
        working_groups.invite,
        InviteToWorkingGroupInput,
        defaults={"role": GroupRole.MEMBER},
    )
    respond_to_invitation = membership_answer.mutation(
        working_groups.respond_to_invitation, RespondToInvitationInput
    )
    join_working_group = membership_answer.mutation(
        working_groups.join,
        JoinWorkingGroupInput,
        description=(
            "OPEN groups: ACTIVE at once. APPROVAL: REQUESTED until a lead decides. INVITE_ONLY: FORBIDDEN."
        ),
    )
    decide_join_request = membership_answer.mutation(working_groups.decide_request, DecideJoinRequestInput)
    leave_working_group = membership_answer.mutation(working_groups.leave, WorkingGroupRefInput)
    set_group_member_role = membership_answer.mutation(
        working_groups.set_role,
        SetGroupMemberRoleInput,
        description="Leads only: make a member a LEAD or a MEMBER. The last lead cannot step down.",
    )
    add_problem_to_working_group = group_answer.mutation(
        working_groups.add_problem,
        AddProblemToWorkingGroupInput,
        description="Leads: take on another accepted problem of the same area (or an area inside it).",
    )
    close_working_group = group_answer.mutation(
        working_groups.close,
        WorkingGroupRefInput,
        description="Leads and area coordinators: the group's work is over; open tasks are cancelled.",
    )
