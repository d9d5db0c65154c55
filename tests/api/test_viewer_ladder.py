"""The viewer's rung, reached by real acts, and their next steps up the ladder.

The scene is the action plan's (tests/action_plan.py): Mill Lane safer nights, an OPEN group
in Mill Lane (the ward, inside Riverside, inside Northshire), where Rita and Ray are members.
Nell is a resident outside it, who lives in Mill Lane; the clock starts on Monday 5 January
2026 and the group's task is on Saturday 10 January.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import pytest
from action_plan import Plan, as_
from action_plan import build as build_plan
from task_board import SATURDAY, make_task, sign_up

from backend import ids, links
from backend.clock import ManualClock
from backend.models import Area, Problem, User, VolunteerTask
from backend.models.enums import JoinPolicy, ResolutionOutcome, Visibility
from backend.services import accounts, areas, outcomes, problems, volunteer_tasks, working_groups
from neighbourhood import Neighbourhood
from support import GraphQL, People, Person

ALL_RUNGS = ["NONE", "PASSIVE", "CONVERSATION", "PARTICIPATION", "ACTIVIST", "VOLUNTEER", "CO_DESIGNER"]


@pytest.fixture
async def plan(gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock) -> Plan:
    built = await build_plan(gql, people, neighbourhood, clock)
    await live_in(built.nell, neighbourhood.ward)
    return built


async def live_in(person: Person, area: Area | None) -> None:
    await User.filter(id=person.user.id).update(home_area_id=area.id if area else None)
    person.user.home_area_id = area.id if area else None


async def rung(gql: GraphQL, person: Person, area: Area | None = None) -> str:
    variables = {"areaId": ids.encode("Area", area.id)} if area else {}
    found: str = (await gql("ViewerLadder", as_=person.token, **variables))["viewer"]["rung"]
    return found


async def steps(gql: GraphQL, person: Person, area: Area | None = None) -> list[dict[str, Any]]:
    variables = {"areaId": ids.encode("Area", area.id)} if area else {}
    found: list[dict[str, Any]] = (await gql("ViewerLadder", as_=person.token, **variables))["viewer"][
        "nextSteps"
    ]
    return found


async def token_now(person: Person, clock: ManualClock) -> str:
    token = await accounts.create_api_token(as_(person), label="tests", now=clock.now())
    return token.secret


def step(rung: str, title: str, url: str) -> dict[str, str]:
    return {"rung": rung, "title": title, "url": url}


async def a_task(plan: Plan, **fields: Any) -> VolunteerTask:
    return await make_task(plan, **fields)


async def follows(plan: Plan) -> None:
    await problems.follow(as_(plan.nell), problem_id=plan.group.problem_id, now=plan.clock.now())


async def comments(plan: Plan) -> None:
    await problems.comment(
        as_(plan.nell), problem_id=plan.group.problem_id, body="I hear them too.", now=plan.clock.now()
    )


async def checks_in(plan: Plan) -> None:
    place = await sign_up(plan, await a_task(plan), plan.nell)
    plan.clock.set(SATURDAY)
    await volunteer_tasks.check_in(as_(plan.lead), assignment_id=place.id, now=plan.clock.now())


async def supports(plan: Plan) -> None:
    await problems.support(as_(plan.nell), problem_id=plan.group.problem_id, now=plan.clock.now())


async def completes(plan: Plan) -> None:
    place = await sign_up(plan, await a_task(plan), plan.nell)
    plan.clock.set(SATURDAY + timedelta(hours=2))
    await volunteer_tasks.complete(as_(plan.lead), assignment_id=place.id, hours=2, now=plan.clock.now())


async def joins(plan: Plan) -> None:
    await working_groups.join(as_(plan.nell), group_id=plan.group.id, now=plan.clock.now())


async def nothing(plan: Plan) -> None:
    pass


ACTS: dict[str, Callable[[Plan], Awaitable[None]]] = {
    "NONE": nothing,
    "PASSIVE": follows,
    "CONVERSATION": comments,
    "PARTICIPATION": checks_in,
    "ACTIVIST": supports,
    "VOLUNTEER": completes,
    "CO_DESIGNER": joins,
}


@pytest.mark.parametrize("reached", ALL_RUNGS)
async def test_each_kind_of_act_puts_the_viewer_on_its_rung_in_the_area_and_the_areas_around_it(
    gql: GraphQL, plan: Plan, reached: str
) -> None:
    n = plan.n
    await ACTS[reached](plan)

    assert await rung(gql, plan.nell) == reached
    for area in (n.ward, n.district, n.force):
        assert await rung(gql, plan.nell, area) == reached, area.name
    assert await rung(gql, plan.nell, n.other_force) == "NONE"
    # Every step leads higher, and none is one already taken.
    offered = await steps(gql, plan.nell)
    assert all(ALL_RUNGS.index(s["rung"]) > ALL_RUNGS.index(reached) for s in offered), offered
    if reached != "CO_DESIGNER":
        assert offered, "a task and a group are open to everyone below the top"
    if reached in ("PASSIVE", "ACTIVIST"):
        assert links.problem_path(plan.group.problem_id) not in [s["url"] for s in offered]


async def test_acts_older_than_twelve_months_no_longer_count(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    await comments(plan)
    clock.advance(days=364)
    # API tokens do not last a year: she signs in afresh.
    nell = Person(user=plan.nell.user, token=await token_now(plan.nell, clock))
    assert await rung(gql, nell) == "CONVERSATION"
    assert await rung(gql, nell, plan.n.ward) == "CONVERSATION"
    clock.advance(days=2)
    assert await rung(gql, nell) == "NONE"
    assert await rung(gql, nell, plan.n.ward) == "NONE"


async def test_the_rung_over_all_areas_is_the_highest_of_any_one(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    n = plan.n
    await comments(plan)
    await n.propose(gql, plan.nell, area=n.other_force, title="Fly-tipping behind the Hillside shops")

    assert await rung(gql, plan.nell) == "ACTIVIST"
    assert await rung(gql, plan.nell, n.other_force) == "ACTIVIST"
    assert await rung(gql, plan.nell, n.ward) == "CONVERSATION"
    assert await rung(gql, plan.nell, n.force) == "CONVERSATION"


async def test_an_unknown_area_is_refused_by_name_and_a_signed_out_visitor_has_no_viewer(
    gql: GraphQL, plan: Plan
) -> None:
    for wrong in ("nonsense", ids.encode("Area", 999_999), ids.encode("Problem", plan.group.problem_id)):
        for field in ("rung(areaId: $a)", "nextSteps(areaId: $a) { title }"):
            answer = await gql.raw(
                f"query($a: ID) {{ viewer {{ {field} }} }}", {"a": wrong}, as_=plan.nell.token
            )
            assert answer["errors"][0]["message"].startswith("areaId: "), answer
    assert (await gql("ViewerLadder"))["viewer"] is None


async def test_someone_new_is_invited_to_follow_to_help_and_to_join_nearby(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    n = plan.n
    task = await a_task(plan)
    problem = await Problem.get(id=plan.group.problem_id)

    assert await steps(gql, plan.nell) == [
        step("PASSIVE", f"Follow: {problem.title}", links.problem_path(problem.id)),
        step("VOLUNTEER", "Help with: Litter pick on Mill Lane, Sat 10 Jan", links.task_path(task.id)),
        step(
            "CO_DESIGNER", "Join the working group: Mill Lane safer nights", links.group_path(plan.group.id)
        ),
    ]
    # Asked about another area, or living there, there is nothing to do yet.
    assert await steps(gql, plan.nell, n.other_force) == []
    await live_in(plan.nell, n.other_force)
    assert await steps(gql, plan.nell) == []
    # With no home area, what is open anywhere.
    await live_in(plan.nell, None)
    assert len(await steps(gql, plan.nell)) == 3


async def test_a_follower_is_asked_to_review_the_closing_then_to_support(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    n = plan.n
    closed_id = await n.accepted_problem(gql, title="Broken street light on Mill Lane")
    await problems.follow(as_(plan.nell), problem_id=closed_id, now=clock.now())
    await outcomes.close(
        as_(n.police_member),
        problem_id=closed_id,
        outcome=ResolutionOutcome.RESOLVED,
        summary="The council replaced the lamp.",
        now=clock.now(),
    )
    open_one = await Problem.get(id=plan.group.problem_id)
    task = await a_task(plan)

    assert await rung(gql, plan.nell) == "PASSIVE"
    assert await steps(gql, plan.nell) == [
        step(
            "CONVERSATION",
            "Say whether it is resolved: Broken street light on Mill Lane",
            links.problem_path(closed_id),
        ),
        step("ACTIVIST", f"Support: {open_one.title}", links.problem_path(open_one.id)),
        step("VOLUNTEER", "Help with: Litter pick on Mill Lane, Sat 10 Jan", links.task_path(task.id)),
    ]
    await outcomes.review(as_(plan.nell), problem_id=closed_id, agrees=True, comment=None, now=clock.now())
    # Reviewing is a conversation: the steps now start above it.
    assert [s["rung"] for s in await steps(gql, plan.nell)] == ["ACTIVIST", "VOLUNTEER", "CO_DESIGNER"]


async def test_steps_already_taken_are_never_offered_again(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    n = plan.n
    task = await a_task(plan)
    later = await a_task(
        plan, title="Leaflets for the lane", starts_at=SATURDAY + timedelta(days=7),
        ends_at=SATURDAY + timedelta(days=7, hours=1),
    )  # fmt: skip
    await sign_up(plan, task, plan.nell)
    await problems.follow(as_(plan.nell), problem_id=plan.group.problem_id, now=clock.now())
    second = await n.accepted_problem(gql, title="Speeding on Mill Lane")
    asking = await working_groups.form(
        as_(n.police_member), problem_id=second, name="Mill Lane speed watch",
        purpose="Slow the traffic.", join_policy=JoinPolicy.APPROVAL, now=clock.now(),
    )  # fmt: skip

    offered = await steps(gql, plan.nell)
    assert offered == [
        step("ACTIVIST", "Support: Speeding on Mill Lane", links.problem_path(second)),
        step("VOLUNTEER", "Help with: Leaflets for the lane, Sat 17 Jan", links.task_path(later.id)),
        step(
            "CO_DESIGNER", "Ask to join the working group: Mill Lane speed watch", links.group_path(asking.id)
        ),
    ]
    # A request waiting for the leads is a step taken; so is a supported problem.
    await working_groups.join(as_(plan.nell), group_id=asking.id, now=clock.now())
    await problems.support(as_(plan.nell), problem_id=second, now=clock.now())
    await sign_up(plan, later, plan.nell)
    assert [s["title"] for s in await steps(gql, plan.nell)] == [
        "Join the working group: Mill Lane safer nights"
    ]


async def test_a_task_needing_the_viewers_skills_comes_first(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    await a_task(plan)
    first_aid = await a_task(
        plan, title="First aid cover at the fun run", skills=["First aid"],
        starts_at=SATURDAY + timedelta(days=14), ends_at=SATURDAY + timedelta(days=14, hours=3),
    )  # fmt: skip
    await User.filter(id=plan.nell.user.id).update(skills=["first aid", "driving"])

    tasks = [s for s in await steps(gql, plan.nell) if s["rung"] == "VOLUNTEER"]
    assert tasks == [
        step(
            "VOLUNTEER",
            "Help with: First aid cover at the fun run, Sat 24 Jan",
            links.task_path(first_aid.id),
        )
    ]


async def test_nothing_the_viewer_may_not_see_is_ever_offered(
    gql: GraphQL, plan: Plan, people: People, clock: ManualClock
) -> None:
    n = plan.n
    priya = await people.make("Priya Proposer")
    hidden_id = await n.accepted_problem(
        gql, priya, title="A private matter", visibility=Visibility.RESTRICTED.value
    )
    hidden_group = await working_groups.form(
        as_(n.police_member), problem_id=hidden_id, name="A private group",
        purpose="Private.", join_policy=JoinPolicy.OPEN, now=clock.now(),
    )  # fmt: skip
    await volunteer_tasks.create(
        as_(n.police_member),
        group_id=hidden_group.id,
        action_id=None,
        details=volunteer_tasks.TaskDetails(
            title="A private task", description="Private.", starts_at=SATURDAY,
            ends_at=SATURDAY + timedelta(hours=1), location=None, remote=True, skills=[], slots=5,
        ),
        now=clock.now(),
    )  # fmt: skip
    outsider = await people.make("Olive Outsider")
    await live_in(outsider, n.ward)

    offered = [s["title"] for s in await steps(gql, outsider)]
    assert offered and not [title for title in offered if "rivate" in title], offered
    # Its proposer may see it, and is offered its task and its group.
    assert [s["title"] for s in await steps(gql, priya)] == [
        "Help with: A private task, Sat 10 Jan",
        "Join the working group: A private group",
    ]


async def test_what_is_in_the_viewers_own_area_comes_before_what_is_around_it(
    gql: GraphQL, plan: Plan, clock: ManualClock
) -> None:
    n = plan.n
    old_town = await areas.create_area(
        as_(n.admin), name="Old Town", parent_id=n.district.id, now=clock.now()
    )
    clock.advance(minutes=1)
    nearby_problem = await n.accepted_problem(gql, area=old_town, title="Graffiti in Old Town")
    nearby_group = await working_groups.form(
        as_(n.police_member), problem_id=nearby_problem, name="Old Town clean walls",
        purpose="Paint over it.", join_policy=JoinPolicy.OPEN, now=clock.now(),
    )  # fmt: skip
    ward_problem = await Problem.get(id=plan.group.problem_id)

    # Living in the ward, its problem and group come first, though those around are newer.
    assert [s["title"] for s in await steps(gql, plan.nell)] == [
        f"Follow: {ward_problem.title}",
        "Join the working group: Mill Lane safer nights",
    ]
    await live_in(plan.nell, old_town)
    assert await steps(gql, plan.nell) == [
        step("PASSIVE", "Follow: Graffiti in Old Town", links.problem_path(nearby_problem)),
        step(
            "CO_DESIGNER", "Join the working group: Old Town clean walls", links.group_path(nearby_group.id)
        ),
    ]
