"""Operations are priced before they run (list sizes multiplied through nesting), and
accountability figures are worked out once per area and organisation in a request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.api.cost import COSTLY_FIELDS, MAX_COST, UNPAGED_LIST_SIZE, operation_cost, remembered_cost
from backend.api.documents import KnownDocument
from backend.api.pagination import DEFAULT_PAGE, MAX_PAGE
from backend.api.schema import schema
from backend.models import Area
from graphql import parse
from neighbourhood import Neighbourhood
from support import OPERATIONS, GraphQL, QueryCounter, operation

FIGURES = """accountability { proposalsReceived responded respondedWithinTarget awaitingResponse overdue
             medianHoursToFirstResponse declined declinedByReason { reasonCode count } resolved }"""
BOARD_ROW = f"id title area {{ name {FIGURES} }} owner {{ name {FIGURES} }}"
# The board page whose every area and owner works out its accountability, thirty times over.
ACCOUNTABILITY_ATTACK = (
    "{"
    + " ".join(f"a{i}: problems(first: 100) {{ edges {{ node {{ {BOARD_ROW} }} }} }}" for i in range(30))
    + "}"
)


def cost(document: str, **variables: Any) -> int:
    return operation_cost(schema._schema, parse(document), operation_name=None, variables=variables)


def test_list_sizes_multiply_through_nesting() -> None:
    # problems + edges, then per edge: node, id, area, its name.
    assert cost("{ problems(first: 50) { edges { node { id area { name } } } } }") == 2 + 50 * 4
    # Without `first`, the default page; an unpaged list counts as UNPAGED_LIST_SIZE items.
    assert cost("{ problems { edges { node { responses { body } } } } }") == 2 + DEFAULT_PAGE * (
        2 + UNPAGED_LIST_SIZE
    )
    # A page beyond the cap is refused when it runs: it is priced as the cap.
    assert cost("{ areas(first: 1000) { edges { node { id } } } }") == 2 + MAX_PAGE * 2


def test_variables_and_their_defaults_are_applied() -> None:
    document = "query ($first: Int = 5) { areas(first: $first) { edges { cursor } } }"
    assert cost(document) == 2 + 5
    assert cost(document, first=40) == 2 + 40


@pytest.mark.parametrize(
    "variables",
    [
        {},
        {"first": 40},
        {"first": 3},
        {"first": None},
        {"first": True},
        {"first": "7"},
        {"first": 40, "id": "x"},
    ],
)
def test_a_remembered_cost_is_the_cost_worked_out_afresh(variables: dict[str, Any]) -> None:
    """Each operation and set of page sizes is priced once; other variables, however many
    values they take, neither change the price nor make it be worked out again."""
    text = """
        query Page($first: Int = 5, $id: ID) { areas(first: $first) { ...Edges } }
        fragment Edges on AreaConnection { edges { node { id children { name } } } }
    """
    remembered = remembered_cost(
        schema._schema, KnownDocument(text, parse(text)), operation_name="Page", variables=variables
    )
    assert remembered == cost(text, **variables)
    # The same text parsed again is the same document to the cache.
    again = remembered_cost(
        schema._schema, KnownDocument(text, parse(text)), operation_name="Page", variables=variables
    )
    assert again == remembered


def test_costly_fields_weigh_what_they_cost() -> None:
    weight = COSTLY_FIELDS["Area", "accountability"]
    single = "query ($id: ID!) { area(id: $id) { accountability { resolved } } }"
    assert cost(single, id="x") == 1 + weight + 1


def test_fragments_cost_what_their_fields_cost_wherever_they_are_spread() -> None:
    inline = "{ problems(first: 30) { totalCount edges { node { id title owner { name } } } } }"
    spread = """
        { problems(first: 30) { ...Page } }
        fragment Page on ProblemConnection { totalCount edges { node { ...Row } } }
        fragment Row on Problem { id title owner { name } }
    """
    assert cost(spread) == cost(inline)


def test_only_the_operation_that_runs_is_priced() -> None:
    document = "query Cheap { __typename } query Dear { areas(first: 100) { edges { cursor } } }"
    assert operation_cost(schema._schema, parse(document), operation_name="Cheap", variables={}) == 0


@pytest.mark.parametrize("path", sorted(OPERATIONS.glob("*.graphql")), ids=lambda path: Path(path).stem)
def test_what_the_web_interface_sends_is_well_within_the_limit(path: Path) -> None:
    """At the largest page every paged list may ask for."""
    document = parse(path.read_text())
    assert operation_cost(schema._schema, document, operation_name=None, variables={"first": MAX_PAGE}) <= (
        MAX_COST // 10
    )


async def test_a_costly_query_is_refused_before_it_runs(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    await neighbourhood.propose(gql)
    with QueryCounter() as queries:
        body = await gql.raw(ACCOUNTABILITY_ATTACK)
    assert body["data"] is None
    (error,) = body["errors"]
    attack_cost = cost(ACCOUNTABILITY_ATTACK)
    assert error["message"] == (
        f"This query is too costly (cost {attack_cost:,}; the limit is {MAX_COST:,}): "
        "ask for fewer items or fields."
    )
    assert error["extensions"] == {"cost": attack_cost, "limit": MAX_COST}
    assert queries.count == 0


async def test_the_cost_is_worked_out_with_the_variables_applied(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    await neighbourhood.propose(gql)
    document = f"query ($first: Int) {{ problems(first: $first) {{ edges {{ node {{ {BOARD_ROW} }} }} }} }}"
    small = await gql.raw(document, {"first": 10})
    assert "errors" not in small, small
    assert len(small["data"]["problems"]["edges"]) == 1
    large = await gql.raw(document, {"first": 100})
    assert large["data"] is None
    assert large["errors"][0]["message"].startswith("This query is too costly")


async def test_a_full_board_page_is_accepted(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    await neighbourhood.propose(gql)
    body = await gql.raw(operation("Problems"), {"first": MAX_PAGE}, as_=neighbourhood.resident.token)
    assert "errors" not in body, body
    assert body["data"]["problems"]["totalCount"] == 1


async def statements(gql: GraphQL, document: str) -> int:
    with QueryCounter() as queries:
        body = await gql.raw(document)
    assert "errors" not in body, body
    return queries.count


async def test_accountability_is_worked_out_once_per_area_and_organisation_in_a_request(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    for area in (n.ward, n.ward, n.ward, n.district, n.district):
        # Every one owned by the police, who answer for antisocial behaviour in Riverside.
        await n.propose(gql, area=area)

    def area(target: Area, fields: str) -> str:
        return f'area(id: "{n.area_id(target)}") {{ {fields} }}'

    police = f'node(id: "{n.organisation_id(n.police)}") {{ ... on Organisation {{ {FIGURES} }} }}'

    async def added_by_figures(with_figures: str, without: str) -> int:
        return await statements(gql, with_figures) - await statements(gql, without)

    board = await added_by_figures(
        f"{{ problems(first: 5) {{ edges {{ node {{ {BOARD_ROW} }} }} }} }}",
        "{ problems(first: 5) { edges { node { id title area { name } owner { name } } } } }",
    )
    ward = await added_by_figures(f"{{ {area(n.ward, FIGURES)} }}", f"{{ {area(n.ward, 'name')} }}")
    district = await added_by_figures(
        f"{{ {area(n.district, FIGURES)} }}", f"{{ {area(n.district, 'name')} }}"
    )
    organisation = await added_by_figures(f"{{ {police} }}", f"{{ {police.replace(FIGURES, 'name')} }}")
    assert ward > 0 and district > 0 and organisation > 0
    # Five problems, two areas, one owner: each set of figures worked out once.
    assert board == ward + district + organisation
    aliases = " ".join(f"a{i}: {area(n.ward, FIGURES)}" for i in range(5))
    assert await statements(gql, f"{{ {aliases} }}") == await statements(
        gql, f"{{ {area(n.ward, FIGURES)} }}"
    )
