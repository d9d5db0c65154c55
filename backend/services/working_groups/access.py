"""Who may see a working group, and what each person may do in it.

A group is seen by whoever may see the problem it formed around (a group around a
RESTRICTED problem is restricted alike) and by its members: those invited, those who asked
to join, and the active ones. For anyone else every read and write answers NOT_FOUND,
exactly as for a group that does not exist.

The rights are pure functions of where the person stands (`Standing`), the group, its area
and the person's membership, so the API asks the same rules the services enforce.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from backend.db import int_column
from backend.errors import Forbidden, InvalidState, NotFound
from backend.models import Area, GroupMembership, Problem, WorkingGroup
from backend.models.enums import GroupRole, JoinPolicy, MembershipStatus, ProblemStatus, WorkingGroupStatus
from backend.services import problems
from backend.services.actors import Actor
from backend.services.standing import Standing, standing_of

# Memberships that make a person one of the group's own: they see it whatever its problem.
PRESENT = (MembershipStatus.INVITED, MembershipStatus.REQUESTED, MembershipStatus.ACTIVE)
# Memberships a person may come back from: the row is theirs again.
GONE = (MembershipStatus.LEFT, MembershipStatus.DECLINED)
# Problems a group works on: accepted ones, being worked on.
WORKABLE = (ProblemStatus.ACCEPTED, ProblemStatus.IN_PROGRESS)


def visible_to(standing: Standing) -> Q:
    """The groups this person may see, as a filter: the same rule on every read path."""
    if standing.is_admin:
        return Q()
    seen = Q(problem_id__in=Subquery(Problem.filter(problems.visible_to(standing)).values("id")))
    if standing.user_id is not None:
        own = GroupMembership.filter(user_id=standing.user_id, status__in=list(PRESENT))
        seen |= Q(id__in=Subquery(own.values("group_id")))
    return seen


def is_present(membership: GroupMembership | None) -> bool:
    return membership is not None and membership.status in PRESENT


def is_active(membership: GroupMembership | None) -> bool:
    return membership is not None and membership.status == MembershipStatus.ACTIVE


def is_lead(membership: GroupMembership | None) -> bool:
    return is_active(membership) and membership is not None and membership.role == GroupRole.LEAD


def may_see(
    standing: Standing, problem: Problem, problem_area: Area, membership: GroupMembership | None
) -> bool:
    """`visible_to` for one group: its founding problem is visible, or the person is its own."""
    return problems.may_see(standing, problem, problem_area) or is_present(membership)


def may_form(standing: Standing, problem: Problem, area: Area) -> bool:
    """Forms a group around the problem: the owner's members, the coordinators of its area
    (or above) and platform admins."""
    return standing.is_admin or problems.answers_for(standing, problem, area)


def may_lead(standing: Standing, area: Area, membership: GroupMembership | None) -> bool:
    """Runs the group (invites, decides requests, sets roles, adds problems) and sees its
    invitations, requests and members' addresses: its active leads, and the coordinators
    of its area or of an area above."""
    return is_lead(membership) or standing.coordinates(area)


def may_close(
    standing: Standing, group: WorkingGroup, area: Area, membership: GroupMembership | None
) -> bool:
    return group.status == WorkingGroupStatus.ACTIVE and (
        standing.is_admin or may_lead(standing, area, membership)
    )


def may_invite(
    standing: Standing, group: WorkingGroup, area: Area, membership: GroupMembership | None
) -> bool:
    return group.status == WorkingGroupStatus.ACTIVE and may_lead(standing, area, membership)


def may_join(standing: Standing, group: WorkingGroup, membership: GroupMembership | None) -> bool:
    """Joins, or asks to: a signed-in person not already in it, while the group is active and
    takes members without an invitation."""
    return (
        standing.user_id is not None
        and group.status == WorkingGroupStatus.ACTIVE
        and group.join_policy != JoinPolicy.INVITE_ONLY
        and not is_present(membership)
    )


def may_leave(membership: GroupMembership | None) -> bool:
    return is_present(membership)


def may_create_action(group: WorkingGroup, membership: GroupMembership | None) -> bool:
    """Plans the group's actions: its active members, while the group is active."""
    return group.status == WorkingGroupStatus.ACTIVE and is_active(membership)


