"""The activity record: each act of taking part writes its row, in the act's transaction.

Every act writes exactly its own row (with one statement), an act that changes nothing or
is refused writes none, and an act whose row cannot be written does not happen. Undoing
an act adds a row and takes none away, so the history, and the rung it reaches, stay.
Erasure keeps the acts, belonging to nobody; the export lists a person's own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from tortoise import Tortoise
from tortoise.exceptions import IntegrityError
from tortoise.functions import Max
from tortoise.transactions import in_transaction

from backend import ids
from backend.clock import ManualClock
from backend.models import (
    Activity,
    Comment,
    Notification,
    Problem,
    ProblemFollow,
    ProblemResponse,
    ProblemRouting,
    ProblemSupport,
    ProblemUpdate,
)
from backend.models.enums import ActivityKind, ParticipationRung, ProblemCategory, ResponseDecision
from backend.services import organisations, problems
from backend.services.activity import RUNG_REACHED
from backend.services.actors import Actor
from backend.services.personal_data import NO_LONGER_VISIBLE
from neighbourhood import Neighbourhood
from support import PASSWORD, GraphQL, Person, QueryCounter, error_of, payload

Row = tuple[int | None, int, int | None, ActivityKind, ParticipationRung, datetime]

A_YEAR = timedelta(days=365)


async def recorded() -> list[Row]:
    return [
        (a.person_id, a.area_id, a.problem_id, a.kind, a.rung, a.occurred_at)
        for a in await Activity.all().order_by("id")
    ]


async def highest_rung(person: Person, area_id: int, now: datetime) -> ParticipationRung:
    """The ladder's question: the highest rung the person's acts in the area reached in
    the last 12 months."""
    rows = (
        await Activity.filter(person_id=person.user.id, area_id=area_id, occurred_at__gt=now - A_YEAR)
        .annotate(top=Max("rung"))
        .values_list("top", flat=True)
    )
    return ParticipationRung(rows[0] or 0)


def problem_key(problem: dict[str, Any]) -> int:
    return ids.decode(problem["id"], "Problem", "id")


def inserts_into_the_record(queries: QueryCounter) -> int:
    return sum('INSERT INTO "activities"' in statement for statement in queries.statements)


# ------------------------------------------------------------------ each act


async def test_every_act_writes_its_row_with_person_area_rung_and_time_in_one_statement(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    rita, ray, pat = n.resident.user.id, n.neighbour, n.police_member
    proposed_at = clock.now()

    with QueryCounter() as queries:
        problem = await n.propose(gql)

    key, ward = problem_key(problem), n.ward.id
    # The proposer supports and follows what they propose: three acts, one statement.
    assert await recorded() == [
        (rita, ward, key, ActivityKind.PROPOSED, ParticipationRung.ACTIVIST, proposed_at),
        (rita, ward, key, ActivityKind.SUPPORTED, ParticipationRung.ACTIVIST, proposed_at),
        (rita, ward, key, ActivityKind.FOLLOWED, ParticipationRung.PASSIVE, proposed_at),
    ]
    assert inserts_into_the_record(queries) == 1
    on_problem = {"problemId": problem["id"]}
    acts: list[tuple[Person, str, dict[str, Any], ActivityKind, ParticipationRung]] = [
        (ray, "SupportProblem", on_problem, ActivityKind.SUPPORTED, ParticipationRung.ACTIVIST),
        (ray, "FollowProblem", on_problem, ActivityKind.FOLLOWED, ParticipationRung.PASSIVE),
        (
            ray,
            "CommentOnProblem",
            {"input": {**on_problem, "body": "Every night this week."}},
            ActivityKind.COMMENTED,
            ParticipationRung.CONVERSATION,
        ),
        (
            pat,
            "RespondToProblem",
            {"input": {**on_problem, "decision": "ACCEPT", "body": "We will patrol."}},
            ActivityKind.RESPONDED,
            ParticipationRung.NONE,
        ),
        (
            pat,
            "PostProblemUpdate",
            {"input": {**on_problem, "body": "Patrols start on Friday."}},
            ActivityKind.UPDATE_POSTED,
            ParticipationRung.NONE,
        ),
        (ray, "WithdrawSupport", on_problem, ActivityKind.SUPPORT_WITHDRAWN, ParticipationRung.NONE),
        (ray, "UnfollowProblem", on_problem, ActivityKind.UNFOLLOWED, ParticipationRung.NONE),
    ]
    for person, operation, variables, kind, rung in acts:
        before = len(await recorded())
        at = clock.advance(hours=1)

        with QueryCounter() as queries:
            result = payload(await gql(operation, as_=person.token, **variables))

        assert result["errors"] == [], (operation, result)
        assert (await recorded())[before:] == [(person.user.id, ward, key, kind, rung, at)], operation
        assert inserts_into_the_record(queries) == 1, operation


async def test_withdrawing_and_unfollowing_keep_the_history_and_the_rung_for_a_year(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    ray, ward = n.neighbour, n.ward.id
    problem = await n.propose(gql)
    supported_at = clock.advance(days=1)
    await gql("SupportProblem", as_=ray.token, problemId=problem["id"])
    await gql("FollowProblem", as_=ray.token, problemId=problem["id"])
    clock.advance(days=30)

    await gql("WithdrawSupport", as_=ray.token, problemId=problem["id"])
    await gql("UnfollowProblem", as_=ray.token, problemId=problem["id"])

    assert not await ProblemSupport.exists(user_id=ray.user.id)
    assert not await ProblemFollow.exists(user_id=ray.user.id)
    assert [kind for person, *_, kind, _, _ in await recorded() if person == ray.user.id] == [
        ActivityKind.SUPPORTED,
        ActivityKind.FOLLOWED,
        ActivityKind.SUPPORT_WITHDRAWN,
        ActivityKind.UNFOLLOWED,
    ]
    # Having supported in the last 12 months keeps him an activist here, until a year is up.
    assert await highest_rung(ray, ward, clock.now()) == ParticipationRung.ACTIVIST
    assert await highest_rung(ray, n.other_force.id, clock.now()) == ParticipationRung.NONE
    assert await highest_rung(ray, ward, supported_at + A_YEAR) == ParticipationRung.NONE


async def test_acts_that_change_nothing_record_nothing(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    before = await recorded()

    for person, operation in (
        (n.resident, "SupportProblem"),  # the proposer supports and follows already
        (n.resident, "FollowProblem"),
        (n.neighbour, "WithdrawSupport"),  # he never supported nor followed it
        (n.neighbour, "UnfollowProblem"),
    ):
        result = payload(await gql(operation, as_=person.token, problemId=problem["id"]))
        assert result["errors"] == [], (operation, result)

    assert await recorded() == before


async def test_refused_acts_record_nothing(gql: GraphQL, neighbourhood: Neighbourhood) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    hidden = await n.propose(gql, title="Threats outside the school", visibility="RESTRICTED")
    before = await recorded()

    refusals = [
        ("RespondToProblem", {"problemId": problem["id"], "decision": "ACCEPT", "body": ""}, "FORBIDDEN"),
        ("PostProblemUpdate", {"problemId": problem["id"], "body": "Patrols from Friday."}, "FORBIDDEN"),
        ("CommentOnProblem", {"problemId": problem["id"], "body": "   "}, "INVALID"),
        ("CommentOnProblem", {"problemId": hidden["id"], "body": "Seen it too."}, "NOT_FOUND"),
    ]
    for operation, values, code in refusals:
        error = error_of(await gql(operation, as_=n.neighbour.token, input=values))
        assert error["code"] == code, (operation, error)
    for operation in ("SupportProblem", "FollowProblem"):
        error = error_of(await gql(operation, as_=n.neighbour.token, problemId=hidden["id"]))
        assert error["code"] == "NOT_FOUND", (operation, error)

    assert await recorded() == before


async def test_a_duplicates_supporters_carried_over_to_the_original_record_no_act_of_theirs(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    original = await n.propose(gql)
    duplicate = await n.propose(gql, n.neighbour, title="Racing on the lane again")
    await gql("SupportProblem", as_=n.council_member.token, problemId=duplicate["id"])
    before = len(await recorded())
    marked_at = clock.advance(hours=2)

    result = payload(
        await gql(
            "RespondToProblem",
            as_=n.police_member.token,
            input={
                "problemId": duplicate["id"],
                "decision": "DUPLICATE",
                "body": "",
                "duplicateOfId": original["id"],
            },
        )
    )

    assert result["errors"] == []
    # They support the original now, but that was the responder's doing, not theirs.
    supporters = await ProblemSupport.filter(problem_id=problem_key(original)).values_list(
        "user_id", flat=True
    )
    assert {n.neighbour.user.id, n.council_member.user.id} <= set(supporters)
    assert (await recorded())[before:] == [
        (
            n.police_member.user.id,
            n.ward.id,
            problem_key(duplicate),
            ActivityKind.RESPONDED,
            ParticipationRung.NONE,
            marked_at,
        )
    ]


# ------------------------------------------------------- one transaction


@asynccontextmanager
async def record_refusing_rows() -> AsyncIterator[None]:
    """The database refuses every new row of the record, as a full disk or a lost
    connection would in the middle of an act."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        refuse = (
            "CREATE TRIGGER refuse_activity BEFORE INSERT ON activities "
            "BEGIN SELECT RAISE(ABORT, 'activity refused'); END"
        )
        allow = "DROP TRIGGER refuse_activity"
    else:
        refuse = (
            "CREATE FUNCTION refuse_activity() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'activity refused' USING ERRCODE = 'check_violation'; END $$; "
            "CREATE TRIGGER refuse_activity BEFORE INSERT ON activities "
            "FOR EACH ROW EXECUTE FUNCTION refuse_activity()"
        )
        allow = "DROP TRIGGER refuse_activity ON activities; DROP FUNCTION refuse_activity()"
    await connection.execute_script(refuse)
    try:
        yield
    finally:
        await connection.execute_script(allow)


