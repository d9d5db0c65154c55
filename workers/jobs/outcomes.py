from __future__ import annotations

from typing import Any

from backend.services import outcomes


async def reopen_disputed_resolutions(ctx: Any) -> int:
    """Closings whose 14 days are up: reopen those the community disputes."""
    return await outcomes.reopen_disputed(ctx["clock"].now())
