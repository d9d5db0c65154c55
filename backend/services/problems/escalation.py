"""Escalation: a proposal left unanswered past its response date is brought to the notice
of those who owe the answer, and at twice the response time to the area above."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from backend.db import int_column
from backend.models import ProblemRouting
from backend.services.problems import notices
from backend.services.problems.access import AWAITING_RESPONSE

ESCALATION_BATCH = 100


async def escalate_overdue(now: datetime) -> int:
    """Tell those who owe a response once it is overdue, and at twice the response time
    tell the coordinators of the area above as well. Each step happens once per routing,
    however often this runs and however many workers run it. Returns the steps taken."""
    taken = 0
    for step, due in (("overdue_notified_at", Q(due_at__lt=now)), ("escalated_at", Q(escalate_at__lte=now))):
        after = 0
        while True:
            unrecorded: dict[str, Any] = {f"{step}__isnull": True}
            pending = await int_column(
                ProblemRouting.filter(
                    due,
                    answered_at__isnull=True,
                    problem__status__in=list(AWAITING_RESPONSE),
                    id__gt=after,
                    **unrecorded,
                )
                .order_by("id")
                .limit(ESCALATION_BATCH),
                "id",
            )
            if not pending:
                break
            for routing_id in pending:
                taken += await _escalate(routing_id, step, now=now)
            after = pending[-1]
    return taken


async def _escalate(routing_id: int, step: str, *, now: datetime) -> int:
    async with in_transaction():
        # The conditional update is the claim: of two workers, only one records the step.
        unrecorded: dict[str, Any] = {f"{step}__isnull": True}
        if not await ProblemRouting.filter(id=routing_id, answered_at__isnull=True, **unrecorded).update(
            **{step: now}
        ):
            return 0
        routing = await ProblemRouting.get(id=routing_id)
        await notices.tell_overdue(routing, escalated=step == "escalated_at", now=now)
    return 1
