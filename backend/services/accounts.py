"""People: registration, signing in and out, sign-in links, profiles, passwords, sessions and
API tokens.

Nothing here tells an outsider whether an address has an account: registering and asking
for a sign-in link answer alike, do the same work and write the same rows either way, and
only the mail that reaches the address says which it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict, Unpack
from urllib.parse import quote

from tortoise.transactions import in_transaction

from backend.auth import throttle
from backend.auth.passwords import hash_password, verify_password
from backend.auth.tokens import Sealer, digest, new_secret
from backend.db import int_column
from backend.errors import Conflict, Invalid, NotFound, Unauthenticated
from backend.models import Area, MagicLinkToken, Session, User
from backend.models.enums import CredentialKind, DigestFrequency, NotificationKind
from backend.services import notifications, personal_data, validation
from backend.services.actors import Actor
from backend.services.areas import get_area
from backend.services.personal_data import FORMER_PARTICIPANT, Sections
from backend.services.standing import Standing
from backend.settings import DEFAULT_API_TOKEN_DAYS

SESSION_LIFETIME = timedelta(days=30)
MAGIC_LINK_LIFETIME = timedelta(minutes=15)
# Long enough to find the mail the next day: until it is used, there is no account.
REGISTRATION_LIFETIME = timedelta(hours=24)
# last_seen_at is refreshed at most this often, so reads do not turn into writes.
SEEN_RESOLUTION = timedelta(hours=1)
MAX_SKILLS = 30
# A page's worth: more than anyone signs in from, and bounded for the database.
MAX_LISTED_SESSIONS = 100
USER_AGENT_LENGTH = 200


@dataclass(frozen=True)
class SignedIn:
    """A new session: the secret goes to the client once and is never stored.

    `device` is the secret of the browser's device cookie, now known to the account (none
    for an API token, which is not a sign-in).
    """

    user: User
    session: Session
    secret: str
    device: str | None = None


# No Argon2 hash looks like this: nobody signs in with a password to an unconfirmed address.
UNCONFIRMED = "!unconfirmed"
# Nor this: nobody signs in with a password to an erased account.
NO_PASSWORD = "!erased"


async def _new_session(
    user: User,
    *,
    now: datetime,
    kind: CredentialKind = CredentialKind.COOKIE,
    label: str | None = None,
    lifetime: timedelta = SESSION_LIFETIME,
    user_agent: str = "",
) -> tuple[Session, str]:
    secret = new_secret()
    session = await Session.create(
        token_hash=digest(secret),
        user=user,
        kind=kind,
        label=label,
        user_agent=_described(user_agent),
        created_at=now,
        expires_at=now + lifetime,
        last_seen_at=now,
    )
    return session, secret


async def _sign_in(actor: Actor, user: User, client: throttle.Client, *, now: datetime) -> SignedIn:
    """A new session at every sign-in: a session id planted before sign-in is worth nothing after."""
    session, secret = await _new_session(user, now=now, user_agent=actor.user_agent)
    device = actor.device or new_secret()
    await throttle.signed_in(throttle.account_key(user.email), client, device=device, now=now)
    await _rotate(actor.session)
    return SignedIn(user=user, session=session, secret=secret, device=device)


def _described(user_agent: str) -> str | None:
    """The client's description of itself, printable and cut to fit."""
    printable = "".join(c for c in user_agent if c.isprintable()).strip()
    return printable[:USER_AGENT_LENGTH] or None


async def _end_session(session: Session | None) -> None:
    if session is not None:
        await Session.filter(id=session.id).delete()


async def _rotate(session: Session | None) -> None:
    """Signing in replaces the browser's session; an API client's token is not the browser's."""
    if session is not None and session.kind == CredentialKind.COOKIE:
        await _end_session(session)


async def _home_area(area_id: int | None, field: str = "homeAreaId") -> Area | None:
    if area_id is None:
        return None
    return await get_area(area_id, field=field)