async def everything_written() -> dict[str, Any]:
    """Every row an act writes, and the counts it keeps on the problems."""
    models = (
        Activity,
        Problem,
        ProblemSupport,
        ProblemFollow,
        ProblemRouting,
        ProblemResponse,
        ProblemUpdate,
        Comment,
        Notification,
    )
    written: dict[str, Any] = {model.__name__: await model.all().count() for model in models}
    written["problems"] = (
        await Problem.all()
        .order_by("id")
        .values_list("status", "support_count", "follower_count", "comment_count", "updated_at")
    )
    return written


Act = Callable[[Neighbourhood, int, datetime], Awaitable[object]]

ACTS: dict[str, Act] = {
    "propose": lambda n, _, now: problems.propose(
        Actor(user=n.neighbour.user),
        area_id=n.ward.id,
        title="Broken street light",
        description="Out for a week.",
        category=ProblemCategory.ENVIRONMENT,
        now=now,
    ),
    "support": lambda n, key, now: problems.support(Actor(user=n.neighbour.user), problem_id=key, now=now),
    "withdraw support": lambda n, key, now: problems.withdraw_support(
        Actor(user=n.resident.user), problem_id=key, now=now
    ),
    "follow": lambda n, key, now: problems.follow(Actor(user=n.neighbour.user), problem_id=key, now=now),
    "unfollow": lambda n, key, now: problems.unfollow(Actor(user=n.resident.user), problem_id=key, now=now),
    "comment": lambda n, key, now: problems.comment(
        Actor(user=n.neighbour.user), problem_id=key, body="Seen it too.", now=now
    ),
    "respond": lambda n, key, now: problems.respond(
        Actor(user=n.police_member.user),
        problem_id=key,
        decision=ResponseDecision.ACCEPT,
        body="We will patrol.",
        now=now,
    ),
    "post update": lambda n, key, now: problems.post_update(
        Actor(user=n.police_member.user),
        problem_id=key,
        body="Patrols from Friday.",
        now=now,
    ),
}


