"""Reminders before a task, through the outbox: written when a volunteer's place is
confirmed, each with the moment it is due (`deliver_after`), and mailed by the worker's
sweep when that moment comes. So a lost queue or a dead worker loses none, and the outbox's
unique key and claims send each one at most once.

A volunteer hears 24 hours and 2 hours before the start; a step already past when their
place is confirmed is left out. A new time bumps the task's schedule version: the pending
reminders go and new ones, keyed by the new version, are written. Withdrawing, a cancelled
task or a lost place takes the pending ones away; one the worker had claimed already is
checked once more just before it goes (`why_not_remind`). Whether a reminder is mailed at
all follows the person's `task_reminders` setting when it is due (the kind policy table).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from backend.db import int_column
from backend.models import Notification, TaskAssignment, VolunteerTask, WorkingGroup
from backend.models.enums import AssignmentStatus, Delivery, NotificationKind, SubjectKind
from backend.services.volunteer_tasks import notices

# Each step by the name its key carries, and how long before the start it is due.
STEPS = (("24h", timedelta(hours=24)), ("2h", timedelta(hours=2)))


async def schedule(task: VolunteerTask, group: WorkingGroup, volunteer_id: int, *, now: datetime) -> None:
    """Inside the act's transaction: the volunteer's reminders of the task still to come."""
    for step, before in STEPS:
        due = task.starts_at - before
        if due > now:
            await notices.remind(task, group, volunteer_id, step=step, due=due, now=now)


async def remove(task: VolunteerTask, volunteer_ids: Iterable[int] | None = None) -> None:
    """The task's reminders not yet claimed for sending: the named volunteers', or everyone's."""
    pending = Notification.filter(
        kind=NotificationKind.TASK_REMINDER,
        subject_type=SubjectKind.VOLUNTEER_TASK,
        subject_id=task.id,
        delivery=Delivery.PENDING,
    )
    if volunteer_ids is not None:
        pending = pending.filter(recipient_id__in=list(volunteer_ids))
    await pending.delete()


async def why_not_remind(reminder: Notification) -> str | None:
    """Why a reminder claimed for sending is no longer owed, if it is not: `remove` takes
    pending reminders only, so one claimed as the volunteer withdrew, the task was
    cancelled or moved (the new time has reminders of its own) would still go."""
    task = await VolunteerTask.get_or_none(id=reminder.subject_id)
    if task is None or task.cancelled_at is not None:
        return "the task was cancelled"
    if not reminder.dedupe_key.endswith(f":{notices.of_schedule(task)}"):
        return "the task moved since the reminder was written"
    place = await TaskAssignment.get_or_none(task_id=task.id, volunteer_id=reminder.recipient_id)
    if place is not None and place.status == AssignmentStatus.CHECKED_IN:
        return "the volunteer has checked in already"
    if place is None or place.status != AssignmentStatus.CONFIRMED:
        return "the volunteer no longer holds a place"
    return None


async def reschedule(task: VolunteerTask, group: WorkingGroup, *, now: datetime) -> None:
    """The task's time changed (its schedule version bumped already): reminders anew for
    everyone holding a place."""
    await remove(task)
    holders = TaskAssignment.filter(task_id=task.id, status=AssignmentStatus.CONFIRMED)
    for volunteer_id in await int_column(holders, "volunteer_id"):
        await schedule(task, group, volunteer_id, now=now)
