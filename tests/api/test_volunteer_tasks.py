"""Volunteer tasks through the API: each act and its expected failures, the lists, and who
sees which assignments."""

from __future__ import annotations

from typing import Any

import pytest
from action_plan import Plan
from action_plan import build as build_plan
from task_board import act, task_input

from backend.clock import ManualClock
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, error_of


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    return await build_plan(gql, people, neighbourhood, clock)


async def failure(gql: GraphQL, operation: str, who: Person, **values: Any) -> tuple[str | None, str]:
    error = error_of(await gql(operation, as_=who.token, input=values))
    return error["field"], error["code"]


async def test_a_member_creates_a_task_and_residents_sign_up(gql: GraphQL, plan: Plan) -> None:
    created = (await act(gql, "CreateVolunteerTask", plan.rita, **task_input(plan, slots=1)))["task"]
    assert (created["status"], created["slots"], created["filledSlots"], created["remote"]) == (
        "OPEN",
        1,
        0,
        False,
    )
    assert created["startsAt"].startswith("2026-01-10T10:00:00")

    first = (await act(gql, "SignUpForTask", plan.nell, taskId=created["id"]))["assignment"]
    second = (await act(gql, "SignUpForTask", plan.ray, taskId=created["id"]))["assignment"]
    assert (first["status"], second["status"]) == ("CONFIRMED", "WAITLISTED")
    assert (second["task"]["status"], second["task"]["filledSlots"], second["task"]["waitlistCount"]) == (
        "FULL",
        1,
        1,
    )

    listed = (await gql("VolunteerTasks", as_=plan.ray.token, filter={"openOnly": False}))["volunteerTasks"]
    assert [
        (t["node"]["title"], t["node"]["viewerAssignment"]["status"], t["node"]["viewerWaitlistPosition"])
        for t in listed["edges"]
    ] == [("Litter pick on Mill Lane", "WAITLISTED", 1)]
    assert (await gql("VolunteerTasks", filter={"openOnly": True}))["volunteerTasks"]["edges"] == []
