"""The community's verdict on a closing, 14 days after it: if more reviewers disagree than
agree, and at least 3 disagree, the problem reopens at the assessment stage and those who
answer for it are told. Each closing is judged once, however often and however many
workers run the sweep: the first to mark it judged (a conditional update) is the one that acts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.transactions import in_transaction

from backend.db import int_column
from backend.models import Area, Problem, ProblemResolution
from backend.models.enums import ProblemStatus, SaraStage
from backend.services import problems
from backend.services.outcomes import notices
from backend.services.outcomes.access import CLOSED

VERDICT_AFTER = timedelta(days=14)
# Fewer than this many disagreeing never reopens a problem, however few agree.
DISAGREEING_AT_LEAST = 3
VERDICT_BATCH = 100


def is_disputed(resolution: ProblemResolution) -> bool:
    return (
        resolution.disagree_count > resolution.agree_count
        and resolution.disagree_count >= DISAGREEING_AT_LEAST
    )


async def reopen_disputed(now: datetime) -> int:
    """Judge every closing whose 14 days are up; returns how many problems reopened."""
    reopened = 0
    after = 0
    while True:
        due = await int_column(
            ProblemResolution.filter(judged_at__isnull=True, closed_at__lte=now - VERDICT_AFTER, id__gt=after)
            .order_by("id")
            .limit(VERDICT_BATCH),
            "id",
        )
        if not due:
            return reopened
        for resolution_id in due:
            reopened += await _judge(resolution_id, now=now)
        after = due[-1]


async def _judge(resolution_id: int, *, now: datetime) -> int:
    async with in_transaction():
        resolution = await ProblemResolution.get(id=resolution_id)
        # Reviews wait on the problem's lock, so the counts judged are the final ones.
        problem = await Problem.filter(id=resolution.problem_id).select_for_update().first()
        # The conditional update is the claim: of two sweeps, only one judges the closing.
        if not await ProblemResolution.filter(id=resolution_id, judged_at__isnull=True).update(judged_at=now):
            return 0
        await resolution.refresh_from_db()
        if problem is None or problem.status not in CLOSED or not is_disputed(resolution):
            return 0
        resolution.reopened_at = now
        await resolution.save(update_fields=["reopened_at"])
        await problems.move_to(problem, status=ProblemStatus.IN_PROGRESS, stage=SaraStage.ASSESSMENT, now=now)
        await notices.tell_disputed(problem, await Area.get(id=problem.area_id), resolution, now=now)
    return 1