async def _checked_account(
    *, email: str, password: str, display_name: str, home_area_id: int | None, name_field: str = "displayName"
) -> tuple[str, str, Area | None]:
    """The address, name and home area of a new account, every field checked at once."""
    faults = validation.Faults()
    with faults:
        address = validation.email(email)
    with faults:
        name = validation.text(display_name, name_field, what="your name", max_length=80)
    home_area = None
    with faults:
        home_area = await _home_area(home_area_id)
    with faults:
        # What was typed is the person's own even where it was refused.
        personal = [display_name, email, home_area.name if home_area else ""]
        await validation.password(password, personal=personal)
    faults.raise_any()
    return address, name, home_area


async def _client(actor: Actor, address: str) -> tuple[str, throttle.Client]:
    key = throttle.account_key(address)
    return key, await throttle.client_of(key, address=actor.client, device=actor.device)


async def _count_attempt(
    actor: Actor, kind: throttle.Kind, address: str, *, now: datetime
) -> throttle.Client:
    """The attempt counted against the address's account and the actor's client (refused
    past the limits); the client, which a sign-in goes on with."""
    key, client = await _client(actor, address)
    await throttle.count_attempt(kind, key, client, now=now)
    return client


async def _address_holder(address: str, *, now: datetime) -> User:
    """The row mail to this address goes to: the account, or an unconfirmed row made now.

    Made or not, it is the same statement, so neither the work nor the time tells whether
    the address had a row before.
    """
    await User.bulk_create(
        [
            User(
                email=address,
                display_name="",
                password_hash=UNCONFIRMED,
                created_at=now,
                updated_at=now,
            )
        ],
        ignore_conflicts=True,
    )
    return await User.get(email=address)


async def forget_unconfirmed_addresses(now: datetime) -> int:
    """Drop the rows of addresses nobody confirmed once no link to them can be used any more:
    an address typed into a form is kept no longer than its mail is of use. Returns how many."""
    in_use = await int_column(
        MagicLinkToken.filter(expires_at__gt=now, user__confirmed_at__isnull=True), "user_id"
    )
    stale = await int_column(
        User.filter(confirmed_at__isnull=True, created_at__lt=now - REGISTRATION_LIFETIME).exclude(
            id__in=in_use
        ),
        "id",
    )
    if stale:
        # Their mail and links go with them (ON DELETE CASCADE).
        await User.filter(id__in=stale, confirmed_at__isnull=True).delete()
    return len(stale)


# A page to return to is a path inside Rungs, and no longer than any of its own.
MAX_RETURN_PATH = 300


def return_path(then: str | None) -> str:
    """Where a sign-in link leads once used: the page asked for when it is one of ours
    (a path, never another site), else the home page."""
    if (
        not then
        or not then.startswith("/")
        or then.startswith("//")
        or len(then) > MAX_RETURN_PATH
        or not then.isprintable()
        or "\\" in then
    ):
        return "/"
    return then


def _sign_in_path(secret: str, *, then: str = "/") -> str:
    """The path of the page that signs in with `secret`, then shows the page at `then`;
    delivery makes it a link, as it does every notification's path."""
    after = "" if then == "/" else f"next={quote(then, safe='')}&"
    return f"/#/sign-in/link?{after}token={secret}"


async def register(
    actor: Actor,
    *,
    email: str,
    password: str,
    display_name: str,
    home_area_id: int | None,
    now: datetime,
    sealer: Sealer,
) -> None:
    """Mail a link that confirms the address; nothing else happens until it is used.

    The answer, the work and the rows written are the same whether or not the address has an
    account: a new address gets a link that makes the account with what was chosen here; an
    address with an account gets a sign-in link, and the account stays exactly as it was. So
    nobody learns who has an account, and nobody can take an address that is not theirs.
    """
    address, name, home_area = await _checked_account(
        email=email, password=password, display_name=display_name, home_area_id=home_area_id
    )
    # Every registration mails the address: counted with the link requests, and per client
    # like sign-ins, so there are no mass sign-ups.
    await _count_attempt(actor, "mail", address, now=now)
    password_hash = await hash_password(password)
    secret = new_secret()
    async with in_transaction():
        user = await _address_holder(address, now=now)
        new = user.confirmed_at is None
        # A new account starts on the profile, where the person adds their skills.
        sealed_link = sealer.seal(_sign_in_path(secret, then="/profile" if new else "/"))
        lifetime = REGISTRATION_LIFETIME if new else MAGIC_LINK_LIFETIME
        token = await MagicLinkToken.create(
            token_hash=digest(secret),
            user=user,
            created_at=now,
            expires_at=now + lifetime,
            # Kept only for a new address: an account is never changed by a registration.
            display_name=name if new else None,
            password_hash=password_hash if new else None,
            home_area=home_area if new else None,
        )
        await _mail_registration_link(user, token, new=new, name=name, now=now, sealed_link=sealed_link)


