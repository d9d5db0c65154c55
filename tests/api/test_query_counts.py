"""Pages cost a fixed number of SQL statements, however many items they hold (DESIGN.md §7)."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
import pytest
from tortoise import Tortoise

from backend import db
from backend.clock import ManualClock
from backend.models.enums import (
    AreaRoleKind,
    OrganisationKind,
    OrganisationRole,
    OutcomeDirection,
    ProblemCategory,
    ResolutionOutcome,
)
from backend.services import areas, organisations, outcomes
from backend.services.actors import Actor
from backend.settings import Settings
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person, QueryCounter

AREAS_PAGE = """
query ($first: Int) {
  areas(first: $first) {
    totalCount
    edges { node { id name responseDays parent { name responseDays } children { name }
                   coordinators { displayName } routingRules { category organisation { name } } } }
  }
}
"""

VIEWER = """
{ viewer { email homeArea { name } organisations { role organisation { name } user { displayName } }
           areaRoles { role area { name responseDays } } unreadNotificationCount } }
"""


async def build_areas(admin: Actor, count: int, clock: ManualClock) -> None:
    police = await organisations.create_organisation(
        admin, name=f"Police {count}", kind=OrganisationKind.POLICE, now=clock.now()
    )
    root = await areas.create_area(admin, name=f"Force {count}", response_days=10, now=clock.now())
    for i in range(count - 1):
        area = await areas.create_area(admin, name=f"Ward {count}-{i}", parent_id=root.id, now=clock.now())
        await areas.set_routing_rule(
            admin, area_id=area.id, category=ProblemCategory.DRUGS, organisation_id=police.id, now=clock.now()
        )
        assert admin.user is not None
        await areas.assign_area_role(
            admin, area_id=area.id, user_id=admin.user.id, role=AreaRoleKind.COORDINATOR, now=clock.now()
        )


async def statements_for_page(gql: GraphQL, first: int) -> int:
    with QueryCounter() as queries:
        body = await gql.raw(AREAS_PAGE, {"first": first})
    assert "errors" not in body, body
    assert len(body["data"]["areas"]["edges"]) == first
    return queries.count


async def test_an_areas_page_costs_the_same_for_5_and_for_50_areas(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Admin", admin=True)
    await build_areas(Actor(user=admin.user), 60, clock)
    small, large = await statements_for_page(gql, 5), await statements_for_page(gql, 50)
    assert small == large
    # count + page + parents + children + coordinators' roles + their people + routing rules
    # + organisations (the ancestors for response days come with the parents)
    assert large <= 8


async def test_a_page_takes_one_connection_from_the_pool_and_a_change_its_own(
    gql: GraphQL, people: People, clock: ManualClock, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not db.is_postgres(settings.database_url):
        pytest.skip("the asyncpg pool exists on PostgreSQL only; SQLite has one connection already")
    admin = await people.make("Admin", admin=True)
    await build_areas(Actor(user=admin.user), 6, clock)
    await Tortoise.get_connection("default").execute_query("SELECT 1")  # the pool is made on first use
    pool = Tortoise.get_connection("default")._pool  # type: ignore[attr-defined]
    taken: list[object] = []
    acquire = asyncpg.Pool.acquire

    def counted(self: asyncpg.Pool, *args: Any, **kwargs: Any) -> Any:
        taken.append(self)
        return acquire(self, *args, **kwargs)

    monkeypatch.setattr(asyncpg.Pool, "acquire", counted)
    idle = pool.get_idle_size()

    with QueryCounter() as queries:
        body = await gql.raw(AREAS_PAGE, {"first": 5})
    assert len(body["data"]["areas"]["edges"]) == 5
    assert queries.count >= 5
    assert len(taken) == 1
    assert pool.get_idle_size() == idle

    taken.clear()
    created = await gql.raw(
        "mutation ($input: CreateAreaInput!) "
        "{ createArea(input: $input) { area { name } errors { message } } }",
        {"input": {"name": "Pooled Ward"}},
        as_=admin.token,
    )
    assert created["data"]["createArea"] == {"area": {"name": "Pooled Ward"}, "errors": []}
    # The change's transaction, and the session and limits read around it, go through the pool.
    assert len(taken) >= 1
    assert pool.get_idle_size() == idle


async def test_the_viewer_costs_the_same_with_one_or_many_memberships(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Admin", admin=True)
    member = await people.make("Member")
    actor = Actor(user=admin.user)

    async def join(count: int) -> int:
        for i in range(count):
            org = await organisations.create_organisation(
                actor, name=f"Org {count}-{i}", kind=OrganisationKind.CHARITY, now=clock.now()
            )
            await organisations.add_member(
                actor,
                organisation_id=org.id,
                email=member.user.email,
                role=OrganisationRole.MEMBER,
                now=clock.now(),
            )
            area = await areas.create_area(actor, name=f"Area {count}-{i}", now=clock.now())
            await areas.assign_area_role(
                actor, area_id=area.id, user_id=member.user.id, role=AreaRoleKind.MODERATOR, now=clock.now()
            )
        with QueryCounter() as queries:
            body = await gql.raw(VIEWER, as_=member.token)
        assert "errors" not in body, body
        return queries.count

    assert await join(1) == await join(10)


async def test_rows_are_counted_only_when_total_count_is_asked_for(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Admin", admin=True)
    await build_areas(Actor(user=admin.user), 6, clock)
    with QueryCounter() as without_total:
        body = await gql.raw("{ areas(first: 5) { edges { node { id } } } }")
    assert len(body["data"]["areas"]["edges"]) == 5
    assert without_total.count == 1
    with QueryCounter() as with_total:
        body = await gql.raw("{ areas(first: 5) { totalCount edges { node { id } } } }")
    assert body["data"]["areas"]["totalCount"] == 6
    assert with_total.count == 2


PROBLEMS_PAGE = """
query ($first: Int) {
  problems(first: $first) {
    totalCount
    edges { node { id title status isResponseOverdue supportCount followerCount commentCount
                   viewerSupports viewerFollows location { latitude longitude }
                   viewerCanRespond viewerCanSetStage viewerCanPostUpdate viewerCanModerate
                   viewerSpeaksFor { name }
                   area { name responseDays } owner { name } proposer { displayName }
                   responses { decision author { displayName } organisation { name } } } }
  }
}
"""


async def test_a_problems_page_costs_the_same_for_5_and_for_50_problems(
    gql: GraphQL, neighbourhood: Neighbourhood, people: People
) -> None:
    n = neighbourhood
    areas_used = [n.ward, n.district, n.other_force]
    for i in range(60):
        # Twenty each at most: nobody may propose more in an hour.
        proposer = await people.make(f"Proposer {i}") if i % 3 == 0 else (n.resident, n.neighbour)[i % 2]
        problem = await n.propose(
            gql,
            proposer,
            area=areas_used[i % 3],
            category="DRUGS" if i % 2 else "ANTISOCIAL_BEHAVIOUR",
            visibility="RESTRICTED" if i % 10 == 0 else "PUBLIC",
            latitude=53.0 + i / 1000,
            longitude=-2.0,
        )
        if i % 2 == 0:
            answerer = n.other_coordinator if areas_used[i % 3] is n.other_force else n.force_coordinator
            accept = {"problemId": problem["id"], "decision": "ACCEPT", "body": ""}
            await gql("RespondToProblem", as_=answerer.token, input=accept)

    async def statements(first: int, person: Person | None) -> int:
        with QueryCounter() as queries:
            body = await gql.raw(PROBLEMS_PAGE, {"first": first}, as_=person.token if person else None)
        assert "errors" not in body, body
        assert len(body["data"]["problems"]["edges"]) == first
        return queries.count

    for person in (None, n.police_member, n.force_coordinator):
        small, large = await statements(5, person), await statements(50, person)
        assert small == large, person
    # Signed in: the session, the person's organisations and area roles, the page, the
    # count, areas (with their ancestors), organisations, people, responses, supports, follows.
    assert large <= 13


OUTCOMES_PAGE = """
query ($first: Int) {
  problems(first: $first) {
    edges { node { id status viewerCanDefineMeasures viewerCanRecordReadings viewerCanClose viewerCanReview
                   measures { name progress latest { value }
                              readings { value observedOn recordedBy { displayName } } }
                   resolution { outcome agreeCount disagreeCount viewerAgrees closedBy { displayName } }
                   pastResolutions { reopenedAt } } }
  }
}
"""


async def test_a_page_of_problems_with_their_outcomes_costs_the_same_for_5_and_for_20(
    gql: GraphQL, neighbourhood: Neighbourhood, people: People, clock: ManualClock
) -> None:
    n = neighbourhood
    officer = Actor(user=n.police_member.user)
    for i in range(24):
        proposer = (n.resident, n.neighbour, await people.make(f"Proposer {i}"))[i % 3]
        problem_id = await n.accepted_problem(gql, proposer)
        for m in range(2):
            measure = await outcomes.define_measure(
                officer,
                problem_id=problem_id,
                name=f"Measure {m}",
                unit="reports",
                direction=OutcomeDirection.DECREASE,
                baseline=40,
                baseline_on=date(2025, 10, 1),
                target=10,
                target_on=date(2026, 6, 30),
                now=clock.now(),
            )
            for day in (1, 2):
                await outcomes.record_reading(
                    officer,
                    measure_id=measure.id,
                    value=30 - day,
                    observed_on=date(2025, 12, day),
                    note=None,
                    now=clock.now(),
                )
        if i % 2:
            await outcomes.close(
                officer,
                problem_id=problem_id,
                outcome=ResolutionOutcome.RESOLVED,
                summary="Done.",
                now=clock.now(),
            )
            await outcomes.review(
                Actor(user=proposer.user),
                problem_id=problem_id,
                agrees=i % 4 == 1,
                comment=None,
                now=clock.now(),
            )

    async def statements(first: int, person: Person | None) -> int:
        with QueryCounter() as queries:
            body = await gql.raw(OUTCOMES_PAGE, {"first": first}, as_=person.token if person else None)
        assert "errors" not in body, body
        assert len(body["data"]["problems"]["edges"]) == first
        return queries.count

    for person in (None, n.resident, n.police_member):
        small, large = await statements(5, person), await statements(20, person)
        assert small == large, person


ANSWERS_PAGE = """
query ($first: Int) {
  problems(first: $first) {
    edges { node { id viewerSpeaksFor { name answerTemplates { title } viewerCanManageAnswerTemplates }
                   responses { body correctedAt textCorrectableUntil viewerCanCorrect viewerCanCorrectText
                               corrections { kind body author { displayName } organisation { name } } } } }
  }
  organisations(first: 10) {
    edges { node { name viewerCanManageAnswerTemplates answerTemplates { title } } }
  }
}
"""


async def test_responses_with_their_corrections_and_templates_cost_the_same_for_5_and_for_20(
    gql: GraphQL, neighbourhood: Neighbourhood, people: People
) -> None:
    n = neighbourhood
    await organisations.add_member(
        Actor(user=n.admin.user),
        organisation_id=n.council.id,
        email=n.police_member.user.email,
        role=OrganisationRole.ADMIN,
        now=n.police.created_at,
    )
    for title in ("Patrols arranged", "Referred to the council"):
        body = {"organisationId": n.organisation_id(n.police), "title": title, "body": f"{title}."}
        await gql("CreateAnswerTemplate", as_=n.admin.token, input=body)
    for i in range(20):
        proposer = (n.resident, n.neighbour)[i % 2]
        problem = await n.propose(gql, proposer, title=f"Problem {i}")
        accept = {"problemId": problem["id"], "decision": "ACCEPT", "body": f"Accepted {i}."}
        result = await gql("RespondToProblem", as_=n.police_member.token, input=accept)
        response_id = result["respondToProblem"]["problem"]["responses"][0]["id"]
        for act in ("CorrectProblemResponse", "AddResponseCorrectionNote"):
            await gql(
                act, as_=n.police_member.token, input={"responseId": response_id, "body": f"Put right {i}."}
            )

    async def statements(first: int, person: Person) -> int:
        with QueryCounter() as queries:
            body = await gql.raw(ANSWERS_PAGE, {"first": first}, as_=person.token)
        assert "errors" not in body, body
        edges = body["data"]["problems"]["edges"]
        assert len(edges) == first and len(edges[0]["node"]["responses"][0]["corrections"]) == 2
        return queries.count

    for person in (n.police_member, n.district_coordinator):
        assert await statements(5, person) == await statements(20, person), person


async def test_the_administration_tables_cost_the_same_for_few_and_many_areas(
    gql: GraphQL, people: People, clock: ManualClock
) -> None:
    admin = await people.make("Admin", admin=True)

    async def statements() -> int:
        with QueryCounter() as queries:
            await gql("Administration", as_=admin.token)
        return queries.count

    await build_areas(Actor(user=admin.user), 3, clock)
    few = await statements()
    await build_areas(Actor(user=admin.user), 30, clock)
    many = await statements()
    assert few == many
    # session + standing, then the roles, the rules, the check's areas, coordinators and
    # rules, and one load each of the areas, people and organisations they name
    assert many <= 9
