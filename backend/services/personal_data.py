"""A person's rights over their data (DESIGN.md §6): a copy of it all, and erasure.

Erasure keeps the account's row, so public contributions stay attributed to "a former
participant"; everything that identifies or reaches the person goes: their address and
name (also out of what others were told about their doing), sign-in attempts, and the
exact places they pointed at. Each aggregate that holds personal data adds its part to
both `export` and `erase`.

The export holds what is the person's own, and nothing they may no longer read: a
support or follow of a restricted problem they lost access to is listed without its title.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tortoise import Tortoise
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from backend.auth import throttle
from backend.db import int_column
from backend.errors import Invalid
from backend.models import (
    Area,
    AreaRole,
    Comment,
    MagicLinkToken,
    Notification,
    OrganisationMembership,
    Problem,
    ProblemFollow,
    ProblemSupport,
    Session,
    User,
)
from backend.models.enums import DigestFrequency
from backend.services import accounts, activity
from backend.services import notifications as outbox
from backend.services.actors import Actor
from backend.services.problems import public_location, visible_to
from backend.services.standing import standing_of

FORMER_PARTICIPANT = "Former participant"
# How others' notifications speak of someone who erased their account.
A_FORMER_PARTICIPANT = "a former participant"
# Stands, in an export, for a problem the person may no longer see.
NO_LONGER_VISIBLE = "a restricted problem you can no longer see"
# Unusable as an Argon2 hash: no password ever matches it.
NO_PASSWORD = "!erased"


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export(actor: Actor, *, now: datetime) -> dict[str, Any]:
    user = actor.require_user()
    memberships = await OrganisationMembership.filter(user_id=user.id).select_related("organisation")
    roles = await AreaRole.filter(user_id=user.id).select_related("area")
    sessions = await Session.filter(user_id=user.id).order_by("created_at")
    notifications = await (await outbox.listed_for(user)).order_by("created_at")
    home_area = await Area.get_or_none(id=user.home_area_id) if user.home_area_id else None
    proposals = await Problem.filter(proposer_id=user.id).order_by("id")
    comments = await Comment.filter(author_id=user.id).order_by("id")
    supported = await ProblemSupport.filter(user_id=user.id).select_related("problem").order_by("id")
    followed = await ProblemFollow.filter(user_id=user.id).select_related("problem").order_by("id")
    taken_part_in = {s.problem_id for s in supported} | {f.problem_id for f in followed}
    still_visible = set(
        await int_column(
            Problem.filter(visible_to(await standing_of(actor)), id__in=sorted(taken_part_in)), "id"
        )
    )

    def title_of(problem: Problem) -> str:
        return problem.title if problem.id in still_visible else NO_LONGER_VISIBLE

    return {
        "exported_at": _moment(now),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "home_area": home_area.name if home_area else None,
            "skills": list(user.skills),
            "platform_admin": user.is_admin,
            "registered_at": _moment(user.created_at),
        },
        "notification_preferences": {
            "email": user.email_notifications,
            "task_reminders": user.task_reminders,
            "digest": user.digest.value,
        },
        "organisations": [
            {
                "organisation": m.organisation.name,
                "kind": m.organisation.kind.value,
                "role": m.role.value,
                "since": _moment(m.created_at),
            }
            for m in memberships
        ],
        "area_roles": [
            {"area": r.area.name, "role": r.role.value, "since": _moment(r.created_at)} for r in roles
        ],
        "sessions": [
            {
                "kind": s.kind.value,
                "label": s.label,
                "user_agent": s.user_agent,
                "signed_in_at": _moment(s.created_at),
                "last_seen_at": _moment(s.last_seen_at),
                "expires_at": _moment(s.expires_at),
            }
            for s in sessions
        ],
        "proposals": [
            {
                "title": p.title,
                "description": p.description,
                "category": p.category.value,
                "visibility": p.visibility.value,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "status": p.status.value,
                "proposed_at": _moment(p.created_at),
            }
            for p in proposals
        ],
        "comments": [
            {
                "problem": c.problem_id,
                "body": c.body,
                "posted_at": _moment(c.created_at),
                "hidden_at": _moment(c.hidden_at),
                "hidden_reason": c.hidden_reason,
            }
            for c in comments
        ],
        "supports": [{"problem": title_of(s.problem), "since": _moment(s.created_at)} for s in supported],
        "follows": [{"problem": title_of(f.problem), "since": _moment(f.created_at)} for f in followed],
        "notifications": [
            {
                "kind": n.kind.value,
                "title": n.title,
                "body": n.body,
                "url": n.url,
                "created_at": _moment(n.created_at),
                "read_at": _moment(n.read_at),
            }
            for n in notifications
        ],
        # The activity record: every act of taking part, undone ones included.
        "activity": await activity.of_person(
            user, readable=visible_to(await standing_of(actor)), unreadable=NO_LONGER_VISIBLE
        ),
    }


async def erase(actor: Actor, *, password: str, now: datetime) -> None:
    """Erase the signed-in person's account; their password confirms it is really them."""
    user = actor.require_user()
    if not password:
        raise Invalid("must not be empty", field="password")
    if not await accounts.password_confirms(actor, password, now=now):
        raise Invalid("is wrong", field="password")
    async with in_transaction():
        for personal in (Session, MagicLinkToken, OrganisationMembership, AreaRole):
            await personal.filter(user_id=user.id).delete()
        await Notification.filter(recipient_id=user.id).delete()
        await _unname(user)
        await _blur_locations(user)
        # Following is how news reaches a person; supports and comments are public
        # contributions, and stay, as a former participant's.
        followed = await int_column(ProblemFollow.filter(user_id=user.id), "problem_id")
        await ProblemFollow.filter(user_id=user.id).delete()
        await Problem.filter(id__in=followed).update(follower_count=F("follower_count") - 1)
        # The activity record keeps the acts, belonging to nobody.
        await activity.forget_person(user)
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
            erased_at=now,
            updated_at=now,
        )
    for scope in ("account", "magic"):
        await throttle.forget_attempts(scope, throttle.account_key(user.email))
    await _forget_old_pages()


