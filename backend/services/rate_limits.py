"""How often one person may make the writes that notify other people: proposals, comments,
official responses, and progress updates and readings of outcome measures.

Counted in the database, from the person's own rows of the last hour, so every web process
sees the same count. Each write asks here first thing inside its transaction: the person's
row is locked until it commits, so two writes of one person take turns (neither can miss
the other's row), and a refused write leaves nothing behind.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.queryset import QuerySet

from backend.errors import RateLimited
from backend.models import Comment, OutcomeReading, Problem, ProblemResponse, ProblemUpdate, User
from backend.services import configuration
from backend.settings import RateLimits

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Write:
    """One kind of write: the person's own rows of it, its limit, and words for the refusal."""

    own_rows: Callable[[int], QuerySet[Any]]
    limit: Callable[[RateLimits], int]
    counted: str
    again: str


PROPOSAL = Write(
    own_rows=lambda user_id: Problem.filter(proposer_id=user_id),
    limit=lambda limits: limits.proposals,
    counted="proposals",
    again="propose a problem",
)
COMMENT = Write(
    own_rows=lambda user_id: Comment.filter(author_id=user_id),
    limit=lambda limits: limits.comments,
    counted="comments",
    again="comment",
)
RESPONSE = Write(
    own_rows=lambda user_id: ProblemResponse.filter(author_id=user_id),
    limit=lambda limits: limits.responses,
    counted="official responses",
    again="respond",
)
UPDATE = Write(
    own_rows=lambda user_id: ProblemUpdate.filter(author_id=user_id),
    limit=lambda limits: limits.updates,
    counted="progress updates",
    again="post an update",
)
# A reading is progress news for the problem's followers and groups: it counts against the
# same allowance as updates, in a count of its own.
READING = Write(
    own_rows=lambda user_id: OutcomeReading.filter(recorded_by_id=user_id),
    limit=lambda limits: limits.updates,
    counted="readings",
    again="record a reading",
)


async def hold_back(write: Write, user: User, *, now: datetime) -> None:
    """Inside the write's transaction, before it writes: RATE_LIMITED if the person has
    made as many of these as the configured limit allows in the last hour."""
    await User.filter(id=user.id).select_for_update().first()
    limit = write.limit(configuration.current().rate_limits)
    # The limit-th most recent row of the hour: while it stays in the window, so does the
    # whole allowance; once it leaves, one more is allowed.
    oldest_counted = (
        await write.own_rows(user.id)
        .filter(created_at__gt=now - WINDOW)
        .order_by("-created_at")
        .offset(limit - 1)
        .first()
        .values("created_at")
    )
    if oldest_counted is not None:
        allowed_again = oldest_counted["created_at"] + WINDOW
        minutes = max(1, math.ceil((allowed_again - now) / timedelta(minutes=1)))
        wait = "1 minute" if minutes == 1 else f"{minutes} minutes"
        raise RateLimited(
            f"You have made {limit} {write.counted} in the last hour, the most allowed; "
            f"you can {write.again} again in {wait}."
        )
