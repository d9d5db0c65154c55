"""Who is asking: every service takes the actor and checks its rights itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.errors import Forbidden, Unauthenticated
from backend.models import Session, User


@dataclass
class Actor:
    user: User | None = None
    session: Session | None = None
    # The client's address, for throttling sign-in attempts per client.
    client: str = "unknown"
    # How the client describes itself (its User-Agent), kept with the sessions it signs in to.
    user_agent: str = ""
    # The secret of the browser's device cookie, if it has one: a device that signed in to an
    # account before is not held up by others' failed attempts at it.
    device: str | None = None
    # What the services looked up about this actor's rights, kept for the rest of the request.
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None

    @property
    def is_admin(self) -> bool:
        return self.user is not None and self.user.is_admin

    def require_user(self) -> User:
        if self.user is None:
            raise Unauthenticated()
        return self.user

    def require_admin(self) -> User:
        user = self.require_user()
        if not user.is_admin:
            raise Forbidden("Only platform administrators may do that.")
        return user