async def _unname(user: User) -> None:
    """Others were told of this person's doing by name ("Alice Smith proposed ..."): those
    notifications now speak of a former participant."""
    caused = await Notification.filter(actor_id=user.id).only("id", "title", "body")
    for notification in caused:
        notification.title = _without_name(notification.title, user.display_name)[:200]
        notification.body = _without_name(notification.body, user.display_name)
    await Notification.bulk_update(caused, fields=["title", "body"], batch_size=500)


def _without_name(text: str, name: str) -> str:
    # The name opens most bodies ("Alice Smith responded ..."), where the words need a capital.
    if text.startswith(name):
        text = A_FORMER_PARTICIPANT.capitalize() + text[len(name) :]
    return text.replace(name, A_FORMER_PARTICIPANT)


async def _blur_locations(user: User) -> None:
    """Their proposals stay, but point no closer than the public map does: an exact spot
    is often the proposer's own door."""
    located = await Problem.filter(proposer_id=user.id, latitude__isnull=False).only(
        "id", "latitude", "longitude"
    )
    for problem in located:
        assert problem.latitude is not None and problem.longitude is not None
        problem.latitude, problem.longitude = public_location(problem.latitude, problem.longitude)
    await Problem.bulk_update(located, fields=["latitude", "longitude"], batch_size=500)


async def _forget_old_pages() -> None:
    """SQLite keeps earlier versions of changed pages in its write-ahead log until a
    checkpoint; copying them into the database (whose connections zero what they delete,
    `secure_delete`) and truncating the log leaves no old copy of the erased data.
    PostgreSQL's old row versions are reclaimed by its autovacuum."""
    connection = Tortoise.get_connection("default")
    if connection.capabilities.dialect == "sqlite":
        await connection.execute_query("PRAGMA wal_checkpoint(TRUNCATE)")
