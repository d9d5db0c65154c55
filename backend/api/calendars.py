"""Calendar files outside GraphQL: a volunteer's private feed, and single tasks as events."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from backend import ids
from backend.api.actors import actor_for
from backend.clock import Clock
from backend.errors import DomainError
from backend.services.volunteer_tasks import calendar

ICALENDAR = "text/calendar; charset=utf-8"


def calendar_feed() -> Callable[[Request], Awaitable[Response]]:
    """`/calendar/<secret>.ics`: whoever holds the address reads the feed; nobody else, and
    nobody once it has been reset (404, as for an address that never was)."""

    async def endpoint(request: Request) -> Response:
        body = await calendar.feed(request.path_params["secret"])
        if body is None:
            return JSONResponse({"error": "No calendar has that address."}, status_code=404)
        # The secret in the address is the only key: no cache between may keep a copy.
        return Response(body, media_type=ICALENDAR, headers={"Cache-Control": "private, no-store"})

    return endpoint


def task_event(clock: Clock) -> Callable[[Request], Awaitable[Response]]:
    """`/tasks/<task ID>.ics`: one task as a calendar event, for those who may see it."""

    async def endpoint(request: Request) -> Response:
        actor = await actor_for(request, now=clock.now())
        try:
            task_id = ids.decode(request.path_params["task_id"], "VolunteerTask", "taskId")
            body = await calendar.single(actor, task_id)
        except DomainError as error:
            return JSONResponse({"error": error.message}, status_code=404)
        return Response(
            body,
            media_type=ICALENDAR,
            headers={
                "Content-Disposition": 'attachment; filename="volunteer-task.ics"',
                "Cache-Control": "private, no-store",
            },
        )

    return endpoint
