"""The web application: GraphQL, health, and the web interface."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
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
from backend.api.exports import personal_data_export
from backend.api.schema import build_schema
from backend.api.view import GraphQLEndpoint
from backend.clock import Clock, SystemClock
from backend.headers import SecurityHeadersMiddleware
from backend.queue import JobQueue
from backend.request_size import RequestSizeLimitMiddleware
from backend.requests import RequestIdMiddleware
from backend.settings import Settings

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend_static"
# The GraphQL documents the web interface sends, served as they are kept in the repository.
OPERATIONS = ROOT / "graphql" / "operations"


def create_app(settings: Settings, *, clock: Clock | None = None, manage_database: bool = True) -> Starlette:
    """The ASGI app. `manage_database=False` leaves Tortoise to whoever already opened it."""
    clock = clock or SystemClock()
    queue = JobQueue(settings.redis_url or f"unix://{settings.embedded_redis_socket}")
    graphql = GraphQLEndpoint(
        build_schema(development=settings.is_development, introspection=settings.introspection),
        settings=settings,
        clock=clock,
        queue=queue,
    )

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if manage_database:
            await db.open_database(settings.database_url)
        # Everything built so far lives as long as the process: moved out of the collector's
        # way, full collections (which per-request loaders set off) stop walking it each time.
        gc.collect()
        gc.freeze()
        try:
            yield
        finally:
            await queue.close()
            if manage_database:
                await db.close_database()

    async def healthz(request: Request) -> JSONResponse:
        problems = {}
        try:
            await Tortoise.get_connection("default").execute_query("SELECT 1")
        except Exception as error:  # any failure means the database is not usable
            problems["database"] = f"unreachable: {error.__class__.__name__}: {error}"
        try:
            await queue.ping()
        except Exception as error:  # likewise for Redis
            problems["redis"] = f"unreachable: {error.__class__.__name__}: {error}"
        if problems:
            return JSONResponse({"status": "unavailable", **problems}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok", "redis": "ok"})

    return Starlette(
        debug=False,
        routes=[
            Route("/healthz", healthz, methods=["GET"]),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/export/my-data.json", personal_data_export(clock), methods=["GET"]),
            Mount("/operations", StaticFiles(directory=OPERATIONS), name="operations"),
            Mount("/", StaticFiles(directory=FRONTEND, html=True), name="frontend"),
        ],
        middleware=[
            Middleware(RequestIdMiddleware),
            Middleware(SecurityHeadersMiddleware),
            Middleware(RequestSizeLimitMiddleware, max_bytes=settings.max_request_bytes),
        ],
        lifespan=lifespan,
    )
