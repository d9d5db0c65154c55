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

from tortoise.models import Model
from tortoise.queryset import QuerySet

from backend.errors import RateLimited
from backend.models import (
    Comment,
    OutcomeReading,
    Problem,
    ProblemResponse,
    ProblemUpdate,
    ResponseCorrection,
    User,
)
from backend.services import configuration
from backend.settings import RateLimits

WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Write:
    """One kind of write: the table its rows go in, its limit, words for the refusal, and the
    column that names a row's author."""

    table: type[Model]
    limit: Callable[[RateLimits], int]
    counted: str
    again: str
    author: str = "author_id"

    def own_rows(self, user_id: int) -> QuerySet[Any]:
        return self.table.filter(**{self.author: user_id})


PROPOSAL = Write(
    Problem, lambda limits: limits.proposals, "proposals", "propose a problem", author="proposer_id"
)
COMMENT = Write(Comment, lambda limits: limits.comments, "comments", "comment")
RESPONSE = Write(ProblemResponse, lambda limits: limits.responses, "official responses", "respond")
UPDATE = Write(ProblemUpdate, lambda limits: limits.updates, "progress updates", "post an update")
# A correction is news for the problem's followers too, counted like updates.
CORRECTION = Write(ResponseCorrection, lambda limits: limits.updates, "corrections", "correct a response")
# A reading is progress news for the problem's followers and groups: it counts against the
# same allowance as updates, in a count of its own.
READING = Write(
    OutcomeReading, lambda limits: limits.updates, "readings", "record a reading", author="recorded_by_id"
)


async def hold_back(write: Write, user: User, *, now: datetime) -> None:
    """Inside the write's transaction, before it writes: RATE_LIMITED if the person has
    made as many of these as the configured limit allows in the last hour."""
    # NO KEY: the lock serialises this person's own writes, yet lets others' transactions write
    # rows that refer to the person (a notification to them) meanwhile. A full FOR UPDATE would
    # block those, and two people answering one problem at once would deadlock.
    await User.filter(id=user.id).select_for_update(no_key=True).first()
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
