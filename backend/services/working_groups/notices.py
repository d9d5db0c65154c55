"""Who hears of what happens in a working group, and what they are told.

Every notice goes through the outbox about the group (`Subject(WORKING_GROUP, id)`), so it
reaches only people who may see the group: the invitee, the one asking to join and the
leads are the group's own while the notice is written.
"""

from __future__ import annotations

from datetime import datetime

from backend.db import int_column
from backend.models import Area, GroupMembership, Organisation, User, WorkingGroup
from backend.models.enums import GroupRole, MembershipStatus, NotificationKind, SubjectKind
from backend.services import notifications
from backend.services.audiences import Subject


def about(group: WorkingGroup) -> Subject:
    return Subject(SubjectKind.WORKING_GROUP, group.id)


def _occurrence(membership: GroupMembership, what: str) -> str:
    """One notice per change of the membership: a person invited again after declining
    hears of the new invitation."""
    return f"{what}:{membership.id}:{membership.updated_at.isoformat()}"


async def invited(
    group: WorkingGroup,
    area: Area,
    membership: GroupMembership,
    *,
    inviter: User,
    organisation: Organisation | None,
    now: datetime,
) -> None:
    await notifications.notify_many(
        NotificationKind.GROUP_INVITATION,
        [membership.user_id],
        subject=about(group),
        occurrence=_occurrence(membership, "invited"),
        context={
            "group": group.name,
            "area": area.name,
            "purpose": group.purpose,
            "invited_by": inviter.display_name,
            "role": "a lead" if membership.role == GroupRole.LEAD else "a member",
            "organisation": organisation.name if organisation else None,
        },
        actor_id=inviter.id,
        now=now,
    )


async def join_requested(
    group: WorkingGroup, membership: GroupMembership, *, requester: User, now: datetime
) -> None:
    """The group's leads are asked to decide."""
    leads = GroupMembership.filter(group_id=group.id, role=GroupRole.LEAD, status=MembershipStatus.ACTIVE)
    await notifications.notify_many(
        NotificationKind.JOIN_REQUEST,
        await int_column(leads, "user_id"),
        subject=about(group),
        occurrence=_occurrence(membership, "requested"),
        context={"group": group.name, "requester": requester.display_name, "message": membership.message},
        actor_id=requester.id,
        now=now,
    )


async def request_decided(
    group: WorkingGroup, membership: GroupMembership, *, decider: User, approved: bool, now: datetime
) -> None:
    """The one who asked hears the answer (while they may see the group: a declined request
    to a restricted group leaves them outside it, and hearing nothing)."""
    await notifications.notify_many(
        NotificationKind.MEMBERSHIP_DECIDED,
        [membership.user_id],
        subject=about(group),
        occurrence=_occurrence(membership, "decided"),
        context={"group": group.name, "approved": approved, "decided_by": decider.display_name},
        actor_id=decider.id,
        now=now,
    )
