"""The task list and a group's tasks cost a fixed number of SQL statements, however many
tasks (and volunteers on them) a page holds (DESIGN.md §7)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from action_plan import Plan
from action_plan import build as build_plan
from task_board import SATURDAY, make_task, sign_up

from backend.clock import ManualClock
from neighbourhood import Neighbourhood
from support import GraphQL, People, QueryCounter


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    built = await build_plan(gql, people, neighbourhood, clock)
    for day in range(12):
        starts = SATURDAY + timedelta(days=day)
        task = await make_task(
            built, title=f"Task {day}", starts_at=starts, ends_at=starts + timedelta(hours=1), slots=1
        )
        # One holds the place, one waits: the page shows counts and the viewer's own place.
        await sign_up(built, task, built.nell)
        await sign_up(built, task, built.ray)
    return built


async def statements(
    gql: GraphQL, token: str, operation: str, **variables: object
) -> tuple[int, dict[str, object]]:
    with QueryCounter() as queries:
        data = await gql(operation, as_=token, **variables)
    return queries.count, data


async def test_a_page_of_12_tasks_costs_no_more_than_a_page_of_2(gql: GraphQL, plan: Plan) -> None:
    for person in (plan.lead, plan.ray):
        small, _ = await statements(gql, person.token, "VolunteerTasks", first=2)
        large, many = await statements(gql, person.token, "VolunteerTasks", first=12)
        assert len(many["volunteerTasks"]["edges"]) == 12  # type: ignore[index]
        # Twelve tasks fill the larger page with none left over, so it needs no count of its own.
        assert large == small - 1, (person.user.display_name, small, large)


async def test_a_groups_tasks_cost_no_more_with_one_more_task_and_volunteer(
    gql: GraphQL, plan: Plan, people: People, clock: ManualClock
) -> None:
    small, _ = await statements(gql, plan.lead.token, "WorkingGroupTasks", id=plan.group_id)
    assert small < 25
    more = await make_task(
        plan,
        title="One more",
        starts_at=SATURDAY + timedelta(days=20),
        ends_at=SATURDAY + timedelta(days=20, hours=1),
    )
    await sign_up(plan, more, plan.percy)
    large, data = await statements(gql, plan.lead.token, "WorkingGroupTasks", id=plan.group_id)
    assert len(data["workingGroup"]["tasks"]) == 13  # type: ignore[index]
    assert small == large
