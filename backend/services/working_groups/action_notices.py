"""Who hears of a group's actions, and what they are told.

Like every notice of a group, these go through the outbox about the group
(`Subject(WORKING_GROUP, id)`), so only people who may see the group receive them; nobody
hears of their own act.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from backend.db import int_column
from backend.models import (
    Action,
    ActionOwner,
    GroupMembership,
    Organisation,
    OrganisationMembership,
    User,
    WorkingGroup,
)
from backend.models.enums import MembershipStatus, NotificationKind, OrganisationRole
from backend.services import notifications
from backend.services.working_groups.notices import about


def _day(value: date | None) -> str | None:
    return f"{value.day} {value:%B %Y}" if value else None


def _described(action: Action, group: WorkingGroup) -> dict[str, Any]:
    """What every action notice says of the action."""
    return {"action": action.title, "group": group.name}


async def _active_members(group: WorkingGroup) -> list[int]:
    return await int_column(
        GroupMembership.filter(group_id=group.id, status=MembershipStatus.ACTIVE), "user_id"
    )


async def _asked_for(group: WorkingGroup, organisation_ids: list[int]) -> dict[int, set[int]]:
    """Who is asked on each organisation's behalf: its members in the group, or its admins
    when none of them is."""
    in_group = await _active_members(group)
    asked: dict[int, set[int]] = defaultdict(set)
    for organisation_id, user_id in await OrganisationMembership.filter(
        organisation_id__in=organisation_ids, user_id__in=in_group
    ).values_list("organisation_id", "user_id"):
        asked[organisation_id].add(user_id)
    unrepresented = [o for o in organisation_ids if o not in asked]
    for organisation_id, user_id in await OrganisationMembership.filter(
        organisation_id__in=unrepresented, role=OrganisationRole.ADMIN
    ).values_list("organisation_id", "user_id"):
        asked[organisation_id].add(user_id)
    return asked


async def ownership_requested(group: WorkingGroup, action: Action, *, planner: User, now: datetime) -> None:
    """Each owner is asked to take its share on: a resident directly, an organisation
    through the people who answer for it."""
    owners = await ActionOwner.filter(action_id=action.id).order_by("id")
    organisation_ids = [o.organisation_id for o in owners if o.organisation_id is not None]
    names = dict(await Organisation.filter(id__in=organisation_ids).values_list("id", "name"))
    asked = await _asked_for(group, organisation_ids)
    for owner in owners:
        organisation = owner.organisation_id
        recipients = asked[organisation] if organisation is not None else {owner.user_id}
        await notifications.notify_many(
            NotificationKind.ACTION_OWNERSHIP_REQUEST,
            {r for r in recipients if r is not None and r != planner.id},
            subject=about(group),
            occurrence=f"owner:{owner.id}",
            context={
                **_described(action, group),
                "description": action.description,
                "requested_by": planner.display_name,
                "organisation": names.get(organisation) if organisation is not None else None,
                "due": _day(action.due_on),
            },
            actor_id=planner.id,
            now=now,
        )


async def owner_reported(
    group: WorkingGroup, action: Action, owner: ActionOwner, *, author: User, progress: float, now: datetime
) -> None:
    """The group's active members hear of each answer and each report, once."""
    organisation = await Organisation.get(id=owner.organisation_id) if owner.organisation_id else None
    await notifications.notify_many(
        NotificationKind.ACTION_UPDATE,
        set(await _active_members(group)) - {author.id},
        subject=about(group),
        occurrence=f"report:{owner.id}:{owner.status.value}:{owner.updated_at.isoformat()}",
        context={
            **_described(action, group),
            "author": author.display_name,
            "organisation": organisation.name if organisation else None,
            "status": owner.status.value.lower().replace("_", " "),
            "note": owner.note,
            "progress": f"{progress:.0%}",
        },
        actor_id=author.id,
        now=now,
    )
