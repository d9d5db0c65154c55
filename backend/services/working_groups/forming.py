"""Forming a working group around a problem, adding problems to it, and closing it."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from backend.errors import Forbidden, Invalid, InvalidState
from backend.models import GroupMembership, GroupProblem, Problem, ProblemUpdate, User, WorkingGroup
from backend.models.enums import (
    ActivityKind,
    GroupRole,
    JoinPolicy,
    MembershipStatus,
    ProblemStatus,
    SaraStage,
    WorkingGroupStatus,
)
from backend.services import activity, problems, validation
from backend.services.actors import Actor
from backend.services.standing import Standing, standing_of
from backend.services.working_groups.access import (
    WORKABLE,
    access_group,
    access_led_group,
    area_of,
    may_close,
    may_form,
    membership_of,
    require_open,
)

MAX_NAME = 120
MAX_PURPOSE = 5_000
# A group's problems are worked on from the Response stage: one that has not reached it
# moves there when a group takes it up.
BEFORE_RESPONSE = (SaraStage.SCANNING, SaraStage.ANALYSIS)


def _check_workable(problem: Problem) -> None:
    if problem.status not in WORKABLE:
        raise InvalidState(
            "A working group works on accepted problems only; "
            f"this one is {problem.status.value.lower().replace('_', ' ')}."
        )


async def _take_up(
    problem: Problem, group: WorkingGroup, by: User, *, organisation_id: int | None, now: datetime
) -> None:
    """The problem moves to the Response stage if it is before it, as a stage move would, and
    its history says which group took it up: an update its followers hear of."""
    news = f"The working group “{group.name}” is now working on this problem."
    if problem.stage in BEFORE_RESPONSE:
        problem.stage, problem.status = SaraStage.RESPONSE, ProblemStatus.IN_PROGRESS
        news += " It moves to the Response stage."
    problem.updated_at = now
    await problem.save(update_fields=["stage", "status", "updated_at"])
    update = await ProblemUpdate.create(
        problem=problem, body=news, author=by, organisation_id=organisation_id, created_at=now
    )
    await problems.notices.tell_update(problem, update, by, now=now)


def _founder_organisation(standing: Standing, problem: Problem) -> int | None:
    """The founder speaks for the problem's owner when they are its member."""
    return problem.owner_id if standing.member_of(problem.owner_id) else None


async def form(
    actor: Actor,
    *,
    problem_id: int,
    name: str,
    purpose: str,
    join_policy: JoinPolicy = JoinPolicy.APPROVAL,
    now: datetime,
) -> WorkingGroup:
    """A group around an accepted problem; its founder becomes its first lead."""
    user = actor.require_user()
    name, purpose = await _check_form(actor, problem_id, name, purpose)
    standing = await standing_of(actor)
    async with in_transaction():
        problem, area = await problems.access_problem(actor, problem_id, for_update=True)
        if not may_form(standing, problem, area):
            raise Forbidden(
                "Only members of the owning organisation, the area's coordinators and "
                "administrators form working groups."
            )
        _check_workable(problem)
        group = await WorkingGroup.create(
            name=name,
            purpose=purpose,
            status=WorkingGroupStatus.ACTIVE,
            join_policy=join_policy,
            area_id=problem.area_id,
            problem_id=problem.id,
            created_by_id=user.id,
            created_at=now,
        )
        await _found(group, problem, user, organisation_id=_founder_organisation(standing, problem), now=now)
    return group


async def _check_form(actor: Actor, problem_id: int, name: str, purpose: str) -> tuple[str, str]:
    """The name and the purpose as they are kept, once every field is known to be right: all
    their faults, and a problem the actor cannot see, are reported together."""
    faults = validation.Faults()
    with faults:
        await problems.access_problem(actor, problem_id)
    with faults:
        name = validation.text(name, "name", what="name", max_length=MAX_NAME)
    with faults:
        purpose = validation.text(purpose, "purpose", what="purpose", max_length=MAX_PURPOSE, multiline=True)
    faults.raise_any()
    return name, purpose


async def _found(
    group: WorkingGroup, problem: Problem, founder: User, *, organisation_id: int | None, now: datetime
) -> None:
    await GroupProblem.create(group_id=group.id, problem_id=problem.id, added_by_id=founder.id, added_at=now)
    await GroupMembership.create(
        group_id=group.id,
        user_id=founder.id,
        organisation_id=organisation_id,
        role=GroupRole.LEAD,
        status=MembershipStatus.ACTIVE,
        created_at=now,
        updated_at=now,
    )
    await _take_up(problem, group, founder, organisation_id=organisation_id, now=now)
    await activity.record_in_group(founder.id, group, ActivityKind.GROUP_FORMED, now=now)


async def add_problem(actor: Actor, *, group_id: int, problem_id: int, now: datetime) -> WorkingGroup:
    """A further accepted problem of the group's area, or of an area inside it."""
    user = actor.require_user()
    async with in_transaction():
        group, area = await access_led_group(actor, group_id, to="add problems")
        require_open(group, takes="problems")
        problem, problem_area = await problems.access_problem(actor, problem_id, for_update=True)
        if not problem_area.path.startswith(area.path):
            raise Invalid(f"Choose a problem in {area.name} or an area inside it", field="problemId")
        _check_workable(problem)
        # The group's row lock makes this check hold until the link is written.
        if await GroupProblem.exists(group_id=group.id, problem_id=problem.id):
            raise InvalidState("The group works on this problem already.")
        await GroupProblem.create(group_id=group.id, problem_id=problem.id, added_by_id=user.id, added_at=now)
        standing = await standing_of(actor)
        await _take_up(
            problem, group, user, organisation_id=_founder_organisation(standing, problem), now=now
        )
    return group


async def close(actor: Actor, *, group_id: int, now: datetime) -> WorkingGroup:
    """The group's work is over: it takes no new members, and its record stays readable."""
    actor.require_user()
    async with in_transaction():
        group = await access_group(actor, group_id, for_update=True)
        if group.status == WorkingGroupStatus.CLOSED:
            raise InvalidState("This working group is closed already.")
        standing = await standing_of(actor)
        if not may_close(
            standing, group, await area_of(group), await membership_of(standing.user_id, group.id)
        ):
            raise Forbidden(
                "Only the group's leads, the area's coordinators and administrators close a group."
            )
        group.status, group.closed_at = WorkingGroupStatus.CLOSED, now
        await group.save(update_fields=["status", "closed_at"])
        # Tasks sit above groups: imported here, where a closing reaches them.
        from backend.services import volunteer_tasks

        await volunteer_tasks.cancel_with_group(group, by=actor.require_user(), now=now)
    return group
