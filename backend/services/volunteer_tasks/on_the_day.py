"""On the day: leads and area coordinators check volunteers in, record the hours they gave,
and mark those who did not come. Each act locks the task's row, as sign-ups do."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from backend.db import save_changes, seen_through
from backend.errors import Invalid, InvalidState
from backend.models import TaskAssignment, VolunteerTask, WorkingGroup
from backend.models.enums import ActivityKind, AssignmentStatus
from backend.services import activity
from backend.services.actors import Actor
from backend.services.volunteer_tasks.access import NOT_AN_ASSIGNMENT, access_task, require_runner

# Check-in opens this long before the start: people arrive early.
CHECK_IN_OPENS = timedelta(hours=1)
# Hours beyond the task's length a volunteer may be credited with (setting up, clearing away).
EXTRA_HOURS = 2.0


async def _run(
    actor: Actor, assignment_id: int, *, to: str
) -> tuple[TaskAssignment, VolunteerTask, WorkingGroup]:
    """Inside a transaction: the assignment and its task, both locked, once it is known the
    actor runs the task; NOT_FOUND alike for an assignment they may not see."""
    _, task = await seen_through(
        await TaskAssignment.get_or_none(id=assignment_id),
        lambda assignment: access_task(actor, assignment.task_id, for_update=True),
        missing=NOT_AN_ASSIGNMENT,
        field="assignmentId",
    )
    _, group = await require_runner(actor, task, to=to)
    if task.cancelled_at is not None:
        raise InvalidState("This task is cancelled.")
    assignment = await TaskAssignment.filter(id=assignment_id).select_for_update().get()
    return assignment, task, group


async def check_in(actor: Actor, *, assignment_id: int, now: datetime) -> TaskAssignment:
    """The volunteer is here: from an hour before the start (a no-show who turns up late too)."""
    async with in_transaction():
        assignment, task, group = await _run(actor, assignment_id, to="check volunteers in")
        if now < task.starts_at - CHECK_IN_OPENS:
            raise InvalidState("Check-in opens an hour before the task starts.")
        if now >= task.ends_at:
            raise InvalidState("This task is over: record the volunteer's hours instead.")
        if assignment.status not in (AssignmentStatus.CONFIRMED, AssignmentStatus.NO_SHOW):
            raise InvalidState("Only a volunteer with a confirmed place can be checked in.")
        if assignment.status == AssignmentStatus.NO_SHOW:
            await _hold_again(task, assignment)
        await save_changes(assignment, status=AssignmentStatus.CHECKED_IN, updated_at=now, checked_in_at=now)
        await activity.record_in_group(assignment.volunteer_id, group, ActivityKind.TASK_CHECKED_IN, now=now)
    return assignment


async def _hold_again(task: VolunteerTask, assignment: TaskAssignment) -> None:
    """A no-show who turns up after all takes a place again, if one is free."""
    if task.filled >= task.slots:
        raise InvalidState("Every slot of this task is taken: add slots first.")
    task.filled += 1
    await VolunteerTask.filter(id=task.id).update(filled=task.filled)


def _checked_hours(task: VolunteerTask, hours: float) -> float:
    most = (task.ends_at - task.starts_at).total_seconds() / 3600 + EXTRA_HOURS
    if not 0 < hours <= most:
        raise Invalid(f"The hours must be more than 0 and at most {most:g} for this task", field="hours")
    return hours


async def complete(actor: Actor, *, assignment_id: int, hours: float, now: datetime) -> TaskAssignment:
    """The volunteer gave their time: their hours are recorded (and may be put right later)."""
    async with in_transaction():
        assignment, task, group = await _run(actor, assignment_id, to="record volunteers' hours")
        hours = _checked_hours(task, hours)
        if now < task.starts_at:
            raise InvalidState("Hours can be recorded once the task has started.")
        if assignment.status not in (
            AssignmentStatus.CONFIRMED,
            AssignmentStatus.CHECKED_IN,
            AssignmentStatus.COMPLETED,
        ):
            raise InvalidState("Only a volunteer with a place on the task can be credited with hours.")
        first_time = assignment.status != AssignmentStatus.COMPLETED
        await save_changes(assignment, status=AssignmentStatus.COMPLETED, updated_at=now, hours=hours)
        if first_time:
            await activity.record_in_group(
                assignment.volunteer_id, group, ActivityKind.TASK_COMPLETED, now=now
            )
    return assignment


async def mark_no_show(actor: Actor, *, assignment_id: int, now: datetime) -> TaskAssignment:
    """A confirmed volunteer did not come: only once the task has started."""
    async with in_transaction():
        assignment, task, _ = await _run(actor, assignment_id, to="mark no-shows")
        if now < task.starts_at:
            raise InvalidState("A volunteer can be marked as not coming only once the task has started.")
        if assignment.status != AssignmentStatus.CONFIRMED:
            raise InvalidState(
                "Only a volunteer with a confirmed place who has not checked in can be marked as not coming."
            )
        await save_changes(assignment, status=AssignmentStatus.NO_SHOW, updated_at=now)
        task.filled -= 1
        await VolunteerTask.filter(id=task.id).update(filled=task.filled)
    return assignment