async def _mail_registration_link(
    user: User, token: MagicLinkToken, *, new: bool, name: str, now: datetime, sealed_link: str
) -> None:
    """A new address is asked to confirm itself; an address with an account is told so,
    with a link that signs in."""
    await notifications.notify(
        NotificationKind.CONFIRM_REGISTRATION if new else NotificationKind.ALREADY_REGISTERED,
        user,
        subject=f"magic-link:{token.id}",
        now=now,
        context={
            "name": name if new else user.display_name,
            "hours": REGISTRATION_LIFETIME // timedelta(hours=1),
            "minutes": MAGIC_LINK_LIFETIME // timedelta(minutes=1),
        },
        sealed_link=sealed_link,
    )


async def create_confirmed_account(
    *,
    email: str,
    password: str,
    display_name: str,
    now: datetime,
    home_area_id: int | None = None,
) -> User:
    """For operators, demo data and tests: an account whose address needs no confirming."""
    address, name, home_area = await _checked_account(
        email=email, password=password, display_name=display_name, home_area_id=home_area_id
    )
    password_hash = await hash_password(password)
    async with in_transaction():
        holder = await _address_holder(address, now=now)
        made = await User.filter(id=holder.id, confirmed_at__isnull=True).update(
            display_name=name,
            password_hash=password_hash,
            home_area_id=home_area.id if home_area else None,
            confirmed_at=now,
            updated_at=now,
        )
    if not made:
        raise Conflict("An account with this email address exists already.", field="email")
    return await User.get(id=holder.id)


async def create_admin(*, email: str, password: str, display_name: str, now: datetime) -> User:
    """For operators (`rungs create-admin`): a new platform admin, or an existing account promoted."""
    address, name, _ = await _checked_account(
        email=email, password=password, display_name=display_name, home_area_id=None, name_field="name"
    )
    password_hash = await hash_password(password)
    async with in_transaction():
        holder = await _address_holder(address, now=now)
        await User.filter(id=holder.id).update(
            is_admin=True, password_hash=password_hash, display_name=name, updated_at=now
        )
        await User.filter(id=holder.id, confirmed_at__isnull=True).update(confirmed_at=now)
    return await User.get(id=holder.id)


async def log_in(actor: Actor, *, email: str, password: str, now: datetime) -> SignedIn:
    faults = validation.Faults()
    with faults:
        # Normalised exactly as at registration, so the address typed finds the account;
        # what is not an address at all cannot belong to one and is not worth an attempt.
        address = validation.email(email)
    with faults:
        if not password:
            raise Invalid("Enter your password", field="password")
    faults.raise_any()
    client = await _count_attempt(actor, "password", address, now=now)
    user = await User.get_or_none(email=address, confirmed_at__isnull=False)
    # An over-long password cannot match; it is not worth hashing.
    if len(password) > 256 or not await verify_password(user.password_hash if user else None, password):
        raise Unauthenticated("The email address or the password is wrong.")
    assert user is not None
    return await _sign_in(actor, user, client, now=now)


async def password_confirms(actor: Actor, password: str, *, now: datetime) -> bool:
    """Whether the signed-in person typed their own password, to confirm something grave.

    Counted as an attempt to sign in, so that guessing through it is throttled like any other.
    """
    user = actor.require_user()
    await _count_attempt(actor, "password", user.email, now=now)
    return len(password) <= 256 and await verify_password(user.password_hash, password)


async def log_out(actor: Actor) -> None:
    actor.require_user()
    await _end_session(actor.session)


