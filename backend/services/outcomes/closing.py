"""Closing a problem as resolved or not, for the community to review.

Closing is what the task capability asks of a problem's working groups before it takes a new
task: `accepts_new_tasks` says whether a group still does (tasks it has already stand).
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from backend.errors import Forbidden, InvalidState
from backend.models import Problem, ProblemResolution, WorkingGroup
from backend.models.enums import ActivityKind, ProblemStatus, ResolutionOutcome, WorkingGroupStatus
from backend.services import activity, problems, validation
from backend.services.actors import Actor
from backend.services.outcomes import notices
from backend.services.outcomes.access import CLOSED, may_close
from backend.services.standing import standing_of

MAX_SUMMARY = 4000
STATUS_OF = {
    ResolutionOutcome.RESOLVED: ProblemStatus.RESOLVED,
    ResolutionOutcome.UNRESOLVED: ProblemStatus.UNRESOLVED,
}


async def close(
    actor: Actor, *, problem_id: int, outcome: ResolutionOutcome, summary: str, now: datetime
) -> Problem:
    """The problem closes as resolved or unresolved with what was done and what came of it;
    those who raised, supported or followed it are asked whether they agree."""
    user = actor.require_user()
    summary = validation.text(summary, "summary", what="summary", max_length=MAX_SUMMARY, multiline=True)
    standing = await standing_of(actor)
    async with in_transaction():
        problem, area = await problems.access_problem(actor, problem_id, for_update=True)
        if not problems.answers_for(standing, problem, area):
            raise Forbidden(f"Only {problems.ANSWERERS} close the problem.")
        if not may_close(standing, problem, area):
            raise InvalidState(
                "Only an accepted problem that is being worked on can be closed; "
                f"this one is {problem.status.value.lower().replace('_', ' ')}."
            )
        resolution = await ProblemResolution.create(
            problem=problem,
            outcome=outcome,
            summary=summary,
            closed_by=user,
            organisation_id=problems.answering_organisation(standing, problem),
            closed_at=now,
        )
        await problems.move_to(problem, status=STATUS_OF[outcome], stage=problem.stage, now=now)
        await activity.record(user, problem, ActivityKind.PROBLEM_CLOSED, now=now)
        await notices.tell_closed(problem, resolution, user, now=now)
    return problem


async def accepts_new_tasks(group: WorkingGroup) -> bool:
    """Whether the group may take on a new volunteer task: it is active and the problem it
    formed around is not closed. Tasks it already has are not affected by a closing."""
    if group.status != WorkingGroupStatus.ACTIVE:
        return False
    return not await Problem.exists(id=group.problem_id, status__in=list(CLOSED))
