"""Response headers every page gets: what a browser may load, embed and cache."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import Receive, Scope, Send

from backend.middleware import HttpMiddleware, adding_headers

# The web interface loads only its own modules, styles and images, and is never framed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
# Paths that are not the web interface's files: GraphiQL (development only) loads its own
# scripts, and API answers set their own caching.
NOT_STATIC = ("/graphql", "/healthz", "/export/")


class SecurityHeadersMiddleware(HttpMiddleware):
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        static = not scope["path"].startswith(NOT_STATIC)

        def add(headers: MutableHeaders) -> None:
            headers.setdefault("X-Content-Type-Options", "nosniff")
            headers.setdefault("Referrer-Policy", "same-origin")
            headers.setdefault("X-Frame-Options", "DENY")
            if static:
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                # Revalidate every time (ETags keep it cheap): after a release, no browser
                # mixes old modules with new ones.
                headers.setdefault("Cache-Control", "no-cache")

        await self.app(scope, receive, adding_headers(send, add))
