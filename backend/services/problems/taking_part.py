"""Taking part in a problem: supporting, following and commenting, and the moderators'
hiding of comments."""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from backend.db import seen_through
from backend.errors import Forbidden, InvalidState
from backend.models import Comment, Problem, ProblemFollow, ProblemSupport
from backend.models.enums import ActivityKind, ProblemStatus
from backend.services import activity, rate_limits, validation
from backend.services.actors import Actor
from backend.services.problems.access import access_problem, may_hide_comments
from backend.services.standing import standing_of

MAX_COMMENT = 2_000
MAX_REASON = 500

# Supporting and following: one row per (problem, person), counted on the problem.
Participation = TypeVar("Participation", ProblemSupport, ProblemFollow)

# The problem's column that counts each of them.
COUNTED_IN = {ProblemSupport: "support_count", ProblemFollow: "follower_count"}
# What joining, and leaving, each of them records.
JOINED = {ProblemSupport: ActivityKind.SUPPORTED, ProblemFollow: ActivityKind.FOLLOWED}
LEFT = {ProblemSupport: ActivityKind.SUPPORT_WITHDRAWN, ProblemFollow: ActivityKind.UNFOLLOWED}


async def _join(actor: Actor, problem_id: int, model: type[Participation], now: datetime) -> Problem:
    user = actor.require_user()
    counter = COUNTED_IN[model]
    async with in_transaction():
        # The row lock serialises joins and leaves on this problem, so the count and the
        # rows cannot drift apart; the unique (problem, person) backs it up.
        problem, _ = await access_problem(actor, problem_id, for_update=True)
        if model is ProblemSupport and problem.status == ProblemStatus.DUPLICATE:
            raise InvalidState("This problem is a duplicate: support the problem it duplicates instead.")
        if not await model.exists(problem_id=problem.id, user_id=user.id):
            await model.create(problem=problem, user=user, created_at=now)
            await Problem.filter(id=problem.id).update(**{counter: F(counter) + 1})
            await activity.record(user, problem, JOINED[model], now=now)
    return await Problem.get(id=problem_id)


async def _leave(actor: Actor, problem_id: int, model: type[Participation], now: datetime) -> Problem:
    user = actor.require_user()
    counter = COUNTED_IN[model]
    async with in_transaction():
        problem, _ = await access_problem(actor, problem_id, for_update=True)
        if await model.filter(problem_id=problem.id, user_id=user.id).delete():
            await Problem.filter(id=problem.id).update(**{counter: F(counter) - 1})
            # The support or follow is gone; the record keeps that it was, and was undone.
            await activity.record(user, problem, LEFT[model], now=now)
    return await Problem.get(id=problem_id)


async def support(actor: Actor, *, problem_id: int, now: datetime) -> Problem:
    """One support per person; supporting again changes nothing."""
    return await _join(actor, problem_id, ProblemSupport, now)


async def withdraw_support(actor: Actor, *, problem_id: int, now: datetime) -> Problem:
    return await _leave(actor, problem_id, ProblemSupport, now)


async def follow(actor: Actor, *, problem_id: int, now: datetime) -> Problem:
    return await _join(actor, problem_id, ProblemFollow, now)


async def unfollow(actor: Actor, *, problem_id: int, now: datetime) -> Problem:
    return await _leave(actor, problem_id, ProblemFollow, now)


async def comment(actor: Actor, *, problem_id: int, body: str, now: datetime) -> Comment:
    user = actor.require_user()
    body = validation.text(body, "body", what="comment", max_length=MAX_COMMENT, multiline=True)
    async with in_transaction():
        await rate_limits.hold_back(rate_limits.COMMENT, user, now=now)
        problem, _ = await access_problem(actor, problem_id, for_update=True)
        posted = await Comment.create(problem=problem, author=user, body=body, created_at=now)
        await Problem.filter(id=problem.id).update(comment_count=F("comment_count") + 1)
        await activity.record(user, problem, ActivityKind.COMMENTED, now=now)
    return posted


async def hide_comment(actor: Actor, *, comment_id: int, reason: str, now: datetime) -> Problem:
    """Moderators and coordinators hide a comment from public view; the reason is kept."""
    user = actor.require_user()
    reason = validation.text(
        reason, "reason", what="reason for hiding it", max_length=MAX_REASON, multiline=True
    )
    hidden = await Comment.get_or_none(id=comment_id)
    async with in_transaction():
        hidden, (problem, area) = await seen_through(
            hidden,
            lambda comment: access_problem(actor, comment.problem_id, for_update=True),
            missing="No comment has that ID.",
            field="commentId",
        )
        if not may_hide_comments(await standing_of(actor), area):
            raise Forbidden("Only the area's moderators and coordinators hide comments.")
        if not await Comment.filter(id=hidden.id, hidden_at__isnull=True).update(
            hidden_at=now, hidden_by_id=user.id, hidden_reason=reason
        ):
            raise InvalidState("This comment is hidden already.")
        await Problem.filter(id=problem.id).update(comment_count=F("comment_count") - 1)
    return await Problem.get(id=problem.id)
