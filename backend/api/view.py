"""The /graphql endpoint: POST only, same-origin only, each request with its actor and clock."""

from __future__ import annotations

import strawberry
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL

from backend.api.context import Context
from backend.auth.sessions import actor_for
from backend.auth.tokens import Sealer
from backend.clock import Clock
from backend.queue import JobQueue
from backend.settings import Settings


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(
        self, schema: strawberry.Schema, *, settings: Settings, clock: Clock, queue: JobQueue
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.is_development else None,
            allow_queries_via_get=False,
            multipart_uploads_enabled=False,
        )
        self.settings = settings
        self.clock = clock
        self.queue = queue
        self.sealer = Sealer(settings.secret_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            origin = Request(scope).headers.get("origin")
            # A browser names the page's origin; a foreign one is another site riding on the
            # visitor's cookie. Clients that send no Origin (API clients, curl) are not browsers.
            if origin is not None and origin.rstrip("/") not in self.settings.origins:
                response = JSONResponse(
                    {"errors": [{"message": f"Requests from origin {origin} are not accepted."}]},
                    status_code=403,
                )
                await response(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def get_context(self, request: Request, response: Response) -> Context:  # type: ignore[override]
        now = self.clock.now()
        actor = await actor_for(request, now=now)
        return Context(
            request=request,
            response=response,
            actor=actor,
            now=now,
            settings=self.settings,
            sealer=self.sealer,
            queue=self.queue,
        )
