"""Writes that notify people are limited per person and hour, counted in the database: past
the limit the answer is RATE_LIMITED, saying when to try again, and nothing is written."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from outcomes_support import measure_on, record

from backend.app import create_app
from backend.clock import ManualClock
from backend.models import (
    Comment,
    Notification,
    OutcomeReading,
    Problem,
    ProblemFollow,
    ProblemResponse,
    ProblemRouting,
    ProblemSupport,
    ProblemUpdate,
)
from backend.settings import DEFAULT_RATE_LIMITS, RateLimits, Settings
from conftest import PUBLIC_URL
from neighbourhood import Neighbourhood
from support import GraphQL, Person, error_of, operation, payload

PROPOSE = "p{i}: proposeProblem(input: $input) {{ problem {{ id }} errors {{ code message field }} }}"
COMMENT = "c{i}: commentOnProblem(input: $input) {{ comment {{ id }} errors {{ code message field }} }}"


async def aliased(
    gql: GraphQL, person: Person, mutation: str, input_type: str, input: Any, times: int
) -> list:
    """One request making the same mutation `times` times under aliases, as an attacker would."""
    aliases = " ".join(mutation.format(i=i) for i in range(times))
    body = await gql.raw(
        f"mutation ($input: {input_type}!) {{ {aliases} }}", {"input": input}, as_=person.token
    )
    assert "errors" not in body, body
    return list(body["data"].values())


def proposal(n: Neighbourhood, title: str = "Cars racing on Mill Lane") -> dict[str, Any]:
    return {
        "areaId": n.area_id(n.ward),
        "title": title,
        "description": "Most nights after 11pm.",
        "category": "ANTISOCIAL_BEHAVIOUR",
    }


async def written() -> dict[str, int]:
    """Every kind of row a proposal, comment, response or update writes."""
    models = (Problem, ProblemSupport, ProblemFollow, ProblemRouting, ProblemResponse, ProblemUpdate)
    counts = {model.__name__: await model.all().count() for model in (*models, Comment, Notification)}
    counts["comment_count"] = sum(await Problem.all().values_list("comment_count", flat=True))
    return counts


async def test_proposals_past_the_limit_are_refused_and_nothing_is_written(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    limit = DEFAULT_RATE_LIMITS.proposals
    made = await aliased(gql, n.resident, PROPOSE, "ProposeProblemInput", proposal(n), limit)
    assert all(result["errors"] == [] for result in made)
    clock.advance(minutes=15)
    before = await written()

    refused = await aliased(gql, n.resident, PROPOSE, "ProposeProblemInput", proposal(n), 10)

    assert [result["problem"] for result in refused] == [None] * 10
    assert refused[0]["errors"] == [
        {
            "code": "RATE_LIMITED",
            "field": None,
            "message": f"You have made {limit} proposals in the last hour, the most allowed; "
            "you can propose a problem again in 45 minutes.",
        }
    ]
    assert await written() == before
    # Somebody else is not held back by it.
    assert payload(await gql("ProposeProblem", as_=n.neighbour.token, input=proposal(n)))["errors"] == []
    # And once the hour has passed, the proposer may go on.
    clock.advance(minutes=45)
    assert payload(await gql("ProposeProblem", as_=n.resident.token, input=proposal(n)))["errors"] == []


async def test_comments_past_the_limit_are_refused_and_nothing_is_written(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    comment = {"problemId": problem["id"], "body": "Still happening."}
    limit = DEFAULT_RATE_LIMITS.comments
    for _ in range(limit // 30):
        made = await aliased(gql, n.neighbour, COMMENT, "CommentOnProblemInput", comment, 30)
        assert all(result["errors"] == [] for result in made)
        clock.advance(minutes=1)
    before = await written()

    error = error_of(await gql("CommentOnProblem", as_=n.neighbour.token, input=comment))

    assert error["code"] == "RATE_LIMITED"
    # The first thirty, four minutes ago, leave the hour first.
    assert error["message"] == (
        f"You have made {limit} comments in the last hour, the most allowed; "
        "you can comment again in 56 minutes."
    )
    assert await written() == before
    assert payload(await gql("CommentOnProblem", as_=n.resident.token, input=comment))["errors"] == []


@pytest.fixture
async def strict_gql(
    settings: Settings, clock: ManualClock, neighbourhood: Neighbourhood
) -> AsyncIterator[GraphQL]:
    """The API with the staff limits set low, as RESPONSES_PER_HOUR and UPDATES_PER_HOUR would.
    Made after the neighbourhood's own app: the services take the settings of the app made last."""
    strict = Settings(**{**settings.__dict__, "rate_limits": RateLimits(responses=2, updates=2)})
    app = create_app(strict, clock=clock, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC_URL) as client:
        yield GraphQL(client)


async def test_official_responses_and_updates_are_limited_as_the_settings_say(
    strict_gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    problems = [await n.propose(strict_gql, title=f"Problem {i}") for i in range(3)]
    accept = [{"problemId": problem["id"], "decision": "ACCEPT", "body": ""} for problem in problems]
    for answer in accept[:2]:
        assert (
            payload(await strict_gql("RespondToProblem", as_=n.police_member.token, input=answer))["errors"]
            == []
        )
    before = await written()
    error = error_of(await strict_gql("RespondToProblem", as_=n.police_member.token, input=accept[2]))
    assert error["code"] == "RATE_LIMITED"
    assert "2 official responses in the last hour" in error["message"]
    assert await written() == before

    update = {"problemId": problems[0]["id"], "body": "Patrols start on Friday."}
    for _ in range(2):
        assert (
            payload(await strict_gql("PostProblemUpdate", as_=n.police_member.token, input=update))["errors"]
            == []
        )
    before = await written()
    error = error_of(await strict_gql("PostProblemUpdate", as_=n.police_member.token, input=update))
    assert error["code"] == "RATE_LIMITED"
    assert "2 progress updates in the last hour" in error["message"]
    assert await written() == before


async def test_simultaneous_proposals_cannot_slip_past_the_limit_together(
    gql: GraphQL, neighbourhood: Neighbourhood
) -> None:
    n = neighbourhood
    limit = DEFAULT_RATE_LIMITS.proposals
    await aliased(gql, n.resident, PROPOSE, "ProposeProblemInput", proposal(n), limit - 2)

    results = await asyncio.gather(
        *(
            gql.raw(operation("ProposeProblem"), {"input": proposal(n)}, as_=n.resident.token)
            for _ in range(6)
        )
    )

    made = [result for result in results if result["data"]["proposeProblem"]["problem"] is not None]
    assert len(made) == 2
    assert await Problem.filter(proposer_id=n.resident.user.id).count() == limit


async def test_readings_are_limited_as_updates_are(strict_gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    measure_id = await measure_on(strict_gql, n, await n.accepted_problem(strict_gql))
    for day in ("2025-11-01", "2025-12-01"):
        assert payload(await record(strict_gql, n.police_member, measure_id, 30, day))["errors"] == []
    error = error_of(await record(strict_gql, n.police_member, measure_id, 30, "2026-01-01"))
    assert error["code"] == "RATE_LIMITED"
    assert "2 readings in the last hour" in error["message"]
    assert await OutcomeReading.all().count() == 2
