"""Co-owned actions through the API: the three acts, who may do each, what the group's page
shows of its actions and at what cost, and who finds them at all."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from action_plan import Plan, as_, build

from backend import ids
from backend.clock import ManualClock
from backend.models import Action
from backend.models.enums import Visibility
from backend.services.working_groups import actions
from graphql import build_schema, find_breaking_changes
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, QueryCounter, error_of, payload

CONTRACT = Path("/work/shared/contract/schema.graphql")
SCHEMA_FILE = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    return await build(gql, people, neighbourhood, clock)


def action_id(action: Action) -> str:
    return ids.encode("Action", action.id)


def organisation_id(pk: int) -> str:
    return ids.encode("Organisation", pk)


def token(person: Person | None) -> str | None:
    return person.token if person else None


async def create(gql: GraphQL, plan: Plan, person: Person | None, **fields: Any) -> dict[str, Any]:
    values = {
        "groupId": plan.group_id,
        "title": "Speed cushions on Mill Lane",
        "description": "Council fits cushions; police enforce; Ray logs the nights.",
        "dueOn": "2026-03-01",
        "owners": plan.owner_inputs(),
        **fields,
    }
    return payload(await gql("CreateAction", as_=token(person), input=values))


async def respond(
    gql: GraphQL, action: Action, person: Person | None, organisation: int | None, *, accept: bool = True
) -> dict[str, Any]:
    values: dict[str, Any] = {"actionId": action_id(action), "accept": accept}
    if organisation is not None:
        values["organisationId"] = organisation_id(organisation)
    return payload(await gql("RespondToActionOwnership", as_=token(person), input=values))


async def progress(
    gql: GraphQL, action: Action, person: Person | None, organisation: int | None, status: str, note: str = ""
) -> dict[str, Any]:
    values: dict[str, Any] = {"actionId": action_id(action), "status": status, "note": note or None}
    if organisation is not None:
        values["organisationId"] = organisation_id(organisation)
    return payload(await gql("UpdateActionProgress", as_=token(person), input=values))


def code_of(result: dict[str, Any]) -> str | None:
    """The error code of a failed act, None for one that succeeded."""
    if not result["errors"]:
        assert result["action"] is not None
        return None
    assert result["action"] is None
    code: str = result["errors"][0]["code"]
    return code


def shares(result: dict[str, Any]) -> list[tuple[str | None, str | None, str]]:
    return [
        ((o["organisation"] or {}).get("name"), (o["user"] or {}).get("displayName"), o["status"])
        for o in result["action"]["owners"]
    ]


async def test_an_action_is_planned_taken_on_and_done_through_the_api(gql: GraphQL, plan: Plan) -> None:
    n = plan.n
    created = await create(gql, plan, plan.rita)
    assert created["errors"] == []
    made = created["action"]
    assert (made["status"], made["progress"], made["isOverdue"], made["dueOn"]) == (
        "PROPOSED",
        0.0,
        False,
        "2026-03-01",
    )
    assert shares(created) == [
        ("Northshire Police", None, "PENDING"),
        ("Riverside Council", None, "PENDING"),
        (None, "Ray Neighbour", "PENDING"),
    ]
    action = await Action.get(id=ids.decode(made["id"], "Action", "id"))

    police = await respond(gql, action, plan.lead, n.police.id)
    assert police["action"]["status"] == "ACTIVE"
    assert [(o["viewerCanAnswer"], o["viewerCanReport"]) for o in police["action"]["owners"]] == [
        # Pat may still change the police's answer, until it reports progress.
        (True, True),
        (False, False),
        (False, False),
    ]
    await respond(gql, action, plan.ray, None, accept=False)
    done = await progress(gql, action, plan.lead, n.police.id, "DONE", "Two patrols a week.")
    assert (done["action"]["status"], done["action"]["progress"]) == ("ACTIVE", 1.0)
    await respond(gql, action, plan.council, n.council.id)
    half = await progress(gql, action, plan.council, n.council.id, "BLOCKED", "No budget until April.")
    assert (half["action"]["status"], half["action"]["progress"]) == ("ACTIVE", 0.5)
    assert half["action"]["owners"][1]["note"] == "No budget until April."
    finished = await progress(gql, action, plan.council, n.council.id, "DONE")
    assert (finished["action"]["status"], finished["action"]["progress"]) == ("DONE", 1.0)
    assert shares(finished) == [
        ("Northshire Police", None, "DONE"),
        ("Riverside Council", None, "DONE"),
        (None, "Ray Neighbour", "DECLINED"),
    ]


async def test_expected_failures_are_errors_naming_the_field(gql: GraphQL, plan: Plan) -> None:
    problem_id = ids.encode("Problem", plan.group.problem_id)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"title": ""}, "title"),
        ({"description": " "}, "description"),
        ({"dueOn": "2026-01-04"}, "dueOn"),
        ({"owners": []}, "owners"),
        ({"owners": [{"organisationId": problem_id}]}, "owners[0].organisationId"),
        ({"owners": [{"userId": organisation_id(plan.n.police.id)}]}, "owners[0].userId"),
        ({"owners": [{"userId": ids.encode("User", plan.nell.user.id)}]}, "owners[0].userId"),
        ({"owners": [*plan.owner_inputs(), plan.owner_inputs()[0]]}, "owners[3]"),
        ({"groupId": problem_id}, "groupId"),
    ]
    for fields, field in cases:
        error = error_of({"createAction": await create(gql, plan, plan.rita, **fields)})
        assert (error["code"], error["field"]) == ("INVALID", field), (fields, error)
        assert error["message"]
    assert not await Action.exists()

    action = await plan.action()
    not_an_action = await gql(
        "RespondToActionOwnership", as_=plan.lead.token, input={"actionId": problem_id, "accept": True}
    )
    assert error_of(not_an_action)["field"] == "actionId"
    bad_status = error_of({"u": await progress(gql, action, plan.ray, None, "PENDING")})
    assert (bad_status["code"], bad_status["field"]) == ("INVALID", "status")
    not_taken_on = error_of({"u": await progress(gql, action, plan.ray, None, "DONE")})
    assert not_taken_on["code"] == "INVALID_STATE"


async def test_a_plan_with_several_faults_answers_with_each(gql: GraphQL, plan: Plan) -> None:
    nell = {"userId": ids.encode("User", plan.nell.user.id)}
    result = await create(gql, plan, plan.rita, title=" ", description="", owners=[nell])
    assert result["action"] is None
    assert [(e["field"], e["code"], e["message"]) for e in result["errors"]] == [
        ("title", "INVALID", "Enter a title"),
        ("description", "INVALID", "Enter a description"),
        ("owners[0].userId", "INVALID", "Choose a person who is an active member of the group"),
    ]


# The rights matrix: who may do each act, for a group around a public problem.
def people_of(plan: Plan) -> dict[str, Person | None]:
    return {
        "anonymous": None,
        "non-member resident": plan.nell,
        "member": plan.rita,
        "lead": plan.lead,
        "organisation member not in the group": plan.percy,
        "area coordinator": plan.n.district_coordinator,
        "admin": plan.n.admin,
    }


async def test_who_may_plan_an_action(gql: GraphQL, plan: Plan) -> None:
    outcomes = {who: code_of(await create(gql, plan, person)) for who, person in people_of(plan).items()}
    assert outcomes == {
        "anonymous": "UNAUTHENTICATED",
        "non-member resident": "FORBIDDEN",
        "member": None,
        "lead": None,
        "organisation member not in the group": "FORBIDDEN",
        "area coordinator": "FORBIDDEN",
        "admin": "FORBIDDEN",
    }


# Who answers and reports for the police's share: only Pat, who speaks for the police in the group.
FOR_THE_POLICE = {
    "anonymous": "UNAUTHENTICATED",
    "non-member resident": "FORBIDDEN",
    "member": "FORBIDDEN",
    "lead": None,
    "organisation member not in the group": "FORBIDDEN",
    "area coordinator": "FORBIDDEN",
    "admin": "FORBIDDEN",
}


async def test_who_may_answer_for_the_polices_share(gql: GraphQL, plan: Plan) -> None:
    outcomes = {}
    for who, person in people_of(plan).items():
        action = await plan.action()
        outcomes[who] = code_of(await respond(gql, action, person, plan.n.police.id))
    assert outcomes == FOR_THE_POLICE
    # A resident owner answers for themself, without naming an organisation.
    assert code_of(await respond(gql, await plan.action(), plan.ray, None)) is None


async def test_who_may_report_the_polices_progress(gql: GraphQL, plan: Plan) -> None:
    outcomes = {}
    for who, person in people_of(plan).items():
        action = await plan.action()
        await respond(gql, action, plan.lead, plan.n.police.id)
        outcomes[who] = code_of(await progress(gql, action, person, plan.n.police.id, "IN_PROGRESS"))
    assert outcomes == FOR_THE_POLICE


ACTION_PLAN = """
query ($id: ID!) {
  workingGroup(id: $id) {
    name viewerCanCreateAction
    actions {
      id title status dueOn isOverdue progress createdAt
      group { name }
      owners { status note updatedAt viewerCanAnswer viewerCanReport
               organisation { name } user { displayName } }
    }
  }
}
"""


async def statements_for_group_page(gql: GraphQL, plan: Plan, person: Person, actions_shown: int) -> int:
    with QueryCounter() as queries:
        body = await gql.raw(ACTION_PLAN, {"id": plan.group_id}, as_=person.token)
    assert "errors" not in body, body
    assert len(body["data"]["workingGroup"]["actions"]) == actions_shown
    return queries.count


async def test_a_groups_action_plan_costs_the_same_for_3_and_for_30_actions(gql: GraphQL, plan: Plan) -> None:
    n = plan.n
    for _ in range(3):
        action = await plan.action()
        await actions.respond(
            as_(plan.lead),
            action_id=action.id,
            organisation_id=n.police.id,
            accept=True,
            now=plan.clock.now(),
        )
    small = {
        p.user.display_name: await statements_for_group_page(gql, plan, p, 3) for p in (plan.lead, plan.ann)
    }
    for _ in range(27):
        await plan.action()
    large = {
        p.user.display_name: await statements_for_group_page(gql, plan, p, 30) for p in (plan.lead, plan.ann)
    }
    assert small == large
    # The session; the group with its founding problem and their area (one statement), and the
    # viewer's membership (the read rule and the rights); the viewer's organisations and area
    # roles; the actions, their owners, the owners' people and organisations, and the viewer's
    # roles in organisations (whether they answer for an owner). The members' people are left
    # out: on PostgreSQL they and the owners' people may come in one batch or in two, as the
    # replies arrive, whatever the number of actions.
    assert large == {"Pat Police": 10, "Ann Council Admin": 10}


async def test_actions_of_a_restricted_group_are_invisible_to_outsiders(
    gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    plan = await build(gql, people, neighbourhood, clock, visibility=Visibility.RESTRICTED.value)
    action = await plan.action()
    node = f'{{ node(id: "{action_id(action)}") {{ ... on Action {{ title group {{ name }} }} }} }}'
    for outsider in (None, plan.nell, plan.ann, plan.n.other_coordinator):
        body = await gql.raw(node, as_=token(outsider))
        assert body["data"]["node"] is None, outsider
        assert (await gql("WorkingGroupActions", as_=token(outsider), id=plan.group_id))[
            "workingGroup"
        ] is None
        result = await respond(gql, action, outsider, plan.n.council.id)
        assert code_of(result) == ("UNAUTHENTICATED" if outsider is None else "NOT_FOUND")
    for member in (plan.rita, plan.council):
        body = await gql.raw(node, as_=member.token)
        assert body["data"]["node"]["title"] == "Speed cushions on Mill Lane"
        seen = await gql("WorkingGroupActions", as_=member.token, id=plan.group_id)
        assert [a["title"] for a in seen["workingGroup"]["actions"]] == ["Speed cushions on Mill Lane"]


async def test_an_overdue_action_says_so(gql: GraphQL, plan: Plan, clock: ManualClock) -> None:
    action = await plan.action(due_on=date(2026, 1, 6))
    node = f'{{ node(id: "{action_id(action)}") {{ ... on Action {{ isOverdue }} }} }}'
    assert (await gql.raw(node, as_=plan.rita.token))["data"]["node"]["isOverdue"] is False
    clock.advance(days=2)
    assert (await gql.raw(node, as_=plan.rita.token))["data"]["node"]["isOverdue"] is True


@pytest.mark.skipif(not CONTRACT.exists(), reason="the shared contract is not on this machine")
def test_the_action_types_match_the_contract() -> None:
    changes = find_breaking_changes(build_schema(CONTRACT.read_text()), build_schema(SCHEMA_FILE.read_text()))
    names = (
        "Action",
        "ActionOwner",
        "ActionOwnerInput",
        "ActionStatus",
        "OwnerStatus",
        "ActionPayload",
        "WorkingGroup.actions",
        "CreateActionInput",
        "RespondToActionOwnershipInput",
        "UpdateActionProgressInput",
        "Mutation.createAction",
        "Mutation.respondToActionOwnership",
        "Mutation.updateActionProgress",
    )
    # A change is about a name when it names it whole ("Action was removed.", "Field
    # Action.progress changed type"), not as part of another ("ActionStatusFilter").
    about_actions = [
        c.description
        for c in changes
        if any(re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", c.description) for name in names)
    ]
    assert about_actions == []
