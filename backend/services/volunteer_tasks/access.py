"""Who may see a volunteer task, and what each person may do with it.

A task is seen by whoever may see its working group (the group's read rule, the same for
reads and for the audiences of notices); for anyone else it answers NOT_FOUND, exactly as a
task that does not exist. Active members of an active group plan tasks; the group's leads
and the area's coordinators change, cancel and run them on the day.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from backend.db import int_column, seen_through
from backend.errors import Forbidden
from backend.models import Area, GroupMembership, User, VolunteerTask, WorkingGroup
from backend.models.enums import AssignmentStatus
from backend.services.actors import Actor
from backend.services.standing import Standing, standing_of
from backend.services.working_groups import access as groups

NOT_A_TASK = "No volunteer task has that ID."
NOT_AN_ASSIGNMENT = "No assignment has that ID."
# Assignments that hold one of the task's slots.
HOLDING = (AssignmentStatus.CONFIRMED, AssignmentStatus.CHECKED_IN, AssignmentStatus.COMPLETED)
# Assignments a person still has on a task: signing up again is a conflict.
ON_THE_TASK = (*HOLDING, AssignmentStatus.WAITLISTED, AssignmentStatus.NO_SHOW)


def visible_to(standing: Standing) -> Q:
    """The tasks this person may see, as a filter: those of the groups they may see."""
    if standing.is_admin:
        return Q()
    return Q(group_id__in=Subquery(WorkingGroup.filter(groups.visible_to(standing)).values("id")))


def may_plan(group: WorkingGroup, membership: GroupMembership | None, *, accepting: bool) -> bool:
    """Creates a task: the group's active members, while it takes new tasks (`accepting`,
    from outcomes.accepts_new_tasks: the group is active and its problem not closed)."""
    return (
        accepting
        and groups.is_active(membership)
        and membership is not None
        and membership.group_id == group.id
    )


def may_run(standing: Standing, area: Area, membership: GroupMembership | None) -> bool:
    """Changes and cancels tasks, assigns volunteers, checks them in, records their hours and
    sees every assignment: the group's leads and the coordinators of its area (or above)."""
    return standing.is_admin or groups.may_lead(standing, area, membership)


@dataclass(frozen=True)
class TaskReaders:
    """`visible_to`, for whole audiences at once: who may receive news of a task."""

    async def readers_among(self, subject_id: int, people: Collection[int]) -> set[int]:
        group_ids = await int_column(VolunteerTask.filter(id=subject_id), "group_id")
        if not group_ids:
            return set()
        return await groups.READERS.readers_among(group_ids[0], people)

    def readable_by(self, standing: Standing) -> QuerySet[VolunteerTask]:
        return VolunteerTask.filter(visible_to(standing))


READERS = TaskReaders()


async def access_task(actor: Actor, task_id: int, *, for_update: bool = False) -> VolunteerTask:
    """The task, if the actor may see it; NOT_FOUND alike whether it does not exist or not.
    `for_update` (inside a transaction) locks its row: every act that changes who holds its
    slots takes its turn on it, so none judges a count another is changing."""
    task, _ = await seen_through(
        await VolunteerTask.get_or_none(id=task_id),
        lambda task: groups.access_group(actor, task.group_id),
        missing=NOT_A_TASK,
        field="taskId",
    )
    if not for_update:
        return task
    # Locked only once the rights are known: acts on a busy task queue for as short a time as
    # they can. What the lock guards (places, slots, times) is read again under it.
    return await VolunteerTask.filter(id=task_id).select_for_update().get()


async def footing(
    actor: Actor, task: VolunteerTask
) -> tuple[Standing, WorkingGroup, Area, GroupMembership | None]:
    """Where the actor stands towards the task's group: their standing, the group, its area
    and their membership of it."""
    standing = await standing_of(actor)
    group = await WorkingGroup.get(id=task.group_id)
    area = await Area.get(id=group.area_id)
    return standing, group, area, await groups.membership_of(standing.user_id, group.id)


async def require_runner(actor: Actor, task: VolunteerTask, *, to: str) -> tuple[User, WorkingGroup]:
    """The actor and the task's group, once it is known the actor runs the task."""
    user = actor.require_user()
    standing, group, area, membership = await footing(actor, task)
    if not may_run(standing, area, membership):
        raise Forbidden(f"Only the group's leads and the area's coordinators {to}.")
    return user, group
