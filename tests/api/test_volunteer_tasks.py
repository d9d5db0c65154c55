"""Volunteer tasks through the API: each act and its expected failures, the lists, and who
sees which assignments."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from action_plan import Plan
from action_plan import build as build_plan
from task_board import SATURDAY, act, make_task, sign_up, task_id, task_input

from backend import ids
from backend.clock import ManualClock
from backend.models import Activity, Notification, TaskAssignment, VolunteerTask
from backend.models.enums import NotificationKind
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, error_of, operation, payload


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


async def test_creating_refuses_bad_input_all_at_once_and_outsiders(gql: GraphQL, plan: Plan) -> None:
    errors = payload(
        await gql(
            "CreateVolunteerTask",
            as_=plan.rita.token,
            input=task_input(
                plan,
                title=" ",
                startsAt="2026-01-01T10:00:00+00:00",
                endsAt="2026-01-01T09:00:00+00:00",
                slots=501,
                location=None,
            ),
        )
    )["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("title", "INVALID"),
        ("location", "INVALID"),
        ("startsAt", "INVALID"),
        ("endsAt", "INVALID"),
        ("slots", "INVALID"),
    ]
    week = task_input(plan, endsAt="2026-01-17T10:00:01+00:00")
    assert await failure(gql, "CreateVolunteerTask", plan.rita, **week) == ("endsAt", "INVALID")
    other_action = ids.encode("Action", 999)
    assert await failure(
        gql, "CreateVolunteerTask", plan.rita, **task_input(plan, actionId=other_action)
    ) == (
        "actionId",
        "NOT_FOUND",
    )
    assert await failure(gql, "CreateVolunteerTask", plan.nell, **task_input(plan)) == (None, "FORBIDDEN")
    assert not await VolunteerTask.exists()


async def test_signing_up_twice_is_a_conflict_and_overlaps_are_refused(gql: GraphQL, plan: Plan) -> None:
    litter = await make_task(plan)
    overlapping = await make_task(plan, title="Leaflets", starts_at=SATURDAY.replace(hour=11))
    await sign_up(plan, litter, plan.nell)
    assert await failure(gql, "SignUpForTask", plan.nell, taskId=task_id(litter)) == (None, "CONFLICT")
    error = error_of(await gql("SignUpForTask", as_=plan.nell.token, input={"taskId": task_id(overlapping)}))
    assert error["code"] == "INVALID_STATE"
    assert "Litter pick on Mill Lane" in error["message"]


async def test_withdrawing_and_more_slots_promote_those_waiting_in_order(gql: GraphQL, plan: Plan) -> None:
    task = await make_task(plan, slots=1)
    for person in (plan.nell, plan.ray, plan.percy):
        await sign_up(plan, task, person)
    await act(gql, "WithdrawFromTask", plan.nell, taskId=task_id(task))
    statuses = {a.volunteer_id: a.status.value for a in await TaskAssignment.filter(task_id=task.id)}
    assert statuses == {
        plan.nell.user.id: "WITHDRAWN",
        plan.ray.user.id: "CONFIRMED",
        plan.percy.user.id: "WAITLISTED",
    }
    promoted = await Notification.filter(kind=NotificationKind.WAITLIST_PROMOTED).values_list(
        "recipient_id", flat=True
    )
    assert promoted == [plan.ray.user.id]

    updated = (await act(gql, "UpdateVolunteerTask", plan.lead, taskId=task_id(task), slots=2))["task"]
    assert (updated["filledSlots"], updated["waitlistCount"], updated["status"]) == (2, 0, "FULL")
    assert await failure(gql, "UpdateVolunteerTask", plan.lead, taskId=task_id(task), slots=1) == (
        "slots",
        "INVALID",
    )
    assert await failure(gql, "UpdateVolunteerTask", plan.rita, taskId=task_id(task), slots=5) == (
        None,
        "FORBIDDEN",
    )


async def test_a_change_leaves_out_what_stays_and_an_empty_place_takes_the_place_away(
    gql: GraphQL, plan: Plan
) -> None:
    task = task_id(await make_task(plan))
    # Left out, or null, a detail stays as it was.
    kept = (await act(gql, "UpdateVolunteerTask", plan.lead, taskId=task, slots=4, location=None))["task"]
    assert (kept["location"], kept["remote"], kept["slots"]) == ("Mill Lane car park", False, 4)
    # A task that meets somewhere needs its place.
    assert await failure(gql, "UpdateVolunteerTask", plan.lead, taskId=task, location="") == (
        "location",
        "INVALID",
    )
    moved = (await act(gql, "UpdateVolunteerTask", plan.lead, taskId=task, remote=True, location=""))["task"]
    assert (moved["location"], moved["remote"]) == (None, True)


async def centre(gql: GraphQL, who: Person) -> tuple[int, list[tuple[str, str]]]:
    """The unread count and the (kind, createdAt) of each notification, as the centre lists them."""
    viewer = (await gql("ViewerNotifications", as_=who.token))["viewer"]
    listed = [(edge["node"]["kind"], edge["node"]["createdAt"]) for edge in viewer["notifications"]["edges"]]
    return viewer["unreadNotificationCount"], listed


async def test_a_reminder_reaches_the_notification_centre_when_it_is_due(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    task = await make_task(plan)
    await sign_up(plan, task, plan.nell)
    # Signing up schedules two reminders; the centre shows neither yet, and marking
    # everything read does not read them before they come.
    unread, listed = await centre(gql, plan.nell)
    assert "TASK_REMINDER" not in {kind for kind, _ in listed}
    assert payload(await gql("MarkNotificationsRead", as_=plan.nell.token, input={}))["errors"] == []
    assert (await centre(gql, plan.nell))[0] == 0

    day_before = SATURDAY - timedelta(hours=24)
    clock.set(day_before - timedelta(hours=1))
    await act(gql, "UpdateVolunteerTask", plan.lead, taskId=task_id(task), location="Mill Lane church hall")
    clock.set(day_before + timedelta(minutes=1))
    unread, listed = await centre(gql, plan.nell)
    # Newest first by when each came in: the reminder, written first, is the newest.
    assert listed[:2] == [
        ("TASK_REMINDER", day_before.isoformat()),
        ("TASK_CHANGED", (day_before - timedelta(hours=1)).isoformat()),
    ]
    assert [kind for kind, _ in listed].count("TASK_REMINDER") == 1
    assert unread == 2


@pytest.mark.parametrize("arrivals", [30])
async def test_concurrent_sign_ups_never_overfill_and_wait_in_arrival_order(
    gql: GraphQL, plan: Plan, people: People, arrivals: int
) -> None:
    task = await make_task(plan, slots=5)
    volunteers = [await people.make(f"Volunteer {i:02d}") for i in range(arrivals)]
    results = await asyncio.gather(
        *(gql("SignUpForTask", as_=v.token, input={"taskId": task_id(task)}) for v in volunteers)
    )
    statuses = [payload(r)["assignment"]["status"] for r in results]
    assert statuses.count("CONFIRMED") == 5 and statuses.count("WAITLISTED") == arrivals - 5
    rows = await TaskAssignment.filter(task_id=task.id).order_by("place")
    # Arrival order is the order the task's lock served them: the first five have the places.
    assert [r.status.value for r in rows] == ["CONFIRMED"] * 5 + ["WAITLISTED"] * (arrivals - 5)
    assert [r.place for r in rows] == list(range(1, arrivals + 1))
    assert (await VolunteerTask.get(id=task.id)).filled == 5


async def test_on_the_day_check_in_hours_and_no_shows(gql: GraphQL, plan: Plan, clock: ManualClock) -> None:
    task = await make_task(plan, slots=3)
    nell = await sign_up(plan, task, plan.nell)
    ray = await sign_up(plan, task, plan.ray)
    nell_id, ray_id = ids.encode("TaskAssignment", nell.id), ids.encode("TaskAssignment", ray.id)

    assert await failure(gql, "CheckInVolunteer", plan.lead, assignmentId=nell_id) == (None, "INVALID_STATE")
    assert await failure(gql, "MarkNoShow", plan.lead, assignmentId=ray_id) == (None, "INVALID_STATE")
    clock.set(SATURDAY - timedelta(minutes=59))
    assert await failure(gql, "CheckInVolunteer", plan.rita, assignmentId=nell_id) == (None, "FORBIDDEN")
    checked = (await act(gql, "CheckInVolunteer", plan.lead, assignmentId=nell_id))["assignment"]
    assert checked["status"] == "CHECKED_IN"
    clock.set(SATURDAY + timedelta(minutes=30))
    assert (await act(gql, "MarkNoShow", plan.lead, assignmentId=ray_id))["assignment"]["status"] == "NO_SHOW"
    assert await failure(gql, "CompleteAssignment", plan.lead, assignmentId=nell_id, hours=4.5) == (
        "hours",
        "INVALID",
    )
    assert await failure(gql, "CompleteAssignment", plan.lead, assignmentId=nell_id, hours=0) == (
        "hours",
        "INVALID",
    )
    done = (await act(gql, "CompleteAssignment", plan.lead, assignmentId=nell_id, hours=4))["assignment"]
    assert (done["status"], done["hours"]) == ("COMPLETED", 4.0)
    kinds = await Activity.filter(person_id=plan.nell.user.id).values_list("kind", "rung")
    assert sorted((k.value, r.name) for k, r in kinds) == [
        ("TASK_CHECKED_IN", "PARTICIPATION"),
        ("TASK_COMPLETED", "VOLUNTEER"),
    ]
    clock.set(SATURDAY + timedelta(hours=3))
    mine = (await gql("ViewerAssignments", as_=plan.nell.token))["viewer"]
    assert mine["volunteerHours"] == 4.0
    assert mine["assignments"]["edges"][0]["node"]["task"]["status"] == "FINISHED"


async def test_my_tasks_list_the_soonest_ahead_first_then_the_latest_past(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    days = {"Sat": 0, "Mon": 2, "Sun": 1, "Tue": 3}
    for title, day in days.items():
        start = SATURDAY + timedelta(days=day)
        task = await make_task(plan, title=title, starts_at=start, ends_at=start + timedelta(hours=2))
        await sign_up(plan, task, plan.nell)
    clock.set(SATURDAY + timedelta(days=1, hours=3))

    async def titles(upcoming: bool | None, first: int) -> list[str]:
        """Every page, `first` at a time, following the cursors."""
        seen: list[str] = []
        after = None
        while True:
            mine = (
                await gql(
                    "ViewerAssignments", as_=plan.nell.token, upcoming=upcoming, first=first, after=after
                )
            )["viewer"]["assignments"]
            seen += [edge["node"]["task"]["title"] for edge in mine["edges"]]
            assert mine["totalCount"] == (2 if upcoming else 4)
            if not mine["pageInfo"]["hasNextPage"]:
                return seen
            after = mine["pageInfo"]["endCursor"]

    assert await titles(True, 20) == ["Mon", "Tue"]
    assert await titles(None, 20) == ["Mon", "Tue", "Sun", "Sat"]
    assert await titles(None, 1) == ["Mon", "Tue", "Sun", "Sat"]
    assert await titles(True, 1) == ["Mon", "Tue"]
    # A cursor naming a stretch the listing does not have is the client's error.
    forged = await gql.raw(operation("ViewerAssignments"), {"after": "WzcsIDFd"}, as_=plan.nell.token)
    assert forged["errors"][0]["message"] == "`after` is not a cursor this query handed out."


async def test_assigning_and_cancelling_tell_the_volunteers(gql: GraphQL, plan: Plan) -> None:
    task = await make_task(plan, slots=1)
    assigned = (
        await act(
            gql,
            "AssignVolunteer",
            plan.lead,
            taskId=task_id(task),
            userId=ids.encode("User", plan.ray.user.id),
        )
    )["assignment"]
    assert assigned["status"] == "CONFIRMED"
    await sign_up(plan, task, plan.nell)
    assert await failure(gql, "CancelVolunteerTask", plan.lead, taskId=task_id(task), reason=" ") == (
        "reason",
        "INVALID",
    )
    cancelled = (
        await act(gql, "CancelVolunteerTask", plan.lead, taskId=task_id(task), reason="Storm warning")
    )["task"]
    assert (cancelled["status"], cancelled["cancelReason"]) == ("CANCELLED", "Storm warning")
    told = await Notification.filter(kind=NotificationKind.TASK_CANCELLED).order_by("recipient_id")
    assert {n.recipient_id for n in told} == {plan.ray.user.id, plan.nell.user.id}
    assert "Storm warning" in told[0].body
    assert await Notification.filter(
        kind=NotificationKind.TASK_ASSIGNED, recipient_id=plan.ray.user.id
    ).exists()
    assert not await Notification.filter(kind=NotificationKind.TASK_REMINDER).exists()
    assert await failure(gql, "SignUpForTask", plan.percy, taskId=task_id(task)) == (None, "INVALID_STATE")


async def test_closing_the_group_cancels_its_tasks_still_to_come(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    past = await make_task(
        plan,
        title="Last week",
        starts_at=clock.now() + timedelta(hours=1),
        ends_at=clock.now() + timedelta(hours=2),
    )
    coming = await make_task(plan)
    await sign_up(plan, coming, plan.nell)
    clock.advance(hours=3)
    await act(gql, "CloseWorkingGroup", plan.lead, groupId=plan.group_id)
    assert (await VolunteerTask.get(id=past.id)).cancelled_at is None
    assert (await VolunteerTask.get(id=coming.id)).cancelled_at == clock.now()
    told = await Notification.get(kind=NotificationKind.TASK_CANCELLED)
    assert told.recipient_id == plan.nell.user.id and "The working group has closed." in told.body
    assert await failure(gql, "CreateVolunteerTask", plan.rita, **task_input(plan)) == (None, "INVALID_STATE")
