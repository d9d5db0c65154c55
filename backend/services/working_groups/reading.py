"""Reading working groups: the lists, their problems, and who sees which members.

Everyone who may see a group sees its active members; its leads and the coordinators of its
area also see whom it invited and who asked to join, and the members' addresses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from backend.db import RowsAlong
from backend.errors import Forbidden
from backend.models import (
    Area,
    GroupMembership,
    GroupProblem,
    OrganisationMembership,
    Problem,
    User,
    WorkingGroup,
)
from backend.models.enums import JoinPolicy, MembershipStatus, WorkingGroupStatus
from backend.services import problems
from backend.services.actors import Actor
from backend.services.areas import areas_within, get_area
from backend.services.standing import standing_of
from backend.services.working_groups.access import (
    PRESENT,
    access_group,
    area_of,
    may_invite,
    may_see,
    membership_of,
    visible_to,
)

# How many people the invitation picker offers at once.
MAX_INVITEES = 20


@dataclass(frozen=True)
class GroupFilter:
    area_id: int | None = None
    # ACTIVE groups unless asked otherwise.
    status: WorkingGroupStatus = WorkingGroupStatus.ACTIVE
    # Groups one may join without an invitation (active, OPEN or APPROVAL), or the others.
    open_to_join: bool | None = None


async def listing(actor: Actor, criteria: GroupFilter) -> QuerySet[WorkingGroup]:
    """The groups the actor may see that meet the criteria, unordered (the caller pages)."""
    groups = WorkingGroup.filter(visible_to(await standing_of(actor)), status=criteria.status)
    if criteria.area_id is not None:
        # An area's list shows the groups of the areas inside it too.
        groups = groups.filter(area_id__in=await areas_within(await get_area(criteria.area_id)))
    if criteria.open_to_join is not None:
        joinable = Q(status=WorkingGroupStatus.ACTIVE, join_policy__in=[JoinPolicy.OPEN, JoinPolicy.APPROVAL])
        groups = groups.filter(joinable if criteria.open_to_join else ~joinable)
    return groups


def shown_statuses(sees_all: bool, asked: Sequence[MembershipStatus] | None) -> list[MembershipStatus]:
    """The memberships a reader is shown: leads and coordinators see the invitations and
    requests beside the active members (and, when they ask, who declined or left); anyone
    else sees active members only."""
    if not sees_all:
        return [MembershipStatus.ACTIVE] if asked is None or MembershipStatus.ACTIVE in asked else []
    return list(PRESENT) if asked is None else list(asked)


@cache
def _working_on() -> RowsAlong[GroupProblem]:
    """The groups working on each problem, each with the problem it was formed around and that
    problem's area (what its read rule asks): one statement written once."""
    return RowsAlong(GroupProblem, "group", "problem", "area", by="problem_id")


async def groups_of_problems(actor: Actor, problem_ids: Sequence[int]) -> dict[int, list[WorkingGroup]]:
    """The groups working on each problem that the actor may see (`access.may_see`), newest
    first. The actor's memberships are read only for the groups whose founding problem they
    may not see, the only ones a membership can show: for a visitor, or where every group is
    public, nothing more."""
    standing = await standing_of(actor)
    links = await _working_on()(problem_ids)
    hidden = [
        group.id for _, group, founding, area in links if not problems.may_see(standing, founding, area)
    ]
    memberships: dict[int, GroupMembership] = {}
    if hidden and standing.user_id is not None:
        own = GroupMembership.filter(user_id=standing.user_id, group_id__in=hidden)
        memberships = {m.group_id: m for m in await own}
    found: dict[int, list[WorkingGroup]] = defaultdict(list)
    for link, group, founding, area in sorted(
        links, key=lambda row: (row[1].created_at, row[1].id), reverse=True
    ):
        if may_see(standing, founding, area, memberships.get(group.id)):
            found[link.problem_id].append(group)
    return found


@cache
def _taken_up() -> RowsAlong[GroupProblem]:
    """Each group's problems with their areas, in the order taken up: one statement written
    once (made on first use, when the ORM knows the models' relations)."""
    return RowsAlong(GroupProblem, "problem", "area", by="group_id", order=("id",))


async def problems_of_groups(actor: Actor, group_ids: Sequence[int]) -> dict[int, list[tuple[Problem, Area]]]:
    """The problems each group works on that the actor may see, each with its area, in the
    order they were taken up. The read rule is `problems.may_see`, applied to the rows read: a
    group works on a handful of problems, and reading them in a statement written once costs
    less than building the rule into SQL for every request."""
    standing = await standing_of(actor)
    found: dict[int, list[tuple[Problem, Area]]] = defaultdict(list)
    for link, problem, area in await _taken_up()(group_ids):
        if problems.may_see(standing, problem, area):
            found[link.group_id].append((problem, area))
    return found


def memberships_of_person(user_id: int) -> QuerySet[GroupMembership]:
    """The person's own place in groups: invitations, requests and active memberships, newest first."""
    return GroupMembership.filter(user_id=user_id, status__in=list(PRESENT)).order_by("-updated_at", "-id")


async def invitees(actor: Actor, group_id: int, search: str) -> list[User]:
    """People a lead may invite, by display name: those whose home area lies in the group's
    area, and members of the organisations in the group; not those in it already."""
    group = await access_group(actor, group_id)
    area = await area_of(group)
    standing = await standing_of(actor)
    if not may_invite(standing, group, area, await membership_of(standing.user_id, group.id)):
        raise Forbidden("Only the group's leads and the area's coordinators invite people.")
    represented = GroupMembership.filter(
        group_id=group.id, status=MembershipStatus.ACTIVE, organisation_id__isnull=False
    )
    in_organisations = OrganisationMembership.filter(
        organisation_id__in=Subquery(represented.values("organisation_id"))
    )
    present = GroupMembership.filter(group_id=group.id, status__in=list(PRESENT))
    people = User.filter(
        Q(home_area_id__in=Subquery(Area.filter(path__startswith=area.path).values("id")))
        | Q(id__in=Subquery(in_organisations.values("user_id"))),
        confirmed_at__isnull=False,
        erased_at__isnull=True,
    ).exclude(id__in=Subquery(present.values("user_id")))
    for word in problems.search_words(search):
        people = people.filter(display_name__icontains=word)
    return list(await people.order_by("display_name", "id").limit(MAX_INVITEES))
