from __future__ import annotations

from typing import Any

from backend.services import problems


async def escalate_overdue_responses(ctx: Any) -> int:
    """Proposals past their response date: remind those who owe the answer, then escalate."""
    return await problems.escalate_overdue(ctx["clock"].now())
