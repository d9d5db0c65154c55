"""Who may do what to a volunteer task, and who may see one of a restricted group.

The rights matrix, for every act on a task and every kind of person (as in
test_working_group_rights.py): active members create tasks; the group's leads, the
coordinators of its area (or above) and platform admins change, cancel and run them;
anyone signed in who may see the group signs up. A task of a group around a RESTRICTED
problem exists only for those who may see the group, on every path, and only they hear of it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from backend import ids
from backend.clock import ManualClock
from backend.models import Notification, TaskAssignment
from backend.models.enums import NotificationKind
from neighbourhood import EVERYONE, Neighbourhood
from support import GraphQL, Person, error_of, payload

ALLOWED = "allowed"
ROLES = [
    "anonymous",
    "neighbour",
    "member",
    "lead",
    "council_member",
    "district_coordinator",
    "other_coordinator",
    "admin",
]
PEOPLE = {"member": "resident", "lead": "police_member"}
RUNNERS = {"lead", "district_coordinator", "admin"}
SIGNED_IN = set(ROLES) - {"anonymous"}


def person(n: Neighbourhood, role: str) -> Person | None:
    found: Person | None = None if role == "anonymous" else getattr(n, PEOPLE.get(role, role))
    return found


def outcome(data: dict[str, Any]) -> str:
    if payload(data)["errors"]:
        code: str = error_of(data)["code"]
        return code
    return ALLOWED


def task_values(group_id: str, starts_at: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "groupId": group_id,
        "title": "Litter pick",
        "description": "Gloves provided.",
        "startsAt": starts_at.isoformat(),
        "endsAt": (starts_at + timedelta(hours=2)).isoformat(),
        "location": "Mill Lane car park",
        "slots": 5,
        **fields,
    }


@dataclass
class Scene:
    """An open group Pat formed and Rita joined, with a task starting in 30 minutes that
    Rita signed up for."""

    gql: GraphQL
    n: Neighbourhood
    clock: ManualClock
    group_id: str
    task_id: str

    async def send(self, operation: str, who: Person | None, **values: Any) -> dict[str, Any]:
        return await self.gql(operation, as_=who.token if who else None, input=values)

    async def ritas_assignment(self) -> str:
        row = await TaskAssignment.get(
            task_id=ids.decode(self.task_id, "VolunteerTask", "taskId"), volunteer_id=self.n.resident.user.id
        )
        return ids.encode("TaskAssignment", row.id)


async def scene(gql: GraphQL, n: Neighbourhood, clock: ManualClock, **group: Any) -> Scene:
    formed = await n.form_group(gql, **group)
    joined = await gql("JoinWorkingGroup", as_=n.resident.token, input={"groupId": formed["id"]})
    assert payload(joined)["errors"] == []
    created = payload(
        await gql(
            "CreateVolunteerTask",
            as_=n.police_member.token,
            input=task_values(formed["id"], clock.now() + timedelta(minutes=30)),
        )
    )
    assert created["errors"] == [], created
    s = Scene(gql, n, clock, formed["id"], created["task"]["id"])
    assert outcome(await s.send("SignUpForTask", n.resident, taskId=s.task_id)) == ALLOWED
    return s


Act = Callable[[Scene, Person | None], Awaitable[dict[str, Any]]]


async def create(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send(
        "CreateVolunteerTask", who, **task_values(s.group_id, s.clock.now() + timedelta(days=1))
    )


async def update(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send("UpdateVolunteerTask", who, taskId=s.task_id, slots=6)


async def cancel(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send("CancelVolunteerTask", who, taskId=s.task_id, reason="Rain")


async def sign_up(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send("SignUpForTask", who, taskId=s.task_id)


async def withdraw(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send("WithdrawFromTask", who, taskId=s.task_id)


async def assign(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send(
        "AssignVolunteer", who, taskId=s.task_id, userId=ids.encode("User", s.n.moderator.user.id)
    )


async def check_in(s: Scene, who: Person | None) -> dict[str, Any]:
    return await s.send("CheckInVolunteer", who, assignmentId=await s.ritas_assignment())


async def complete(s: Scene, who: Person | None) -> dict[str, Any]:
    s.clock.advance(hours=1)
    return await s.send("CompleteAssignment", who, assignmentId=await s.ritas_assignment(), hours=2)


async def no_show(s: Scene, who: Person | None) -> dict[str, Any]:
    s.clock.advance(hours=1)
    return await s.send("MarkNoShow", who, assignmentId=await s.ritas_assignment())


def expected(role: str, allowed: set[str], otherwise: str = "FORBIDDEN") -> str:
    if role == "anonymous":
        return "UNAUTHENTICATED"
    return ALLOWED if role in allowed else otherwise


MATRIX: dict[str, tuple[Act, Callable[[str], str]]] = {
    "create": (create, lambda role: expected(role, {"member", "lead"})),
    "update": (update, lambda role: expected(role, RUNNERS)),
    "cancel": (cancel, lambda role: expected(role, RUNNERS)),
    # Rita has signed up already: for her it is a conflict.
    "sign_up": (sign_up, lambda role: "CONFLICT" if role == "member" else expected(role, SIGNED_IN)),
    "withdraw": (withdraw, lambda role: expected(role, {"member"}, "INVALID_STATE")),
    "assign": (assign, lambda role: expected(role, RUNNERS)),
    "check_in": (check_in, lambda role: expected(role, RUNNERS)),
    "complete": (complete, lambda role: expected(role, RUNNERS)),
    "no_show": (no_show, lambda role: expected(role, RUNNERS)),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("act_name", list(MATRIX))
async def test_the_rights_matrix(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, act_name: str, role: str
) -> None:
    act, rule = MATRIX[act_name]
    s = await scene(gql, neighbourhood, clock)
    assert outcome(await act(s, person(neighbourhood, role))) == rule(role)


SEE_RESTRICTED = {"resident", "police_member", "district_coordinator", "force_coordinator", "admin"}

TASK_IDS = """
query ($areaId: ID) {
  volunteerTasks(filter: {areaId: $areaId}) { totalCount edges { node { id } } }
}
"""


@pytest.mark.parametrize("role", EVERYONE)
async def test_a_task_of_a_restricted_group_exists_only_for_those_who_may_see_it(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, client: httpx.AsyncClient, role: str
) -> None:
    n = neighbourhood
    s = await scene(gql, n, clock, visibility="RESTRICTED")
    who = None if role == "anonymous" else getattr(n, role)
    token = who.token if who else None
    sees = role in SEE_RESTRICTED

    assert ((await gql("VolunteerTask", as_=token, id=s.task_id))["node"] is not None) == sees
    event = await client.get(
        f"/tasks/{s.task_id}.ics", headers={"Authorization": f"Bearer {token}"} if token else {}
    )
    assert event.status_code == (200 if sees else 404)
    for area in (None, n.area_id(n.ward), n.area_id(n.force)):
        body = await gql.raw(TASK_IDS, {"areaId": area}, as_=token)
        assert "errors" not in body, body
        listed = [edge["node"]["id"] for edge in body["data"]["volunteerTasks"]["edges"]]
        assert listed == ([s.task_id] if sees else [])
        assert body["data"]["volunteerTasks"]["totalCount"] == len(listed)
    if who is not None and not sees:
        error = error_of(await gql("SignUpForTask", as_=token, input={"taskId": s.task_id}))
        assert (error["code"], error["field"]) == ("NOT_FOUND", "taskId")
        # A lead cannot put someone down who may not see the task, nor tell them of it.
        assigned = error_of(
            await gql(
                "AssignVolunteer",
                as_=n.police_member.token,
                input={"taskId": s.task_id, "userId": ids.encode("User", who.user.id)},
            )
        )
        assert (assigned["code"], assigned["field"]) == ("NOT_FOUND", "userId")
    cancelled = await s.send("CancelVolunteerTask", n.police_member, taskId=s.task_id, reason="Rain")
    assert outcome(cancelled) == ALLOWED
    told = set(
        await Notification.filter(kind=NotificationKind.TASK_CANCELLED).values_list("recipient_id", flat=True)
    )
    assert told == {n.resident.user.id}
