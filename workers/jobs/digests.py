from __future__ import annotations

from typing import Any

from backend.services import digests


async def send_digests(ctx: Any) -> int:
    """Progress digests for everyone due one; each is written once a period, however often
    this runs, and the minutely sweep mails them."""
    return await digests.send_due(now=ctx["clock"].now())
