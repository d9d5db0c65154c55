"""Escalating unanswered proposals: once overdue, and again at twice the response time.

Each step happens once per problem, however often the job runs; the clock is moved by hand.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from backend.clock import ManualClock
from backend.models import Notification, ProblemRouting
from backend.models.enums import NotificationKind
from neighbourhood import Neighbourhood
from support import GraphQL, payload
from workers.jobs import RUNNABLE, escalate_overdue_responses
from workers.settings import CRON_JOBS, FUNCTIONS


@pytest.fixture
def ctx(clock: ManualClock, settings: Any) -> dict[str, Any]:
    return {"clock": clock, "settings": settings}


async def overdue_notices() -> Counter[int]:
    """How many overdue notices each person has had."""
    rows = await Notification.filter(kind=NotificationKind.RESPONSE_OVERDUE).values_list("recipient_id")
    return Counter(recipient for (recipient,) in rows)


async def test_each_step_happens_once_however_often_the_job_runs(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, ctx: dict[str, Any]
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)  # owned by the police, 14 days to answer, in Mill Lane
    proposed = clock.now()

    clock.set(proposed + timedelta(days=14))  # due now, not yet overdue
    assert await escalate_overdue_responses(ctx) == 0
    assert await overdue_notices() == Counter()

    clock.set(proposed + timedelta(days=14, minutes=1))
    assert await escalate_overdue_responses(ctx) == 1
    # The owner's members and the nearest coordinators (the district's: the ward has none).
    assert await overdue_notices() == Counter({n.police_member.user.id: 1, n.district_coordinator.user.id: 1})
    for _ in range(3):
        assert await escalate_overdue_responses(ctx) == 0
    clock.advance(days=13)
    assert await escalate_overdue_responses(ctx) == 0
    assert sum((await overdue_notices()).values()) == 2

    clock.set(proposed + timedelta(days=28))  # twice the response time
    assert await escalate_overdue_responses(ctx) == 1
    assert await overdue_notices() == Counter(
        {n.police_member.user.id: 2, n.district_coordinator.user.id: 2, n.force_coordinator.user.id: 1}
    )
    escalation = await Notification.get(
        recipient_id=n.force_coordinator.user.id, kind=NotificationKind.RESPONSE_OVERDUE
    )
    assert escalation.title.startswith("Escalated") and "Cars racing on Mill Lane" in escalation.title
    assert escalation.url is not None and escalation.url.endswith(problem["id"])
    clock.advance(days=100)
    assert await escalate_overdue_responses(ctx) == 0
    assert sum((await overdue_notices()).values()) == 5
    # Still overdue on the board, until someone answers.
    seen = (await gql("Problem", id=problem["id"]))["problem"]
    assert seen["isResponseOverdue"] is True


async def test_a_job_that_was_not_running_takes_both_steps_at_once(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, ctx: dict[str, Any]
) -> None:
    n = neighbourhood
    await n.propose(gql)
    clock.advance(days=30)
    assert await escalate_overdue_responses(ctx) == 2
    assert await escalate_overdue_responses(ctx) == 0
    assert (await overdue_notices())[n.force_coordinator.user.id] == 1


async def test_an_answered_proposal_is_not_escalated(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, ctx: dict[str, Any]
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    clock.advance(days=20)
    accept = {"problemId": problem["id"], "decision": "ACCEPT", "body": "Late, but yes."}
    assert payload(await gql("RespondToProblem", as_=n.police_member.token, input=accept))["errors"] == []
    clock.advance(days=20)
    assert await escalate_overdue_responses(ctx) == 0
    assert await overdue_notices() == Counter()


async def test_a_referral_gives_the_new_owner_its_own_time_and_its_own_reminders(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, ctx: dict[str, Any]
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    clock.advance(days=15)
    assert await escalate_overdue_responses(ctx) == 1  # the police were late
    refer = {
        "problemId": problem["id"],
        "decision": "REFER",
        "body": "This is the council's.",
        "referToOrganisationId": n.organisation_id(n.council),
    }
    assert payload(await gql("RespondToProblem", as_=n.police_member.token, input=refer))["errors"] == []
    clock.advance(days=13)  # 28 days after proposal, but only 13 after the referral
    assert await escalate_overdue_responses(ctx) == 0
    clock.advance(days=2)
    assert await escalate_overdue_responses(ctx) == 1
    notices = await overdue_notices()
    assert notices[n.council_member.user.id] == 1 and notices[n.police_member.user.id] == 1
    routings = await ProblemRouting.all().order_by("id")
    assert [r.overdue_notified_at is not None for r in routings] == [True, True]
    assert [r.escalated_at for r in routings] == [None, None]


async def test_without_coordinators_nearby_the_nearest_ones_above_are_told(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, ctx: dict[str, Any]
) -> None:
    n = neighbourhood
    await n.propose(gql, category="DRUGS")  # no owner: the coordinators answer
    clock.advance(days=29)
    assert await escalate_overdue_responses(ctx) == 2
    assert await overdue_notices() == Counter(
        {n.district_coordinator.user.id: 2, n.force_coordinator.user.id: 1}
    )


def test_the_escalation_runs_hourly_and_by_name() -> None:
    assert RUNNABLE["escalate-overdue-responses"] is escalate_overdue_responses
    assert escalate_overdue_responses in FUNCTIONS
    (scheduled,) = [job for job in CRON_JOBS if job.coroutine is escalate_overdue_responses]
    assert scheduled.minute == 5 and scheduled.hour is None


async def test_two_workers_escalating_at_once_take_each_step_once(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock, ctx: dict[str, Any]
) -> None:
    n = neighbourhood
    for _ in range(5):
        await n.propose(gql)
    clock.advance(days=15)
    taken = await asyncio.gather(*(escalate_overdue_responses(ctx) for _ in range(3)))
    assert sum(taken) == 5
    assert (await overdue_notices())[n.police_member.user.id] == 5
