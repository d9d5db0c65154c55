"""Who may do what with a problem's outcomes: define measures, record readings, close the
problem, and review how it was closed.

Every outcome is part of its problem: it is seen by whoever may see the problem (the
problems package's read rule), and is NOT_FOUND to everyone else. The rights are pure
functions of where the person stands, so the API asks the same rules the services enforce;
the facts they need beyond `Standing` (whether the person leads a group working on the
problem, whether they raised, supported or followed it) are looked up once and passed in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tortoise.expressions import Subquery

from backend.db import int_column, seen_through
from backend.models import (
    Area,
    GroupMembership,
    GroupProblem,
    OutcomeMeasure,
    Problem,
    ProblemFollow,
    ProblemResolution,
    ProblemSupport,
)
from backend.models.enums import GroupRole, MembershipStatus, ProblemStatus, WorkingGroupStatus
from backend.services import problems
from backend.services.actors import Actor
from backend.services.standing import Standing

# Accepted problems being worked on: measures are defined and problems closed only then.
BEING_WORKED_ON = problems.BEING_WORKED_ON
# A closed problem, whose resolution the community reviews.
CLOSED = (ProblemStatus.RESOLVED, ProblemStatus.UNRESOLVED)
# Readings go on after closing: whether the problem stays solved is worth knowing.
MEASURED = (*BEING_WORKED_ON, *CLOSED)
# Dates of readings are days where the problems are: "today" is the local day.
LOCAL_TIME = ZoneInfo("Europe/London")
MEASURERS = (
    "members of the owning organisation, the area's coordinators and the leads of a group working on it"
)
REVIEWERS = "those who proposed, supported or followed the problem"


def today(now: datetime) -> date:
    return now.astimezone(LOCAL_TIME).date()


def measures_for(standing: Standing, problem: Problem, area: Area, *, leads_a_group: bool) -> bool:
    """Measures the problem's outcomes: those who answer for it, and the active leads of an
    active working group on it."""
    return problems.answers_for(standing, problem, area) or leads_a_group


def may_measure(standing: Standing, problem: Problem, area: Area, *, leads_a_group: bool) -> bool:
    """Records readings now: they measure for it, and it has been accepted."""
    return problem.status in MEASURED and measures_for(standing, problem, area, leads_a_group=leads_a_group)


def may_define_measures(standing: Standing, problem: Problem, area: Area, *, leads_a_group: bool) -> bool:
    return problem.status in BEING_WORKED_ON and may_measure(
        standing, problem, area, leads_a_group=leads_a_group
    )


def may_close(standing: Standing, problem: Problem, area: Area) -> bool:
    """Closes it as resolved or not: the owner's members and the area's coordinators, once it
    has been accepted and while it is worked on."""
    return problem.status in BEING_WORKED_ON and problems.answers_for(standing, problem, area)


def may_review(standing: Standing, problem: Problem, *, took_part: bool) -> bool:
    """Says whether they agree with how it was closed: its proposer, supporters and
    followers, while it stays closed."""
    return problem.status in CLOSED and standing.user_id is not None and took_part


async def problems_led_by(user_id: int | None, problem_ids: Collection[int]) -> set[int]:
    """Those of the problems that an active working group works on with the person as an
    active lead, in one query however many problems."""
    if user_id is None or not problem_ids:
        return set()
    led = GroupMembership.filter(user_id=user_id, role=GroupRole.LEAD, status=MembershipStatus.ACTIVE)
    links = GroupProblem.filter(
        problem_id__in=sorted(problem_ids),
        group__status=WorkingGroupStatus.ACTIVE,
        group_id__in=Subquery(led.values("group_id")),
    )
    return set(await int_column(links, "problem_id"))


async def leads_a_group_on(user_id: int | None, problem_id: int) -> bool:
    return problem_id in await problems_led_by(user_id, [problem_id])


async def took_part_in(user_id: int | None, problem: Problem) -> bool:
    """Whether the person proposed, supports or follows the problem."""
    if user_id is None:
        return False
    return (
        problem.proposer_id == user_id
        or await ProblemSupport.exists(problem_id=problem.id, user_id=user_id)
        or await ProblemFollow.exists(problem_id=problem.id, user_id=user_id)
    )


async def access_measure(
    actor: Actor, measure_id: int, *, for_update: bool = False
) -> tuple[OutcomeMeasure, Problem, Area]:
    """The measure, its problem and area, when the actor may see the problem; NOT_FOUND
    alike whether it does not exist or they may not see it. `for_update` locks the problem."""
    measure, (problem, area) = await seen_through(
        await OutcomeMeasure.get_or_none(id=measure_id),
        lambda measure: problems.access_problem(actor, measure.problem_id, for_update=for_update),
        missing="No measure has that ID.",
        field="measureId",
    )
    return measure, problem, area


async def current_resolution(problem: Problem) -> ProblemResolution | None:
    """The closing that stands: none while the problem is open (a reopened problem's past
    closings are history)."""
    if problem.status not in CLOSED:
        return None
    return (
        await ProblemResolution.filter(problem_id=problem.id, reopened_at__isnull=True)
        .order_by("-id")
        .first()
    )
