"""Who may do what to a problem, and who may see a restricted one.

The rights matrix: for responding, posting updates, setting the stage and hiding comments,
every kind of person the rules name. Answering is for the owning organisation's members
and the coordinators of the problem's area or of an area above it; platform admins
administer the platform but do not answer for the police or its partners. Hiding comments
is for the area's moderators and coordinators, and platform admins.

A RESTRICTED problem exists only for its proposer, the owner's members, the coordinators
above it and platform admins; to everyone else it is NOT_FOUND on every path, exactly like
a problem that was never proposed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from backend import ids
from backend.models import Comment, Problem, ProblemResponse, ProblemUpdate
from backend.models.enums import ProblemStatus, SaraStage
from neighbourhood import EVERYONE, Neighbourhood
from support import GraphQL, Person, error_of, payload

ALLOWED = "allowed"
ANSWERERS = {"police_member", "district_coordinator", "force_coordinator"}
MODERATORS = {"district_coordinator", "force_coordinator", "moderator", "admin"}


def person(n: Neighbourhood, role: str) -> Person | None:
    found: Person | None = None if role == "anonymous" else getattr(n, role)
    return found


def expected(role: str, allowed: set[str]) -> str:
    if role == "anonymous":
        return "UNAUTHENTICATED"
    return ALLOWED if role in allowed else "FORBIDDEN"


def outcome(data: dict[str, Any]) -> str:
    result = payload(data)
    if result["errors"]:
        code: str = error_of(data)["code"]
        return code
    return ALLOWED


Act = Callable[[GraphQL, Neighbourhood, str, Person | None], Awaitable[dict[str, Any]]]


async def accept(gql: GraphQL, n: Neighbourhood, problem_id: str, who: Person | None) -> dict[str, Any]:
    values = {"problemId": problem_id, "decision": "ACCEPT", "body": "We will look into it."}
    return await gql("RespondToProblem", as_=who.token if who else None, input=values)


async def post_update(gql: GraphQL, n: Neighbourhood, problem_id: str, who: Person | None) -> dict[str, Any]:
    values = {"problemId": problem_id, "body": "Patrols start Monday."}
    return await gql("PostProblemUpdate", as_=who.token if who else None, input=values)


async def move_stage(gql: GraphQL, n: Neighbourhood, problem_id: str, who: Person | None) -> dict[str, Any]:
    # Accepted behind the scenes: whoever may answer it here, the stage is what is tested.
    accepted = {"status": ProblemStatus.ACCEPTED, "stage": SaraStage.ANALYSIS}
    await Problem.filter(id=ids.decode(problem_id, "Problem", "problemId")).update(**accepted)
    values = {"problemId": problem_id, "stage": "RESPONSE"}
    return await gql("SetProblemStage", as_=who.token if who else None, input=values)


async def hide(gql: GraphQL, n: Neighbourhood, problem_id: str, who: Person | None) -> dict[str, Any]:
    comment = payload(
        await gql(
            "CommentOnProblem", as_=n.neighbour.token, input={"problemId": problem_id, "body": "Rude words"}
        )
    )["comment"]
    values = {"commentId": comment["id"], "reason": "Abusive"}
    return await gql("HideComment", as_=who.token if who else None, input=values)


async def written_by_act(act: Act) -> int:
    """What the act leaves behind, to check a refusal wrote nothing."""
    if act is accept:
        return await ProblemResponse.all().count()
    if act is post_update:
        return await ProblemUpdate.all().count()
    if act is move_stage:
        return await Problem.filter(stage="RESPONSE").count()
    return await Comment.filter(hidden_at__isnull=False).count()


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize(
    ("act", "allowed"),
    [(accept, ANSWERERS), (post_update, ANSWERERS), (move_stage, ANSWERERS), (hide, MODERATORS)],
    ids=["respond", "update", "stage", "hide"],
)
async def test_the_rights_matrix(
    gql: GraphQL, neighbourhood: Neighbourhood, act: Act, allowed: set[str], role: str
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    before = await written_by_act(act)
    result = outcome(await act(gql, n, problem["id"], person(n, role)))
    assert result == expected(role, allowed)
    after = await written_by_act(act)
    assert after == (before + 1 if result == ALLOWED else before)


@pytest.mark.parametrize(
    "act", [accept, post_update, move_stage, hide], ids=["respond", "update", "stage", "hide"]
)
async def test_nobody_acts_on_a_problem_in_an_area_they_do_not_look_after(
    gql: GraphQL, neighbourhood: Neighbourhood, act: Act
) -> None:
    """The district's coordinator answers for the district, not for Hillside."""
    n = neighbourhood
    problem = await n.propose(gql, area=n.other_force, category="DRUGS")
    assert outcome(await act(gql, n, problem["id"], n.district_coordinator)) == "FORBIDDEN"
    assert outcome(await act(gql, n, problem["id"], n.other_coordinator)) == ALLOWED


