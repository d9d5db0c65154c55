"""Volunteer tasks: work a working group asks volunteers for, at a time and a place.

- `access`: who may see a task (its read rule, for the audiences too) and who runs it;
- `planning`: creating, changing and cancelling tasks;
- `signing_up`: places, the waiting list, withdrawing, leads assigning people;
- `on_the_day`: check-in, hours, no-shows;
- `reminders`: the reminders before a task, through the outbox;
- `reading`: finding tasks, their status, a volunteer's places and hours;
- `calendar`: the private iCalendar feed and single-event downloads;
- `notices`: who hears of what, and what they are told;
- `personal_data`: a volunteer's part of the export and the erasure.
"""

from backend.services.volunteer_tasks.access import READERS, TaskReaders, access_task
from backend.services.volunteer_tasks.on_the_day import check_in, complete, mark_no_show
from backend.services.volunteer_tasks.planning import TaskDetails, cancel, cancel_with_group, create, update
from backend.services.volunteer_tasks.signing_up import assign, sign_up, withdraw

__all__ = [
    "READERS",
    "TaskDetails",
    "TaskReaders",
    "access_task",
    "assign",
    "cancel",
    "cancel_with_group",
    "check_in",
    "complete",
    "create",
    "mark_no_show",
    "sign_up",
    "update",
    "withdraw",
]
