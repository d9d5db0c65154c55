"""Finding tasks, a task's state, and a volunteer's own places and hours.

A task's status is worked out whenever it is read, from its cancellation, its end and its
places held, so it is never stale: CANCELLED, else FINISHED once it has ended, else FULL
when every slot is held, else OPEN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from tortoise.expressions import Q
from tortoise.functions import Sum
from tortoise.queryset import QuerySet

from backend.db import Condition, CountsByKey, Listed, RuledListing, get_or_not_found, like_escaped
from backend.models import Area, TaskAssignment, User, VolunteerTask
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


# Every task a person may see, soonest first: the read rule is the tasks' own (`visible_to`).
TASKS = RuledListing(VolunteerTask, ("starts_at", "id"), visible_to)


async def _in_area(area_id: int) -> Condition:
    """Tasks of groups in the area or an area inside it."""
    area = await get_or_not_found(Area, area_id, missing="No area has that ID.", field="areaId")
    return Condition(
        '"group_id" IN (SELECT g."id" FROM "working_groups" g JOIN "areas" a ON a."id" = g."area_id"'
        " WHERE a.\"path\" LIKE ? ESCAPE '\\')",
        (like_escaped(area.path) + "%",),
    )


def _stored(moment: datetime) -> datetime:
    # A moment given without an offset is on UTC, the database's time zone, as the ORM takes it.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _with_any_skill(skills: Sequence[str]) -> Condition | None:
    # Tags are kept as "|first aid|driving|", so a whole tag is matched between its bars.
    wanted = sorted({s.strip().lower() for s in skills if s.strip() and "|" not in s})
    if not wanted:
        return None
    return Condition(
        " OR ".join("\"skill_tags\" LIKE ? ESCAPE '\\'" for _ in wanted),
        tuple(f"%|{like_escaped(skill)}|%" for skill in wanted),
    )


async def listing(actor: Actor, criteria: TaskFilter, *, now: datetime) -> Listed[VolunteerTask]:
    """The tasks the actor may see that meet every criterion (skills: any of them), to page
    soonest first."""
    conditions = []
    if criteria.area_id is not None:
        conditions.append(await _in_area(criteria.area_id))
    if criteria.group_id is not None:
        conditions.append(Condition('"group_id" = ?', (criteria.group_id,)))
    skills = _with_any_skill(criteria.skills)
    if skills is not None:
        conditions.append(skills)
    if criteria.starts_after is not None:
        conditions.append(Condition('"starts_at" >= ?', (_stored(criteria.starts_after),)))
    if criteria.starts_before is not None:
        conditions.append(Condition('"starts_at" < ?', (_stored(criteria.starts_before),)))
    if criteria.open_only:
        conditions.append(
            Condition('"cancelled_at" IS NULL AND "ends_at" > ? AND "filled" < "slots"', (_stored(now),))
        )
    if criteria.remote is not None:
        conditions.append(Condition('"remote" = ?', (criteria.remote,)))
    return TASKS.of(await standing_of(actor), conditions)


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