# --------------------------------------------------------------- restricted

SEE_RESTRICTED = {"resident", "police_member", "district_coordinator", "force_coordinator", "admin"}


BOARD = """
query ($filter: ProblemFilter) {
  problems(filter: $filter) { totalCount edges { node { id } } }
}
"""


async def board(gql: GraphQL, who: Person | None, **filter: Any) -> tuple[int, list[str]]:
    body = await gql.raw(BOARD, {"filter": filter}, as_=who.token if who else None)
    assert "errors" not in body, body
    problems = body["data"]["problems"]
    return problems["totalCount"], [edge["node"]["id"] for edge in problems["edges"]]


@pytest.mark.parametrize("role", EVERYONE)
async def test_a_restricted_problem_exists_only_for_those_who_may_see_it(
    gql: GraphQL, neighbourhood: Neighbourhood, role: str
) -> None:
    n = neighbourhood
    public = await n.propose(gql, title="Graffiti on the bridge")
    restricted = await n.propose(
        gql, title="Dealing from number 14", visibility="RESTRICTED", latitude=53.1, longitude=-2.1
    )
    comment = payload(
        await gql(
            "CommentOnProblem", as_=n.resident.token, input={"problemId": restricted["id"], "body": "Again"}
        )
    )["comment"]
    who = person(n, role)
    token = who.token if who else None
    sees = role in SEE_RESTRICTED
    visible = {public["id"], restricted["id"]} if sees else {public["id"]}

    # problem(id) and node(id), for the problem and for its comment
    assert ((await gql("Problem", as_=token, id=restricted["id"]))["problem"] is not None) == sees
    assert ((await gql("Node", as_=token, id=restricted["id"]))["node"] is not None) == sees
    assert ((await gql("Node", as_=token, id=comment["id"]))["node"] is not None) == sees
    # lists, their counts, search, and an area's board
    for filter in (
        {},
        {"search": "number 14"},
        {"areaId": n.area_id(n.district)},
        {"statuses": ["PROPOSED"]},
    ):
        count, listed = await board(gql, who, **filter)
        expected_ids = visible if "search" not in filter else visible - {public["id"]}
        assert set(listed) == expected_ids and count == len(expected_ids), filter
    # writing to it: NOT_FOUND for those who may not see it, as for a problem that does not exist
    if who is not None:
        supported = await gql("SupportProblem", as_=token, problemId=restricted["id"])
        if sees:
            assert payload(supported)["errors"] == []
        else:
            error = error_of(supported)
            assert (error["field"], error["code"]) == ("problemId", "NOT_FOUND")
            commented = await gql(
                "CommentOnProblem", as_=token, input={"problemId": restricted["id"], "body": "Hi"}
            )
            assert error_of(commented)["code"] == "NOT_FOUND"


