"""Problems over GraphQL: proposing, taking part, the official response, progress, and reading.

Each mutation's success and its expected failures; a failed mutation writes nothing.
Who may respond, update, set stages and hide comments is in test_problem_rights.py.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from backend import ids
from backend.clock import ManualClock
from backend.models import Comment, Notification, Problem, ProblemFollow, ProblemSupport, RoutingRule
from backend.models.enums import NotificationKind, ProblemCategory
from conftest import PUBLIC_URL
from neighbourhood import Neighbourhood
from support import GraphQL, Person, error_of, payload

GARBAGE_ID = "not an id at all"


async def respond(
    gql: GraphQL, person: Person | None, problem_id: str, decision: str, **fields: Any
) -> dict[str, Any]:
    values = {"problemId": problem_id, "decision": decision, "body": fields.pop("body", ""), **fields}
    return await gql("RespondToProblem", as_=person.token if person else None, input=values)


async def notified(kind: NotificationKind) -> set[int]:
    return {n.recipient_id for n in await Notification.filter(kind=kind)}


def problem_id_of(problem: dict[str, Any]) -> str:
    value: str = problem["id"]
    return value


# ------------------------------------------------------------------ proposing


async def test_a_proposal_is_routed_by_the_nearest_rule_and_owes_a_response_by_the_inherited_time(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    assert problem["owner"]["name"] == "Northshire Police"  # the district's rule reaches the ward
    assert problem["status"] == "PROPOSED" and problem["stage"] == "SCANNING"
    assert problem["visibility"] == "PUBLIC"
    # Neither the ward nor the district sets a response time: the force's 14 days apply.
    assert problem["responseDueAt"] == (clock.now() + timedelta(days=14)).isoformat()
    assert problem["firstRespondedAt"] is None and problem["isResponseOverdue"] is False
    # The proposer supports and follows what they proposed.
    assert (problem["supportCount"], problem["followerCount"]) == (1, 1)
    assert problem["viewerSupports"] and problem["viewerFollows"]
    # The owner's members and the nearest coordinators are told; not the proposer.
    assert await notified(NotificationKind.PROBLEM_PROPOSED) == {
        n.police_member.user.id,
        n.district_coordinator.user.id,
    }
    mail = await Notification.get(
        recipient_id=n.police_member.user.id, kind=NotificationKind.PROBLEM_PROPOSED
    )
    # Stored as a path: mail and the API make it a link with the public address.
    assert mail.url == f"/#/problems/{problem['id']}"
    listed = (await gql("ViewerNotifications", as_=n.police_member.token))["viewer"]["notifications"]
    assert f"{PUBLIC_URL}/#/problems/{problem['id']}" in [edge["node"]["url"] for edge in listed["edges"]]
    assert "Cars racing on Mill Lane" in mail.title and "Mill Lane" in mail.body


async def test_the_areas_own_rule_wins_over_the_one_above(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    await RoutingRule.create(
        area=n.ward,
        category=ProblemCategory.ANTISOCIAL_BEHAVIOUR,
        organisation=n.council,
        updated_at=n.ward.created_at,
    )
    problem = await n.propose(gql)
    assert problem["owner"]["name"] == "Riverside Council"


async def test_without_a_rule_the_areas_coordinators_answer(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql, category="DRUGS")
    assert problem["owner"] is None
    assert await notified(NotificationKind.PROBLEM_PROPOSED) == {n.district_coordinator.user.id}


async def test_an_areas_own_response_time_applies(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    problem = await neighbourhood.propose(gql, area=neighbourhood.other_force)
    assert problem["responseDueAt"] == (clock.now() + timedelta(days=7)).isoformat()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"areaId": GARBAGE_ID}, "areaId", "INVALID"),
        ({"areaId": ids.encode("Area", 999)}, "areaId", "NOT_FOUND"),
        ({"areaId": ids.encode("User", 1)}, "areaId", "INVALID"),
        ({"title": "   "}, "title", "INVALID"),
        ({"title": "x" * 201}, "title", "INVALID"),
        ({"description": ""}, "description", "INVALID"),
        ({"description": "x" * 10_001}, "description", "INVALID"),
        ({"latitude": 53.1}, "longitude", "INVALID"),
        ({"longitude": -1.5}, "latitude", "INVALID"),
        ({"latitude": 91.0, "longitude": 0.0}, "latitude", "INVALID"),
        ({"latitude": 0.0, "longitude": -180.5}, "longitude", "INVALID"),
    ],
)
async def test_a_bad_proposal_names_its_field_and_writes_nothing(
    gql: GraphQL, neighbourhood: Neighbourhood, changes: dict[str, Any], field: str, code: str
) -> None:
    n = neighbourhood
    values = {
        "areaId": n.area_id(n.ward),
        "title": "Broken streetlight",
        "description": "Dark all week.",
        "category": "ENVIRONMENT",
        **changes,
    }
    error = error_of(await gql("ProposeProblem", as_=n.resident.token, input=values))
    assert (error["field"], error["code"]) == (field, code)
    assert await Problem.all().count() == 0
    assert await Notification.filter(kind=NotificationKind.PROBLEM_PROPOSED).count() == 0


async def test_anonymous_visitors_cannot_propose(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    values = {"areaId": n.area_id(n.ward), "title": "T", "description": "D", "category": "OTHER"}
    assert error_of(await gql("ProposeProblem", input=values))["code"] == "UNAUTHENTICATED"
    assert await Problem.all().count() == 0


async def test_the_public_sees_a_location_rounded_to_about_100_metres(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql, latitude=53.480759, longitude=-2.242631)
    exact = {"latitude": 53.480759, "longitude": -2.242631}
    rounded = {"latitude": 53.481, "longitude": -2.243}
    for person, expected in (
        (None, rounded),
        (n.neighbour, rounded),
        (n.moderator, rounded),
        (n.resident, exact),
        (n.police_member, exact),
        (n.force_coordinator, exact),
    ):
        seen = await gql("Problem", as_=person.token if person else None, id=problem["id"])
        assert seen["problem"]["location"] == expected, person


# ---------------------------------------------------------------- taking part


async def test_support_is_one_per_person_and_can_be_withdrawn(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    supported = payload(await gql("SupportProblem", as_=n.neighbour.token, problemId=problem["id"]))[
        "problem"
    ]
    assert (supported["supportCount"], supported["viewerSupports"]) == (2, True)
    again = payload(await gql("SupportProblem", as_=n.neighbour.token, problemId=problem["id"]))
    assert again["errors"] == [] and again["problem"]["supportCount"] == 2
    withdrawn = payload(await gql("WithdrawSupport", as_=n.neighbour.token, problemId=problem["id"]))[
        "problem"
    ]
    assert (withdrawn["supportCount"], withdrawn["viewerSupports"]) == (1, False)
    twice = payload(await gql("WithdrawSupport", as_=n.neighbour.token, problemId=problem["id"]))
    assert twice["errors"] == [] and twice["problem"]["supportCount"] == 1
    assert await ProblemSupport.all().count() == 1


async def test_follow_and_unfollow(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    followed = payload(await gql("FollowProblem", as_=n.neighbour.token, problemId=problem["id"]))["problem"]
    assert (followed["followerCount"], followed["viewerFollows"]) == (2, True)
    payload(await gql("FollowProblem", as_=n.neighbour.token, problemId=problem["id"]))
    unfollowed = payload(await gql("UnfollowProblem", as_=n.resident.token, problemId=problem["id"]))[
        "problem"
    ]
    assert (unfollowed["followerCount"], unfollowed["viewerFollows"]) == (1, False)
    assert await ProblemFollow.filter(user_id=n.neighbour.user.id).count() == 1


@pytest.mark.parametrize(
    "operation", ["SupportProblem", "WithdrawSupport", "FollowProblem", "UnfollowProblem"]
)
async def test_taking_part_needs_a_person_and_a_problem(
    gql: GraphQL, neighbourhood: Neighbourhood, operation: str
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    assert error_of(await gql(operation, problemId=problem["id"]))["code"] == "UNAUTHENTICATED"
    missing = error_of(await gql(operation, as_=n.neighbour.token, problemId=ids.encode("Problem", 999)))
    assert (missing["field"], missing["code"]) == ("problemId", "NOT_FOUND")
    garbage = error_of(await gql(operation, as_=n.neighbour.token, problemId=GARBAGE_ID))
    assert (garbage["field"], garbage["code"]) == ("problemId", "INVALID")


async def test_concurrent_supports_by_many_people_are_all_counted(
    gql: GraphQL, neighbourhood: Neighbourhood, people: Any
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    supporters = [await people.make(f"Supporter {i}") for i in range(8)]
    results = await asyncio.gather(
        *(gql("SupportProblem", as_=person.token, problemId=problem["id"]) for person in supporters * 2)
    )
    assert all(payload(result)["errors"] == [] for result in results)
    stored = await Problem.get(id=ids.decode(problem["id"], "Problem", "id"))
    assert stored.support_count == 9 == await ProblemSupport.filter(problem_id=stored.id).count()


async def test_comments_are_listed_oldest_first_and_counted(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    for person, body in ((n.neighbour, "Same on Mill Close."), (n.resident, "Thanks, Ray.")):
        result = payload(
            await gql("CommentOnProblem", as_=person.token, input={"problemId": problem["id"], "body": body})
        )
        assert (
            result["errors"] == [] and result["comment"]["author"]["displayName"] == person.user.display_name
        )
        clock.advance(minutes=5)
    seen = (await gql("Problem", id=problem["id"]))["problem"]
    assert seen["commentCount"] == 2 and seen["comments"]["totalCount"] == 2
    assert [e["node"]["body"] for e in seen["comments"]["edges"]] == ["Same on Mill Close.", "Thanks, Ray."]


@pytest.mark.parametrize(
    ("body", "signed_in", "field", "code"),
    [
        ("", True, "body", "INVALID"),
        ("x" * 2001, True, "body", "INVALID"),
        ("Hello", False, None, "UNAUTHENTICATED"),
    ],
)
async def test_a_refused_comment_writes_nothing(
    gql: GraphQL, neighbourhood: Neighbourhood, body: str, signed_in: bool, field: str | None, code: str
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    token = n.neighbour.token if signed_in else None
    error = error_of(
        await gql("CommentOnProblem", as_=token, input={"problemId": problem["id"], "body": body})
    )
    assert (error["field"], error["code"]) == (field, code)
    assert await Comment.all().count() == 0


async def test_a_hidden_comment_vanishes_from_public_view_and_keeps_its_reason(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    comment = payload(
        await gql(
            "CommentOnProblem",
            as_=n.neighbour.token,
            input={"problemId": problem["id"], "body": "Names and address of a suspect"},
        )
    )["comment"]
    hidden = payload(
        await gql(
            "HideComment",
            as_=n.moderator.token,
            input={"commentId": comment["id"], "reason": "Names a person"},
        )
    )
    assert hidden["errors"] == [] and hidden["problem"]["commentCount"] == 0
    seen = (await gql("Problem", id=problem["id"]))["problem"]
    assert seen["comments"]["edges"] == [] and seen["comments"]["totalCount"] == 0
    assert (await gql("Node", id=comment["id"]))["node"] is None
    stored = await Comment.get(id=ids.decode(comment["id"], "Comment", "id"))
    assert stored.hidden_reason == "Names a person" and stored.hidden_by_id == n.moderator.user.id
    again = error_of(
        await gql("HideComment", as_=n.moderator.token, input={"commentId": comment["id"], "reason": "Again"})
    )
    assert again["code"] == "INVALID_STATE"


@pytest.mark.parametrize(
    ("comment_id", "reason", "field", "code"),
    [
        ("real", "  ", "reason", "INVALID"),
        ("missing", "Spam", "commentId", "NOT_FOUND"),
        ("garbage", "Spam", "commentId", "INVALID"),
    ],
)
async def test_a_refused_hiding_changes_nothing(
    gql: GraphQL, neighbourhood: Neighbourhood, comment_id: str, reason: str, field: str, code: str
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    comment = payload(
        await gql("CommentOnProblem", as_=n.neighbour.token, input={"problemId": problem["id"], "body": "Hi"})
    )["comment"]
    target = {"real": comment["id"], "missing": ids.encode("Comment", 999), "garbage": GARBAGE_ID}[comment_id]
    error = error_of(
        await gql("HideComment", as_=n.moderator.token, input={"commentId": target, "reason": reason})
    )
    assert (error["field"], error["code"]) == (field, code)
    assert await Comment.filter(hidden_at__isnull=True).count() == 1


# ------------------------------------------------------------------ responding


async def test_accepting_starts_the_analysis_and_tells_the_proposer_supporters_and_followers(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    await gql("SupportProblem", as_=n.neighbour.token, problemId=problem["id"])
    await gql("FollowProblem", as_=n.council_member.token, problemId=problem["id"])
    clock.advance(days=2)
    result = payload(await respond(gql, n.police_member, problem["id"], "ACCEPT", body="We will patrol."))
    assert result["errors"] == []
    accepted = result["problem"]
    assert (accepted["status"], accepted["stage"]) == ("ACCEPTED", "ANALYSIS")
    assert accepted["firstRespondedAt"] == clock.now().isoformat() == accepted["updatedAt"]
    seen = (await gql("Problem", id=problem["id"]))["problem"]
    (response,) = seen["responses"]
    assert response["decision"] == "ACCEPT" and response["body"] == "We will patrol."
    assert response["author"]["displayName"] == "Pat Police"
    assert response["organisation"]["name"] == "Northshire Police"
    assert await notified(NotificationKind.PROBLEM_RESPONSE) == {
        n.resident.user.id,
        n.neighbour.user.id,
        n.council_member.user.id,
    }


async def test_a_coordinator_answers_for_no_organisation(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    await respond(gql, n.force_coordinator, problem["id"], "ACCEPT")
    (response,) = (await gql("Problem", id=problem["id"]))["problem"]["responses"]
    assert response["organisation"] is None and response["author"]["displayName"] == "Cora Coordinator"


async def test_declining_needs_a_reason_code_and_words(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    no_code = error_of(await respond(gql, n.police_member, problem["id"], "DECLINE", body="Not for us."))
    assert (no_code["field"], no_code["code"]) == ("reasonCode", "INVALID")
    no_words = error_of(
        await respond(gql, n.police_member, problem["id"], "DECLINE", reasonCode="OUTSIDE_AREA")
    )
    assert (no_words["field"], no_words["code"]) == ("body", "INVALID")
    result = payload(
        await respond(
            gql,
            n.police_member,
            problem["id"],
            "DECLINE",
            reasonCode="OUTSIDE_AREA",
            body="Mill Lane is Hillside's.",
        )
    )
    assert result["problem"]["status"] == "DECLINED"
    assert result["problem"]["responses"][0]["reasonCode"] == "OUTSIDE_AREA"


@pytest.mark.parametrize(
    ("decision", "extra", "field"),
    [
        ("ACCEPT", {"reasonCode": "OTHER"}, "reasonCode"),
        ("ACCEPT", {"duplicateOfId": ids.encode("Problem", 1)}, "duplicateOfId"),
        (
            "DECLINE",
            {"reasonCode": "OTHER", "referToOrganisationId": ids.encode("Organisation", 1)},
            "referToOrganisationId",
        ),
        ("REFER", {}, "referToOrganisationId"),
        ("DUPLICATE", {}, "duplicateOfId"),
        ("REFER", {"referToOrganisationId": GARBAGE_ID}, "referToOrganisationId"),
        ("ACCEPT", {"body": "x" * 5001}, "body"),
    ],
)
async def test_a_response_with_the_wrong_details_is_refused(
    gql: GraphQL, neighbourhood: Neighbourhood, decision: str, extra: dict[str, Any], field: str
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    error = error_of(
        await respond(
            gql, n.police_member, problem["id"], decision, body=extra.pop("body", "Because."), **extra
        )
    )
    assert (error["field"], error["code"]) == (field, "INVALID")
    stored = await Problem.get(id=ids.decode(problem["id"], "Problem", "id"))
    assert stored.status == "PROPOSED" and stored.first_responded_at is None


async def test_referring_hands_the_problem_over_and_restarts_the_clock(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    proposed_at = clock.now()
    clock.advance(days=3)
    council = n.organisation_id(n.council)
    result = payload(
        await respond(
            gql,
            n.police_member,
            problem["id"],
            "REFER",
            referToOrganisationId=council,
            body="Fly-tipping is the council's.",
        )
    )
    referred = result["problem"]
    assert referred["status"] == "REFERRED" and referred["owner"]["name"] == "Riverside Council"
    assert referred["responseDueAt"] == (clock.now() + timedelta(days=14)).isoformat()
    assert referred["firstRespondedAt"] == clock.now().isoformat()
    assert referred["responses"][0]["referredTo"]["name"] == "Riverside Council"
    assert n.council_member.user.id in await notified(NotificationKind.PROBLEM_PROPOSED)
    # The police no longer own it; the council answers now, and the first response stands.
    refused = error_of(await respond(gql, n.police_member, problem["id"], "ACCEPT"))
    assert refused["code"] == "FORBIDDEN"
    clock.advance(days=1)
    accepted = payload(await respond(gql, n.council_member, problem["id"], "ACCEPT"))["problem"]
    assert accepted["status"] == "ACCEPTED"
    assert accepted["firstRespondedAt"] == (proposed_at + timedelta(days=3)).isoformat()
    assert len(accepted["responses"]) == 2


async def test_referring_to_the_owner_itself_or_to_nobody_is_refused(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    same = error_of(
        await respond(
            gql, n.police_member, problem["id"], "REFER", referToOrganisationId=n.organisation_id(n.police)
        )
    )
    assert (same["field"], same["code"]) == ("referToOrganisationId", "INVALID")
    nobody = error_of(
        await respond(
            gql,
            n.police_member,
            problem["id"],
            "REFER",
            referToOrganisationId=ids.encode("Organisation", 999),
        )
    )
    assert (nobody["field"], nobody["code"]) == ("referToOrganisationId", "NOT_FOUND")


async def test_a_duplicate_hands_its_supporters_and_followers_to_the_original(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    original = await n.propose(gql, title="Racing cars on Mill Lane")
    duplicate = await n.propose(gql, n.neighbour, title="Speeding on Mill Lane")
    await gql("SupportProblem", as_=n.council_member.token, problemId=duplicate["id"])
    result = payload(
        await respond(gql, n.police_member, duplicate["id"], "DUPLICATE", duplicateOfId=original["id"])
    )
    assert result["problem"]["status"] == "DUPLICATE"
    assert result["problem"]["responses"][0]["duplicateOf"]["id"] == original["id"]
    merged = (await gql("Problem", as_=n.neighbour.token, id=original["id"]))["problem"]
    # Rita proposed the original; Ray (the duplicate's proposer) and Cal carried over, once each.
    assert (merged["supportCount"], merged["followerCount"]) == (3, 2)
    assert merged["viewerSupports"] and merged["viewerFollows"]
    refused = error_of(await gql("SupportProblem", as_=n.resident.token, problemId=duplicate["id"]))
    assert refused["code"] == "INVALID_STATE"


async def test_a_problem_is_not_a_duplicate_of_itself_nor_of_a_duplicate(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    first, second, third = [await n.propose(gql, title=f"Problem {i}") for i in range(3)]
    itself = error_of(
        await respond(gql, n.police_member, first["id"], "DUPLICATE", duplicateOfId=first["id"])
    )
    assert (itself["field"], itself["code"]) == ("duplicateOfId", "INVALID")
    await respond(gql, n.police_member, second["id"], "DUPLICATE", duplicateOfId=first["id"])
    chained = error_of(
        await respond(gql, n.police_member, third["id"], "DUPLICATE", duplicateOfId=second["id"])
    )
    assert (chained["field"], chained["code"]) == ("duplicateOfId", "INVALID")


async def test_a_problem_gets_one_answer_until_it_is_referred(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    await respond(gql, n.police_member, problem["id"], "ACCEPT")
    again = error_of(
        await respond(gql, n.district_coordinator, problem["id"], "DECLINE", reasonCode="OTHER", body="No")
    )
    assert again["code"] == "INVALID_STATE"


# ------------------------------------------------------------------- progress


async def test_an_update_reaches_the_followers_but_not_its_author(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    await gql("FollowProblem", as_=n.neighbour.token, problemId=problem["id"])
    await gql("FollowProblem", as_=n.police_member.token, problemId=problem["id"])
    clock.advance(hours=5)
    body = "Speed cameras arrive next week."
    result = payload(
        await gql(
            "PostProblemUpdate", as_=n.police_member.token, input={"problemId": problem["id"], "body": body}
        )
    )
    assert result["errors"] == [] and result["problem"]["updatedAt"] == clock.now().isoformat()
    (update,) = (await gql("Problem", id=problem["id"]))["problem"]["updates"]
    assert update["body"] == body and update["organisation"]["name"] == "Northshire Police"
    assert await notified(NotificationKind.PROBLEM_UPDATE) == {n.resident.user.id, n.neighbour.user.id}
    empty = error_of(
        await gql(
            "PostProblemUpdate", as_=n.police_member.token, input={"problemId": problem["id"], "body": " "}
        )
    )
    assert (empty["field"], empty["code"]) == ("body", "INVALID")


async def set_stage(gql: GraphQL, person: Person, problem_id: str, stage: str) -> dict[str, Any]:
    return await gql("SetProblemStage", as_=person.token, input={"problemId": problem_id, "stage": stage})


async def test_an_accepted_problem_moves_through_the_stages(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    early = error_of(await set_stage(gql, n.police_member, problem["id"], "ANALYSIS"))
    assert early["code"] == "INVALID_STATE"
    await respond(gql, n.police_member, problem["id"], "ACCEPT")
    for stage, status in (
        ("RESPONSE", "IN_PROGRESS"),
        ("ASSESSMENT", "IN_PROGRESS"),
        ("ANALYSIS", "ACCEPTED"),
    ):
        moved = payload(await set_stage(gql, n.police_member, problem["id"], stage))["problem"]
        assert (moved["stage"], moved["status"]) == (stage, status)


@pytest.mark.parametrize("stage", ["SCANNING", "ANALYSIS", "ASSESSMENT"])
async def test_invalid_stage_moves_are_refused(
    gql: GraphQL, neighbourhood: Neighbourhood, stage: str
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    await respond(gql, n.police_member, problem["id"], "ACCEPT")
    # From ANALYSIS: back to scanning, the same stage, or skipping the response.
    assert error_of(await set_stage(gql, n.police_member, problem["id"], stage))["code"] == "INVALID_STATE"
    assert (await Problem.get(id=ids.decode(problem["id"], "Problem", "id"))).stage == "ANALYSIS"


async def test_a_declined_problem_has_no_stages(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    await respond(gql, n.police_member, problem["id"], "DECLINE", reasonCode="OTHER", body="No powers.")
    assert (
        error_of(await set_stage(gql, n.police_member, problem["id"], "RESPONSE"))["code"] == "INVALID_STATE"
    )


async def test_of_two_answers_at_once_one_stands(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    results = await asyncio.gather(
        respond(gql, n.police_member, problem["id"], "ACCEPT"),
        respond(gql, n.district_coordinator, problem["id"], "DECLINE", reasonCode="OTHER", body="No."),
    )
    outcomes = sorted("ok" if not payload(r)["errors"] else error_of(r)["code"] for r in results)
    assert outcomes == ["INVALID_STATE", "ok"]
    stored = await Problem.get(id=ids.decode(problem["id"], "Problem", "id"))
    assert await stored.responses.all().count() == 1
    assert await stored.routings.filter(answered_at__isnull=False).count() == 1
