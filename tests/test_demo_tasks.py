"""The demo's volunteer tasks show every state a place on a task goes through, and starting
the demo mails nobody a reminder of a task already under way or over."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest

from backend.demo import seed
from backend.models import Notification, TaskAssignment, VolunteerTask
from backend.models.enums import AssignmentStatus, Delivery, NotificationKind
from backend.services.volunteer_tasks import reading
from backend.settings import Settings

NOW = datetime(2026, 10, 20, 9, 30, tzinfo=UTC)

pytestmark = pytest.mark.usefixtures("clean_db")


async def test_the_demo_has_tasks_and_places_in_every_state(settings: Settings) -> None:
    await seed(now=NOW, settings=settings)
    tasks = await VolunteerTask.all()
    statuses = Counter(reading.status_of(task, now=NOW).value for task in tasks)
    assert set(statuses) == {"OPEN", "FULL", "CANCELLED", "FINISHED"}
    assert any(task.remote for task in tasks) and any(not task.remote for task in tasks)
    assert any(task.action_id is not None for task in tasks)
    # One under way now, for a lead to check its volunteers in.
    assert [task.title for task in tasks if task.starts_at <= NOW < task.ends_at] == [
        "Evening walk-through with the patrol"
    ]
    places = Counter(assignment.status for assignment in await TaskAssignment.all())
    assert set(places) == set(AssignmentStatus)
    assert all(task.filled <= task.slots for task in tasks)


async def test_no_reminder_waits_for_a_task_already_under_way_or_over(settings: Settings) -> None:
    await seed(now=NOW, settings=settings)
    pending = await Notification.filter(kind=NotificationKind.TASK_REMINDER, delivery=Delivery.PENDING)
    assert pending, "the tasks to come have their reminders"
    assert all(reminder.deliver_after > NOW for reminder in pending)


async def test_the_task_under_way_began_today_even_just_after_midnight(settings: Settings) -> None:
    # 00:20 in London in December: an hour ago was yesterday, which the volunteer page, listing
    # tasks from the start of today, would leave out.
    just_after_midnight = datetime(2026, 12, 1, 0, 20, tzinfo=UTC)
    await seed(now=just_after_midnight, settings=settings)
    tasks = await VolunteerTask.all()
    under_way = [task for task in tasks if task.starts_at <= just_after_midnight < task.ends_at]
    assert [(task.title, task.starts_at) for task in under_way] == [
        ("Evening walk-through with the patrol", datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    ]
