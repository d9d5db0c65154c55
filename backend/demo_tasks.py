"""The demo's volunteer tasks, made through the services after its working groups: tasks
over and done (hours recorded, someone checked in whose hours are still to come, a no-show),
one under way now for a lead to check people in, and tasks still to come, one full with a
waiting list, some done from home, some under an action, and one cancelled.

Past tasks are made as they happened, each act at its own moment. Their reminders were due
before the demo began; they are taken out of the outbox, so that starting the demo mails
nobody about a task already under way or over.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo

from backend.demo_people import AMIRA, BILL, GRACE, KOFI, PRIYA, RUTH, SAM, TOM
from backend.models import Action, TaskAssignment, User, VolunteerTask, WorkingGroup
from backend.services import volunteer_tasks
from backend.services.actors import Actor
from backend.services.volunteer_tasks import reminders

MAGGIE = "maggie.doyle@resident.demo"


# What each task is, by the name the story below gives it.
_TASKS: dict[str, dict[str, Any]] = tomllib.loads(
    resources.files("backend").joinpath("demo_tasks.toml").read_text(encoding="utf-8")
)


@dataclass
class _Tasks:
    """The demo's clock, zone and people, for telling how each task went."""

    now: datetime
    zone: ZoneInfo
    users: Mapping[str, User]

    def at(self, days_ago: float) -> datetime:
        return self.now - timedelta(days=days_ago)

    def on(self, days_from_now: int, hour: int, minute: int = 0) -> datetime:
        """A time on the service's clocks, `days_from_now` days from today (negative: before)."""
        day = self.now.astimezone(self.zone).date() + timedelta(days=days_from_now)
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone)

    def person(self, email: str) -> Actor:
        return Actor(user=self.users[email])

    async def post(self, email: str, group: WorkingGroup, days_ago: float, name: str) -> VolunteerTask:
        """Posts the task `name` of the table, as `email` did `days_ago` days before the demo."""
        task = _TASKS[name]
        if "starts" in task:
            starts_at = self.on(*task["starts"])
        else:
            # Under way: begun an hour ago, or at midnight when that was yesterday, so that the
            # volunteer page, which lists tasks from the start of today, still shows it.
            an_hour_ago = (self.now - timedelta(hours=1)).replace(second=0, microsecond=0)
            starts_at = max(an_hour_ago, self.on(0, 0))
        action = await Action.get(group_id=group.id, title=task["action"]) if "action" in task else None
        details = volunteer_tasks.TaskDetails(
            title=task["title"],
            description=task["description"],
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=task["hours"]),
            location=task.get("location"),
            remote="location" not in task,
            skills=list(task.get("skills", [])),
            slots=task["slots"],
        )
        return await volunteer_tasks.create(
            self.person(email),
            group_id=group.id,
            action_id=action.id if action else None,
            details=details,
            now=self.at(days_ago),
        )

    async def sign_up(self, task: VolunteerTask, days_ago: float, *emails: str) -> dict[str, TaskAssignment]:
        return {
            email: await volunteer_tasks.sign_up(self.person(email), task_id=task.id, now=self.at(days_ago))
            for email in emails
        }

    async def check_in(self, lead: str, assignment: TaskAssignment, when: datetime) -> None:
        await volunteer_tasks.check_in(self.person(lead), assignment_id=assignment.id, now=when)

    async def complete(self, lead: str, assignment: TaskAssignment, hours: float, when: datetime) -> None:
        await volunteer_tasks.complete(self.person(lead), assignment_id=assignment.id, hours=hours, now=when)


async def post_tasks(
    *, now: datetime, zone: ZoneInfo, users: Mapping[str, User], groups: Sequence[WorkingGroup]
) -> list[VolunteerTask]:
    """The underpass group's tasks and the youth club group's, past, present and to come."""
    cast = _Tasks(now=now, zone=zone, users=users)
    named = {group.name: group for group in groups}
    made = [
        *await _underpass_tasks(cast, named["Riverside underpass group"]),
        *await _youth_club_tasks(cast, named["Friday youth club group"]),
    ]
    # Those already under way or over: their reminders went out at the time.
    for task in made:
        if task.starts_at <= now:
            await reminders.remove(task)
    return made


async def _underpass_tasks(cast: _Tasks, group: WorkingGroup) -> list[VolunteerTask]:
    sweep = await cast.post(PRIYA, group, 12, "sweep")
    placed = await cast.sign_up(sweep, 11, KOFI, AMIRA, SAM, GRACE, BILL)
    for email in (KOFI, AMIRA, SAM, GRACE):
        await cast.check_in(PRIYA, placed[email], sweep.starts_at - timedelta(minutes=10))
    await volunteer_tasks.mark_no_show(
        cast.person(PRIYA), assignment_id=placed[BILL].id, now=sweep.starts_at + timedelta(minutes=30)
    )
    finished = sweep.starts_at + timedelta(hours=2, minutes=15)
    for email, hours in ((KOFI, 2.0), (AMIRA, 2.0), (SAM, 1.5)):
        await cast.complete(PRIYA, placed[email], hours, finished)

    walk = await cast.post(PRIYA, group, 5, "walk")
    await cast.sign_up(walk, 4, KOFI, AMIRA, BILL)

    hedges = await cast.post(PRIYA, group, 4, "hedges")
    await cast.sign_up(hedges, 4, KOFI, AMIRA, MAGGIE, GRACE)
    # Maggie cannot come after all: Grace, first on the waiting list, takes her place.
    await volunteer_tasks.withdraw(cast.person(MAGGIE), task_id=hedges.id, now=cast.at(3))
    await cast.sign_up(hedges, 2, BILL)

    letters = await cast.post(PRIYA, group, 3, "letters")
    await cast.sign_up(letters, 2, AMIRA)
    return [sweep, walk, hedges, letters]


async def _youth_club_tasks(cast: _Tasks, group: WorkingGroup) -> list[VolunteerTask]:
    last_week = await cast.post(RUTH, group, 10, "last_weeks_club")
    placed = await cast.sign_up(last_week, 9, GRACE, TOM)
    for email, hours in ((GRACE, 3.0), (TOM, 3.5)):
        await cast.check_in(RUTH, placed[email], last_week.starts_at)
        await cast.complete(RUTH, placed[email], hours, last_week.ends_at)

    club = await cast.post(RUTH, group, 3, "this_weeks_club")
    await cast.sign_up(club, 2, GRACE, TOM)

    await cast.post(RUTH, group, 2, "poster")

    trip = await cast.post(RUTH, group, 3, "trip")
    await cast.sign_up(trip, 2, GRACE)
    await volunteer_tasks.cancel(
        cast.person(RUTH),
        task_id=trip.id,
        reason="The climbing centre is closed for repairs. We will find another date.",
        now=cast.at(1.5),
    )
    return [last_week, club, trip]
