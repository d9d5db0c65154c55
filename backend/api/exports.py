"""Downloads outside GraphQL: a person's copy of their own data."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse

from backend.api.actors import actor_for
from backend.clock import Clock
from backend.services import personal_data


def personal_data_export(clock: Clock) -> Callable[[Request], Awaitable[JSONResponse]]:
    async def endpoint(request: Request) -> JSONResponse:
        now = clock.now()
        actor = await actor_for(request, now=now)
        if actor.user is None:
            return JSONResponse({"error": "Sign in to download your data."}, status_code=401)
        data = await personal_data.export(actor, now=now)
        return JSONResponse(
            data,
            headers={
                "Content-Disposition": f'attachment; filename="rungs-my-data-{now:%Y-%m-%d}.json"',
                "Cache-Control": "no-store",
            },
        )

    return endpoint
