"""Reading problems: every filter and order of `problems`, paged in SQL by cursor."""

from __future__ import annotations

from typing import Any

import pytest

from backend import ids
from backend.clock import ManualClock
from neighbourhood import Neighbourhood
from support import GraphQL, payload

BOARD = """
query ($filter: ProblemFilter, $orderBy: ProblemOrder, $first: Int, $after: String) {
  problems(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id title } }
  }
}
"""


async def titles(gql: GraphQL, **arguments: Any) -> list[str]:
    body = await gql.raw(BOARD, arguments)
    assert "errors" not in body, body
    return [edge["node"]["title"] for edge in body["data"]["problems"]["edges"]]


@pytest.fixture
async def board(gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock) -> Neighbourhood:
    """Four problems a day apart, in different places, states and categories."""
    n = neighbourhood
    racing = await n.propose(gql, title="Racing cars", description="Every night on Mill Lane.")
    clock.advance(days=1)
    await n.propose(gql, title="Fly-tipping", description="Mattresses by the canal.", category="ENVIRONMENT")
    clock.advance(days=1)
    dealing = await n.propose(
        gql, area=n.district, title="Dealing", description="Outside the shop.", category="DRUGS"
    )
    clock.advance(days=1)
    await n.propose(
        gql,
        area=n.other_force,
        title="Stolen bikes",
        description="Three this week.",
        category="THEFT_AND_BURGLARY",
    )
    for supporter in (n.neighbour, n.council_member):
        await gql("SupportProblem", as_=supporter.token, problemId=dealing["id"])
    await gql("SupportProblem", as_=n.neighbour.token, problemId=racing["id"])
    clock.advance(days=1)
    accept = {"problemId": racing["id"], "decision": "ACCEPT", "body": ""}
    assert payload(await gql("RespondToProblem", as_=n.police_member.token, input=accept))["errors"] == []
    return n


async def test_every_order(gql: GraphQL, board: Neighbourhood) -> None:
    assert await titles(gql) == ["Stolen bikes", "Dealing", "Fly-tipping", "Racing cars"]
    assert await titles(gql, orderBy="NEWEST") == ["Stolen bikes", "Dealing", "Fly-tipping", "Racing cars"]
    # Ties in support fall back to the newest first.
    assert await titles(gql, orderBy="MOST_SUPPORTED") == [
        "Dealing",
        "Racing cars",
        "Stolen bikes",
        "Fly-tipping",
    ]
    # Those still owed an answer first: Hillside answers in 7 days, Northshire in 14, so the
    # bikes, proposed last, are due first. The racing cars have had their answer.
    assert await titles(gql, orderBy="RESPONSE_DUE") == [
        "Stolen bikes",
        "Fly-tipping",
        "Dealing",
        "Racing cars",
    ]
    assert await titles(gql, orderBy="RECENTLY_UPDATED") == [
        "Racing cars",
        "Stolen bikes",
        "Dealing",
        "Fly-tipping",
    ]


async def test_every_filter(gql: GraphQL, board: Neighbourhood, clock: ManualClock) -> None:
    n = board
    # An area's board includes the areas inside it.
    assert await titles(gql, filter={"areaId": n.area_id(n.district)}) == [
        "Dealing",
        "Fly-tipping",
        "Racing cars",
    ]
    assert await titles(gql, filter={"areaId": n.area_id(n.ward)}) == ["Fly-tipping", "Racing cars"]
    assert await titles(gql, filter={"statuses": ["ACCEPTED"]}) == ["Racing cars"]
    assert await titles(gql, filter={"statuses": []}) == []
    assert await titles(gql, filter={"categories": ["DRUGS", "ENVIRONMENT"]}) == ["Dealing", "Fly-tipping"]
    # Every word must appear, in the title or the description, in any case.
    assert await titles(gql, filter={"search": "mill LANE"}) == ["Racing cars"]
    assert await titles(gql, filter={"search": "the"}) == ["Dealing", "Fly-tipping"]
    assert await titles(gql, filter={"search": "canal shop"}) == []
    assert await titles(gql, filter={"search": "100%_"}) == []
    assert await titles(gql, filter={"responseOverdue": True}) == []
    clock.advance(days=11)  # the bikes' 7 days have run out, Northshire's 14 not yet for the others
    assert await titles(gql, filter={"responseOverdue": True}) == ["Stolen bikes"]
    clock.advance(days=3)
    assert await titles(gql, filter={"responseOverdue": True}) == ["Stolen bikes", "Dealing", "Fly-tipping"]
    assert await titles(gql, filter={"responseOverdue": False}) == ["Racing cars"]
    combined = {
        "areaId": n.area_id(n.force),
        "categories": ["DRUGS"],
        "responseOverdue": True,
        "search": "shop",
    }
    assert await titles(gql, filter=combined) == ["Dealing"]


@pytest.mark.parametrize("order", ["NEWEST", "MOST_SUPPORTED", "RESPONSE_DUE", "RECENTLY_UPDATED"])
async def test_pages_follow_on_without_gaps_or_repeats(
    gql: GraphQL, board: Neighbourhood, order: str
) -> None:
    everything = await titles(gql, orderBy=order)
    seen: list[str] = []
    after = None
    while True:
        body = await gql.raw(BOARD, {"orderBy": order, "first": 1, "after": after})
        assert "errors" not in body, body
        problems = body["data"]["problems"]
        assert problems["totalCount"] == 4
        seen += [edge["node"]["title"] for edge in problems["edges"]]
        assert problems["pageInfo"]["hasPreviousPage"] == (after is not None)
        if not problems["pageInfo"]["hasNextPage"]:
            break
        after = problems["pageInfo"]["endCursor"]
    assert seen == everything


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"first": 101}, "`first` must be between 0 and 100."),
        ({"after": "bm90IGEgY3Vyc29y"}, "`after` is not a cursor this query handed out."),
        (
            {"orderBy": "RESPONSE_DUE", "after": "WyJ5ZXMiLCAibm90IGEgZGF0ZSIsIDFd"},
            "`after` is not a cursor this query handed out.",
        ),
        (
            {"orderBy": "RESPONSE_DUE", "after": "W2ZhbHNlLCAibm90IGEgZGF0ZSIsIDFd"},
            "`after` is not a cursor this query handed out.",
        ),
        ({"filter": {"areaId": "garbage"}}, "filter.areaId: No area has that ID"),
        ({"filter": {"areaId": ids.encode("Area", 999)}}, "filter.areaId: No area has that ID."),
        ({"filter": {"search": "a b c d e f g h i"}}, "filter.search: Search for at most 8 words"),
    ],
)
async def test_bad_arguments_are_named(
    gql: GraphQL, board: Neighbourhood, arguments: dict[str, Any], message: str
) -> None:
    body = await gql.raw(BOARD, arguments)
    assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == [message]
