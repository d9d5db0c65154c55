from __future__ import annotations

from typing import Any

from backend.services.ladder import snapshots


async def snapshot_ladder(ctx: Any) -> int:
    """Today's snapshot of the participation ladder in every area not yet taken today."""
    return await snapshots.take(now=ctx["clock"].now())
