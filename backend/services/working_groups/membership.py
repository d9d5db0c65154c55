"""Who is in a working group: invitations, requests to join, leaving, and the leads.

Each person has one row per group (the database's unique (group, person) holds it), from
their first invitation or request to their leaving, and it is theirs again when they come
back. Acts on a group's membership lock the group's row first, so two of them never judge
the same state (the last lead, a closed group) at once.
"""

from __future__ import annotations

from datetime import datetime

from tortoise.transactions import in_transaction

from backend.db import save_changes, seen_through
from backend.errors import Forbidden, InvalidState, NotFound
from backend.models import GroupMembership, Organisation, OrganisationMembership, User, WorkingGroup
from backend.models.enums import ActivityKind, GroupRole, JoinPolicy, MembershipStatus
from backend.services import activity, validation
from backend.services.actors import Actor
from backend.services.working_groups import notices
from backend.services.working_groups.access import (
    GONE,
    access_group,
    access_led_group,
    require_lead,
    require_open,
)

MAX_MESSAGE = 1_000
NOT_A_MEMBERSHIP = "No membership has that ID."


async def _claim(group: WorkingGroup, user_id: int, *, now: datetime) -> GroupMembership:
    """Inside a transaction: the person's one row in the group, locked. A new one starts as
    LEFT (not in the group), for the caller to move on at once; of two attempts to make it,
    the database's unique (group, person) lets one through and the other finds its row."""
    await GroupMembership.bulk_create(
        [GroupMembership.starting(group.id, user_id, GroupRole.MEMBER, MembershipStatus.LEFT, now=now)],
        ignore_conflicts=True,
    )
    return await GroupMembership.filter(group_id=group.id, user_id=user_id).select_for_update().get()


async def _group_of_membership(actor: Actor, membership_id: int) -> tuple[WorkingGroup, GroupMembership]:
    """Inside a transaction: the membership and its group, both locked, if the actor may
    see the group; NOT_FOUND alike for a membership that does not exist."""
    _, group = await seen_through(
        await GroupMembership.get_or_none(id=membership_id),
        lambda membership: access_group(actor, membership.group_id, for_update=True),
        missing=NOT_A_MEMBERSHIP,
        field="membershipId",
    )
    return group, await GroupMembership.filter(id=membership_id).select_for_update().get()


async def _invitee(user_id: int, organisation_id: int | None) -> tuple[User, Organisation | None]:
    invitee = await User.get_or_none(id=user_id, confirmed_at__isnull=False, erased_at__isnull=True)
    if invitee is None:
        raise NotFound("No person has that ID.", field="userId")
    if organisation_id is None:
        return invitee, None
    if not await OrganisationMembership.exists(organisation_id=organisation_id, user_id=user_id):
        raise NotFound("The person invited is not a member of that organisation.", field="organisationId")
    return invitee, await Organisation.get(id=organisation_id)


async def invite(
    actor: Actor,
    *,
    group_id: int,
    user_id: int,
    organisation_id: int | None = None,
    role: GroupRole = GroupRole.MEMBER,
    now: datetime,
) -> GroupMembership:
    """A lead invites a person, as themself or as the representative of an organisation
    they belong to; they accept or decline."""
    user = actor.require_user()
    async with in_transaction():
        group, area = await access_led_group(actor, group_id, to="invite people")
        require_open(group, takes="members")
        invitee, organisation = await _invitee(user_id, organisation_id)
        membership = await _claim(group, invitee.id, now=now)
        if membership.status == MembershipStatus.ACTIVE:
            raise InvalidState(f"{invitee.display_name} is a member of this group already.")
        if membership.status == MembershipStatus.REQUESTED:
            raise InvalidState(f"{invitee.display_name} has asked to join: approve their request instead.")
        await save_changes(
            membership,
            status=MembershipStatus.INVITED,
            updated_at=now,
            role=role,
            organisation_id=organisation_id,
            invited_by_id=user.id,
            message=None,
        )
        await notices.invited(group, area, membership, inviter=user, organisation=organisation, now=now)
    return membership


async def _admit(
    group: WorkingGroup, membership: GroupMembership, *, now: datetime, **changes: object
) -> None:
    """The person is an active member from now: the act that puts them on the co-design rung."""
    await save_changes(membership, status=MembershipStatus.ACTIVE, updated_at=now, **changes)
    await activity.record_in_group(membership.user_id, group, ActivityKind.GROUP_JOINED, now=now)


async def _settle(group: WorkingGroup, membership: GroupMembership, *, admitted: bool, now: datetime) -> None:
    """An invitation answered or a request decided: the person is admitted, while the group
    takes members, or declined."""
    if admitted:
        require_open(group, takes="members")
        await _admit(group, membership, now=now)
    else:
        await save_changes(membership, status=MembershipStatus.DECLINED, updated_at=now)


