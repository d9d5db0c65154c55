from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from backend import ids, models
from backend.api import references
from backend.api.areas import Area, AreaRole
from backend.api.context import Info, ValueOrAwaitable, settled
from backend.api.enums import ProblemInvolvement
from backend.api.errors import UserError
from backend.api.node import Node, fetches_node, node_id
from backend.api.organisations import OrganisationMembership
from backend.api.pagination import Connection, Stretch, paginate_stretches
from backend.api.payloads import Answer, given, outcome
from backend.api.viewer_ladder import ViewerLadder
from backend.auth import throttle
from backend.auth.sessions import DEVICE_COOKIE, SESSION_COOKIE
from backend.models.enums import CredentialKind
from backend.services import accounts, names, notifications, problems
from backend.services.accounts import SignedIn
from backend.services.actors import Actor
from backend.services.standing import standing_of
from backend.services.volunteer_tasks import calendar as task_calendar
from backend.services.volunteer_tasks import reading as task_reading
from backend.services.working_groups import reading as group_reading

if TYPE_CHECKING:
    from backend.api.notifications import Notification, NotificationPreferences
    from backend.api.problems import Problem, ResponseQueueCounts
    from backend.api.sessions import Session
    from backend.api.volunteer_tasks import TaskAssignment
    from backend.api.working_groups import GroupMembership


@strawberry.type(description="A person as others see them: no contact details.")
class User(Node):
    model: strawberry.Private[models.User]

    @classmethod
    def of(cls, user: models.User) -> User:
        return cls(id=node_id("User", user.id), model=user)

    @strawberry.field(
        description=(
            "The person's name; to anonymous visitors and other residents, their initials alone "
            "when they chose so (`Viewer.publicInitials`)."
        ),
        graphql_type=str,
    )
    def display_name(self, info: Info) -> ValueOrAwaitable[str]:
        if not self.model.public_initials:
            return self.model.display_name
        return self._shown_name(info)

    async def _shown_name(self, info: Info) -> str:
        return names.shown_name(self.model, await standing_of(info.context.actor))


@fetches_node("User")
async def fetch_user(info: Info, pk: int) -> User | None:
    user = await info.context.loaders.user.load(pk)
    # An address nobody confirmed is no one yet: its row only holds the mail sent to it.
    return User.of(user) if user and user.confirmed_at is not None else None


