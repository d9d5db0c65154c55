"""The /graphql endpoint: POST only, same-origin only, each request with its actor and clock.

A request names its document by text (`query`) or, for the documents of
graphql/operations/, by id (`documentId`, see backend/api/persisted.py)."""

from __future__ import annotations

import json
from typing import Any

import orjson
import strawberry
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult

from backend.api.actors import actor_for
from backend.api.context import Context
from backend.api.persisted import PersistedDocuments
from backend.api.public_answers import PublicAnswers
from backend.auth.tokens import Sealer
from backend.clock import Clock
from backend.queue import JobQueue
from backend.settings import Settings

# Said to an anonymous client sending a document of its own while only persisted ones are answered.
PERSISTED_ONLY = (
    "This server answers anonymous clients only the documents of its web interface "
    "(graphql/operations/); sign in with an API token to send documents of your own."
)


class GraphQLEndpoint(GraphQL[Context, None]):
    def __init__(
        self,
        schema: strawberry.Schema,
        *,
        settings: Settings,
        clock: Clock,
        queue: JobQueue,
        documents: PersistedDocuments,
        answers: PublicAnswers,
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
        self.documents = documents
        self.answers = answers
        self.sealer = Sealer(settings.secret_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope, receive)
        origin = request.headers.get("origin")
        # A browser names the page's origin; a foreign one is another site riding on the
        # visitor's cookie. Clients that send no Origin (API clients, curl) are not browsers.
        if origin is not None and origin.rstrip("/") not in self.settings.origins:
            response: Response = refusal(403, f"Requests from origin {origin} are not accepted.")
        else:
            try:
                response = await self.answer(request)
            except HTTPException as error:
                response = refusal(error.status_code, error.reason)
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        asked = await self.answers.asked(request)
        if asked is None:
            return await self.run(request)
        return await self.answers.answer(request, asked, now=self.clock.now(), run=lambda: self.run(request))

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        """One operation, as a JSON object; anything else is refused, saying what was wrong."""
        if request.method != "POST":
            # Refused as a query over GET once its operation type is known.
            parsed = await super().parse_http_body(request)
            assert isinstance(parsed, GraphQLRequestData)
            return parsed
        # The media type alone, before any parameters (`; charset=utf-8`); case does not count.
        media_type = (request.content_type or "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise HTTPException(
                400, "Send the request as JSON, with the header Content-Type: application/json."
            )
        try:
            body = json.loads(await request.get_body())
        except RecursionError:
            raise HTTPException(400, "The request body is nested too deeply.") from None
        except ValueError:  # not JSON, or not UTF-8 text
            raise HTTPException(400, "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise HTTPException(
                400, f"The request body must be a JSON object with a `query`, not {_kind_of(body)}."
            )
        if body.get("query") is None and body.get("documentId") is None:
            raise HTTPException(400, "The request has no `query`.")
        return GraphQLRequestData(
            query=self._document(
                _member(body, "query", str, "a string"), _member(body, "documentId", str, "a string")
            ),
            variables=_member(body, "variables", dict, "an object"),
            operation_name=_member(body, "operationName", str, "a string"),
            extensions=_member(body, "extensions", dict, "an object"),
        )

    def _document(self, query: str | None, document_id: str | None) -> str | None:
        """The text of the request's document: its `query`, or the persisted document its
        `documentId` names (both may be given if they agree)."""
        if document_id is None:
            return query
        persisted = self.documents.by_id(document_id)
        if persisted is None:
            # The web interface then sends the text: a page loaded before a deploy changed
            # its documents keeps working.
            raise HTTPException(
                400, f"No persisted document has the id {document_id}; send its text as `query` instead."
            )
        if query is not None and query != persisted.text:
            raise HTTPException(
                400,
                f"`query` is not the text of the persisted document {document_id}; send only one of them.",
            )
        return persisted.text

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        # Refused once the actor is known: a credential that names nobody (an expired token,
        # a made-up one) leaves the request as anonymous as none.
        if (
            self.settings.persisted_documents_only
            and not context.actor.is_authenticated
            and (request_data.query is None or self.documents.by_text(request_data.query) is None)
        ):
            raise HTTPException(400, PERSISTED_ONLY)
        return await super().execute_single(
            request, request_adapter, sub_response, context, root_value, request_data
        )

    def encode_json(self, data: object) -> bytes:
        """Answers encoded by orjson: the same JSON as the standard library's, written in a
        fraction of the time (text as UTF-8 rather than `\\u` escapes)."""
        return orjson.dumps(data)

    # Narrower than strawberry's (which also takes a WebSocket): a WebSocket is given this
    # context too, but the schema has no subscriptions, so nothing ever runs with it.
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


def refusal(status_code: int, message: str) -> JSONResponse:
    """A request refused before it ran, in the shape of a GraphQL error."""
    return JSONResponse({"errors": [{"message": message}]}, status_code=status_code)


def _member(body: dict[str, Any], name: str, kind: type, described: str) -> Any:
    """A member of the request object: absent, null, or of the kind the protocol names."""
    value = body.get(name)
    if value is not None and not isinstance(value, kind):
        raise HTTPException(400, f"`{name}` must be {described}.")
    return value


def _kind_of(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list"
