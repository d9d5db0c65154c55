"""Progress on a problem, from those who answer for it: updates for its followers, and its
moves through the SARA stages once accepted."""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from backend.errors import Forbidden, InvalidState
from backend.models import Problem, ProblemUpdate, StageChange
from backend.models.enums import ActivityKind, ProblemStatus, SaraStage
from backend.services import activity, rate_limits, validation
from backend.services.actors import Actor
from backend.services.problems import notices
from backend.services.problems.access import (
    BEING_WORKED_ON,
    access_problem,
    answering_organisation,
    answers_for,
    may_post_update,
)
from backend.services.problems.responding import MAX_BODY
from backend.services.standing import standing_of

# The stages an accepted problem moves through, in order.
STAGES_AFTER_ACCEPTANCE = (SaraStage.ANALYSIS, SaraStage.RESPONSE, SaraStage.ASSESSMENT)


async def post_update(
    actor: Actor,
    *,
    problem_id: int,
    body: str,
    now: datetime,
) -> Problem:
    """Progress news from those answering for the problem, for its followers."""
    user = actor.require_user()
    body = validation.text(body, "body", what="update", max_length=MAX_BODY, multiline=True)
    standing = await standing_of(actor)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.UPDATE, user, now=now)
        problem, area = await access_problem(actor, problem_id, for_update=True)
        if not may_post_update(standing, problem, area):
            raise Forbidden(
                "Only members of the owning organisation and the area's coordinators post updates."
            )
        update = await ProblemUpdate.create(
            problem=problem,
            body=body,
            author=user,
            organisation_id=answering_organisation(standing, problem),
            created_at=now,
        )
        problem.updated_at = now
        await problem.save(update_fields=["updated_at"])
        await activity.record(user, problem, ActivityKind.UPDATE_POSTED, now=now)
        await notices.tell_update(problem, update, user, now=now)
    return problem


def _check_stage_move(current: SaraStage, target: SaraStage) -> None:
    """Forward one stage at a time, or back to any earlier stage (SARA loops back when an
    assessment shows the response did not work); never back to scanning."""
    if target == SaraStage.SCANNING:
        raise InvalidState("An accepted problem cannot go back to scanning.")
    if target == current:
        raise InvalidState(f"The problem is at the {current.value} stage already.")
    order = STAGES_AFTER_ACCEPTANCE
    if order.index(target) > order.index(current) + 1:
        raise InvalidState(
            f"The problem must go through {order[order.index(current) + 1].value} before {target.value}."
        )


async def set_stage(actor: Actor, *, problem_id: int, stage: SaraStage, now: datetime) -> Problem:
    actor.require_user()
    standing = await standing_of(actor)
    async with in_transaction():
        problem, area = await access_problem(actor, problem_id, for_update=True)
        if not answers_for(standing, problem, area):
            raise Forbidden(
                "Only members of the owning organisation and the area's coordinators set the stage."
            )
        if problem.status not in BEING_WORKED_ON:
            raise InvalidState(
                f"Only an accepted problem moves through the stages; this one is {problem.status.value}."
            )
        _check_stage_move(problem.stage, stage)
        status = ProblemStatus.ACCEPTED if stage == SaraStage.ANALYSIS else ProblemStatus.IN_PROGRESS
        await move_to(problem, status=status, stage=stage, now=now)
    return problem


async def move_to(problem: Problem, *, status: ProblemStatus, stage: SaraStage, now: datetime) -> None:
    """Inside the caller's transaction, with the problem locked: its new status and stage, as
    official activity (a stage move, a closing, a reopening), kept for its followers' digests."""
    problem.status = status
    problem.stage = stage
    problem.updated_at = now
    await problem.save(update_fields=["stage", "status", "updated_at"])
    await StageChange.create(problem_id=problem.id, status=status, stage=stage, changed_at=now)
