"""The community's verdict on a closing: 14 days on, more disagreeing than agreeing and at
least 3 disagreeing reopens the problem, once, however often and however concurrently the
sweep runs; the clock is moved by hand."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from outcomes_support import closed, follow, review, support

from backend import ids
from backend.clock import ManualClock
from backend.models import Notification, Problem, ProblemResolution
from backend.models.enums import NotificationKind, ProblemStatus, SaraStage
from neighbourhood import Neighbourhood
from support import GraphQL, Person, payload
from workers.jobs import RUNNABLE, reopen_disputed_resolutions
from workers.settings import CRON_JOBS, FUNCTIONS


@pytest.fixture
def ctx(clock: ManualClock, settings: Any) -> dict[str, Any]:
    return {"clock": clock, "settings": settings}


async def reviewed(
    gql: GraphQL, n: Neighbourhood, people: list[Person], problem_id: int, *, agree: int, disagree: int
) -> None:
    """A closed problem that `agree` of the people agree with and `disagree` more do not."""
    for who in people[: agree + disagree]:
        if who.user.id != n.resident.user.id:
            await support(gql, who, problem_id)
    await closed(gql, n, problem_id)
    for i, who in enumerate(people[: agree + disagree]):
        assert payload(await review(gql, who, problem_id, i < agree))["errors"] == []


async def residents(n: Neighbourhood, people: Any, count: int) -> list[Person]:
    return [n.resident, n.neighbour, *[await people.make(f"Resident {i}") for i in range(count - 2)]]


async def disputed_notices() -> set[int]:
    rows = await Notification.filter(kind=NotificationKind.RESOLUTION_DISPUTED).values_list("recipient_id")
    return {recipient for (recipient,) in rows}


async def test_a_disputed_closing_reopens_the_problem_once_after_14_days(
    gql: GraphQL, neighbourhood: Neighbourhood, people: Any, clock: ManualClock, ctx: dict[str, Any]
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    await reviewed(gql, n, await residents(n, people, 5), problem_id, agree=2, disagree=3)
    closed_at = clock.now()

    clock.set(closed_at + timedelta(days=13, hours=23))
    assert await reopen_disputed_resolutions(ctx) == 0
    assert (await Problem.get(id=problem_id)).status == ProblemStatus.RESOLVED

    clock.set(closed_at + timedelta(days=14))
    assert await reopen_disputed_resolutions(ctx) == 1
    problem = await Problem.get(id=problem_id)
    assert (problem.status, problem.stage) == (ProblemStatus.IN_PROGRESS, SaraStage.ASSESSMENT)
    resolution = await ProblemResolution.get(problem_id=problem_id)
    assert resolution.reopened_at == clock.now()
    # The owner's members and the nearest coordinators hear why.
    assert await disputed_notices() == {n.police_member.user.id, n.district_coordinator.user.id}
    notice = await Notification.get(
        kind=NotificationKind.RESOLUTION_DISPUTED, recipient_id=n.police_member.user.id
    )
    assert "(3)" in notice.body and "(2)" in notice.body
    for _ in range(3):
        assert await reopen_disputed_resolutions(ctx) == 0
    clock.advance(days=30)
    assert await reopen_disputed_resolutions(ctx) == 0
    assert await Notification.filter(kind=NotificationKind.RESOLUTION_DISPUTED).count() == 2

    # The history says why it is open again; it can be closed again, and is reviewed from zero.
    seen = (await gql("ProblemOutcomes", id=_id(problem_id)))["problem"]
    assert seen["resolution"] is None
    assert [(r["agreeCount"], r["disagreeCount"]) for r in seen["pastResolutions"]] == [(2, 3)]
    await closed(gql, n, problem_id)
    again = (await gql("ProblemOutcomes", id=_id(problem_id)))["problem"]["resolution"]
    assert (again["agreeCount"], again["disagreeCount"]) == (0, 0)


def _id(problem_id: int) -> str:
    return ids.encode("Problem", problem_id)


@pytest.mark.parametrize(
    ("agree", "disagree"), [(0, 2), (3, 3), (4, 3)], ids=["two-disagree", "as-many-agree", "more-agree"]
)
async def test_a_closing_stands_unless_more_disagree_and_at_least_three(
    gql: GraphQL,
    neighbourhood: Neighbourhood,
    people: Any,
    clock: ManualClock,
    ctx: dict[str, Any],
    agree: int,
    disagree: int,
) -> None:
    n = neighbourhood
    problem_id = await n.accepted_problem(gql)
    await reviewed(
        gql, n, await residents(n, people, agree + disagree), problem_id, agree=agree, disagree=disagree
    )
    clock.advance(days=15)
    assert await reopen_disputed_resolutions(ctx) == 0
    assert (await Problem.get(id=problem_id)).status == ProblemStatus.RESOLVED
    # Judged once: a later change of mind no longer reopens it.
    assert (await ProblemResolution.get(problem_id=problem_id)).judged_at == clock.now()
    await follow(gql, n.council_member, problem_id)
    for extra in range(3):
        who = await people.make(f"Late reviewer {extra}")
        await support(gql, who, problem_id)
        assert payload(await review(gql, who, problem_id, False))["errors"] == []
    assert await reopen_disputed_resolutions(ctx) == 0


async def test_two_sweeps_at_once_reopen_it_once(
    gql: GraphQL, neighbourhood: Neighbourhood, people: Any, clock: ManualClock, ctx: dict[str, Any]
) -> None:
    n = neighbourhood
    problem_ids = [await n.accepted_problem(gql) for _ in range(3)]
    voters = await residents(n, people, 3)
    for problem_id in problem_ids:
        await reviewed(gql, n, voters, problem_id, agree=0, disagree=3)
    clock.advance(days=14)
    results = await asyncio.gather(reopen_disputed_resolutions(ctx), reopen_disputed_resolutions(ctx))
    assert sum(results) == 3
    assert await reopen_disputed_resolutions(ctx) == 0
    assert await Notification.filter(kind=NotificationKind.RESOLUTION_DISPUTED).count() == 3 * 2
    assert await ProblemResolution.filter(reopened_at__isnull=False).count() == 3


def test_the_verdict_runs_hourly_and_by_name() -> None:
    assert RUNNABLE["reopen-disputed-resolutions"] is reopen_disputed_resolutions
    assert reopen_disputed_resolutions in FUNCTIONS
    (scheduled,) = [job for job in CRON_JOBS if job.coroutine is reopen_disputed_resolutions]
    assert scheduled.minute == 35 and scheduled.hour is None
