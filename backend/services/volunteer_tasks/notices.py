"""Who hears of what happens to a volunteer task, and what they are told.

Every notice goes through the outbox about the task (`Subject(VOLUNTEER_TASK, id)`), so it
reaches only people who may see the task's group, checked when written and again when
mailed. Times are written in the service's time zone (the TIME_ZONE setting), whatever
the season: a task's moments are kept in UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backend.links import task_path
from backend.models import TaskAssignment, User, VolunteerTask, WorkingGroup
from backend.models.enums import NotificationKind, SubjectKind
from backend.services import configuration, notifications
from backend.services.audiences import Subject


def about(task: VolunteerTask) -> Subject:
    return Subject(SubjectKind.VOLUNTEER_TASK, task.id)


def local(moment: datetime) -> datetime:
    """The moment on the service's clocks."""
    return moment.astimezone(configuration.current().time_zone)


def when(moment: datetime) -> str:
    """A moment in words, on the service's clocks: "Saturday 7 March 2026, 10:00"."""
    shown = local(moment)
    return f"{shown:%A} {shown.day} {shown:%B %Y, %H:%M}"


def until(starts_at: datetime, ends_at: datetime) -> str:
    """When a task ends, in words: the time alone on the day it starts, else day and time."""
    start, end = local(starts_at), local(ends_at)
    return f"{end:%H:%M}" if start.date() == end.date() else when(ends_at)


def place(location: str | None, remote: bool) -> str:
    if remote:
        return "from home"
    return location or "the place the group will tell you"


def described(task: VolunteerTask, group: WorkingGroup) -> dict[str, Any]:
    """What every task notice says of the task."""
    return {
        "task": task.title,
        "group": group.name,
        "starts": when(task.starts_at),
        "ends": until(task.starts_at, task.ends_at),
        "place": place(task.location, task.remote),
    }


async def tell_volunteer(
    kind: NotificationKind,
    task: VolunteerTask,
    group: WorkingGroup,
    assignment: TaskAssignment,
    *,
    step: str,
    actor: User | None,
    now: datetime,
    **more: str,
) -> None:
    """A notice to a volunteer about their place on the task, with what `more` adds to the
    task's description: once per place, so that a place lost and held again is told again."""
    await notifications.notify_many(
        kind,
        [assignment.volunteer_id],
        subject=about(task),
        occurrence=f"{step}:{assignment.id}:{assignment.place}",
        context={**described(task, group), **more},
        actor_id=actor.id if actor else None,
        now=now,
    )


def of_schedule(task: VolunteerTask) -> str:
    """The end of a reminder's key that names the task's schedule it was written for."""
    return f"schedule-{task.schedule_version}"


async def remind(
    task: VolunteerTask, group: WorkingGroup, volunteer_id: int, *, step: str, due: datetime, now: datetime
) -> None:
    """One reminder, written now and mailed at `due`; keyed by the step and the task's
    schedule, so a new time gets new reminders and the same one is never written twice."""
    await notifications.notify(
        NotificationKind.TASK_REMINDER,
        volunteer_id,
        subject=about(task),
        occurrence=f"{step}:{of_schedule(task)}",
        now=now,
        context=described(task, group),
        url=task_path(task.id),
        deliver_after=due,
    )
