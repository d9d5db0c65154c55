"""A person's rights over their data (DESIGN.md §6): a copy of it all, and erasure.

Erasure keeps the account's row, so public contributions stay attributed to "a former
participant"; everything that identifies or reaches the person goes. Each aggregate
that holds personal data adds its part to both `export` and `erase`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
from backend.services import accounts
from backend.services.actors import Actor

FORMER_PARTICIPANT = "Former participant"
# Unusable as an Argon2 hash: no password ever matches it.
NO_PASSWORD = "!erased"


def _moment(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


async def export(actor: Actor, *, now: datetime) -> dict[str, Any]:
    user = actor.require_user()
    memberships = await OrganisationMembership.filter(user_id=user.id).select_related("organisation")
    roles = await AreaRole.filter(user_id=user.id).select_related("area")
    sessions = await Session.filter(user_id=user.id).order_by("created_at")
    notifications = await Notification.filter(recipient_id=user.id, listed=True).order_by("created_at")
    home_area = await Area.get_or_none(id=user.home_area_id) if user.home_area_id else None
    proposals = await Problem.filter(proposer_id=user.id).order_by("id")
    comments = await Comment.filter(author_id=user.id).order_by("id")
    supported = await ProblemSupport.filter(user_id=user.id).select_related("problem").order_by("id")
    followed = await ProblemFollow.filter(user_id=user.id).select_related("problem").order_by("id")
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
        "supports": [{"problem": s.problem.title, "since": _moment(s.created_at)} for s in supported],
        "follows": [{"problem": f.problem.title, "since": _moment(f.created_at)} for f in followed],
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
        # Following is how news reaches a person; supports and comments are public
        # contributions, and stay, as a former participant's.
        followed = await int_column(ProblemFollow.filter(user_id=user.id), "problem_id")
        await ProblemFollow.filter(user_id=user.id).delete()
        await Problem.filter(id__in=followed).update(follower_count=F("follower_count") - 1)
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
    await throttle.forget_attempts("account", throttle.account_key(user.email))