@strawberry.type(description="The signed-in person's own view of themself. Only ever their own.")
class Viewer(ViewerLadder):
    model: strawberry.Private[models.User]

    def _actor(self, info: Info) -> Actor:
        return info.context.acting_as(self.model)

    @strawberry.field
    def user(self) -> User:
        return User.of(self.model)

    @strawberry.field
    def email(self) -> str:
        return self.model.email

    @strawberry.field
    def is_admin(self) -> bool:
        return self.model.is_admin

    @strawberry.field
    def skills(self) -> list[str]:
        return list(self.model.skills)

    @strawberry.field(
        description=(
            "Whether the viewer chose to be shown to anonymous visitors and other residents by "
            "their initials alone; organisations, coordinators and admins see the full name."
        )
    )
    def public_initials(self) -> bool:
        return self.model.public_initials

    @strawberry.field
    async def home_area(self, info: Info) -> Area | None:
        return await settled(references.area_or_none(info, self.model.home_area_id))

    @strawberry.field
    async def organisations(self, info: Info) -> list[OrganisationMembership]:
        memberships = await info.context.loaders.memberships_of_user.load(self.model.id)
        return [OrganisationMembership.of(m) for m in memberships]

    @strawberry.field
    async def area_roles(self, info: Info) -> list[AreaRole]:
        roles = await info.context.loaders.area_roles_of_user.load(self.model.id)
        return [AreaRole(area_id=role.area_id, role=role.role) for role in roles]

    @strawberry.field
    async def notifications(
        self,
        info: Info,
        unread_only: bool | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Annotated[Notification, strawberry.lazy("backend.api.notifications")]]:
        from backend.api.notifications import notification_connection

        unread = bool(unread_only)
        return await notification_connection(self.model, unread, first, after, now=info.context.now)

    @strawberry.field(
        description="The viewer's invitations, requests and active memberships of groups, newest first."
    )
    async def group_memberships(
        self,
    ) -> list[Annotated[GroupMembership, strawberry.lazy("backend.api.working_groups")]]:
        from backend.api.working_groups import GroupMembership

        return [GroupMembership.of(m) for m in await group_reading.memberships_of_person(self.model.id)]

    @strawberry.field(description="Hours given to volunteer tasks: the sum over completed assignments.")
    async def volunteer_hours(self) -> float:
        return await task_reading.hours_of(self.model)

    @strawberry.field(
        description=(
            "The viewer's places on volunteer tasks: those still ahead (confirmed, waiting or checked "
            "in, on tasks not over nor cancelled) soonest task first, then the rest latest task first; "
            "`upcoming`: only those still ahead."
        )
    )
    async def assignments(
        self, info: Info, upcoming: bool | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[TaskAssignment, strawberry.lazy("backend.api.volunteer_tasks")]]:
        from backend.api.volunteer_tasks import TaskAssignment

        now, order = info.context.now, task_reading.PLACES_ORDER
        stretches = [Stretch(task_reading.places_ahead(self.model, now=now), order)]
        if not upcoming:
            stretches.append(Stretch(task_reading.places_behind(self.model, now=now), order, descending=True))
        page = await paginate_stretches(stretches, first=first, after=after)
        return Connection.of(page, TaskAssignment.of)

    @strawberry.field(
        description=(
            "Private iCalendar feed of the viewer's confirmed tasks; anyone holding the URL can read it. "
            "Only a hash of its secret is stored: the address is derived again from the service's secret "
            "key each time it is shown, and resetCalendarFeed replaces it."
        )
    )
    async def calendar_feed_url(self, info: Info) -> str:
        return await task_calendar.feed_address(self.model, now=info.context.now)

    @strawberry.field(
        description=(
            "Proposals the viewer must answer: owned by an organisation they belong to, or in an area "
            "they coordinate (or one inside it), still awaiting an answer. Overdue first, then soonest due."
        )
    )
    async def response_queue(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> Connection[Annotated[Problem, strawberry.lazy("backend.api.problems")]]:
        from backend.api.problems import response_queue

        return await response_queue(self._actor(info), first, after)

    @strawberry.field(
        description=(
            "The size of responseQueue and its overdue part. Whether the viewer has a queue at all "
            "(belongs to an organisation or coordinates an area) is `hasResponseQueue`."
        )
    )
    async def response_queue_counts(
        self, info: Info
    ) -> Annotated[ResponseQueueCounts, strawberry.lazy("backend.api.problems")]:
        from backend.api.problems import ResponseQueueCounts

        counts = await problems.queue_counts(self._actor(info), now=info.context.now)
        return ResponseQueueCounts.of(counts)

    @strawberry.field(
        description="Whether the viewer answers proposals: an organisation's member or an area coordinator."
    )
    async def has_response_queue(self, info: Info) -> bool:
        return problems.has_queue(await standing_of(self._actor(info)))

    @strawberry.field(
        description=(
            "The problems the viewer proposed, supports or follows (those others proposed, for the "
            "last two), newest first; each with its status and whether its answer is overdue."
        )
    )
    async def problems(
        self,
        info: Info,
        involvement: ProblemInvolvement,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Annotated[Problem, strawberry.lazy("backend.api.problems")]]:
        from backend.api.problems import involvement_connection

        return await involvement_connection(info, involvement, first, after)

    @strawberry.field
    async def unread_notification_count(self, info: Info) -> int:
        unread = await notifications.listed_for(self.model, now=info.context.now, unread_only=True)
        return await unread.count()

    @strawberry.field
    def notification_preferences(
        self,
    ) -> Annotated[NotificationPreferences, strawberry.lazy("backend.api.notifications")]:
        from backend.api.notifications import NotificationPreferences

        return NotificationPreferences.of(self.model)

    @strawberry.field(
        description=(
            "The viewer's browser sessions and API tokens that have not expired, most recently "
            "used first (at most 100). Each can be revoked with `revokeSession`."
        )
    )
    async def sessions(self, info: Info) -> list[Annotated[Session, strawberry.lazy("backend.api.sessions")]]:
        from backend.api.sessions import Session

        actor = info.context.actor
        listed = await accounts.sessions_of(actor, now=info.context.now)
        return [Session.of(session, current=actor.session) for session in listed]


@strawberry.type
class AuthPayload:
    viewer: Viewer | None
    errors: list[UserError]


@strawberry.type
class LogOutPayload:
    errors: list[UserError]


@strawberry.type
class RequestMagicLinkPayload:
    errors: list[UserError]


@strawberry.type
class ViewerPayload:
    viewer: Viewer | None
    errors: list[UserError]


@strawberry.type(
    description="A new API token. The token is shown this once; send it as `Authorization: Bearer`."
)
class ApiTokenPayload:
    token: str | None
    expires_at: datetime | None = strawberry.field(description="When the token stops working.")
    errors: list[UserError]


@strawberry.input
class RegisterInput:
    email: str
    password: str
    display_name: str
    home_area_id: strawberry.ID | None = None


@strawberry.input
class LogInInput:
    email: str
    password: str


@strawberry.input
class RequestMagicLinkInput:
    email: str
    next: str | None = strawberry.field(
        default=None,
        description=(
            "The page to show once the link has signed the person in: a path inside Rungs "
            '("/problems/…"). Anything else, or nothing, leads to the home page.'
        ),
    )


@strawberry.input
class LogInWithMagicLinkInput:
    token: str


@strawberry.input
class UpdateProfileInput:
    display_name: str | None = strawberry.UNSET
    home_area_id: strawberry.ID | None = strawberry.UNSET
    skills: list[str] | None = strawberry.UNSET
    public_initials: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="Show me to anonymous visitors and other residents by my initials alone.",
    )


