"""Where a request carries its credentials: a session cookie from the browser, or a bearer
token from an API client."""

from __future__ import annotations

from starlette.requests import Request

SESSION_COOKIE = "rungs_session"
DEVICE_COOKIE = "rungs_device"


def credential(request: Request) -> str:
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return request.cookies.get(SESSION_COOKIE, "")