async def respond_to_invitation(
    actor: Actor, *, membership_id: int, accept: bool, now: datetime
) -> GroupMembership:
    user = actor.require_user()
    async with in_transaction():
        group, membership = await _group_of_membership(actor, membership_id)
        if membership.user_id != user.id:
            raise Forbidden("Only the person invited answers an invitation.")
        if membership.status != MembershipStatus.INVITED:
            raise InvalidState("There is no invitation waiting for an answer.")
        await _settle(group, membership, admitted=accept, now=now)
    return membership


def _as_themself(*, message: str | None) -> dict[str, object]:
    """Who joins without an invitation takes part as a member speaking for themself."""
    return {"role": GroupRole.MEMBER, "organisation_id": None, "invited_by_id": None, "message": message}


async def join(actor: Actor, *, group_id: int, message: str | None = None, now: datetime) -> GroupMembership:
    """An OPEN group takes the person at once; an APPROVAL one records their request for the
    leads to decide. Joining again changes nothing."""
    user = actor.require_user()
    message = validation.remark(message, "message", what="message", max_length=MAX_MESSAGE)
    async with in_transaction():
        group = await access_group(actor, group_id, for_update=True)
        require_open(group, takes="members")
        if group.join_policy == JoinPolicy.INVITE_ONLY:
            raise Forbidden("This working group takes new members by invitation only.")
        membership = await _claim(group, user.id, now=now)
        if membership.status == MembershipStatus.INVITED:
            raise InvalidState("You are invited to this group: accept the invitation instead.")
        if membership.status not in GONE:
            return membership
        if group.join_policy == JoinPolicy.OPEN:
            await _admit(group, membership, now=now, **_as_themself(message=None))
            return membership
        await save_changes(
            membership, status=MembershipStatus.REQUESTED, updated_at=now, **_as_themself(message=message)
        )
        await notices.join_requested(group, membership, requester=user, now=now)
    return membership


async def decide_request(
    actor: Actor, *, membership_id: int, approve: bool, now: datetime
) -> GroupMembership:
    """A lead approves or declines a request to join; the one who asked is told."""
    user = actor.require_user()
    async with in_transaction():
        group, membership = await _group_of_membership(actor, membership_id)
        await require_lead(actor, group, to="decide requests to join")
        if membership.status != MembershipStatus.REQUESTED:
            raise InvalidState("There is no request to join waiting for a decision.")
        await _settle(group, membership, admitted=approve, now=now)
        await notices.request_decided(group, membership, decider=user, approved=approve, now=now)
    return membership


async def _check_another_lead(group: WorkingGroup, membership: GroupMembership, what: str) -> None:
    """A group keeps at least one lead (its row is locked, so none can leave meanwhile)."""
    if membership.role != GroupRole.LEAD or membership.status != MembershipStatus.ACTIVE:
        return
    others = GroupMembership.filter(
        group_id=group.id, role=GroupRole.LEAD, status=MembershipStatus.ACTIVE
    ).exclude(id=membership.id)
    if not await others.exists():
        raise InvalidState(f"The group's last lead cannot {what}: make another member a lead first.")


async def leave(actor: Actor, *, group_id: int, now: datetime) -> GroupMembership:
    """Leaving, or taking back an invitation or a request; the last lead must hand over first."""
    user = actor.require_user()
    async with in_transaction():
        group = await access_group(actor, group_id, for_update=True)
        membership = (
            await GroupMembership.filter(group_id=group.id, user_id=user.id).select_for_update().first()
        )
        if membership is None or membership.status in GONE:
            raise InvalidState("You are not a member of this group.")
        await _check_another_lead(group, membership, "leave")
        was_active = membership.status == MembershipStatus.ACTIVE
        await save_changes(membership, status=MembershipStatus.LEFT, updated_at=now, role=GroupRole.MEMBER)
        if was_active:
            await activity.record_in_group(user.id, group, ActivityKind.GROUP_LEFT, now=now)
    return membership


async def set_role(actor: Actor, *, membership_id: int, role: GroupRole, now: datetime) -> GroupMembership:
    """Leads make an active member a lead, or a lead a member again."""
    actor.require_user()
    async with in_transaction():
        group, membership = await _group_of_membership(actor, membership_id)
        await require_lead(actor, group, to="change members' roles")
        if membership.status != MembershipStatus.ACTIVE:
            raise InvalidState("Only an active member's role can change.")
        if role == GroupRole.MEMBER:
            await _check_another_lead(group, membership, "step down")
        if membership.role != role:
            membership.role, membership.updated_at = role, now
            await membership.save(update_fields=["role", "updated_at"])
    return membership