@strawberry.input
class CreateApiTokenInput:
    label: str
    expires_in_days: int | None = strawberry.field(
        default=None,
        description=(
            "How many days the token lasts: at most the platform's longest (API_TOKEN_DAYS, "
            "90 unless configured), which is also what it gets when omitted."
        ),
    )


@strawberry.input
class EraseAccountInput:
    password: str = strawberry.field(description="The account's password, to confirm.")


@strawberry.type
class EraseAccountPayload:
    errors: list[UserError]


def _cookie_attributes(info: Info) -> dict[str, Any]:
    """Every cookie of ours is set, and cleared, with these: browsers match cookies on them."""
    secure = not info.context.settings.is_development
    return {"path": "/", "httponly": True, "samesite": "lax", "secure": secure}


def _signed_in(info: Info, signed_in: SignedIn) -> AuthPayload:
    """Hand the new session to the browser, and answer the rest of the request as its user."""
    response = info.context.response
    lifetime = accounts.SESSION_LIFETIME.total_seconds()
    response.set_cookie(SESSION_COOKIE, signed_in.secret, max_age=int(lifetime), **_cookie_attributes(info))
    if signed_in.device is not None:
        # Outlives sessions and sign-outs: it is how the throttle knows this browser signed in here.
        memory = throttle.DEVICE_MEMORY.total_seconds()
        response.set_cookie(DEVICE_COOKIE, signed_in.device, max_age=int(memory), **_cookie_attributes(info))
    before = info.context.actor
    info.context.actor = Actor(
        user=signed_in.user,
        session=signed_in.session,
        client=before.client,
        user_agent=before.user_agent,
        device=signed_in.device,
    )
    return AuthPayload(viewer=Viewer(model=signed_in.user), errors=[])


async def _signing_in(
    info: Info, sign_in: Callable[..., Awaitable[SignedIn]], input: LogInInput | LogInWithMagicLinkInput
) -> AuthPayload:
    """Signs in as `sign_in` does with the input's fields, and hands the session over."""
    return await outcome(
        info,
        AuthPayload,
        lambda actor, now: sign_in(actor, **given(input), now=now),
        lambda signed_in: _signed_in(info, signed_in),
    )


def forget_session(info: Info) -> None:
    """The browser drops its cookie, and the rest of the request is answered anonymously."""
    session = info.context.actor.session
    if session is None or session.kind == CredentialKind.COOKIE:
        info.context.response.delete_cookie(SESSION_COOKIE, **_cookie_attributes(info))
    info.context.actor = Actor(client=info.context.actor.client, user_agent=info.context.actor.user_agent)


