"""A volunteer's part of the copy of their data, and of its erasure.

Their places on tasks (with the hours they gave) and their calendar feed are theirs, and go
with their account. A place they held on a task still to come is given up first, so the
next person waiting moves up, as if they had withdrawn. Tasks they planned stay, part of
their group's public record.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from backend.db import int_column
from backend.models import CalendarFeed, TaskAssignment, User, VolunteerTask, WorkingGroup
from backend.models.enums import AssignmentStatus
from backend.services import personal_data
from backend.services.personal_data import Sections, moment
from backend.services.standing import Standing
from backend.services.volunteer_tasks import signing_up
from backend.services.volunteer_tasks.access import visible_to

TASK_NO_LONGER_VISIBLE = "a volunteer task you can no longer see"


async def _export(user: User, standing: Standing) -> Sections:
    places = await TaskAssignment.filter(volunteer_id=user.id).select_related("task").order_by("id")
    visible = set(
        await int_column(VolunteerTask.filter(visible_to(standing), id__in=[p.task_id for p in places]), "id")
    )
    return {
        "volunteer_tasks": [
            {
                "task": p.task.title if p.task_id in visible else TASK_NO_LONGER_VISIBLE,
                "starts_at": moment(p.task.starts_at) if p.task_id in visible else None,
                "status": p.status.value,
                "hours": p.hours,
                "checked_in_at": moment(p.checked_in_at),
                "signed_up_at": moment(p.created_at),
            }
            for p in places
        ],
        "calendar_feed": {"made": await CalendarFeed.exists(user_id=user.id)},
    }


async def _erase(user: User, now: datetime) -> None:
    held = TaskAssignment.filter(
        volunteer_id=user.id, status=AssignmentStatus.CONFIRMED, task__starts_at__gt=now
    )
    for task_id in await int_column(held, "task_id"):
        async with in_transaction():
            task = await VolunteerTask.filter(id=task_id).select_for_update().get()
            await TaskAssignment.filter(task_id=task.id, volunteer_id=user.id).delete()
            task.filled -= 1
            await VolunteerTask.filter(id=task.id).update(filled=task.filled)
            await signing_up.promote(task, await WorkingGroup.get(id=task.group_id), now=now)
    await TaskAssignment.filter(volunteer_id=user.id).delete()
    await TaskAssignment.filter(assigned_by_id=user.id).update(assigned_by_id=None)
    await CalendarFeed.filter(user_id=user.id).delete()


PERSONAL_DATA = personal_data.Contribution(
    name="volunteer tasks",
    export=_export,
    erase=_erase,
    erases=("TaskAssignment", "TaskAssignment.assigned_by", "CalendarFeed"),
    keeps={"VolunteerTask.created_by": "who planned the task, part of its group's public record"},
)