@pytest.mark.parametrize("act", sorted(ACTS))
async def test_an_act_whose_record_cannot_be_written_does_not_happen(
    act: str, gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    problem = await n.propose(gql)
    before = await everything_written()

    async with record_refusing_rows():
        with pytest.raises(IntegrityError, match="activity refused"):
            await ACTS[act](n, problem_key(problem), clock.advance(hours=1))

    assert await everything_written() == before


# ------------------------------------------------------------------ indexes


async def a_years_record(n: Neighbourhood, clock: ManualClock) -> None:
    """Everyone in the neighbourhood acting in every area, every week for a year."""
    everyone = [n.admin, n.resident, n.neighbour, n.police_member, n.council_member, n.moderator]
    kinds = list(RUNG_REACHED)
    await Activity.bulk_create(
        [
            Activity(
                person_id=person.user.id,
                area_id=area.id,
                kind=kinds[week % len(kinds)],
                rung=RUNG_REACHED[kinds[week % len(kinds)]],
                occurred_at=clock.now() - timedelta(weeks=week),
            )
            for person in everyone
            for area in (n.force, n.district, n.ward, n.other_force)
            for week in range(52)
        ],
        batch_size=500,
    )
    connection = Tortoise.get_connection("default")
    await connection.execute_script("ANALYZE activities")


@pytest.mark.parametrize(
    ("question", "index"),
    [
        (
            "SELECT MAX(rung) FROM activities WHERE person_id = {person} AND area_id = {area} "
            "AND occurred_at > '{year_ago}'",
            "idx_activities_person__077b38",
        ),
        (
            "SELECT person_id, MAX(rung) FROM activities WHERE area_id = {area} "
            "AND occurred_at >= '{month_ago}' AND occurred_at < '{now}' GROUP BY person_id",
            "idx_activities_area_id_ce6bfa",
        ),
    ],
    ids=["a person's highest rung in an area", "an area's month"],
)
async def test_the_ladders_questions_are_answered_from_an_index(
    question: str, index: str, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    await a_years_record(n, clock)
    now = clock.now()
    sql = question.format(
        person=n.resident.user.id,
        area=n.ward.id,
        now=now.isoformat(),
        month_ago=(now - timedelta(days=30)).isoformat(),
        year_ago=(now - A_YEAR).isoformat(),
    )

    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        plan = await connection.execute_query_dict(f"EXPLAIN QUERY PLAN {sql}")
        steps = " ".join(str(step["detail"]) for step in plan)
    else:
        # A small table is cheaper to read whole: ask for the plan the indexes allow.
        async with in_transaction() as transaction:
            await transaction.execute_script("SET LOCAL enable_seqscan = off")
            plan = await transaction.execute_query_dict(f"EXPLAIN {sql}")
        steps = " ".join(str(step["QUERY PLAN"]) for step in plan)
    assert index in steps, steps


# ------------------------------------------------------ erasure and export


async def test_erasure_keeps_the_acts_in_their_area_and_time_but_belonging_to_nobody(
    gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    await n.propose(gql, n.neighbour, title="Vans parked across the dropped kerb")
    ritas = await n.propose(gql)
    clock.advance(hours=1)
    await gql("SupportProblem", as_=n.neighbour.token, problemId=ritas["id"])
    await gql("CommentOnProblem", as_=n.neighbour.token, input={"problemId": ritas["id"], "body": "Yes."})
    await gql("WithdrawSupport", as_=n.neighbour.token, problemId=ritas["id"])
    before = await recorded()
    ray = n.neighbour.user.id

    erased = await gql("EraseAccount", as_=n.neighbour.token, input={"password": PASSWORD})

    assert payload(erased)["errors"] == []
    after = await recorded()
    assert after == [
        (None, area, None, kind, rung, at) if person == ray else (person, area, problem, kind, rung, at)
        for person, area, problem, kind, rung, at in before
    ]
    assert not await Activity.exists(person_id=ray)


async def test_the_export_lists_the_persons_acts_without_titles_they_may_no_longer_see(
    client: httpx.AsyncClient, gql: GraphQL, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    pat = n.police_member
    public = await n.propose(gql, title="Cars racing on Mill Lane at night")
    restricted = await n.propose(gql, title="Grooming reported near the arcade", visibility="RESTRICTED")
    clock.advance(hours=1)
    await gql("FollowProblem", as_=pat.token, problemId=restricted["id"])
    followed_at = clock.now()
    responded_at = clock.advance(hours=1)
    accept = {"problemId": public["id"], "decision": "ACCEPT", "body": "We will patrol."}
    await gql("RespondToProblem", as_=pat.token, input=accept)
    await organisations.remove_member(
        Actor(user=n.admin.user), organisation_id=n.police.id, user_id=pat.user.id
    )

    response = await client.get("/export/my-data.json", headers={"Authorization": f"Bearer {pat.token}"})

    assert response.status_code == 200
    assert "Grooming" not in response.text
    assert response.json()["activity"] == [
        {
            "act": "FOLLOWED",
            "area": "Mill Lane",
            "problem": NO_LONGER_VISIBLE,
            "rung": "PASSIVE",
            "at": followed_at.isoformat(),
        },
        {
            "act": "RESPONDED",
            "area": "Mill Lane",
            "problem": "Cars racing on Mill Lane at night",
            "rung": "NONE",
            "at": responded_at.isoformat(),
        },
    ]
