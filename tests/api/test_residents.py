"""What residents see of their own part: their lists of problems, the receipt for a
proposal, names shown by initials, and sign-in links that lead back to the page asked for."""

from __future__ import annotations

import re
from typing import Any

from backend import ids
from backend.auth.tokens import Sealer
from backend.clock import ManualClock
from backend.models import Problem
from backend.models.enums import Visibility
from backend.services import notifications
from backend.services.accounts import return_path
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, QueryCounter, RecordingMailer, payload

MY_PROBLEMS = """
query ($involvement: ProblemInvolvement!, $first: Int, $after: String) {
  viewer { problems(involvement: $involvement, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { title status stage isResponseOverdue responseDueAt area { name }
                   owner { name } proposer { displayName } } } } }
}
"""


async def my_titles(gql: GraphQL, person: Person, involvement: str) -> list[str]:
    body = await gql.raw(MY_PROBLEMS, {"involvement": involvement}, as_=person.token)
    assert "errors" not in body, body
    return [edge["node"]["title"] for edge in body["data"]["viewer"]["problems"]["edges"]]


async def test_a_resident_lists_what_they_proposed_supported_and_follow_newest_first(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    await n.propose(gql, title="Broken street light on Elm Road")
    await n.propose(gql, title="Fly-tipping behind the shops")
    theirs = await n.propose(gql, n.neighbour, title="Speeding past the school")
    followed = await n.propose(gql, n.neighbour, title="Graffiti on the bridge")
    await n.propose(gql, n.neighbour, title="Noise from the car park")
    await gql("SupportProblem", as_=n.resident.token, problemId=theirs["id"])
    await gql("FollowProblem", as_=n.resident.token, problemId=followed["id"])

    assert await my_titles(gql, n.resident, "PROPOSED") == [
        "Fly-tipping behind the shops",
        "Broken street light on Elm Road",
    ]
    # Their own proposals, which they support and follow too, are listed once, above.
    assert await my_titles(gql, n.resident, "SUPPORTED") == ["Speeding past the school"]
    assert await my_titles(gql, n.resident, "FOLLOWING") == ["Graffiti on the bridge"]
    assert await my_titles(gql, n.neighbour, "SUPPORTED") == []


async def test_each_listed_problem_says_whether_its_answer_is_overdue(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    await n.propose(gql, title="Broken street light on Elm Road")
    clock.advance(days=15)
    body = await gql.raw(MY_PROBLEMS, {"involvement": "PROPOSED"}, as_=n.resident.token)
    (node,) = [edge["node"] for edge in body["data"]["viewer"]["problems"]["edges"]]
    assert (node["status"], node["isResponseOverdue"]) == ("PROPOSED", True)


async def test_a_restricted_problem_one_may_no_longer_see_leaves_ones_lists(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    restricted = await n.propose(gql, title="Knife seen at the youth club", visibility="RESTRICTED")
    await gql("FollowProblem", as_=n.police_member.token, problemId=restricted["id"])
    assert await my_titles(gql, n.police_member, "FOLLOWING") == ["Knife seen at the youth club"]
    # Now owned by an organisation the police member does not belong to: out of their sight.
    await Problem.filter(id=ids.decode(restricted["id"], "Problem", "id")).update(owner_id=n.council.id)
    assert await my_titles(gql, n.police_member, "FOLLOWING") == []
    assert await my_titles(gql, n.resident, "PROPOSED") == ["Knife seen at the youth club"]


async def test_the_lists_are_paged_and_cost_the_same_for_a_few_problems_or_many(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood

    async def statements(first: int) -> tuple[int, dict[str, Any]]:
        with QueryCounter() as queries:
            body = await gql.raw(
                MY_PROBLEMS, {"involvement": "PROPOSED", "first": first}, as_=n.resident.token
            )
        assert "errors" not in body, body
        return queries.count, body["data"]["viewer"]["problems"]

    for i in range(12):
        await n.propose(gql, title=f"Problem number {i}")
    small, page = await statements(2)
    large, _ = await statements(11)
    assert small == large
    # A page that holds all twelve counts them by its rows, without a statement.
    assert (await statements(12))[0] == small - 1
    assert page["totalCount"] == 12 and page["pageInfo"]["hasNextPage"]
    after = await gql.raw(
        MY_PROBLEMS,
        {"involvement": "PROPOSED", "first": 20, "after": page["pageInfo"]["endCursor"]},
        as_=n.resident.token,
    )
    assert len(after["data"]["viewer"]["problems"]["edges"]) == 10


async def test_anonymous_visitors_have_no_lists(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    body = await gql.raw(MY_PROBLEMS, {"involvement": "PROPOSED"})
    assert body["data"]["viewer"] is None


# ------------------------------------------------------------------ the receipt


async def test_the_proposer_is_mailed_a_receipt_with_the_owner_and_the_due_day(
    gql: GraphQL, neighbourhood: Neighbourhood, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql, title="Broken street light on Elm Road", visibility="RESTRICTED")
    await notifications.deliver_due(mailer, sealer, clock=clock)
    (receipt,) = mailer.to(n.resident.user.email)
    assert receipt.subject == "Your proposal is in: Broken street light on Elm Road"
    stored = await Problem.get(id=ids.decode(problem["id"], "Problem", "id"))
    assert "Northshire Police owns it" in receipt.body
    assert f"owed by {stored.response_due_at:%-d %B %Y}" in receipt.body
    assert "It is not published." in receipt.body and "It is public" not in receipt.body
    assert stored.visibility == Visibility.RESTRICTED


# ------------------------------------------------------------------ names by initials


async def test_a_name_shown_by_initials_to_the_public_and_in_full_to_those_who_answer(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    changed = payload(await gql("UpdateProfile", as_=n.resident.token, input={"publicInitials": True}))
    assert changed["viewer"]["publicInitials"] is True
    query = "query ($id: ID!) { problem(id: $id) { proposer { displayName } } }"

    async def proposer_as(person: Person | None) -> str:
        body = await gql.raw(query, {"id": problem["id"]}, as_=person.token if person else None)
        name: str = body["data"]["problem"]["proposer"]["displayName"]
        return name

    full = n.resident.user.display_name
    shown = " ".join(f"{word[0]}." for word in full.split())
    assert await proposer_as(None) == shown
    assert await proposer_as(n.neighbour) == shown
    assert await proposer_as(n.resident) == full
    for answering in (n.police_member, n.district_coordinator, n.moderator, n.admin):
        assert await proposer_as(answering) == full
    # The choice can be taken back.
    await gql("UpdateProfile", as_=n.resident.token, input={"publicInitials": False})
    assert await proposer_as(None) == full


# ------------------------------------------------------------------ sign-in links


async def test_a_sign_in_link_leads_back_to_the_page_asked_for(
    gql: GraphQL, people: People, mailer: RecordingMailer, sealer: Sealer, clock: ManualClock
) -> None:
    rita = await people.make("Rita Resident")
    await gql("RequestMagicLink", input={"email": rita.user.email, "next": "/problems/UHJvYmxlbTox"})
    await notifications.deliver_due(mailer, sealer, clock=clock)
    (letter,) = mailer.to(rita.user.email)
    assert re.search(r"#/sign-in/link\?next=%2Fproblems%2FUHJvYmxlbTox&token=\S+", letter.body), letter.body


def test_a_page_to_return_to_is_one_of_ours_or_the_home_page() -> None:
    assert return_path("/problems/UHJvYmxlbTox?tab=updates") == "/problems/UHJvYmxlbTox?tab=updates"
    for elsewhere in (
        None,
        "",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "/a\nb",
        "/" * 400,
    ):
        assert return_path(elsewhere) == "/"
