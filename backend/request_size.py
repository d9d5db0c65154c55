"""A bound on request bodies, enforced before they are read.

A body announced as too large (Content-Length) is refused at once, without reading a byte
of it. One that comes in chunks, with no length announced, is counted as it arrives and
refused the moment it passes the bound, so at most the bound is ever held in memory.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.middleware import HttpMiddleware


class BodyTooLarge(Exception):
    """Raised from `receive` when a streamed body passes the bound."""


class RequestSizeLimitMiddleware(HttpMiddleware):
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        super().__init__(app)
        self.max_bytes = max_bytes

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self.too_large()(scope, receive, send)
            return

        received = 0
        responding = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge
            return message

        async def noting_send(message: Message) -> None:
            nonlocal responding
            responding = responding or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        except BodyTooLarge:
            # An answer already under way cannot become a 413; dropping the connection
            # is all that is left.
            if responding:
                raise
            await self.too_large()(scope, receive, send)

    def too_large(self) -> JSONResponse:
        # Shaped like a GraphQL error, since nearly every body goes to /graphql. The
        # connection closes after it: the rest of the body is never read.
        message = f"The request is too large: at most {self.max_bytes:,} bytes are accepted."
        return JSONResponse(
            {"errors": [{"message": message}]},
            status_code=413,
            headers={"Connection": "close"},
        )
