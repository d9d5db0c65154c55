"""Planning volunteer tasks: creating one, changing it, cancelling it.

Active members of an active group create tasks; its leads (and the area's coordinators)
change and cancel them. Every change locks the task's row first, as sign-ups do, so a
change of slots and a sign-up never judge the same count at once.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from backend.db import int_column
from backend.errors import Forbidden, Invalid, InvalidState, NotFound
from backend.models import Action, TaskAssignment, User, VolunteerTask, WorkingGroup
from backend.models.enums import AssignmentStatus, NotificationKind
from backend.services import configuration, notifications, outcomes, validation
from backend.services.actors import Actor
from backend.services.volunteer_tasks import notices, reminders, signing_up
from backend.services.volunteer_tasks.access import HOLDING, access_task, may_plan, require_runner
from backend.services.working_groups.access import access_group, membership_of

MAX_TITLE = 200
MAX_DESCRIPTION = 5_000
MAX_LOCATION = 200
MAX_REASON = 2_000
MAX_SKILLS = 20
MAX_SKILL = 40
MAX_SLOTS = 500
LONGEST = timedelta(days=7)
# Those told when a task changes or is cancelled: everyone with a place or waiting for one.
CONCERNED = (AssignmentStatus.CONFIRMED, AssignmentStatus.CHECKED_IN, AssignmentStatus.WAITLISTED)


@dataclass
class TaskDetails:
    """What a task is; on a change, None leaves a detail as it was.

    The API's input for a change is these details and the task's ID, declared once here: it
    extends this class, and so this class cannot be frozen (a GraphQL input is a plain
    dataclass, and a dataclass may not extend a frozen one)."""

    title: str | None = None
    description: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    remote: bool | None = None
    skills: list[str] | None = None
    slots: int | None = None


def skill_tags(skills: list[str]) -> str:
    return "".join(f"|{skill.lower()}" for skill in skills) + "|" if skills else ""


def _aware(moment: datetime) -> datetime:
    """A moment without an offset is on the service's clocks."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=configuration.current().time_zone)
    return moment


def _checked_skills(skills: list[str], faults: validation.Faults) -> list[str]:
    kept: list[str] = []
    with faults:
        if len(skills) > MAX_SKILLS:
            raise Invalid(f"Name at most {MAX_SKILLS} skills", field="skills")
        for skill in skills:
            cleaned = validation.text(skill, "skills", what="skill", max_length=MAX_SKILL)
            if "|" in cleaned:
                raise Invalid("A skill cannot contain the character |", field="skills")
            if cleaned.lower() not in (k.lower() for k in kept):
                kept.append(cleaned)
    return kept


def _check_times(
    starts_at: datetime, ends_at: datetime, faults: validation.Faults, *, now: datetime, moved: bool
) -> None:
    with faults:
        if moved and starts_at < now:
            raise Invalid("The start cannot be in the past", field="startsAt")
    with faults:
        if ends_at <= starts_at:
            raise Invalid("The end must come after the start", field="endsAt")
        if ends_at - starts_at > LONGEST:
            raise Invalid("A task can last at most 7 days", field="endsAt")


def _checked(current: TaskDetails, *, now: datetime, moved: bool, faults: validation.Faults) -> TaskDetails:
    """The details as they are kept, every fault of them reported together (in `faults`)."""
    assert current.starts_at is not None and current.ends_at is not None and current.slots is not None
    title = description = location = None
    with faults:
        title = validation.text(current.title or "", "title", what="title", max_length=MAX_TITLE)
    with faults:
        description = validation.text(
            current.description or "",
            "description",
            what="description",
            max_length=MAX_DESCRIPTION,
            multiline=True,
        )
    with faults:
        location = (
            validation.text(
                current.location or "", "location", what="place", max_length=MAX_LOCATION, min_length=0
            )
            or None
        )
        if location is None and not current.remote:
            raise Invalid("Enter where the task happens, or mark it as done from home", field="location")
    starts_at, ends_at = _aware(current.starts_at), _aware(current.ends_at)
    _check_times(starts_at, ends_at, faults, now=now, moved=moved)
    with faults:
        validation.whole_number(current.slots, "slots", what="number of slots", minimum=1, maximum=MAX_SLOTS)
    skills = _checked_skills(current.skills or [], faults)
    return TaskDetails(
        title, description, starts_at, ends_at, location, bool(current.remote), skills, current.slots
    )


async def _checked_action(group: WorkingGroup, action_id: int | None, faults: validation.Faults) -> None:
    with faults:
        if action_id is not None and not await Action.exists(id=action_id, group_id=group.id):
            raise NotFound("The group has no action with that ID.", field="actionId")


async def create(
    actor: Actor, *, group_id: int, action_id: int | None, details: TaskDetails, now: datetime
) -> VolunteerTask:
    """A new task of the group (under one of its actions, if named), with all its slots free."""
    user = actor.require_user()
    async with in_transaction():
        group = await access_group(actor, group_id, for_update=True)
        accepting = await outcomes.accepts_new_tasks(group)
        if not may_plan(group, await membership_of(user.id, group.id), accepting=accepting):
            if not accepting:
                raise InvalidState(
                    "This working group takes on no new tasks: it is closed, or its problem is."
                )
            raise Forbidden("Only the group's active members create its tasks.")
        faults = validation.Faults()
        kept = _checked(details, now=now, moved=True, faults=faults)
        await _checked_action(group, action_id, faults)
        faults.raise_any()
        return await VolunteerTask.create(
            group_id=group.id,
            action_id=action_id,
            created_by_id=user.id,
            created_at=now,
            updated_at=now,
            skill_tags=skill_tags(kept.skills or []),
            **{f.name: getattr(kept, f.name) for f in fields(kept)},
        )


