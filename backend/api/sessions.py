"""The viewer's own sessions and API tokens: listing and revoking them, changing the password."""

from __future__ import annotations

from datetime import datetime

import strawberry

from backend import models
from backend.api.accounts import Viewer, forget_session, viewer_outcome
from backend.api.context import Info
from backend.api.enums import CredentialKind
from backend.api.errors import UserError
from backend.api.node import node_id
from backend.api.objects import copied
from backend.api.payloads import given, outcome
from backend.services import accounts


@strawberry.type(
    description=(
        "A browser session (kind COOKIE) or an API token (kind API_TOKEN) signed in to the "
        "viewer's account, until it expires or is revoked."
    )
)
class Session:
    id: strawberry.ID
    kind: CredentialKind
    label: str | None = strawberry.field(description="The name an API token was given; null for browsers.")
    user_agent: str | None = strawberry.field(
        description="How the browser described itself when it signed in (shortened); null for API tokens."
    )
    created_at: datetime
    last_seen_at: datetime = strawberry.field(description="When it was last used, to within an hour.")
    expires_at: datetime
    is_current: bool = strawberry.field(description="Whether this request came with it.")

    @classmethod
    def of(cls, session: models.Session, *, current: models.Session | None) -> Session:
        return copied(
            cls,
            session,
            id=node_id("Session", session.id),
            is_current=current is not None and current.id == session.id,
        )


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.input
class RevokeSessionInput:
    session_id: strawberry.ID


@strawberry.type
class RevokeSessionPayload:
    viewer: Viewer | None = strawberry.field(
        description="The viewer, with the sessions left; null on error, or when they signed themself out."
    )
    errors: list[UserError]


@strawberry.type
class SessionMutations:
    change_password = viewer_outcome.mutation(
        accounts.change_password,
        ChangePasswordInput,
        description=(
            "A new password, given the current one. Every other session and API token of the "
            "viewer is signed out, and they are told by email."
        ),
    )

    @strawberry.mutation(
        description=(
            "End one of the viewer's sessions or API tokens; ending the one this request came "
            "with signs out. Anyone else's is NOT_FOUND."
        )
    )
    async def revoke_session(self, info: Info, input: RevokeSessionInput) -> RevokeSessionPayload:
        def revoked(was_current: bool) -> RevokeSessionPayload:
            if was_current:
                forget_session(info)
                return RevokeSessionPayload(viewer=None, errors=[])
            return RevokeSessionPayload(viewer=Viewer(model=info.context.actor.require_user()), errors=[])

        return await outcome(
            info,
            RevokeSessionPayload,
            lambda actor, _: accounts.revoke_session(actor, **given(input)),
            revoked,
        )

    @strawberry.mutation(
        description="Sign out everywhere else: every session and API token but this request's ends."
    )
    async def revoke_other_sessions(self, info: Info) -> RevokeSessionPayload:
        return await outcome(
            info,
            RevokeSessionPayload,
            lambda actor, _: accounts.revoke_other_sessions(actor),
            lambda _: RevokeSessionPayload(viewer=Viewer(model=info.context.actor.require_user()), errors=[]),
        )
