"""`/unsubscribe/<token>`, outside GraphQL: the address every mail that a setting can turn off
carries, in its text, its HTML and its List-Unsubscribe header (RFC 8058).

GET never changes anything, since mail scanners follow links: a browser is sent to the web
interface's unsubscribe page, which asks for the same address as JSON to say what it would
turn off, and has a button that POSTs to it. POST is what a mail client's own unsubscribe
button sends ("List-Unsubscribe=One-Click", without cookies) and what the page's button
sends: it turns the setting off, or answers 400 for a token that is not valid. The page's
question is answered 200 either way, saying whether the token is valid, as GraphQL answers a
missing thing: what the page asked was answered. The token is the only credential, so a request from any
origin is as good as one from the page: there is nothing for a forged request to gain.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from backend.clock import Clock
from backend.links import preferences_path
from backend.services import configuration, unsubscribe
from backend.services.unsubscribe import Unsubscription

NOT_VALID = (
    "This unsubscribe link is not valid: it may have been cut short when it was copied. "
    "Sign in and choose what Rungs sends you in your notification preferences."
)
# The token is the credential: no cache between may keep the answer.
PRIVATE = {"Cache-Control": "private, no-store"}


def _answer(unsubscription: Unsubscription | None, *, invalid_status: int, **extra: object) -> Response:
    if unsubscription is None:
        return JSONResponse({"valid": False, "error": NOT_VALID}, status_code=invalid_status, headers=PRIVATE)
    return JSONResponse(
        {
            "valid": True,
            "preference": unsubscription.preference.name,
            "turnsOff": unsubscription.turns_off,
            "preferences": f"{configuration.current().public_url}{preferences_path()}",
            **extra,
        },
        headers=PRIVATE,
    )


def unsubscribe_endpoint(clock: Clock) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        token = request.path_params["token"]
        if request.method == "POST":
            return _answer(
                await unsubscribe.unsubscribe(token, now=clock.now()), invalid_status=400, turnedOff=True
            )
        if "application/json" in request.headers.get("accept", ""):
            return _answer(await unsubscribe.check(token), invalid_status=200, turnedOff=False)
        return RedirectResponse(f"/#/unsubscribe/{quote(token, safe='')}", status_code=303, headers=PRIVATE)

    return endpoint
