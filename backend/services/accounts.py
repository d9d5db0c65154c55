"""People: registration, signing in and out, sign-in links, profiles, passwords, sessions and
API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from backend.auth import throttle
from backend.auth.passwords import hash_password, verify_password
from backend.auth.tokens import Sealer, digest, new_secret
from backend.errors import Conflict, Invalid, NotFound, Unauthenticated
from backend.models import Area, MagicLinkToken, Session, User
from backend.models.enums import CredentialKind, DigestFrequency, NotificationKind
from backend.services import notifications, validation
from backend.services.actors import Actor
from backend.settings import DEFAULT_API_TOKEN_DAYS

SESSION_LIFETIME = timedelta(days=30)
MAGIC_LINK_LIFETIME = timedelta(minutes=15)
# last_seen_at is refreshed at most this often, so reads do not turn into writes.
SEEN_RESOLUTION = timedelta(hours=1)
MAX_SKILLS = 30
# A page's worth: more than anyone signs in from, and bounded for the database.
MAX_LISTED_SESSIONS = 100
USER_AGENT_LENGTH = 200


@dataclass(frozen=True)
class SignedIn:
    """A new session: the secret goes to the client once and is never stored."""

    user: User
    session: Session
    secret: str


_UNSET = object()


async def _new_session(
    user: User,
    *,
    now: datetime,
    kind: CredentialKind = CredentialKind.COOKIE,
    label: str | None = None,
    lifetime: timedelta = SESSION_LIFETIME,
    user_agent: str = "",
) -> SignedIn:
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
    return SignedIn(user=user, session=session, secret=secret)


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
    area = await Area.get_or_none(id=area_id)
    if area is None:
        raise NotFound("No area has that ID.", field=field)
    return area


async def register(
    actor: Actor,
    *,
    email: str,
    password: str,
    display_name: str,
    home_area_id: int | None,
    now: datetime,
) -> SignedIn:
    address = validation.email(email)
    validation.password(password)
    name = validation.text(display_name, "displayName", max_length=80)
    home_area = await _home_area(home_area_id)
    # Registrations count against the client's sign-in allowance: no mass sign-ups.
    await throttle.count_attempt("client", actor.client, now=now)
    password_hash = await hash_password(password)
    try:
        async with in_transaction():
            user = await User.create(
                email=address,
                display_name=name,
                password_hash=password_hash,
                home_area=home_area,
                created_at=now,
                updated_at=now,
            )
            signed_in = await _new_session(user, now=now, user_agent=actor.user_agent)
    except IntegrityError:
        raise Conflict(
            "An account with this email address exists already: sign in, or ask for a sign-in link.",
            field="email",
        ) from None
    await _rotate(actor.session)
    return signed_in


async def create_admin(*, email: str, password: str, display_name: str, now: datetime) -> User:
    """For operators (`rungs create-admin`): a new platform admin, or an existing account promoted."""
    address = validation.email(email)
    validation.password(password)
    name = validation.text(display_name, "name", max_length=80)
    password_hash = await hash_password(password)
    async with in_transaction():
        updated = await User.filter(email=address).update(
            is_admin=True, password_hash=password_hash, display_name=name, updated_at=now
        )
        if not updated:
            await User.create(
                email=address,
                display_name=name,
                password_hash=password_hash,
                is_admin=True,
                created_at=now,
                updated_at=now,
            )
    return await User.get(email=address)


async def log_in(actor: Actor, *, email: str, password: str, now: datetime) -> SignedIn:
    if not email.strip():
        raise Invalid("must not be empty", field="email")
    # Normalised exactly as at registration, so the address typed finds the account;
    # what is not an address at all cannot belong to one and is not worth an attempt.
    address = validation.email(email)
    if not password:
        raise Invalid("must not be empty", field="password")
    account_key = throttle.account_key(address)
    await throttle.count_attempt("account", account_key, now=now)
    await throttle.count_attempt("client", actor.client, now=now)
    user = await User.get_or_none(email=address)
    # An over-long password cannot match; it is not worth hashing.
    if len(password) > 256 or not await verify_password(user.password_hash if user else None, password):
        raise Unauthenticated("The email address or the password is wrong.")
    assert user is not None
    await throttle.forget_attempts("account", account_key)
    # A new session at every sign-in: a session id planted before sign-in is worth nothing after.
    await _rotate(actor.session)
    return await _new_session(user, now=now, user_agent=actor.user_agent)


async def log_out(actor: Actor) -> None:
    actor.require_user()
    await _end_session(actor.session)


async def request_magic_link(
    actor: Actor, *, email: str, now: datetime, public_url: str, sealer: Sealer
) -> None:
    """Mail a single-use sign-in link. The answer is the same whether an account exists or not."""
    address = validation.email(email)
    await throttle.count_attempt("magic", throttle.account_key(address), now=now)
    await throttle.count_attempt("client", actor.client, now=now)
    user = await User.get_or_none(email=address)
    if user is None:
        return
    secret = new_secret()
    async with in_transaction():
        token = await MagicLinkToken.create(
            token_hash=digest(secret),
            user=user,
            created_at=now,
            expires_at=now + MAGIC_LINK_LIFETIME,
        )
        await notifications.notify(
            NotificationKind.MAGIC_LINK,
            user,
            subject=f"magic-link:{token.id}",
            now=now,
            context={"name": user.display_name, "minutes": MAGIC_LINK_LIFETIME.seconds // 60},
            sealed_link=sealer.seal(f"{public_url}/#/sign-in/link?token={secret}"),
        )


async def log_in_with_magic_link(actor: Actor, *, token: str, now: datetime) -> SignedIn:
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
        magic = await MagicLinkToken.get(token_hash=token_hash).select_related("user")
        signed_in = await _new_session(magic.user, now=now, user_agent=actor.user_agent)
    await _rotate(actor.session)
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
    name = validation.text(label, "label", max_length=80)
    if days is not None:
        validation.whole_number(days, "expiresInDays", minimum=1, maximum=longest_days)
    lifetime = timedelta(days=longest_days if days is None else days)
    return await _new_session(user, now=now, kind=CredentialKind.API_TOKEN, label=name, lifetime=lifetime)


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
        raise Invalid(f"must list at most {MAX_SKILLS} skills", field="skills")
    cleaned: dict[str, str] = {}
    for value in values:
        skill = validation.text(value, "skills", max_length=40)
        cleaned.setdefault(skill.lower(), skill)
    return list(cleaned.values())


async def update_profile(
    actor: Actor,
    *,
    now: datetime,
    display_name: str | None = None,
    home_area_id: int | object | None = _UNSET,
    skills: list[str] | None = None,
) -> User:
    """Change what is given; `home_area_id=None` clears the home area, leaving it out keeps it."""
    user = actor.require_user()
    changes: dict[str, object] = {}
    if display_name is not None:
        changes["display_name"] = validation.text(display_name, "displayName", max_length=80)
    if home_area_id is not _UNSET:
        area = await _home_area(home_area_id)  # type: ignore[arg-type]
        changes["home_area_id"] = area.id if area else None
    if skills is not None:
        changes["skills"] = _skills(skills)
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


async def _confirm_password(actor: Actor, user: User, password: str, *, now: datetime) -> bool:
    """Whether `password` is the person's, checked as signing in checks it: each try counts
    against the account's and the client's allowance, so a stolen session cannot guess on."""
    account_key = throttle.account_key(user.email)
    await throttle.count_attempt("account", account_key, now=now)
    await throttle.count_attempt("client", actor.client, now=now)
    # An over-long password cannot match; it is not worth hashing.
    if len(password) > 256 or not await verify_password(user.password_hash, password):
        return False
    await throttle.forget_attempts("account", account_key)
    return True


async def _end_sessions_except(user: User, keep: Session | None) -> int:
    others = Session.filter(user_id=user.id)
    if keep is not None:
        others = others.exclude(id=keep.id)
    return await others.delete()


async def change_password(
    actor: Actor, *, current_password: str, new_password: str, now: datetime, public_url: str
) -> User:
    """A new password, after the current one; every other session and API token of the person
    ends, so whoever else knew the old password is out, and the person is told by mail."""
    user = actor.require_user()
    if not current_password:
        raise Invalid("must not be empty", field="currentPassword")
    validation.password(new_password, field="newPassword")
    if new_password == current_password:
        raise Invalid("must differ from your current password", field="newPassword")
    if not await _confirm_password(actor, user, current_password, now=now):
        raise Invalid("is wrong", field="currentPassword")
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
            url=f"{public_url}/#/sign-in",
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
