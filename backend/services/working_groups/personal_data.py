"""A member's part of the copy of their data, and of its erasure.

A person's memberships (their invitations and requests too, with what they wrote) are
theirs, and go with their account: the groups they were in no longer reach them. What they
did for a group in public (forming it, adding its problems, its actions) stays, as a
former participant's.
"""

from __future__ import annotations

from datetime import datetime

from backend.models import GroupMembership, User, WorkingGroup
from backend.services import personal_data
from backend.services.personal_data import GROUP_NO_LONGER_VISIBLE, Sections, moment
from backend.services.standing import Standing
from backend.services.working_groups.access import visible_to


async def _export(user: User, standing: Standing) -> Sections:
    memberships = (
        await GroupMembership.filter(user_id=user.id).select_related("group", "organisation").order_by("id")
    )
    formed = await WorkingGroup.filter(created_by_id=user.id).order_by("id")
    groups = {m.group_id for m in memberships} | {g.id for g in formed}
    still_visible = set(
        await WorkingGroup.filter(visible_to(standing), id__in=sorted(groups)).values_list("id", flat=True)
    )

    def name_of(group: WorkingGroup) -> str:
        return group.name if group.id in still_visible else GROUP_NO_LONGER_VISIBLE

    return {
        "working_group_memberships": [
            {
                "group": name_of(m.group),
                "role": m.role.value,
                "status": m.status.value,
                "representing": m.organisation.name if m.organisation else None,
                "message": m.message,
                "since": moment(m.created_at),
                "changed_at": moment(m.updated_at),
            }
            for m in memberships
        ],
        "working_groups_formed": [{"group": name_of(g), "formed_at": moment(g.created_at)} for g in formed],
    }


async def _erase(user: User, now: datetime) -> None:
    await GroupMembership.filter(user_id=user.id).delete()
    await GroupMembership.filter(invited_by_id=user.id).update(invited_by_id=None)


PERSONAL_DATA = personal_data.Contribution(
    name="working groups",
    export=_export,
    erase=_erase,
    erases=("GroupMembership", "GroupMembership.invited_by"),
    keeps={
        "WorkingGroup.created_by": "who formed the group, part of its public record",
        "GroupProblem.added_by": "who took a problem up in the group, part of its public record",
        "Action.created_by": "a step of the group's public plan",
        "ActionOwner.user": "a resident's share of a co-owned action, part of the group's public plan",
        "ActionOwner.updated_by": "who answered or reported for an owner, part of the action's record",
    },
)
