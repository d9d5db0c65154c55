"""Who sent a request: the person behind its session cookie or bearer token, if any.

It lives at the web edge, above the accounts service that recognises a credential, so
that `backend.auth` stays below the services that use it."""

from __future__ import annotations

from datetime import datetime

from starlette.requests import Request

from backend.auth.sessions import DEVICE_COOKIE, credential
from backend.services import accounts
from backend.services.actors import Actor


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