async def request_magic_link(
    actor: Actor, *, email: str, now: datetime, sealer: Sealer, then: str | None = None
) -> None:
    """Mail a single-use sign-in link; to an address without an account, a mail saying so.
    The link leads on to the page at `then` (see `return_path`).

    The answer, the work and the rows written are the same whether an account exists or not.
    """
    address = validation.email(email)
    await _count_attempt(actor, "mail", address, now=now)
    secret = new_secret()
    sealed_link = sealer.seal(_sign_in_path(secret, then=return_path(then)))
    async with in_transaction():
        user = await _address_holder(address, now=now)
        has_account = user.confirmed_at is not None
        # Written either way, so both answers cost the same; without an account it is never
        # mailed, and could not sign anyone in.
        token = await MagicLinkToken.create(
            token_hash=digest(secret),
            user=user,
            created_at=now,
            expires_at=now + MAGIC_LINK_LIFETIME,
        )
        await notifications.notify(
            NotificationKind.MAGIC_LINK if has_account else NotificationKind.NO_ACCOUNT,
            user,
            subject=f"magic-link:{token.id}",
            now=now,
            context={"name": user.display_name, "minutes": MAGIC_LINK_LIFETIME // timedelta(minutes=1)},
            url=None if has_account else "/#/register",
            sealed_link=sealed_link if has_account else None,
        )


async def log_in_with_magic_link(actor: Actor, *, token: str, now: datetime) -> SignedIn:
    """Sign in with a mailed link; a registration's link first confirms the address and makes
    the account with what was chosen at registration."""
    if not token.strip() or len(token) > 200:
        raise Invalid("This sign-in link is not valid.", field="token")
    token_hash = digest(token.strip())
    async with in_transaction():
        # The conditional update is the single use: of two concurrent uses, one updates the row.
        used = await MagicLinkToken.filter(
            token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not used:
            raise Invalid("This sign-in link has expired or was used already.", field="token")
        link = await MagicLinkToken.get(token_hash=token_hash).select_related("user")
        if link.user.confirmed_at is None and link.password_hash is not None:
            # Of two registrations of one address, the first link used makes the account;
            # the other then only signs in, and changes nothing.
            await User.filter(id=link.user_id, confirmed_at__isnull=True).update(
                display_name=link.display_name,
                password_hash=link.password_hash,
                home_area_id=link.home_area_id,
                confirmed_at=now,
                updated_at=now,
            )
        user = await User.get(id=link.user_id)
        if user.confirmed_at is None or user.erased_at is not None:
            raise Invalid("This sign-in link is not valid.", field="token")
        _, client = await _client(actor, user.email)
        signed_in = await _sign_in(actor, user, client, now=now)
    return signed_in


async def create_api_token(
    actor: Actor,
    *,
    label: str,
    now: datetime,
    days: int | None = None,
    longest_days: int = DEFAULT_API_TOKEN_DAYS,
) -> SignedIn:
    """A bearer token that lasts `days`, at most (and by default) `longest_days` (API_TOKEN_DAYS)."""
    user = actor.require_user()
    faults = validation.Faults()
    with faults:
        name = validation.text(label, "label", what="name for the token", max_length=80)
    with faults:
        if days is not None:
            validation.whole_number(
                days, "expiresInDays", what="number of days", minimum=1, maximum=longest_days
            )
    faults.raise_any()
    lifetime = timedelta(days=longest_days if days is None else days)
    session, secret = await _new_session(
        user, now=now, kind=CredentialKind.API_TOKEN, label=name, lifetime=lifetime
    )
    return SignedIn(user=user, session=session, secret=secret)


async def authenticate(secret: str, *, now: datetime) -> Session | None:
    """The live session behind a cookie or bearer token, with its user; None when there is none."""
    if not secret or len(secret) > 200:
        return None
    session = await Session.get_or_none(token_hash=digest(secret), expires_at__gt=now).select_related("user")
    if session is not None and now - session.last_seen_at > SEEN_RESOLUTION:
        await Session.filter(id=session.id).update(last_seen_at=now)
    return session


def _skills(values: list[str]) -> list[str]:
    if len(values) > MAX_SKILLS:
        raise Invalid(f"You can list at most {MAX_SKILLS} skills", field="skills")
    cleaned: dict[str, str] = {}
    for value in values:
        skill = validation.text(value, "skills", what="skill", max_length=40)
        cleaned.setdefault(skill.lower(), skill)
    return list(cleaned.values())


class ProfileChanges(TypedDict, total=False):
    display_name: str
    home_area_id: int | None
    skills: list[str]
    public_initials: bool


async def update_profile(actor: Actor, *, now: datetime, **given: Unpack[ProfileChanges]) -> User:
    """Change what is given; `home_area_id=None` clears the home area, leaving it out keeps it."""
    user = actor.require_user()
    changes: dict[str, object] = {}
    faults = validation.Faults()
    with faults:
        if "display_name" in given:
            changes["display_name"] = validation.text(
                given["display_name"], "displayName", what="your name", max_length=80
            )
    with faults:
        if "home_area_id" in given:
            area = await _home_area(given["home_area_id"])
            changes["home_area_id"] = area.id if area else None
    with faults:
        if "skills" in given:
            changes["skills"] = _skills(given["skills"])
    if "public_initials" in given:
        changes["public_initials"] = given["public_initials"]
    faults.raise_any()
    if changes:
        await User.filter(id=user.id).update(updated_at=now, **changes)
    return await User.get(id=user.id)


async def update_notification_preferences(
    actor: Actor,
    *,
    now: datetime,
    email: bool | None = None,
    task_reminders: bool | None = None,
    digest: DigestFrequency | None = None,
) -> User:
    user = actor.require_user()
    changes = {
        name: value
        for name, value in (
            ("email_notifications", email),
            ("task_reminders", task_reminders),
            ("digest", digest),
        )
        if value is not None
    }
    if changes:
        await User.filter(id=user.id).update(updated_at=now, **changes)
    return await User.get(id=user.id)


# ------------------------------------------------------------ passwords and sessions


async def _end_sessions_except(user: User, keep: Session | None) -> int:
    others = Session.filter(user_id=user.id)
    if keep is not None:
        others = others.exclude(id=keep.id)
    return await others.delete()


async def _check_password_change(
    actor: Actor, user: User, current_password: str, new_password: str, *, now: datetime
) -> None:
    faults = validation.Faults()
    with faults:
        if not current_password:
            raise Invalid("Enter your current password", field="currentPassword")
        if not await password_confirms(actor, current_password, now=now):
            raise Invalid("Your current password is wrong", field="currentPassword")
    with faults:
        await validation.password(
            new_password,
            field="newPassword",
            what="your new password",
            personal=[user.display_name, user.email],
        )
        if new_password == current_password:
            raise Invalid("Your new password must differ from your current one", field="newPassword")
    faults.raise_any()


async def change_password(actor: Actor, *, current_password: str, new_password: str, now: datetime) -> User:
    """A new password, after the current one; every other session and API token of the person
    ends, so whoever else knew the old password is out, and the person is told by mail."""
    user = actor.require_user()
    await _check_password_change(actor, user, current_password, new_password, now=now)
    password_hash = await hash_password(new_password)
    async with in_transaction():
        # On the hash just checked: of two changes at once, only one finds it still there.
        changed = await User.filter(id=user.id, password_hash=user.password_hash).update(
            password_hash=password_hash, updated_at=now
        )
        if not changed:
            raise Conflict(
                "Your password was changed meanwhile: sign in again with the new one.",
                field="currentPassword",
            )
        await _end_sessions_except(user, keep=actor.session)
        # Links mailed before the change would sign in all the same.
        await MagicLinkToken.filter(user_id=user.id, used_at__isnull=True).delete()
        await notifications.notify(
            NotificationKind.PASSWORD_CHANGED,
            user,
            subject="password",
            occurrence=now.isoformat(),
            now=now,
            context={"name": user.display_name, "when": f"{now:%-d %B %Y at %H:%M} UTC"},
            url="/#/sign-in",
        )
    return await User.get(id=user.id)


async def sessions_of(actor: Actor, *, now: datetime) -> list[Session]:
    """The signed-in person's live browser sessions and API tokens, most recently used first."""
    user = actor.require_user()
    return (
        await Session.filter(user_id=user.id, expires_at__gt=now)
        .order_by("-last_seen_at", "-id")
        .limit(MAX_LISTED_SESSIONS)
    )


async def revoke_session(actor: Actor, *, session_id: int) -> bool:
    """End one of the person's own sessions or API tokens; True when it is the one in use.

    Anyone else's does not exist as far as they are concerned.
    """
    user = actor.require_user()
    if not await Session.filter(id=session_id, user_id=user.id).delete():
        raise NotFound("You have no session or API token with that ID.", field="sessionId")
    return actor.session is not None and actor.session.id == session_id


async def revoke_other_sessions(actor: Actor) -> int:
    """Sign out everywhere else: every session and API token but the one in use ends."""
    return await _end_sessions_except(actor.require_user(), keep=actor.session)


# ------------------------------------------------------------------ personal data


async def erase_account(actor: Actor, *, password: str, now: datetime) -> None:
    """Erase the signed-in person's account; their password confirms it is really them."""
    user = actor.require_user()
    if not password:
        raise Invalid("Enter your password", field="password")
    if not await password_confirms(actor, password, now=now):
        raise Invalid("Your password is wrong", field="password")
    await personal_data.erase(user, now=now)


async def _export_account(user: User, standing: Standing) -> Sections:
    home_area = await Area.get_or_none(id=user.home_area_id) if user.home_area_id else None
    return {
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "home_area": home_area.name if home_area else None,
            "skills": list(user.skills),
            "platform_admin": user.is_admin,
            "public_initials": user.public_initials,
            "registered_at": personal_data.moment(user.created_at),
        },
        "notification_preferences": {
            "email": user.email_notifications,
            "task_reminders": user.task_reminders,
            # None: not chosen, so the rung decides (services/digests).
            "digest": user.digest.value if user.digest else None,
        },
    }


async def _erase_account(user: User, now: datetime) -> None:
    await User.filter(id=user.id).update(
        # The address is freed for a new account; `.invalid` never routes anywhere.
        email=f"erased-{user.id}@erased.invalid",
        display_name=FORMER_PARTICIPANT,
        password_hash=NO_PASSWORD,
        is_admin=False,
        home_area_id=None,
        skills=[],
        email_notifications=False,
        task_reminders=False,
        digest=DigestFrequency.NEVER,
        # "A former participant" is shown in full: it names nobody.
        public_initials=False,
        erased_at=now,
        updated_at=now,
    )


ACCOUNT_DATA = personal_data.Contribution(
    name="account",
    export=_export_account,
    erase=_erase_account,
    erases=(
        "User.email",
        "User.display_name",
        "User.password_hash",
        "User.is_admin",
        "User.home_area",
        "User.skills",
        "User.email_notifications",
        "User.task_reminders",
        "User.digest",
        "User.public_initials",
        "User.updated_at",
    ),
    keeps={
        "User.created_at": "when the account was made: it dates what the former participant contributed",
        "User.confirmed_at": "when the address was confirmed, an address that is gone",
        "User.erased_at": "records that the account was erased, so nobody signs in to it again",
    },
)


async def _export_sign_ins(user: User, standing: Standing) -> Sections:
    sessions = await Session.filter(user_id=user.id).order_by("created_at")
    return {"sessions": [_exported_session(session) for session in sessions]}


def _exported_session(session: Session) -> dict[str, Any]:
    return {
        "kind": session.kind.value,
        "label": session.label,
        "user_agent": session.user_agent,
        "signed_in_at": personal_data.moment(session.created_at),
        "last_seen_at": personal_data.moment(session.last_seen_at),
        "expires_at": personal_data.moment(session.expires_at),
    }


async def _erase_sign_ins(user: User, now: datetime) -> None:
    await Session.filter(user_id=user.id).delete()
    await MagicLinkToken.filter(user_id=user.id).delete()
    await throttle.forget_attempts("account", throttle.account_key(user.email))


SIGN_IN_DATA = personal_data.Contribution(
    name="sign-ins",
    export=_export_sign_ins,
    erase=_erase_sign_ins,
    # The throttle names the account by a digest of its address, and the devices that
    # signed in to it; both go with the address.
    erases=("Session", "MagicLinkToken", "LoginAttempt", "KnownDevice"),
)
