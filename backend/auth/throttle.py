"""Sign-in throttling, counted in the database so every web process sees every attempt."""

from __future__ import annotations

from datetime import datetime, timedelta

from backend.errors import RateLimited
from backend.models import LoginAttempt

WINDOW = timedelta(minutes=15)
LIMITS = {"account": 10, "client": 50, "magic": 5}


def account_key(email: str) -> str:
    """One key for every alias of an address: case, +tags and Gmail's dots do not make a new one."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in {"gmail.com", "googlemail.com"}:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


async def count_attempt(scope: str, key: str, *, now: datetime) -> None:
    """Record the attempt first, then count: concurrent attempts all see one another."""
    await LoginAttempt.create(scope=scope, key=key, attempted_at=now)
    recent = await LoginAttempt.filter(scope=scope, key=key, attempted_at__gt=now - WINDOW).count()
    if recent > LIMITS[scope]:
        raise RateLimited()


async def forget_attempts(scope: str, key: str) -> None:
    await LoginAttempt.filter(scope=scope, key=key).delete()


async def prune(now: datetime) -> int:
    return await LoginAttempt.filter(attempted_at__lt=now - WINDOW).delete()
