"""Places on a task: signing up, the waiting list, withdrawing, and leads assigning people.

Every act here locks the task's row first (on PostgreSQL a row lock; on SQLite the one
writer at a time that the database allows), then works out the places held and writes the
assignment and the task's count together. So however many people sign up at once, they
are served one by one, in the order they reach the lock: CONFIRMED while a slot is free,
WAITLISTED after, and the task is never overfilled. A person's own row is locked too while
their places are compared, so two sign-ups of one person for tasks at the same time cannot
both be confirmed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.db import save_changes
from backend.errors import Conflict, InvalidState, NotFound
from backend.models import TaskAssignment, User, VolunteerTask, WorkingGroup
from backend.models.enums import AssignmentStatus, NotificationKind, WorkingGroupStatus
from backend.services import audiences
from backend.services.actors import Actor
from backend.services.volunteer_tasks import notices, reminders
from backend.services.volunteer_tasks.access import HOLDING, ON_THE_TASK, access_task, require_runner

# Places whose time is the volunteer's: two of them must not overlap.
BUSY = (AssignmentStatus.CONFIRMED, AssignmentStatus.CHECKED_IN)


async def _row(task: VolunteerTask, volunteer_id: int) -> TaskAssignment | None:
    return await TaskAssignment.filter(task_id=task.id, volunteer_id=volunteer_id).select_for_update().first()


async def clash(task: VolunteerTask, volunteer_id: int) -> VolunteerTask | None:
    """Another task the volunteer holds a place on whose time overlaps this one's."""
    other = (
        await TaskAssignment.filter(
            Q(task__starts_at__lt=task.ends_at) & Q(task__ends_at__gt=task.starts_at),
            volunteer_id=volunteer_id,
            status__in=list(BUSY),
            task__cancelled_at__isnull=True,
        )
        .exclude(task_id=task.id)
        .select_related("task")
        .first()
    )
    return other.task if other else None


async def _check_free(task: VolunteerTask, volunteer_id: int, *, who: str) -> None:
    other = await clash(task, volunteer_id)
    if other is not None:
        raise InvalidState(f"{who} already down for \u201c{other.title}\u201d at the same time.")


async def _next_place(task: VolunteerTask) -> int:
    last = await TaskAssignment.filter(task_id=task.id).order_by("-place").only("id", "place").first()
    return (last.place if last else 0) + 1


def require_open_for_places(task: VolunteerTask, group: WorkingGroup, *, now: datetime) -> None:
    if task.cancelled_at is not None:
        raise InvalidState("This task is cancelled: it takes no volunteers.")
    if group.status != WorkingGroupStatus.ACTIVE:
        raise InvalidState("This working group is closed: its tasks take no volunteers.")
    if task.starts_at <= now:
        raise InvalidState("This task has started: it takes no more volunteers.")


async def _seat(
    task: VolunteerTask, volunteer_id: int, *, confirm: bool, now: datetime, assigned_by: int | None = None
) -> TaskAssignment:
    """The volunteer's row on the task (made, or theirs again), CONFIRMED or WAITLISTED."""
    status = AssignmentStatus.CONFIRMED if confirm else AssignmentStatus.WAITLISTED
    values: dict[str, Any] = {
        "status": status,
        "place": await _next_place(task),
        "assigned_by_id": assigned_by,
        "updated_at": now,
    }
    assignment = await _row(task, volunteer_id)
    if assignment is None:
        assignment = await TaskAssignment.create(
            task_id=task.id, volunteer_id=volunteer_id, created_at=now, hours=None, **values
        )
    else:
        assignment.update_from_dict({**values, "hours": None, "checked_in_at": None})
        await assignment.save()
    if confirm:
        await _count(task, +1, now=now)
    return assignment


async def _count(task: VolunteerTask, change: int, *, now: datetime) -> None:
    task.filled += change
    await VolunteerTask.filter(id=task.id).update(filled=task.filled)


async def _lock_person(volunteer_id: int) -> None:
    """Their places are compared and changed one act at a time (see the module's words). NO KEY,
    so that rows referring to them (a notification to them) can still be written meanwhile."""
    await User.filter(id=volunteer_id).select_for_update(no_key=True).first()