def may_answer_invitation(standing: Standing, membership: GroupMembership) -> bool:
    return membership.user_id == standing.user_id and membership.status == MembershipStatus.INVITED


def sees_membership(
    standing: Standing, area: Area, viewer: GroupMembership | None, membership: GroupMembership
) -> bool:
    """Active members are shown to all who see the group; an invitation, a request or a past
    membership to its leads and the area's coordinators, and to the person themself."""
    return (
        membership.status == MembershipStatus.ACTIVE
        or membership.user_id == standing.user_id
        or may_lead(standing, area, viewer)
    )


@dataclass(frozen=True)
class GroupReaders:
    """`may_see`, for whole audiences at once and in SQL: who may receive news of a group."""

    async def readers_among(self, subject_id: int, people: Collection[int]) -> set[int]:
        group = await WorkingGroup.get_or_none(id=subject_id)
        if group is None:
            return set()
        readers = await problems.READERS.readers_among(group.problem_id, people)
        others = sorted(set(people) - readers)
        if others:
            members = GroupMembership.filter(group_id=group.id, user_id__in=others, status__in=list(PRESENT))
            readers.update(await int_column(members, "user_id"))
        return readers

    def readable_by(self, standing: Standing) -> QuerySet[WorkingGroup]:
        return WorkingGroup.filter(visible_to(standing))


READERS = GroupReaders()


async def membership_of(user_id: int | None, group_id: int) -> GroupMembership | None:
    """The person's one row in the group, whatever its status; None for nobody's."""
    if user_id is None:
        return None
    return await GroupMembership.get_or_none(group_id=group_id, user_id=user_id)


async def access_group(actor: Actor, group_id: int, *, for_update: bool = False) -> WorkingGroup:
    """The group, if the actor may see it; NOT_FOUND alike whether it does not exist or the
    actor may not see it. `for_update` (inside a transaction) locks the group's row: the
    acts that change its membership or its state take turns on it."""
    groups = WorkingGroup.filter(id=group_id)
    group = await (groups.select_for_update() if for_update else groups).first()
    if group is None or not await _sees(actor, group):
        raise NotFound("No working group has that ID.", field="groupId")
    return group


async def _sees(actor: Actor, group: WorkingGroup) -> bool:
    standing = await standing_of(actor)
    if standing.is_admin:
        return True
    problem = await Problem.get(id=group.problem_id)
    area = await Area.get(id=problem.area_id)
    return may_see(standing, problem, area, await membership_of(standing.user_id, group.id))


async def area_of(group: WorkingGroup) -> Area:
    return await Area.get(id=group.area_id)


async def require_lead(actor: Actor, group: WorkingGroup, *, to: str) -> Area:
    """The group's area, once it is known the actor leads the group (`to` says what for)."""
    area = await area_of(group)
    standing = await standing_of(actor)
    if not may_lead(standing, area, await membership_of(standing.user_id, group.id)):
        raise Forbidden(f"Only the group's leads and the area's coordinators {to}.")
    return area


async def access_led_group(actor: Actor, group_id: int, *, to: str) -> tuple[WorkingGroup, Area]:
    """Inside a transaction: the group, locked, and its area, once it is known the actor leads it."""
    group = await access_group(actor, group_id, for_update=True)
    return group, await require_lead(actor, group, to=to)


def require_open(group: WorkingGroup, *, takes: str) -> None:
    """A closed group takes nothing new (`takes` says what)."""
    if group.status != WorkingGroupStatus.ACTIVE:
        raise InvalidState(f"This working group is closed: it takes no new {takes}.")
