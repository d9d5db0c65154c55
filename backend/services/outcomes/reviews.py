"""The community's review of a closing: those who raised, supported or followed a problem say
whether they agree with how it was closed. One review per person per closing, which they may
change; the counts are public, each person's own view is theirs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from backend.errors import Forbidden, InvalidState
from backend.models import Problem, ProblemResolution, ResolutionReview
from backend.models.enums import ActivityKind
from backend.services import activity, validation
from backend.services.actors import Actor
from backend.services.outcomes.access import REVIEWERS, current_resolution, may_review, took_part_in
from backend.services.problems import access_problem
from backend.services.standing import standing_of

MAX_COMMENT = 2000


def _counted(agrees: bool, by: int) -> dict[str, Any]:
    column = "agree_count" if agrees else "disagree_count"
    return {column: F(column) + by}


async def review(
    actor: Actor, *, problem_id: int, agrees: bool, comment: str | None, now: datetime
) -> Problem:
    user = actor.require_user()
    comment = validation.remark(comment, "comment", what="comment", max_length=MAX_COMMENT)
    standing = await standing_of(actor)
    async with in_transaction():
        # The problem's lock makes reviews of one closing take turns, so the counts stay true;
        # the unique constraint on (closing, person) holds whatever happens.
        problem, _ = await access_problem(actor, problem_id, for_update=True)
        resolution = await current_resolution(problem)
        if resolution is None:
            raise InvalidState("This problem is not closed, so there is no resolution to review.")
        if not may_review(standing, problem, took_part=await took_part_in(user.id, problem)):
            raise Forbidden(f"Only {REVIEWERS} review how it was closed.")
        await _write_review(resolution, user.id, agrees, comment, now=now)
        await activity.record(user, problem, ActivityKind.RESOLUTION_REVIEWED, now=now)
    return problem


async def _write_review(
    resolution: ProblemResolution, user_id: int, agrees: bool, comment: str | None, *, now: datetime
) -> None:
    earlier = await ResolutionReview.get_or_none(resolution_id=resolution.id, user_id=user_id)
    if earlier is None:
        await ResolutionReview.create(
            resolution=resolution,
            user_id=user_id,
            agrees=agrees,
            comment=comment,
            created_at=now,
            updated_at=now,
        )
        await ProblemResolution.filter(id=resolution.id).update(**_counted(agrees, 1))
        return
    if earlier.agrees != agrees:
        await ProblemResolution.filter(id=resolution.id).update(
            **_counted(earlier.agrees, -1), **_counted(agrees, 1)
        )
    await ResolutionReview.filter(id=earlier.id).update(agrees=agrees, comment=comment, updated_at=now)
