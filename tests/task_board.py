"""A working group with volunteer tasks to plan, and people to sign up for them.

Builds on tests/action_plan.py (Mill Lane safer nights, OPEN, led by Pat): Rita and Ray are
members; Nell is a resident outside the group; Dev coordinates the district. The clock
starts on Monday 5 January 2026, 09:00 UTC.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from action_plan import Plan, as_

from backend import ids
from backend.models import TaskAssignment, VolunteerTask
from backend.services import volunteer_tasks
from backend.services.volunteer_tasks import TaskDetails
from support import GraphQL, Person, payload

# The Saturday after the clock's start, 10:00 to 12:00 UTC (GMT in winter).
SATURDAY = datetime.fromisoformat("2026-01-10T10:00:00+00:00")


def task_input(plan: Plan, **fields: Any) -> dict[str, Any]:
    return {
        "groupId": plan.group_id,
        "title": "Litter pick on Mill Lane",
        "description": "Gloves and bags provided.",
        "startsAt": SATURDAY.isoformat(),
        "endsAt": (SATURDAY + timedelta(hours=2)).isoformat(),
        "location": "Mill Lane car park",
        "skills": ["litter picking"],
        "slots": 3,
        **fields,
    }


async def make_task(
    plan: Plan, *, by: Person | None = None, group_id: int | None = None, **fields: Any
) -> VolunteerTask:
    """A task Rita (a member) creates through the service, for the plan's group or another."""
    values: dict[str, Any] = {
        "title": "Litter pick on Mill Lane",
        "description": "Gloves and bags provided.",
        "starts_at": SATURDAY,
        "ends_at": SATURDAY + timedelta(hours=2),
        "location": "Mill Lane car park",
        "remote": False,
        "skills": ["litter picking"],
        "slots": 3,
        **fields,
    }
    return await volunteer_tasks.create(
        as_(by or plan.rita),
        group_id=group_id or plan.group.id,
        action_id=None,
        details=TaskDetails(**values),
        now=plan.clock.now(),
    )


def task_id(task: VolunteerTask) -> str:
    return ids.encode("VolunteerTask", task.id)


async def sign_up(plan: Plan, task: VolunteerTask, person: Person) -> TaskAssignment:
    return await volunteer_tasks.sign_up(as_(person), task_id=task.id, now=plan.clock.now())


async def act(gql: GraphQL, operation: str, who: Person, **values: Any) -> dict[str, Any]:
    """The payload of an act that must succeed."""
    result = payload(await gql(operation, as_=who.token, input=values))
    assert result["errors"] == [], result
    return result