def _viewer(user: models.User) -> Viewer:
    return Viewer(model=user)


viewer_outcome = Answer(ViewerPayload, _viewer)
"""The answer of a mutation that changes the viewer's own account."""


def _given(value: object) -> bool:
    return value is not strawberry.UNSET


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The signed-in person, or null for an anonymous request.")
    def viewer(self, info: Info) -> Viewer | None:
        user = info.context.actor.user
        return Viewer(model=user) if user else None


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        description=(
            "Mails a link that confirms the address; the link signs the person in "
            "(`logInWithMagicLink`) and makes the account. Always answers the same way, with no "
            "viewer, whether or not the address has an account: its owner is mailed a sign-in "
            "link instead, and the account does not change."
        )
    )
    async def register(self, info: Info, input: RegisterInput) -> AuthPayload:
        return await outcome(
            info,
            AuthPayload,
            lambda actor, now: accounts.register(actor, **given(input), now=now, sealer=info.context.sealer),
            lambda _: AuthPayload(viewer=None, errors=[]),
        )

    @strawberry.mutation
    async def log_in(self, info: Info, input: LogInInput) -> AuthPayload:
        return await _signing_in(info, accounts.log_in, input)

    @strawberry.mutation
    async def log_out(self, info: Info) -> LogOutPayload:
        def signed_out(_: None) -> LogOutPayload:
            forget_session(info)
            return LogOutPayload(errors=[])

        return await outcome(info, LogOutPayload, lambda actor, _: accounts.log_out(actor), signed_out)

    @strawberry.mutation(
        description="Always answers the same way, whether or not the address has an account."
    )
    async def request_magic_link(self, info: Info, input: RequestMagicLinkInput) -> RequestMagicLinkPayload:
        return await outcome(
            info,
            RequestMagicLinkPayload,
            lambda actor, now: accounts.request_magic_link(
                actor, email=input.email, now=now, sealer=info.context.sealer, then=input.next
            ),
            lambda _: RequestMagicLinkPayload(errors=[]),
        )

    @strawberry.mutation
    async def log_in_with_magic_link(self, info: Info, input: LogInWithMagicLinkInput) -> AuthPayload:
        return await _signing_in(info, accounts.log_in_with_magic_link, input)

    @strawberry.mutation
    async def update_profile(self, info: Info, input: UpdateProfileInput) -> ViewerPayload:
        async def update(actor: Actor, now: datetime) -> models.User:
            changes: accounts.ProfileChanges = {}
            if _given(input.display_name) and input.display_name is not None:
                changes["display_name"] = input.display_name
            if _given(input.home_area_id):
                changes["home_area_id"] = ids.decode_optional(input.home_area_id, "Area", "homeAreaId")
            if _given(input.skills):
                changes["skills"] = input.skills or []
            if _given(input.public_initials) and input.public_initials is not None:
                changes["public_initials"] = input.public_initials
            return await accounts.update_profile(actor, now=now, **changes)

        return await viewer_outcome(info, update)

    @strawberry.mutation(
        description=(
            "Erase the signed-in person's account: everything personal goes, public contributions "
            "stay, shown as a former participant. Their data can be downloaded first from "
            "/export/my-data.json."
        )
    )
    async def erase_account(self, info: Info, input: EraseAccountInput) -> EraseAccountPayload:
        def erased(_: None) -> EraseAccountPayload:
            forget_session(info)
            return EraseAccountPayload(errors=[])

        return await outcome(
            info,
            EraseAccountPayload,
            lambda actor, now: accounts.erase_account(actor, **given(input), now=now),
            erased,
        )

    @strawberry.mutation(description="A bearer token for an API client, acting as the signed-in person.")
    async def create_api_token(self, info: Info, input: CreateApiTokenInput) -> ApiTokenPayload:
        return await outcome(
            info,
            ApiTokenPayload,
            lambda actor, now: accounts.create_api_token(
                actor,
                label=input.label,
                now=now,
                days=input.expires_in_days,
                longest_days=info.context.settings.api_token_days,
            ),
            lambda signed_in: ApiTokenPayload(
                token=signed_in.secret, expires_at=signed_in.session.expires_at, errors=[]
            ),
        )
