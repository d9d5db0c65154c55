"""What the app's own ASGI middlewares share: each acts on HTTP requests alone."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HttpMiddleware(ABC):
    """Lifespan (and any other) messages pass straight through to the app; HTTP requests go
    through `handle`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None: ...


def adding_headers(send: Send, add: Callable[[MutableHeaders], None]) -> Send:
    """`send`, with `add` given the response's headers as the response starts."""

    async def send_with_headers(message: Message) -> None:
        if message["type"] == "http.response.start":
            # The headers of a response start are optional in ASGI.
            message.setdefault("headers", [])
            add(MutableHeaders(scope=message))
        await send(message)

    return send_with_headers
