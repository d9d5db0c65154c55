"""Downloads outside GraphQL: a person's copy of their own data, and an area's outcomes and
accountability as CSV files."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from backend import ids
from backend.api.actors import actor_for
from backend.clock import Clock
from backend.errors import DomainError
from backend.services import outcomes, personal_data
from backend.services.actors import Actor


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


AreaFile = Callable[[Actor, int], Awaitable[AsyncIterator[str]]]


def area_csv(clock: Clock, name: str, rows: AreaFile) -> Callable[[Request], Awaitable[Response]]:
    """`/export/areas/<area ID>/<name>.csv`: streamed as it is read, a page of rows at a time;
    what the caller may not see is not in it."""

    async def endpoint(request: Request) -> Response:
        now = clock.now()
        actor = await actor_for(request, now=now)
        try:
            area_id = ids.decode(request.path_params["area_id"], "Area", "areaId")
            lines = await rows(actor, area_id)
        except DomainError as error:
            return JSONResponse({"error": error.message}, status_code=404)
        return StreamingResponse(
            lines,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="rungs-{name}-{now:%Y-%m-%d}.csv"',
                # Signed-in callers may see restricted rows: no shared cache keeps their copy.
                "Cache-Control": "private, no-store",
            },
        )

    return endpoint


def outcomes_export(clock: Clock) -> Callable[[Request], Awaitable[Response]]:
    return area_csv(clock, "outcomes", outcomes.outcomes_csv)


def accountability_export(clock: Clock) -> Callable[[Request], Awaitable[Response]]:
    return area_csv(clock, "accountability", outcomes.accountability_csv)
