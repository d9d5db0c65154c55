"""The viewer's rung and next steps cost a fixed number of SQL statements, however many
problems, tasks, groups and closings there are to choose from (DESIGN.md §7)."""

from __future__ import annotations

from datetime import timedelta

from action_plan import as_
from action_plan import build as build_plan
from task_board import SATURDAY, make_task

from backend.clock import ManualClock
from backend.models import User
from backend.models.enums import JoinPolicy, ResolutionOutcome
from backend.services import outcomes, problems, working_groups
from neighbourhood import Neighbourhood
from support import GraphQL, People, QueryCounter


async def test_next_steps_cost_the_same_for_one_and_for_many_of_each_kind(
    gql: GraphQL, people: People, neighbourhood: Neighbourhood, clock: ManualClock
) -> None:
    n = neighbourhood
    plan = await build_plan(gql, people, n, clock)
    follower = plan.nell
    await User.filter(id=follower.user.id).update(home_area_id=n.ward.id, skills=["first aid"])

    async def one_of_each(number: int) -> None:
        problem_id = await n.accepted_problem(gql, title=f"Problem {number}")
        await problems.follow(as_(follower), problem_id=problem_id, now=clock.now())
        await outcomes.close(
            as_(n.police_member), problem_id=problem_id, outcome=ResolutionOutcome.RESOLVED,
            summary="Done.", now=clock.now(),
        )  # fmt: skip
        await n.accepted_problem(gql, title=f"Open problem {number}")
        starts = SATURDAY + timedelta(days=number)
        await make_task(plan, title=f"Task {number}", starts_at=starts, ends_at=starts + timedelta(hours=1))
        await working_groups.form(
            as_(n.police_member), problem_id=plan.group.problem_id, name=f"Group {number}",
            purpose="More hands.", join_policy=JoinPolicy.APPROVAL, now=clock.now(),
        )  # fmt: skip

    async def statements() -> tuple[int, list[str]]:
        with QueryCounter() as queries:
            data = await gql("ViewerLadder", as_=follower.token)
        return queries.count, [step["rung"] for step in data["viewer"]["nextSteps"]]

    await one_of_each(0)
    few, offered = await statements()
    assert offered == ["CONVERSATION", "ACTIVIST", "VOLUNTEER"]
    for number in range(1, 8):
        await one_of_each(number)
    many, offered = await statements()
    assert offered == ["CONVERSATION", "ACTIVIST", "VOLUNTEER"]
    assert few == many
    assert few <= 15, few
