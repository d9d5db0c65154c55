"""Response headers every page gets: what a browser may load, embed and cache."""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Receive, Scope, Send

from backend.middleware import HttpMiddleware, adding_headers
from backend.settings import MapSettings

# Paths that are not the web interface's files: GraphiQL (development only) loads its own
# scripts, and API answers set their own caching.
NOT_STATIC = ("/graphql", "/healthz", "/export/")


def content_security_policy(map_settings: MapSettings) -> str:
    """The web interface loads only its own modules, styles and images, and is never framed;
    the policy lets maps show the configured tile host's images and the browser ask the
    configured address search: those hosts and no others."""
    images = " ".join(source for source in ("'self'", "data:", map_settings.tile_source) if source)
    connections = " ".join(source for source in ("'self'", map_settings.geocoding_source) if source)
    return (
        f"default-src 'self'; img-src {images}; connect-src {connections}; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


class SecurityHeadersMiddleware(HttpMiddleware):
    def __init__(self, app: ASGIApp, *, policy: str) -> None:
        super().__init__(app)
        self.policy = policy

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        static = not scope["path"].startswith(NOT_STATIC)

        def add(headers: MutableHeaders) -> None:
            headers.setdefault("X-Content-Type-Options", "nosniff")
            headers.setdefault("Referrer-Policy", "same-origin")
            headers.setdefault("X-Frame-Options", "DENY")
            if static:
                headers.setdefault("Content-Security-Policy", self.policy)
                # Revalidate every time (ETags keep it cheap): after a release, no browser
                # mixes old modules with new ones.
                headers.setdefault("Cache-Control", "no-cache")

        await self.app(scope, receive, adding_headers(send, add))
