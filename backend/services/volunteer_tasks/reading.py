"""Finding tasks, a task's state, and a volunteer's own places and hours.

A task's status is worked out whenever it is read, from its cancellation, its end and its
places held, so it is never stale: CANCELLED, else FINISHED once it has ended, else FULL
when every slot is held, else OPEN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from backend.db import CountsByKey, get_or_not_found
from backend.models import Area, TaskAssignment, User, VolunteerTask, WorkingGroup
from backend.models.enums import AssignmentStatus, TaskStatus
from backend.services.actors import Actor
from backend.services.standing import standing_of
from backend.services.volunteer_tasks.access import visible_to

# A volunteer's places still ahead of them ("my tasks").
UPCOMING = (AssignmentStatus.CONFIRMED, AssignmentStatus.WAITLISTED, AssignmentStatus.CHECKED_IN)


def status_of(task: VolunteerTask, *, now: datetime) -> TaskStatus:
    if task.cancelled_at is not None:
        return TaskStatus.CANCELLED
    if task.ends_at <= now:
        return TaskStatus.FINISHED
    if task.filled >= task.slots:
        return TaskStatus.FULL
    return TaskStatus.OPEN


@dataclass(frozen=True)
class TaskFilter:
    area_id: int | None = None
    group_id: int | None = None
    skills: Sequence[str] = ()
    starts_after: datetime | None = None
    starts_before: datetime | None = None
    open_only: bool = False
    remote: bool | None = None


async def _in_area(area_id: int) -> Q:
    """Tasks of groups in the area or an area inside it."""
    area = await get_or_not_found(Area, area_id, missing="No area has that ID.", field="areaId")
    inside = Area.filter(path__startswith=area.path).values("id")
    return Q(group_id__in=Subquery(WorkingGroup.filter(area_id__in=Subquery(inside)).values("id")))


async def listing(actor: Actor, criteria: TaskFilter, *, now: datetime) -> QuerySet[VolunteerTask]:
    """The tasks the actor may see that meet every criterion (skills: any of them); the
    caller pages them soonest first."""
    tasks = VolunteerTask.filter(visible_to(await standing_of(actor)))
    if criteria.area_id is not None:
        tasks = tasks.filter(await _in_area(criteria.area_id))
    if criteria.group_id is not None:
        tasks = tasks.filter(group_id=criteria.group_id)
    wanted = sorted({s.strip().lower() for s in criteria.skills if s.strip() and "|" not in s})
    if wanted:
        tasks = tasks.filter(Q(*(Q(skill_tags__contains=f"|{s}|") for s in wanted), join_type="OR"))
    if criteria.starts_after is not None:
        tasks = tasks.filter(starts_at__gte=criteria.starts_after)
    if criteria.starts_before is not None:
        tasks = tasks.filter(starts_at__lt=criteria.starts_before)
    if criteria.open_only:
        tasks = tasks.filter(cancelled_at__isnull=True, ends_at__gt=now, filled__lt=F("slots"))
    if criteria.remote is not None:
        tasks = tasks.filter(remote=criteria.remote)
    return tasks


# The statement is written once for the process: the task list asks it on every page.
_waiting = CountsByKey(TaskAssignment, "task_id", status=AssignmentStatus.WAITLISTED)


async def waiting_counts(task_ids: Sequence[int]) -> dict[int, int]:
    """How many wait for a place on each task, in one query."""
    return await _waiting(task_ids)


async def hours_of(user: User) -> float:
    """The hours a person has given: their completed assignments'."""
    rows = (
        await TaskAssignment.filter(volunteer_id=user.id, status=AssignmentStatus.COMPLETED)
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return float(rows[0]["total"] or 0) if rows else 0.0


# "My tasks" reads in two runs: the places still ahead, the soonest task first, then the rest,
# the latest task first; the id breaks ties.
PLACES_ORDER = ("task__starts_at", "id")


def _ahead(now: datetime) -> Q:
    return Q(status__in=list(UPCOMING), task__ends_at__gt=now, task__cancelled_at__isnull=True)


def places_ahead(user: User, *, now: datetime) -> QuerySet[TaskAssignment]:
    """A person's places still ahead of them, on tasks not over nor cancelled."""
    return TaskAssignment.filter(_ahead(now), volunteer_id=user.id)


def places_behind(user: User, *, now: datetime) -> QuerySet[TaskAssignment]:
    """A person's other places: done, missed, withdrawn, or on tasks over or cancelled."""
    return TaskAssignment.filter(~_ahead(now), volunteer_id=user.id)