async def test_a_restricted_problem_is_no_duplicate_target_for_those_who_cannot_see_it(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    restricted = await n.propose(
        gql, n.neighbour, area=n.other_force, category="DRUGS", visibility="RESTRICTED"
    )
    public = await n.propose(gql)
    values = {
        "problemId": public["id"],
        "decision": "DUPLICATE",
        "body": "",
        "duplicateOfId": restricted["id"],
    }
    error = error_of(await gql("RespondToProblem", as_=n.police_member.token, input=values))
    assert (error["field"], error["code"]) == ("duplicateOfId", "NOT_FOUND")


async def test_a_duplicate_of_a_restricted_problem_does_not_reveal_it(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    restricted = await n.propose(gql, visibility="RESTRICTED")
    public = await n.propose(gql, n.neighbour)
    values = {
        "problemId": public["id"],
        "decision": "DUPLICATE",
        "body": "",
        "duplicateOfId": restricted["id"],
    }
    assert payload(await gql("RespondToProblem", as_=n.police_member.token, input=values))["errors"] == []
    seen_by_public = (await gql("Problem", id=public["id"]))["problem"]
    assert seen_by_public["responses"][0]["duplicateOf"] is None
    seen_by_owner = (await gql("Problem", as_=n.police_member.token, id=public["id"]))["problem"]
    assert seen_by_owner["responses"][0]["duplicateOf"]["id"] == restricted["id"]


async def test_ids_of_other_kinds_find_no_problem(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    await n.propose(gql)
    assert (await gql("Problem", id=ids.encode("Area", n.ward.id)))["problem"] is None
    assert (await gql("Problem", id="garbage"))["problem"] is None


# ------------------------------------------------------- rights the page reads

# Each right the web interface reads, and the mutation whose answer it must agree with.
VIEWER_RIGHTS = [
    ("viewerCanRespond", accept),
    ("viewerCanPostUpdate", post_update),
    ("viewerCanSetStage", move_stage),
    ("viewerCanModerate", hide),
]

RIGHTS = """
query ($id: ID!) {
  problem(id: $id) {
    viewerCanRespond viewerCanSetStage viewerCanPostUpdate viewerCanModerate viewerSpeaksFor { name }
  }
}
"""


async def rights_of(gql: GraphQL, problem_id: str, who: Person | None) -> dict[str, Any]:
    body = await gql.raw(RIGHTS, {"id": problem_id}, as_=who.token if who else None)
    assert "errors" not in body, body
    problem: dict[str, Any] = body["data"]["problem"]
    return problem


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize(("right", "act"), VIEWER_RIGHTS, ids=[right for right, _ in VIEWER_RIGHTS])
async def test_the_rights_a_viewer_is_shown_are_the_rights_the_mutations_grant(
    gql: GraphQL, neighbourhood: Neighbourhood, right: str, act: Act, role: str
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    if act is move_stage:
        # The stage moves only once the problem is accepted: ask then, as the act does.
        accepted = {"status": ProblemStatus.ACCEPTED, "stage": SaraStage.ANALYSIS}
        await Problem.filter(id=ids.decode(problem["id"], "Problem", "problemId")).update(**accepted)
    who = person(n, role)
    shown = (await rights_of(gql, problem["id"], who))[right]
    assert shown == (outcome(await act(gql, n, problem["id"], who)) == ALLOWED)


async def test_the_rights_a_viewer_is_shown_follow_the_problem_through_its_life(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    proposed = await rights_of(gql, problem["id"], n.police_member)
    assert (proposed["viewerCanRespond"], proposed["viewerCanSetStage"]) == (True, False)
    assert proposed["viewerSpeaksFor"] == {"name": "Northshire Police"}
    assert (await rights_of(gql, problem["id"], n.district_coordinator))["viewerSpeaksFor"] is None

    assert outcome(await accept(gql, n, problem["id"], n.police_member)) == ALLOWED
    accepted = await rights_of(gql, problem["id"], n.police_member)
    assert (accepted["viewerCanRespond"], accepted["viewerCanSetStage"]) == (False, True)
    # Answering again is refused, as the page no longer offers it.
    assert outcome(await accept(gql, n, problem["id"], n.police_member)) == "INVALID_STATE"
    assert accepted["viewerCanPostUpdate"] is True

    declined = await n.propose(gql, title="Litter on the green")
    values = {
        "problemId": declined["id"],
        "decision": "DECLINE",
        "reasonCode": "OUTSIDE_AREA",
        "body": "Council.",
    }
    assert payload(await gql("RespondToProblem", as_=n.police_member.token, input=values))["errors"] == []
    after_decline = await rights_of(gql, declined["id"], n.police_member)
    assert (after_decline["viewerCanRespond"], after_decline["viewerCanSetStage"]) == (False, False)
