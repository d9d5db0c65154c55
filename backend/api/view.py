"""The /graphql endpoint: POST only, same-origin only, each request with its actor and clock.

A request names its document by text (`query`) or, for the documents of
graphql/operations/, by id (`documentId`, see backend/api/persisted.py).

The endpoint reads the request itself and hands the operation to `RungsSchema.run`: strawberry's
HTTP view would parse the body through two adapters and run the operation through its
extension hooks, several times the work of answering `{ __typename }`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry.http.ides import get_graphql_ide_html

from backend.api.actors import actor_for
from backend.api.context import Context
from backend.api.persisted import PersistedDocument, PersistedDocuments
from backend.api.public_answers import PublicAnswers
from backend.api.schema import RungsSchema
from backend.auth.tokens import Sealer
from backend.clock import Clock
from backend.queue import JobQueue
from backend.settings import Settings

# Said to an anonymous client sending a document of its own while only persisted ones are answered.
PERSISTED_ONLY = (
    "This server answers anonymous clients only the documents of its web interface "
    "(graphql/operations/); sign in with an API token to send documents of your own."
)
# Said to a GET: queries over GET would let another site read answers through a link.
POST_ONLY = "Send GraphQL requests by POST, as JSON."


class Refusal(Exception):
    """A request refused before it ran, with the status and the message that say why."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    """What a request asks: its document's text, and the persisted document that text is, if any."""

    text: str
    persisted: PersistedDocument | None
    variables: dict[str, Any] | None
    operation_name: str | None


class GraphQLEndpoint:
    def __init__(
        self,
        schema: RungsSchema,
        *,
        settings: Settings,
        clock: Clock,
        queue: JobQueue,
        documents: PersistedDocuments,
        answers: PublicAnswers,
    ) -> None:
        self.schema = schema
        self.settings = settings
        self.clock = clock
        self.queue = queue
        self.documents = documents
        self.answers = answers
        self.sealer = Sealer(settings.secret_key)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        try:
            response = await self.respond(request)
        except Refusal as refused:
            response = refusal(refused.status_code, refused.message)
        await response(scope, receive, send)

    async def respond(self, request: Request) -> Response:
        origin = request.headers.get("origin")
        # A browser names the page's origin; a foreign one is another site riding on the
        # visitor's cookie. Clients that send no Origin (API clients, curl) are not browsers.
        if origin is not None and origin.rstrip("/") not in self.settings.origins:
            raise Refusal(403, f"Requests from origin {origin} are not accepted.")
        if request.method != "POST":
            return self.not_posted(request)
        asked = await self.read(request)
        cached = self.answers.asked(request, asked.persisted, asked.variables, asked.operation_name)
        if cached is None:
            return await self.run(request, asked)
        return await self.answers.answer(
            request, cached, now=self.clock.now(), run=lambda: self.run(request, asked)
        )

    def not_posted(self, request: Request) -> Response:
        """GraphiQL for a browser in development; a refusal otherwise."""
        if self.settings.is_development and "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(get_graphql_ide_html("graphiql"))
        return refusal(405, POST_ONLY, headers={"Allow": "POST"})

    async def read(self, request: Request) -> GraphQLRequest:
        """One operation, as a JSON object; anything else is refused, saying what was wrong."""
        # The media type alone, before any parameters (`; charset=utf-8`); case does not count.
        media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            raise Refusal(400, "Send the request as JSON, with the header Content-Type: application/json.")
        try:
            body = json.loads(await request.body())
        except RecursionError:
            raise Refusal(400, "The request body is nested too deeply.") from None
        except ValueError:  # not JSON, or not UTF-8 text
            raise Refusal(400, "The request body is not valid JSON.") from None
        if not isinstance(body, dict):
            raise Refusal(
                400, f"The request body must be a JSON object with a `query`, not {_kind_of(body)}."
            )
        query = _member(body, "query", str, "a string")
        document_id = _member(body, "documentId", str, "a string")
        variables = _member(body, "variables", dict, "an object")
        operation_name = _member(body, "operationName", str, "a string")
        # Read for its shape alone: no extension is understood.
        _member(body, "extensions", dict, "an object")
        if document_id is not None:
            persisted = self._persisted(document_id, query)
            return GraphQLRequest(persisted.text, persisted, variables, operation_name)
        if query is None:
            raise Refusal(400, "The request has no `query`.")
        return GraphQLRequest(query, self.documents.by_text(query), variables, operation_name)

    def _persisted(self, document_id: str, query: str | None) -> PersistedDocument:
        """The persisted document `documentId` names; `query` may be given too if it agrees."""
        persisted = self.documents.by_id(document_id)
        if persisted is None:
            # The web interface then sends the text: a page loaded before a deploy changed
            # its documents keeps working.
            raise Refusal(
                400, f"No persisted document has the id {document_id}; send its text as `query` instead."
            )
        if query is not None and query != persisted.text:
            raise Refusal(
                400,
                f"`query` is not the text of the persisted document {document_id}; send only one of them.",
            )
        return persisted

    async def run(self, request: Request, asked: GraphQLRequest) -> Response:
        now = self.clock.now()
        actor = await actor_for(request, now=now)
        # Refused once the actor is known: a credential that names nobody (an expired token,
        # a made-up one) leaves the request as anonymous as none.
        if self.settings.persisted_documents_only and not actor.is_authenticated and asked.persisted is None:
            raise Refusal(400, PERSISTED_ONLY)
        # Where resolvers set cookies; its headers join the answer's.
        cookies = Response()
        del cookies.headers["content-length"]
        context = Context(
            request=request,
            response=cookies,
            actor=actor,
            now=now,
            settings=self.settings,
            sealer=self.sealer,
            queue=self.queue,
        )
        result = await self.schema.run(
            asked.text, variables=asked.variables, operation_name=asked.operation_name, context=context
        )
        # orjson writes the same JSON as the standard library (text as UTF-8 rather than `\u`
        # escapes) in a fraction of the time.
        response = Response(orjson.dumps(result.formatted), media_type="application/json")
        response.headers.raw.extend(cookies.headers.raw)
        return response


def refusal(status_code: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """A request refused before it ran, in the shape of a GraphQL error."""
    return JSONResponse({"errors": [{"message": message}]}, status_code=status_code, headers=headers)


def _member(body: dict[str, Any], name: str, kind: type, described: str) -> Any:
    """A member of the request object: absent, null, or of the kind the protocol names."""
    value = body.get(name)
    if value is not None and not isinstance(value, kind):
        raise Refusal(400, f"`{name}` must be {described}.")
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
