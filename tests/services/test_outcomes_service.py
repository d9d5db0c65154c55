"""Outcomes in the services: progress toward a target, who hears of a reading, the acts in
the activity record, the days readings are dated by, personal data, what a closing means
for a group's new tasks, and the disputed count among the accountability figures."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from outcomes_support import closed, follow, measure_on, record, review, support

from backend import ids
from backend.clock import ManualClock
from backend.errors import Invalid
from backend.models import (
    Activity,
    Notification,
    OutcomeMeasure,
    OutcomeReading,
    ProblemResolution,
    ResolutionReview,
    WorkingGroup,
)
from backend.models.enums import ActivityKind, NotificationKind, OutcomeDirection
from backend.services import outcomes, personal_data
from backend.services.actors import Actor
from neighbourhood import Neighbourhood
from support import GraphQL, payload


def measure(direction: OutcomeDirection, baseline: float, target: float) -> OutcomeMeasure:
    return OutcomeMeasure(
        direction=direction,
        baseline=baseline,
        target=target,
        baseline_on=date(2025, 1, 1),
        target_on=date(2026, 1, 1),
    )


def reading(value: float, day: int = 1) -> OutcomeReading:
    return OutcomeReading(value=value, observed_on=date(2025, 6, day))


@pytest.mark.parametrize(
    ("value", "progress"),
    [(25, 0.5), (40, 0.0), (10, 1.0), (2, 1.0), (45, 0.0)],
    ids=["halfway", "at-baseline", "at-target", "overshoot", "worse"],
)
def test_progress_of_a_measure_that_should_decrease(value: float, progress: float) -> None:
    assert outcomes.progress(measure(OutcomeDirection.DECREASE, 40, 10), reading(value)) == pytest.approx(
        progress
    )


@pytest.mark.parametrize(
    ("value", "progress"),
    [(30, 0.5), (10, 0.0), (50, 1.0), (80, 1.0), (5, 0.0)],
    ids=["halfway", "at-baseline", "at-target", "overshoot", "worse"],
)
def test_progress_of_a_measure_that_should_increase(value: float, progress: float) -> None:
    assert outcomes.progress(measure(OutcomeDirection.INCREASE, 10, 50), reading(value)) == pytest.approx(
        progress
    )


def test_without_readings_there_is_no_progress_and_no_latest() -> None:
    assert outcomes.latest([]) is None
    assert outcomes.progress(measure(OutcomeDirection.INCREASE, 10, 50), None) == 0.0


def test_the_latest_reading_is_the_one_observed_last() -> None:
    readings = [reading(30, 20), reading(20, 3), reading(25, 11)]
    latest = outcomes.latest(readings)
    assert latest is not None and latest.value == 30


def test_today_is_the_local_day() -> None:
    # Half past midnight in London in summer is still the day before in UTC.
    assert outcomes.today(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 1)
    assert outcomes.today(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2026, 12, 31)


async def test_a_reading_dated_by_the_local_day_is_not_in_the_future(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    measure_id = ids.decode(
        await measure_on(gql, n, await n.accepted_problem(gql)), "OutcomeMeasure", "measureId"
    )
    officer = Actor(user=n.police_member.user)
    # Half past midnight on 1 July in London; still 30 June in UTC.
    late = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    await outcomes.record_reading(
        officer, measure_id=measure_id, value=20, observed_on=date(2026, 7, 1), note=None, now=late
    )
    with pytest.raises(Invalid) as refused:
        await outcomes.record_reading(
            officer, measure_id=measure_id, value=20, observed_on=date(2026, 7, 2), note=None, now=late
        )
    assert refused.value.field == "observedOn"


async def test_followers_and_group_members_hear_of_a_reading_once_each(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    group = await n.form_group(gql)  # Pat leads it
    problem_id = ids.decode(group["problems"][0]["id"], "Problem", "problemId")
    for member in (n.neighbour, n.council_member):
        joined = payload(await gql("JoinWorkingGroup", as_=member.token, input={"groupId": group["id"]}))
        assert joined["errors"] == []
    await follow(gql, n.neighbour, problem_id)  # a member who follows too
    measure_id = await measure_on(gql, n, problem_id)
    # Forming the group was news for the followers already; only the reading's news counts here.
    before = await Notification.filter(kind=NotificationKind.PROBLEM_UPDATE).count()
    assert payload(await record(gql, n.police_member, measure_id, 30, "2025-12-01"))["errors"] == []
    rows = (
        await Notification.filter(kind=NotificationKind.PROBLEM_UPDATE)
        .order_by("id")
        .offset(before)
        .values_list("recipient_id")
    )
    # Rita follows what she proposed; Ray and Cal are members; Pat recorded it.
    assert sorted(r for (r,) in rows) == sorted(
        [n.resident.user.id, n.neighbour.user.id, n.council_member.user.id]
    )
    notice = await Notification.get(
        recipient_id=n.council_member.user.id, kind=NotificationKind.PROBLEM_UPDATE
    )
    assert "Complaints of racing: 30 complaints a month on 1 December 2025" in notice.body


async def test_each_act_is_in_the_activity_record(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    measure_id = await measure_on(gql, n, problem_id)
    assert payload(await record(gql, n.police_member, measure_id, 30, "2025-12-01"))["errors"] == []
    await closed(gql, n, problem_id)
    assert payload(await review(gql, n.resident, problem_id, False))["errors"] == []
    assert payload(await review(gql, n.resident, problem_id, True))["errors"] == []
    acts = await Activity.filter(problem_id=problem_id).order_by("id").values_list("person_id", "kind")
    outcome_acts = [
        (p, k)
        for p, k in acts
        if k not in (ActivityKind.PROPOSED, ActivityKind.SUPPORTED, ActivityKind.FOLLOWED)
    ]
    pat, rita = n.police_member.user.id, n.resident.user.id
    assert outcome_acts == [
        (pat, ActivityKind.MEASURE_DEFINED),
        (pat, ActivityKind.READING_RECORDED),
        (pat, ActivityKind.PROBLEM_CLOSED),
        (rita, ActivityKind.RESOLUTION_REVIEWED),
        (rita, ActivityKind.RESOLUTION_REVIEWED),
    ]


async def test_a_review_is_in_its_authors_copy_and_erasure_keeps_it_counted_without_their_words(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    await support(gql, n.neighbour, problem_id)
    await closed(gql, n, problem_id)
    assert payload(await review(gql, n.neighbour, problem_id, False, "Still racing at 2am"))["errors"] == []
    copy: dict[str, Any] = await personal_data.export(Actor(user=n.neighbour.user), now=clock.now())
    (own,) = copy["resolution_reviews"]
    assert (own["agrees"], own["comment"]) == (False, "Still racing at 2am")
    officer: dict[str, Any] = await personal_data.export(Actor(user=n.police_member.user), now=clock.now())
    assert [c["outcome"] for c in officer["closings"]] == ["RESOLVED"]
    assert [m["name"] for m in officer["outcome_measures"]] == []

    await personal_data.erase(n.neighbour.user, now=clock.now())
    kept = await ResolutionReview.get(user_id=n.neighbour.user.id)
    assert (kept.agrees, kept.comment) == (False, None)
    assert (await ProblemResolution.get(problem_id=problem_id)).disagree_count == 1


async def test_a_closed_problems_groups_take_no_new_tasks(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    group = await n.form_group(gql)
    problem_id = ids.decode(group["problems"][0]["id"], "Problem", "problemId")
    working_group = await WorkingGroup.get(id=ids.decode(group["id"], "WorkingGroup", "groupId"))
    assert await outcomes.accepts_new_tasks(working_group)
    await closed(gql, n, problem_id)
    assert not await outcomes.accepts_new_tasks(working_group)


async def test_the_accountability_figures_count_disputed_resolutions(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, people: Any
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    voters = [n.resident, n.neighbour, await people.make("Third Resident")]
    for who in voters[1:]:
        await support(gql, who, problem_id)
    await closed(gql, n, problem_id)
    for who in voters:
        assert payload(await review(gql, who, problem_id, False))["errors"] == []
    clock.advance(days=14)
    assert await outcomes.reopen_disputed(clock.now()) == 1
    for area in (n.ward, n.force):
        figures = (await gql("AreaAccountability", id=n.area_id(area)))["area"]["accountability"]
        assert figures["disputedResolutions"] == 1
    figures = (await gql("AreaAccountability", id=n.area_id(n.other_force)))["area"]["accountability"]
    assert figures["disputedResolutions"] == 0
