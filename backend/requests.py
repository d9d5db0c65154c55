"""A request id for every request: in the logs, in the X-Request-ID header, in masked errors."""

from __future__ import annotations

import logging
import secrets
from contextvars import ContextVar

from starlette.types import Receive, Scope, Send

from backend.middleware import HttpMiddleware, adding_headers

request_id: ContextVar[str] = ContextVar("request_id", default="-")


class RequestIdMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        rid = secrets.token_hex(8)
        token = request_id.set(rid)
        try:
            await self.app(
                scope, receive, adding_headers(send, lambda headers: headers.append("x-request-id", rid))
            )
        finally:
            request_id.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
