"""Who hears of a problem's outcomes: new readings, a closing, and a disputed one reopened.

Every notice goes through the problems package's `tell`, so it is about the problem and
reaches only those who may read it.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Subquery

from backend.db import int_column
from backend.models import (
    Area,
    GroupMembership,
    GroupProblem,
    Organisation,
    OutcomeMeasure,
    OutcomeReading,
    Problem,
    ProblemResolution,
    User,
)
from backend.models.enums import MembershipStatus, NotificationKind, ResolutionOutcome
from backend.services.problems.notices import answerers, audience, tell, tell_news

# How an outcome is said in a notice.
OUTCOME_WORDS = {ResolutionOutcome.RESOLVED: "resolved", ResolutionOutcome.UNRESOLVED: "not resolved"}


async def _group_members(problem: Problem) -> list[int]:
    """The active members of every group working on the problem."""
    groups = GroupProblem.filter(problem_id=problem.id).values("group_id")
    members = GroupMembership.filter(group_id__in=Subquery(groups), status=MembershipStatus.ACTIVE)
    return await int_column(members, "user_id")


def _number(value: float) -> str:
    return f"{value:g}"


async def tell_reading(
    problem: Problem, measure: OutcomeMeasure, reading: OutcomeReading, author: User, *, now: datetime
) -> None:
    """The problem's followers and the members of its groups hear of the reading, once each
    however many of those they are."""
    note = f"\n\n{reading.note}" if reading.note else ""
    await tell_news(
        problem,
        author,
        occurrence=f"reading:{reading.id}",
        organisation_id=None,
        body=(
            f"{measure.name}: {_number(reading.value)} {measure.unit} on {reading.observed_on:%-d %B %Y} "
            f"(baseline {_number(measure.baseline)}, target {_number(measure.target)}).{note}"
        ),
        now=now,
        also=await _group_members(problem),
    )


async def tell_closed(
    problem: Problem, resolution: ProblemResolution, closed_by: User, *, now: datetime
) -> None:
    """The proposer, supporters and followers are asked whether they agree."""
    organisation = (
        await Organisation.get(id=resolution.organisation_id)
        if resolution.organisation_id is not None
        else None
    )
    await tell(
        NotificationKind.RESOLUTION_REVIEW,
        problem,
        await audience(problem),
        occurrence=f"resolution:{resolution.id}",
        context={
            "outcome": OUTCOME_WORDS[resolution.outcome],
            "closed_by": closed_by.display_name,
            "organisation": organisation.name if organisation else None,
            "summary": resolution.summary,
        },
        now=now,
        author=closed_by,
    )


async def tell_disputed(
    problem: Problem, area: Area, resolution: ProblemResolution, *, now: datetime
) -> None:
    """Those who answer for the problem hear that the community's verdict reopened it."""
    await tell(
        NotificationKind.RESOLUTION_DISPUTED,
        problem,
        await answerers(problem.owner_id, area),
        occurrence=f"resolution:{resolution.id}:disputed",
        context={
            "outcome": OUTCOME_WORDS[resolution.outcome],
            "agree": resolution.agree_count,
            "disagree": resolution.disagree_count,
        },
        now=now,
    )
