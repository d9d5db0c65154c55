from __future__ import annotations

from typing import Any

from backend.auth import throttle
from backend.services import accounts, notifications


async def deliver_notifications(ctx: Any, notification_ids: list[int]) -> int:
    """Deliver notifications just written, at once rather than at the next sweep."""
    return await notifications.deliver(ctx["mailer"], ctx["sealer"], notification_ids, clock=ctx["clock"])


async def deliver_due_notifications(ctx: Any) -> int:
    """The sweep: whatever is due and still pending, however it came to be missed."""
    return await notifications.deliver_due(ctx["mailer"], ctx["sealer"], clock=ctx["clock"])


async def prune_login_attempts(ctx: Any) -> int:
    """Sign-in attempts past the window, devices long unused, and addresses nobody confirmed."""
    now = ctx["clock"].now()
    return await throttle.prune(now) + await accounts.forget_unconfirmed_addresses(now)


async def send_task_reminders(ctx: Any) -> int:
    """Task reminders that are due, now: they wait in the outbox with their moment, so this is
    the outbox's sweep (the minutely one sends them too); each is still sent at most once."""
    return await notifications.deliver_due(ctx["mailer"], ctx["sealer"], clock=ctx["clock"])
