"""The web application: GraphQL, health, and the web interface."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from tortoise import Tortoise

from backend import db
from backend.api.calendars import calendar_feed, task_event
from backend.api.exports import accountability_export, outcomes_export, personal_data_export
from backend.api.persisted import prepared
from backend.api.public_answers import PublicAnswers, release_fingerprint
from backend.api.schema import build_schema
from backend.api.unsubscribe import unsubscribe_endpoint
from backend.api.view import GraphQLEndpoint
from backend.clock import Clock, SystemClock
from backend.headers import SecurityHeadersMiddleware, content_security_policy
from backend.queue import JobQueue
from backend.request_size import RequestSizeLimitMiddleware
from backend.requests import RequestIdMiddleware
from backend.services import configuration
from backend.settings import Settings
from backend.shell import Frontend, shell_page, stylesheet

logger = logging.getLogger(__name__)

# A health check answers quickly or not at all: a part this slow counts as unreachable.
HEALTH_CHECK_TIMEOUT = 5.0

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend_static"
# The GraphQL documents the web interface sends: persisted (known to /graphql by id) and
# served as they are kept in the repository, for API clients and pages that need the text.
OPERATIONS = ROOT / "graphql" / "operations"
# Browser libraries installed from the npm registry by `make install`, served from our own
# origin (the Content-Security-Policy allows no other). Missing, the pages fall back to text.
VENDOR = {
    "uplot": ROOT / "node_modules" / "uplot" / "dist",
    "leaflet": ROOT / "node_modules" / "leaflet" / "dist",
}


def create_app(
    settings: Settings,
    *,
    clock: Clock | None = None,
    manage_database: bool = True,
    operations: Path = OPERATIONS,
) -> Starlette:
    """The ASGI app. `manage_database=False` leaves Tortoise to whoever already opened it.
    `operations` is the folder of the persisted documents, served at /operations/."""
    configuration.configure(settings)
    clock = clock or SystemClock()
    queue = JobQueue(settings.job_queue_url)
    schema = build_schema(development=settings.is_development, introspection=settings.introspection)
    documents = prepared(operations, schema)
    answers = PublicAnswers(
        settings.job_queue_url,
        enabled=settings.public_answer_cache,
        fingerprint=release_fingerprint(schema.as_str()),
    )
    graphql = GraphQLEndpoint(
        schema, settings=settings, clock=clock, queue=queue, documents=documents, answers=answers
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await db.open_database(settings.database_url, generic_plans=True)
        # Everything built so far lives as long as the process: moved out of the collector's
        # way, full collections (which per-request loaders set off) stop walking it each time.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await queue.close()
            await answers.close()
            if manage_database:
                await db.close_database()

    async def reachable(part: str, check: Callable[[], Awaitable[object]]) -> bool:
        try:
            async with asyncio.timeout(HEALTH_CHECK_TIMEOUT):
                await check()
        except Exception as error:  # any failure means the part is not usable
            # The detail (addresses, paths, driver messages) is for operators, under the
            # request id the answer carries; whoever asks learns only which part failed.
            logger.warning("health: %s unreachable: %s: %s", part, type(error).__name__, error)
            return False
        return True

    async def healthz(request: Request) -> JSONResponse:
        database, redis = await asyncio.gather(
            reachable("database", lambda: Tortoise.get_connection("default").execute_query("SELECT 1")),
            reachable("redis", queue.ping),
        )
        if database and redis:
            return JSONResponse({"status": "ok", "database": "ok", "redis": "ok"})
        failing = {part: "unreachable" for part, ok in (("database", database), ("redis", redis)) if not ok}
        return JSONResponse({"status": "unavailable", **failing}, status_code=503)

    frontend = Frontend(root=FRONTEND, operations=operations)
    policy = content_security_policy(settings.map)
    shell = shell_page(frontend, policy, fresh=settings.is_development)
    return Starlette(
        debug=False,
        routes=[
            # First: nearly every request is for it, and routes are matched in order.
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            Route("/export/my-data.json", personal_data_export(clock), methods=["GET"]),
            Route("/calendar/{secret}.ics", calendar_feed(), methods=["GET"]),
            Route("/tasks/{task_id}.ics", task_event(clock), methods=["GET"]),
            Route("/unsubscribe/{token}", unsubscribe_endpoint(clock), methods=["GET", "POST"]),
            Route("/export/areas/{area_id}/outcomes.csv", outcomes_export(clock), methods=["GET"]),
            Route(
                "/export/areas/{area_id}/accountability.csv", accountability_export(clock), methods=["GET"]
            ),
            Route("/", shell, methods=["GET"]),
            Route("/index.html", shell, methods=["GET"]),
            Route("/styles.css", stylesheet(frontend, fresh=settings.is_development), methods=["GET"]),
            Mount("/operations", StaticFiles(directory=operations), name="operations"),
            *(
                Mount(
                    f"/vendor/{name}", StaticFiles(directory=folder, check_dir=False), name=f"vendor-{name}"
                )
                for name, folder in VENDOR.items()
            ),
            Mount("/", StaticFiles(directory=FRONTEND, html=True), name="frontend"),
        ],
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(SecurityHeadersMiddleware, policy=policy),
            Middleware(RequestSizeLimitMiddleware, max_bytes=settings.max_request_bytes),
        ],
        lifespan=lifespan,
    )
