"""Outcomes through the API, for the tests: a measure on an accepted problem, its readings,
a closing and reviews of it (tests/neighbourhood.py says who everyone is)."""

from __future__ import annotations

from typing import Any

from backend import ids
from neighbourhood import Neighbourhood
from support import GraphQL, Person, payload

# Complaints of racing per month: 40 when counted in October, to be 10 by the summer.
MEASURE = {
    "name": "Complaints of racing",
    "unit": "complaints a month",
    "direction": "DECREASE",
    "baseline": 40.0,
    "baselineOn": "2025-10-01",
    "target": 10.0,
    "targetOn": "2026-06-30",
}


def token(who: Person | None) -> str | None:
    return who.token if who else None


async def define(gql: GraphQL, who: Person | None, problem_id: int, **fields: Any) -> dict[str, Any]:
    values = {**MEASURE, "problemId": ids.encode("Problem", problem_id), **fields}
    return await gql("DefineOutcomeMeasure", as_=token(who), input=values)


async def measure_on(gql: GraphQL, n: Neighbourhood, problem_id: int, **fields: Any) -> str:
    """A measure defined by the police member; its ID."""
    result = payload(await define(gql, n.police_member, problem_id, **fields))
    assert result["errors"] == [], result
    measure_id: str = result["measure"]["id"]
    return measure_id


async def record(
    gql: GraphQL, who: Person | None, measure_id: str, value: float, observed_on: str, note: str | None = None
) -> dict[str, Any]:
    values = {"measureId": measure_id, "value": value, "observedOn": observed_on, "note": note}
    return await gql("RecordOutcomeReading", as_=token(who), input=values)


async def close(
    gql: GraphQL,
    who: Person | None,
    problem_id: int,
    outcome: str = "RESOLVED",
    summary: str = "No racing since March.",
) -> dict[str, Any]:
    values = {"problemId": ids.encode("Problem", problem_id), "outcome": outcome, "summary": summary}
    return await gql("CloseProblem", as_=token(who), input=values)


async def closed(gql: GraphQL, n: Neighbourhood, problem_id: int, outcome: str = "RESOLVED") -> None:
    result = payload(await close(gql, n.police_member, problem_id, outcome))
    assert result["errors"] == [], result


async def review(
    gql: GraphQL, who: Person | None, problem_id: int, agrees: bool, comment: str | None = None
) -> dict[str, Any]:
    values = {"problemId": ids.encode("Problem", problem_id), "agrees": agrees, "comment": comment}
    return await gql("ReviewResolution", as_=token(who), input=values)


async def support(gql: GraphQL, who: Person, problem_id: int) -> None:
    result = payload(await gql("SupportProblem", as_=who.token, problemId=ids.encode("Problem", problem_id)))
    assert result["errors"] == [], result


async def follow(gql: GraphQL, who: Person, problem_id: int) -> None:
    result = payload(await gql("FollowProblem", as_=who.token, problemId=ids.encode("Problem", problem_id)))
    assert result["errors"] == [], result