async def sign_up(actor: Actor, *, task_id: int, now: datetime) -> TaskAssignment:
    """CONFIRMED while a slot is free, else WAITLISTED; signing up twice is a conflict."""
    user = actor.require_user()
    async with in_transaction():
        task = await access_task(actor, task_id, for_update=True)
        group = await WorkingGroup.get(id=task.group_id)
        require_open_for_places(task, group, now=now)
        await _lock_person(user.id)
        existing = await _row(task, user.id)
        if existing is not None and existing.status in ON_THE_TASK:
            raise Conflict("You are signed up for this task already.")
        confirm = task.filled < task.slots
        if confirm:
            await _check_free(task, user.id, who="You are")
        assignment = await _seat(task, user.id, confirm=confirm, now=now)
        if confirm:
            await reminders.schedule(task, group, user.id, now=now)
    return assignment


async def withdraw(actor: Actor, *, task_id: int, now: datetime) -> TaskAssignment:
    """The volunteer gives up their place (or their spot on the waiting list); the first
    one waiting moves up and is told."""
    user = actor.require_user()
    async with in_transaction():
        task = await access_task(actor, task_id, for_update=True)
        assignment = await _row(task, user.id)
        if assignment is None or assignment.status not in (
            AssignmentStatus.CONFIRMED,
            AssignmentStatus.WAITLISTED,
        ):
            raise InvalidState("You are not signed up for this task.")
        if task.starts_at <= now:
            raise InvalidState("This task has started: tell the group's leads instead.")
        held = assignment.status == AssignmentStatus.CONFIRMED
        assignment.status, assignment.updated_at = AssignmentStatus.WITHDRAWN, now
        await assignment.save(update_fields=["status", "updated_at"])
        await reminders.remove(task, [user.id])
        if held:
            await _count(task, -1, now=now)
            await promote(task, await WorkingGroup.get(id=task.group_id), now=now)
    return assignment


async def promote(task: VolunteerTask, group: WorkingGroup, *, now: datetime) -> None:
    """Inside a transaction, the task's row locked: those waiting take the free slots in
    the order they came, passing over anyone already busy at that time."""
    if task.cancelled_at is not None or task.starts_at <= now or group.status != WorkingGroupStatus.ACTIVE:
        return
    waiting = TaskAssignment.filter(task_id=task.id, status=AssignmentStatus.WAITLISTED).order_by(
        "place", "id"
    )
    for assignment in await waiting:
        if task.filled >= task.slots:
            return
        await _lock_person(assignment.volunteer_id)
        if await clash(task, assignment.volunteer_id) is not None:
            continue
        await save_changes(assignment, status=AssignmentStatus.CONFIRMED, updated_at=now)
        await _count(task, +1, now=now)
        await reminders.schedule(task, group, assignment.volunteer_id, now=now)
        await notices.tell_volunteer(
            NotificationKind.WAITLIST_PROMOTED, task, group, assignment, step="promoted", actor=None, now=now
        )


async def assign(actor: Actor, *, task_id: int, user_id: int, now: datetime) -> TaskAssignment:
    """A lead puts a person down for the task: a confirmed place, if one is free."""
    async with in_transaction():
        task = await access_task(actor, task_id, for_update=True)
        lead, group = await require_runner(actor, task, to="assign volunteers")
        require_open_for_places(task, group, now=now)
        volunteer = await User.get_or_none(id=user_id, confirmed_at__isnull=False, erased_at__isnull=True)
        if volunteer is None or not await audiences.may_read(notices.about(task), volunteer.id):
            raise NotFound("No person who may see this task has that ID.", field="userId")
        await _lock_person(volunteer.id)
        existing = await _row(task, volunteer.id)
        if existing is not None and existing.status in (*HOLDING, AssignmentStatus.NO_SHOW):
            raise Conflict(f"{volunteer.display_name} has a place on this task already.")
        if task.filled >= task.slots:
            raise InvalidState("Every slot of this task is taken: add slots first.")
        await _check_free(task, volunteer.id, who=f"{volunteer.display_name} is")
        assignment = await _seat(task, volunteer.id, confirm=True, now=now, assigned_by=lead.id)
        await reminders.schedule(task, group, volunteer.id, now=now)
        await notices.tell_volunteer(
            NotificationKind.TASK_ASSIGNED,
            task,
            group,
            assignment,
            step="assigned",
            actor=lead,
            now=now,
            assigned_by=lead.display_name,
        )
    return assignment
