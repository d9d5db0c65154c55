"""The public pages' list items answer their fields at once: what they refer to is loaded for
the whole list before they resolve (`loaders.load_ahead`), so that no item waits on a loader of
its own (a task and a future each), and nothing is loaded that the request does not ask for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from action_plan import Plan
from action_plan import build as build_plan
from graphql.execution.executor import Executor
from task_board import SATURDAY, make_task, sign_up

from backend.clock import ManualClock
from neighbourhood import Neighbourhood
from support import GraphQL, People, QueryCounter


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    built = await build_plan(gql, people, neighbourhood, clock)
    for number in range(3):
        await neighbourhood.accepted_problem(gql, title=f"Broken lights {number}")
        await built.action(title=f"Action {number}")
        starts = SATURDAY + timedelta(days=number)
        task = await make_task(
            built, title=f"Task {number}", starts_at=starts, ends_at=starts + timedelta(hours=1)
        )
        await sign_up(built, task, built.nell)
    return built


@contextmanager
def fields_that_wait() -> Iterator[Counter[str]]:
    """Counts the fields whose resolver gave graphql-core something to await, by type and
    field, for those of list items only (a path through a list index)."""
    waited: Counter[str] = Counter()
    original = Executor.complete_awaitable_value

    def counted(self: Executor, return_type: Any, field_details: Any, info: Any, *rest: Any) -> Any:
        if any(isinstance(key, int) for key in info.path.as_list()):
            waited[f"{info.parent_type.name}.{info.field_name}"] += 1
        return original(self, return_type, field_details, info, *rest)

    Executor.complete_awaitable_value = counted  # type: ignore[method-assign]
    try:
        yield waited
    finally:
        Executor.complete_awaitable_value = original  # type: ignore[method-assign]


async def test_the_public_pages_answer_every_item_at_once_to_a_visitor(gql: GraphQL, plan: Plan) -> None:
    pages: list[tuple[str, dict[str, Any]]] = [
        ("Problems", {"first": 20}),
        ("VolunteerTasks", {"first": 20}),
        ("WorkingGroup", {"id": plan.group_id}),
        ("Areas", {"first": 50}),
        ("AdminAreas", {"first": 50}),
    ]
    for operation, variables in pages:
        with fields_that_wait() as waited:
            data = await gql(operation, **variables)
        assert data, operation
        assert not waited, (operation, waited)


async def test_the_board_answers_its_items_at_once_through_a_fragment(gql: GraphQL, plan: Plan) -> None:
    document = """
    query { problems(first: 20) { edges { node { ...Shown } } } }
    fragment Shown on Problem {
      title place: area { name } owner { name } ... on Problem { proposer { displayName } }
    }
    """
    with fields_that_wait() as waited:
        body = await gql.raw(document)
    assert "errors" not in body, body
    assert len(body["data"]["problems"]["edges"]) >= 3
    assert not waited, waited


async def test_nothing_is_loaded_ahead_that_the_page_does_not_ask_for(gql: GraphQL, plan: Plan) -> None:
    async def statements(fields: str) -> int:
        with QueryCounter() as queries:
            body = await gql.raw(f"query {{ problems(first: 20) {{ edges {{ node {{ {fields} }} }} }} }}")
        assert "errors" not in body, body
        return queries.count

    titles = await statements("title")
    assert await statements("title area { name }") == titles + 1
    assert await statements("title area { name } owner { name } proposer { displayName }") == titles + 3


async def test_a_group_page_gives_a_member_the_same_answers_as_it_waits_for(gql: GraphQL, plan: Plan) -> None:
    """Signed in, the members' rights still wait for the viewer's standing the first time:
    the answers are those the rules give (a lead sees addresses, a member does not)."""
    lead = await gql("WorkingGroup", as_=plan.lead.token, id=plan.group_id)
    member = await gql("WorkingGroup", as_=plan.nell.token, id=plan.group_id)
    assert {m["contactEmail"] is not None for m in lead["workingGroup"]["members"]} == {True}
    assert {m["contactEmail"] for m in member["workingGroup"]["members"]} == {None}
    assert {m["viewerCanSetRole"] for m in lead["workingGroup"]["members"]} == {True}
    assert {m["viewerCanSetRole"] for m in member["workingGroup"]["members"]} == {False}


async def test_the_areas_page_answers_parents_children_and_response_days_at_once(
    gql: GraphQL, plan: Plan
) -> None:
    document = """
    query { areas(first: 50) { edges { node { name responseDays parent { name } children { name } } } } }
    """
    with fields_that_wait() as waited:
        body = await gql.raw(document)
    assert "errors" not in body, body
    areas = [edge["node"] for edge in body["data"]["areas"]["edges"]]
    # Both ends of the tree are on the page: an area above others and an area inside one.
    assert any(area["children"] for area in areas) and any(area["parent"] for area in areas)
    assert all(area["responseDays"] > 0 for area in areas)
    assert not waited, waited
