"""Who sent a request: a session cookie from the browser, or a bearer token from an API client."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request

from backend.services import accounts
from backend.services.actors import Actor

SESSION_COOKIE = "rungs_session"
DEVICE_COOKIE = "rungs_device"


def credential(request: Request) -> str:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return request.cookies.get(SESSION_COOKIE, "")


async def actor_for(request: Request, *, now: datetime) -> Actor:
    secret = credential(request)
    session = await accounts.authenticate(secret, now=now) if secret else None
    return Actor(
        user=session.user if session else None,
        session=session,
        client=request.client.host if request.client else "unknown",
        user_agent=request.headers.get("user-agent", ""),
        device=request.cookies.get(DEVICE_COOKIE) or None,
    )
