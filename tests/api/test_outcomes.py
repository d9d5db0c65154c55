"""Outcomes through the API: measures and readings, closing, the community's review, who may
do each, and who sees any of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from outcomes_support import MEASURE, close, closed, define, follow, measure_on, record, review, support

from backend import ids
from backend.models import (
    GroupMembership,
    Notification,
    OutcomeMeasure,
    OutcomeReading,
    Problem,
    ProblemResolution,
    ResolutionReview,
)
from backend.models.enums import ProblemStatus, SaraStage
from neighbourhood import EVERYONE, Neighbourhood
from support import GraphQL, Person, error_of, payload

ALLOWED = "allowed"
ANSWERERS = {"police_member", "district_coordinator", "force_coordinator"}


def person(n: Neighbourhood, role: str) -> Person | None:
    found: Person | None = None if role == "anonymous" else getattr(n, role)
    return found


def outcome(data: dict[str, Any]) -> str:
    result = payload(data)
    if result["errors"]:
        code: str = error_of(data)["code"]
        return code
    return ALLOWED


def expected(role: str, allowed: set[str]) -> str:
    if role == "anonymous":
        return "UNAUTHENTICATED"
    return ALLOWED if role in allowed else "FORBIDDEN"


async def outcomes_of(gql: GraphQL, problem_id: int, who: Person | None = None) -> dict[str, Any]:
    data = await gql("ProblemOutcomes", as_=who.token if who else None, id=ids.encode("Problem", problem_id))
    problem: dict[str, Any] = data["problem"]
    return problem


async def kinds_received(person: Person) -> list[str]:
    rows = await Notification.filter(recipient_id=person.user.id).order_by("id").values_list("kind")
    return [kind for (kind,) in rows]


async def test_an_officer_measures_records_and_closes_and_the_community_reviews(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)  # proposed by Rita
    await support(gql, n.neighbour, problem_id)
    await follow(gql, n.council_member, problem_id)
    measure_id = await measure_on(gql, n, problem_id)

    later = payload(await record(gql, n.police_member, measure_id, 25, "2025-12-01", "After the speed bumps"))
    assert later["errors"] == []
    earlier = payload(await record(gql, n.police_member, measure_id, 31, "2025-11-01"))
    measure = earlier["measure"]
    assert [r["observedOn"] for r in measure["readings"]] == ["2025-11-01", "2025-12-01"]
    assert measure["latest"]["value"] == 25
    assert measure["progress"] == pytest.approx(0.5)
    # The follower hears of each reading once; the proposer follows what she proposed.
    assert (await kinds_received(n.council_member)).count("PROBLEM_UPDATE") == 2
    assert (await kinds_received(n.resident)).count("PROBLEM_UPDATE") == 2
    assert "PROBLEM_UPDATE" not in await kinds_received(n.police_member)

    closing = payload(await close(gql, n.police_member, problem_id, "RESOLVED", "Racing has stopped."))
    assert closing["errors"] == []
    assert closing["problem"]["status"] == "RESOLVED"
    assert closing["problem"]["resolution"]["closedBy"]["displayName"] == "Pat Police"
    for reviewer in (n.resident, n.neighbour, n.council_member):
        assert "RESOLUTION_REVIEW" in await kinds_received(reviewer)

    assert payload(await review(gql, n.resident, problem_id, True))["errors"] == []
    assert (
        payload(await review(gql, n.neighbour, problem_id, False, "Still racing on Fridays"))["errors"] == []
    )
    seen = (await outcomes_of(gql, problem_id, n.neighbour))["resolution"]
    assert (seen["agreeCount"], seen["disagreeCount"], seen["viewerAgrees"]) == (1, 1, False)
    assert (await outcomes_of(gql, problem_id, n.resident))["resolution"]["viewerAgrees"] is True
    assert (await outcomes_of(gql, problem_id))["resolution"]["viewerAgrees"] is None


async def test_a_reviewer_may_change_their_mind_and_counts_once(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    await closed(gql, n, problem_id)
    for agrees in (False, False, True):
        assert payload(await review(gql, n.resident, problem_id, agrees))["errors"] == []
    resolution = (await outcomes_of(gql, problem_id, n.resident))["resolution"]
    assert (resolution["agreeCount"], resolution["disagreeCount"], resolution["viewerAgrees"]) == (1, 0, True)
    assert await ResolutionReview.all().count() == 1


async def test_an_open_problem_has_no_resolution_to_review(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    assert error_of(await review(gql, n.resident, problem_id, True))["code"] == "INVALID_STATE"
    await closed(gql, n, problem_id)
    assert error_of(await close(gql, n.police_member, problem_id))["code"] == "INVALID_STATE"


# ------------------------------------------------------------------ rights

Act = Callable[[GraphQL, Neighbourhood, int, Person | None], Awaitable[dict[str, Any]]]


async def define_measure(
    gql: GraphQL, n: Neighbourhood, problem_id: int, who: Person | None
) -> dict[str, Any]:
    return await define(gql, who, problem_id)


async def record_reading(
    gql: GraphQL, n: Neighbourhood, problem_id: int, who: Person | None
) -> dict[str, Any]:
    return await record(gql, who, await measure_on(gql, n, problem_id), 30, "2025-12-01")


async def close_problem(
    gql: GraphQL, n: Neighbourhood, problem_id: int, who: Person | None
) -> dict[str, Any]:
    return await close(gql, who, problem_id)


async def review_resolution(
    gql: GraphQL, n: Neighbourhood, problem_id: int, who: Person | None
) -> dict[str, Any]:
    await closed(gql, n, problem_id)
    return await review(gql, who, problem_id, False)


async def written_by(act: Act) -> int:
    if act is define_measure:
        return await OutcomeMeasure.all().count()
    if act is record_reading:
        return await OutcomeReading.all().count()
    if act is close_problem:
        return await ProblemResolution.all().count()
    return await ResolutionReview.all().count()


@pytest.mark.parametrize("role", EVERYONE)
@pytest.mark.parametrize(
    ("act", "allowed"),
    [
        (define_measure, ANSWERERS),
        (record_reading, ANSWERERS),
        (close_problem, ANSWERERS),
        # The proposer; supporters and followers too (tested below).
        (review_resolution, {"resident"}),
    ],
    ids=["define", "record", "close", "review"],
)
async def test_the_rights_matrix(
    gql: GraphQL, neighbourhood: Neighbourhood, act: Act, allowed: set[str], role: str
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    result = await act(gql, n, problem_id, person(n, role))
    before_act = await written_by(act) - (1 if outcome(result) == ALLOWED else 0)
    assert outcome(result) == expected(role, allowed)
    assert await written_by(act) == before_act + (1 if outcome(result) == ALLOWED else 0)


async def test_supporters_and_followers_review_and_nobody_else(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    await support(gql, n.neighbour, problem_id)
    await follow(gql, n.council_member, problem_id)
    await closed(gql, n, problem_id)
    assert payload(await review(gql, n.neighbour, problem_id, True))["errors"] == []
    assert payload(await review(gql, n.council_member, problem_id, False))["errors"] == []
    assert error_of(await review(gql, n.moderator, problem_id, False))["code"] == "FORBIDDEN"
    assert error_of(await review(gql, n.police_member, problem_id, True))["code"] == "FORBIDDEN"


async def test_measures_wait_for_acceptance_and_stop_at_closing(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    proposed = ids.decode((await n.propose(gql))["id"], "Problem", "problemId")
    assert error_of(await define(gql, n.police_member, proposed))["code"] == "INVALID_STATE"
    problem_id = await n.accepted_problem(gql)
    measure_id = await measure_on(gql, n, problem_id)
    await closed(gql, n, problem_id)
    assert error_of(await define(gql, n.police_member, problem_id))["code"] == "INVALID_STATE"
    # Whether it stays better is still worth recording.
    assert payload(await record(gql, n.police_member, measure_id, 12, "2026-01-01"))["errors"] == []


async def test_the_leads_of_a_group_on_the_problem_measure_it_and_its_members_do_not(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql)  # Pat leads it
    group_id = group["id"]
    problem_id = ids.decode(group["problems"][0]["id"], "Problem", "problemId")
    joined = payload(await gql("JoinWorkingGroup", as_=n.neighbour.token, input={"groupId": group_id}))
    assert joined["errors"] == [], joined
    assert error_of(await define(gql, n.neighbour, problem_id))["code"] == "FORBIDDEN"
    assert (await outcomes_of(gql, problem_id, n.neighbour))["viewerCanDefineMeasures"] is False
    membership = ids.encode("GroupMembership", await _membership_id(group_id, n.neighbour))
    made_lead = payload(
        await gql(
            "SetGroupMemberRole",
            as_=n.police_member.token,
            input={"membershipId": membership, "role": "LEAD"},
        )
    )
    assert made_lead["errors"] == [], made_lead
    assert (await outcomes_of(gql, problem_id, n.neighbour))["viewerCanDefineMeasures"] is True
    defined = payload(await define(gql, n.neighbour, problem_id))
    assert defined["errors"] == [], defined
    assert payload(await record(gql, n.neighbour, defined["measure"]["id"], 33, "2025-11-15"))["errors"] == []


async def _membership_id(group_id: str, who: Person) -> int:
    membership = await GroupMembership.get(
        group_id=ids.decode(group_id, "WorkingGroup", "groupId"), user_id=who.user.id
    )
    return membership.id


RIGHTS = ["viewerCanDefineMeasures", "viewerCanRecordReadings", "viewerCanClose", "viewerCanReview"]


@pytest.mark.parametrize("role", EVERYONE)
async def test_the_rights_the_page_reads_agree_with_the_mutations(
    gql: GraphQL, neighbourhood: Neighbourhood, role: str
) -> None:
    n = neighbourhood
    who = person(n, role)
    problem_id = await n.accepted_problem(gql)
    rights = await outcomes_of(gql, problem_id, who)
    acts = {
        "viewerCanDefineMeasures": define_measure,
        "viewerCanRecordReadings": record_reading,
        "viewerCanClose": close_problem,
    }
    for field, act in acts.items():
        fresh = await n.accepted_problem(gql)
        assert rights[field] == (outcome(await act(gql, n, fresh, who)) == ALLOWED), field
    assert rights["viewerCanReview"] is False  # open: nothing to review yet
    await closed(gql, n, problem_id)
    rights = await outcomes_of(gql, problem_id, who)
    assert rights["viewerCanReview"] == (outcome(await review(gql, who, problem_id, True)) == ALLOWED)
    assert rights["viewerCanClose"] is False


# -------------------------------------------------------------- restricted


async def test_a_restricted_problems_outcomes_are_not_found_by_those_who_may_not_see_it(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql, visibility="RESTRICTED")
    measure_id = await measure_on(gql, n, problem_id)
    for outsider in (None, n.neighbour, n.other_coordinator):
        error = error_of(await record(gql, outsider, measure_id, 1, "2025-12-01"))
        assert error["code"] in ("NOT_FOUND", "UNAUTHENTICATED")
        token = outsider.token if outsider else None
        assert (await gql("Node", as_=token, id=measure_id))["node"] is None
    assert error_of(await record(gql, n.neighbour, measure_id, 1, "2025-12-01"))["field"] == "measureId"
    assert (await gql("Node", as_=n.resident.token, id=measure_id))["node"] is not None
    assert payload(await record(gql, n.district_coordinator, measure_id, 30, "2025-12-01"))["errors"] == []
    # Nobody who may not see it hears of the reading, though they follow nothing else.
    assert await Notification.filter(recipient_id=n.neighbour.user.id).count() == 0


# -------------------------------------------------------------- validation


def field_of(data: dict[str, Any]) -> tuple[str, str]:
    error = error_of(data)
    return error["field"], error["code"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"unit": ""}, "unit"),
        ({"name": "x" * 121}, "name"),
        ({"targetOn": "2025-09-30"}, "targetOn"),
        ({"target": 50.0}, "target"),
        ({"target": 40.0}, "target"),
        ({"direction": "INCREASE"}, "target"),
    ],
    ids=[
        "blank-name",
        "blank-unit",
        "long-name",
        "target-before-baseline",
        "target-up",
        "target-equal",
        "increase-down",
    ],
)
async def test_a_measure_is_invalid_with_the_field_named(
    gql: GraphQL, neighbourhood: Neighbourhood, fields: dict[str, Any], field: str
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    assert field_of(await define(gql, n.police_member, problem_id, **fields)) == (field, "INVALID")
    assert await OutcomeMeasure.all().count() == 0


@pytest.mark.parametrize(
    ("observed_on", "note"),
    [("2025-09-30", None), ("2026-01-06", None), ("2025-12-01", "x" * 2001)],
    ids=["before-baseline", "future", "long-note"],
)
async def test_a_reading_is_invalid_with_the_field_named(
    gql: GraphQL, neighbourhood: Neighbourhood, observed_on: str, note: str | None
) -> None:
    n = neighbourhood
    measure_id = await measure_on(gql, n, await n.accepted_problem(gql))
    field = "note" if note else "observedOn"
    assert field_of(await record(gql, n.police_member, measure_id, 20, observed_on, note)) == (
        field,
        "INVALID",
    )
    assert await OutcomeReading.all().count() == 0


async def test_today_and_the_baseline_day_itself_are_fine(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    measure_id = await measure_on(gql, n, await n.accepted_problem(gql))
    assert payload(await record(gql, n.police_member, measure_id, 40, MEASURE["baselineOn"]))["errors"] == []
    assert payload(await record(gql, n.police_member, measure_id, 35, "2026-01-05"))["errors"] == []


async def test_a_second_reading_for_the_same_day_is_a_conflict_and_replaces_nothing(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    measure_id = await measure_on(gql, n, await n.accepted_problem(gql))
    assert payload(await record(gql, n.police_member, measure_id, 30, "2025-12-01"))["errors"] == []
    assert field_of(await record(gql, n.district_coordinator, measure_id, 5, "2025-12-01")) == (
        "observedOn",
        "CONFLICT",
    )
    assert [r.value for r in await OutcomeReading.all()] == [30]


async def test_a_reopened_problem_is_closed_and_reviewed_again_from_zero(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    await closed(gql, n, problem_id)
    assert payload(await review(gql, n.resident, problem_id, False))["errors"] == []
    # What the verdict does (services/outcomes/verdict.py), done here by hand.
    await ProblemResolution.filter(problem_id=problem_id).update(reopened_at=n.resident.user.created_at)
    await Problem.filter(id=problem_id).update(status=ProblemStatus.IN_PROGRESS, stage=SaraStage.ASSESSMENT)
    reopened = await outcomes_of(gql, problem_id, n.resident)
    assert reopened["resolution"] is None and len(reopened["pastResolutions"]) == 1
    await closed(gql, n, problem_id, "UNRESOLVED")
    again = (await outcomes_of(gql, problem_id, n.resident))["resolution"]
    assert (again["outcome"], again["agreeCount"], again["disagreeCount"], again["viewerAgrees"]) == (
        "UNRESOLVED",
        0,
        0,
        None,
    )
    assert payload(await review(gql, n.resident, problem_id, True))["errors"] == []


async def test_every_fault_of_a_measure_is_told_at_once(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    wrong = {"name": "", "unit": "", "target": 45.0, "targetOn": "2025-01-01"}
    data = await define(gql, n.police_member, problem_id, **wrong)
    errors = payload(data)["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [
        ("name", "INVALID"),
        ("unit", "INVALID"),
        ("target", "INVALID"),
        ("targetOn", "INVALID"),
    ]
    assert errors[2]["message"] == "The target must be below the baseline for a measure that should decrease"


async def test_every_fault_of_a_reading_is_told_at_once(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    measure_id = await measure_on(gql, n, await n.accepted_problem(gql))
    errors = payload(await record(gql, n.police_member, measure_id, 20, "2027-01-01", "\x07" * 3))["errors"]
    assert [e["field"] for e in errors] == ["observedOn", "note"]