def _merged(task: VolunteerTask, changes: TaskDetails) -> TaskDetails:
    """The task's details with the changes laid over them."""
    values = {f.name: getattr(changes, f.name) for f in fields(changes)}
    return TaskDetails(
        **{name: getattr(task, name) if value is None else value for name, value in values.items()}
    )


async def _holders(task: VolunteerTask, statuses: tuple[AssignmentStatus, ...]) -> list[int]:
    return await int_column(TaskAssignment.filter(task_id=task.id, status__in=list(statuses)), "volunteer_id")


def require_not_over(task: VolunteerTask, *, now: datetime, to: str) -> None:
    if task.cancelled_at is not None:
        raise InvalidState(f"This task is cancelled: it cannot {to}.")
    if task.ends_at <= now:
        raise InvalidState(f"This task is over: it cannot {to}.")


async def update(actor: Actor, *, task_id: int, changes: TaskDetails, now: datetime) -> VolunteerTask:
    """Leads change a task. Slots never go below the places held; more slots promote those
    waiting; a new time or place tells those with a place and moves their reminders."""
    async with in_transaction():
        task = await access_task(actor, task_id, for_update=True)
        user, group = await require_runner(actor, task, to="change tasks")
        require_not_over(task, now=now, to="change")
        before = (task.starts_at, task.ends_at, task.location, task.remote)
        faults = validation.Faults()
        moved = changes.starts_at is not None and _aware(changes.starts_at) != task.starts_at
        kept = _checked(_merged(task, changes), now=now, moved=moved, faults=faults)
        with faults:
            if kept.slots is not None and kept.slots < task.filled:
                raise Invalid(
                    f"{task.filled} volunteers have a place already: "
                    f"the task needs at least {task.filled} slots",
                    field="slots",
                )
        faults.raise_any()
        await _apply(task, kept, before, now=now)
        await _after_change(task, group, user, before, now=now)
    return task


async def _apply(
    task: VolunteerTask, kept: TaskDetails, before: tuple[object, ...], *, now: datetime
) -> None:
    for f in fields(kept):
        setattr(task, f.name, getattr(kept, f.name))
    if (task.starts_at, task.ends_at) != before[:2]:
        task.schedule_version += 1
    task.skill_tags = skill_tags(task.skills)
    task.sequence += 1
    task.updated_at = now
    await task.save()


async def _after_change(
    task: VolunteerTask, group: WorkingGroup, user: User, before: tuple[object, ...], *, now: datetime
) -> None:
    starts_at, ends_at, location, remote = before
    assert isinstance(starts_at, datetime) and isinstance(ends_at, datetime)
    if (task.starts_at, task.ends_at) != (starts_at, ends_at):
        await reminders.reschedule(task, group, now=now)
    await signing_up.promote(task, group, now=now)
    if (task.starts_at, task.ends_at, task.location, task.remote) == before:
        return
    assert location is None or isinstance(location, str)
    span = f"{notices.when(starts_at)} to {notices.until(starts_at, ends_at)}"
    was = f"{span}, {notices.place(location, bool(remote))}"
    await notifications.notify_many(
        NotificationKind.TASK_CHANGED,
        await _holders(task, (AssignmentStatus.CONFIRMED, AssignmentStatus.CHECKED_IN)),
        subject=notices.about(task),
        occurrence=f"changed:{task.sequence}",
        context={**notices.described(task, group), "before": was, "changed_by": user.display_name},
        actor_id=user.id,
        now=now,
    )


async def cancel(actor: Actor, *, task_id: int, reason: str, now: datetime) -> VolunteerTask:
    """Leads cancel a task, saying why: everyone with a place or waiting is told."""
    async with in_transaction():
        task = await access_task(actor, task_id, for_update=True)
        user, group = await require_runner(actor, task, to="cancel tasks")
        reason = validation.text(reason, "reason", what="reason", max_length=MAX_REASON, multiline=True)
        require_not_over(task, now=now, to="be cancelled")
        await call_off(task, group, reason=reason, by=user, now=now)
    return task


async def call_off(task: VolunteerTask, group: WorkingGroup, *, reason: str, by: User, now: datetime) -> None:
    """Inside a transaction, the task's row locked: cancel it and tell those concerned."""
    task.cancelled_at, task.cancel_reason, task.updated_at = now, reason, now
    task.sequence += 1
    await task.save(update_fields=["cancelled_at", "cancel_reason", "updated_at", "sequence"])
    await reminders.remove(task)
    await notifications.notify_many(
        NotificationKind.TASK_CANCELLED,
        await _holders(task, CONCERNED),
        subject=notices.about(task),
        occurrence="cancelled",
        context={**notices.described(task, group), "cancelled_by": by.display_name, "reason": reason},
        actor_id=by.id,
        now=now,
    )


async def cancel_with_group(group: WorkingGroup, *, by: User, now: datetime) -> None:
    """Inside the closing's transaction: the group's tasks still to come are cancelled."""
    coming = VolunteerTask.filter(group_id=group.id, cancelled_at__isnull=True, ends_at__gt=now)
    for task in await coming.order_by("id").select_for_update():
        await call_off(task, group, reason="The working group has closed.", by=by, now=now)


__all__ = ["HOLDING", "TaskDetails", "cancel", "cancel_with_group", "create", "update"]
