"""A person's part in a group's actions, in the copy of their data, and in its erasure.

The actions a person planned, and the shares they owned or answered for, are part of the
group's public plan: erasure keeps them, shown as a former participant's. The copy lists
them; of a group the person may no longer see, it names neither the group nor the action.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from backend.models import Action, ActionOwner, User, WorkingGroup
from backend.services import personal_data
from backend.services.personal_data import GROUP_NO_LONGER_VISIBLE, Sections, moment
from backend.services.standing import Standing
from backend.services.working_groups.access import visible_to

ACTION_NO_LONGER_VISIBLE = "an action of a working group you can no longer see"


async def _export(user: User, standing: Standing) -> Sections:
    planned = await Action.filter(created_by_id=user.id).select_related("group").order_by("id")
    shares = (
        await ActionOwner.filter(Q(user_id=user.id) | Q(updated_by_id=user.id))
        .select_related("action__group", "organisation")
        .order_by("id")
    )
    groups = {a.group_id for a in planned} | {s.action.group_id for s in shares}
    visible = set(
        await WorkingGroup.filter(visible_to(standing), id__in=sorted(groups)).values_list("id", flat=True)
    )

    def named(action: Action) -> dict[str, str]:
        if action.group_id in visible:
            return {"group": action.group.name, "action": action.title}
        return {"group": GROUP_NO_LONGER_VISIBLE, "action": ACTION_NO_LONGER_VISIBLE}

    return {
        "actions_planned": [
            {**named(a), "status": a.status.value, "planned_at": moment(a.created_at)} for a in planned
        ],
        "action_shares": [
            {
                **named(s.action),
                "owner": s.organisation.name if s.organisation else "you",
                "status": s.status.value,
                "note": s.note if s.updated_by_id == user.id else None,
                "answered_by_you": s.updated_by_id == user.id,
                "changed_at": moment(s.updated_at),
            }
            for s in shares
        ],
    }


async def _erase(user: User, now: datetime) -> None:
    """Nothing goes: every place of the person here is part of a group's public plan."""


PERSONAL_DATA = personal_data.Contribution(
    name="working group actions",
    export=_export,
    erase=_erase,
    keeps={
        "Action.created_by": "a step of the group's public plan",
        "ActionOwner.user": "a resident's share of a co-owned action, part of the group's public plan",
        "ActionOwner.updated_by": "who answered or reported for an owner, part of the action's record",
    },
)
