"""Co-owned actions of a working group: planning one, each owner's answer, and its progress.

An action has one or more owners: organisations represented in the group (an active member
speaks for them) and residents taking part in it. Each owner answers for its own share:
accepts or declines it, then reports its progress. The action's status follows from its
owners' (`derived_status`): PROPOSED until one accepts, ACTIVE once one has, DONE when no
owner is still to answer and every one that accepted is done; an owner that declined never
holds it back, and when every owner declined the action is CANCELLED.

Changing an owner locks the action's row first, so two owners answering at once each see
the other's answer when the action's status is worked out again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tortoise.transactions import in_transaction

from backend.db import seen_through
from backend.errors import Forbidden, Invalid, InvalidState, NotFound
from backend.models import Action, ActionOwner, GroupMembership, OrganisationMembership, User, WorkingGroup
from backend.models.enums import (
    ActionStatus,
    ActivityKind,
    MembershipStatus,
    OrganisationRole,
    OwnerStatus,
    WorkingGroupStatus,
)
from backend.services import activity, validation
from backend.services.actors import Actor
from backend.services.working_groups import action_notices
from backend.services.working_groups.access import access_group, is_active, membership_of, require_open

MAX_TITLE = 200
MAX_DESCRIPTION = 5_000
MAX_NOTE = 2_000
# Every area lies in one time zone: "today", for a due date, is the day there.
AREA_TIME_ZONE = ZoneInfo("Europe/London")
NOT_AN_ACTION = "No action has that ID."

# An owner that has taken its share on, whatever it reported since.
TAKEN_ON = (OwnerStatus.ACCEPTED, OwnerStatus.IN_PROGRESS, OwnerStatus.BLOCKED, OwnerStatus.DONE)
# What an owner reports once it has taken its share on.
REPORTED = (OwnerStatus.IN_PROGRESS, OwnerStatus.BLOCKED, OwnerStatus.DONE)
# An owner may change its answer until it reports progress.
ANSWERED = (OwnerStatus.PENDING, OwnerStatus.ACCEPTED, OwnerStatus.DECLINED)
# Actions still to be carried out: only these can be overdue.
UNDER_WAY = (ActionStatus.PROPOSED, ActionStatus.ACTIVE)


@dataclass(frozen=True)
class OwnerChoice:
    """An owner named when planning an action: an organisation or a person, exactly one."""

    organisation_id: int | None = None
    user_id: int | None = None


def local_date(now: datetime) -> date:
    return now.astimezone(AREA_TIME_ZONE).date()


def derived_status(owners: Iterable[OwnerStatus]) -> ActionStatus:
    statuses = list(owners)
    if statuses and all(s == OwnerStatus.DECLINED for s in statuses):
        return ActionStatus.CANCELLED
    taken_on = [s for s in statuses if s in TAKEN_ON]
    if not taken_on:
        return ActionStatus.PROPOSED
    if OwnerStatus.PENDING not in statuses and all(s == OwnerStatus.DONE for s in taken_on):
        return ActionStatus.DONE
    return ActionStatus.ACTIVE


def progress(owners: Iterable[OwnerStatus]) -> float:
    """The share of the owners that took it on that are done, 0 to 1."""
    taken_on = [s for s in owners if s in TAKEN_ON]
    return sum(s == OwnerStatus.DONE for s in taken_on) / len(taken_on) if taken_on else 0.0


def is_overdue(action: Action, now: datetime) -> bool:
    return action.due_on is not None and action.status in UNDER_WAY and action.due_on < local_date(now)


def checked_note(note: str | None) -> str | None:
    return validation.remark(note, "note", what="note", max_length=MAX_NOTE)


async def _checked_input(
    group: WorkingGroup,
    title: str,
    description: str,
    due_on: date | None,
    owners: Sequence[OwnerChoice],
    *,
    now: datetime,
) -> tuple[str, str]:
    """The title and the description as they are kept, once every field is known to be
    right: all their faults, the due date's and each owner's are reported together."""
    faults = validation.Faults()
    title, description = validation.wording(
        faults, title, description, max_title=MAX_TITLE, max_description=MAX_DESCRIPTION
    )
    with faults:
        if due_on is not None and due_on < local_date(now):
            raise Invalid("The due date cannot be in the past", field="dueOn")
    await _check_owners(group, owners, faults)
    faults.raise_any()
    return title, description


async def _check_owners(
    group: WorkingGroup, owners: Sequence[OwnerChoice], faults: validation.Faults
) -> None:
    """Each owner an organisation an active member speaks for, or an active member, named once."""
    with faults:
        if not owners:
            raise Invalid("Choose at least one owner", field="owners")
    active = await GroupMembership.filter(group_id=group.id, status=MembershipStatus.ACTIVE)
    represented = {m.organisation_id for m in active if m.organisation_id is not None}
    members = {m.user_id for m in active}
    for index, owner in enumerate(owners):
        field = f"owners[{index}]"
        with faults:
            if (owner.organisation_id is None) == (owner.user_id is None):
                raise Invalid(
                    "Choose an organisation or a person for each owner, one of the two", field=field
                )
            if owner.organisation_id is not None and owner.organisation_id not in represented:
                raise Invalid(
                    "Choose an organisation that someone in the group speaks for",
                    field=f"{field}.organisationId",
                )
            if owner.user_id is not None and owner.user_id not in members:
                raise Invalid("Choose a person who is an active member of the group", field=f"{field}.userId")
            if owner in owners[:index]:
                raise Invalid("This owner is named already", field=field)


async def create(
    actor: Actor,
    *,
    group_id: int,
    title: str,
    description: str,
    due_on: date | None = None,
    owners: Sequence[OwnerChoice],
    now: datetime,
) -> Action:
    """An active member plans an action; each owner is asked to take its share on."""
    user = actor.require_user()
    async with in_transaction():
        # The group's row lock holds its membership still while the owners are checked.
        group = await access_group(actor, group_id, for_update=True)
        if not is_active(await membership_of(user.id, group.id)):
            raise Forbidden("Only the group's active members plan its actions.")
        require_open(group, takes="actions")
        title, description = await _checked_input(group, title, description, due_on, owners, now=now)
        action = await Action.create(
            group_id=group.id,
            title=title,
            description=description,
            status=ActionStatus.PROPOSED,
            due_on=due_on,
            created_by_id=user.id,
            created_at=now,
            updated_at=now,
        )
        rows = [
            ActionOwner(action_id=action.id, status=OwnerStatus.PENDING, updated_at=now, **vars(owner))
            for owner in owners
        ]
        await ActionOwner.bulk_create(rows)
        await activity.record_in_group(user.id, group, ActivityKind.ACTION_CREATED, now=now)
        await action_notices.ownership_requested(group, action, planner=user, now=now)
    return action


async def _locked_action(actor: Actor, action_id: int) -> tuple[WorkingGroup, Action]:
    """Inside a transaction: the action, locked, and its group, if the actor may see the
    group; NOT_FOUND alike for an action that does not exist."""
    action, group = await seen_through(
        await Action.filter(id=action_id).select_for_update().first(),
        lambda action: access_group(actor, action.group_id),
        missing=NOT_AN_ACTION,
        field="actionId",
    )
    return group, action


def answers_for(
    user_id: int | None,
    owner: ActionOwner,
    *,
    organisation_role: OrganisationRole | None,
    membership: GroupMembership | None,
) -> bool:
    """Answers for an owner's share: a resident for their own; for an organisation, its
    members who are active in the group, and its admins (`organisation_role` is the
    person's role in the owning organisation, None when they are not in it)."""
    if owner.organisation_id is None:
        return user_id is not None and owner.user_id == user_id
    return organisation_role == OrganisationRole.ADMIN or (
        organisation_role is not None and is_active(membership)
    )


def may_answer(group: WorkingGroup, owner: ActionOwner, answers: bool) -> bool:
    """Accepts or declines the share now (`answers`: whether the person answers for it)."""
    return answers and group.status == WorkingGroupStatus.ACTIVE and owner.status in ANSWERED


def may_report(group: WorkingGroup, owner: ActionOwner, answers: bool) -> bool:
    """Reports the share's progress now: once it is taken on."""
    return answers and group.status == WorkingGroupStatus.ACTIVE and owner.status in TAKEN_ON


async def _answers_for(user: User, group: WorkingGroup, owner: ActionOwner) -> bool:
    role = None
    if owner.organisation_id is not None:
        joined = await OrganisationMembership.get_or_none(
            organisation_id=owner.organisation_id, user_id=user.id
        )
        role = joined.role if joined else None
    return answers_for(
        user.id, owner, organisation_role=role, membership=await membership_of(user.id, group.id)
    )


async def _share(
    actor: Actor, action_id: int, organisation_id: int | None
) -> tuple[WorkingGroup, Action, ActionOwner]:
    """Inside a transaction: the action (locked), its group, and the share the actor
    answers for: the organisation's when one is named, else their own."""
    user = actor.require_user()
    group, action = await _locked_action(actor, action_id)
    if organisation_id is None:
        owner = await ActionOwner.get_or_none(action_id=action.id, user_id=user.id)
        if owner is None:
            raise Forbidden("You do not own a share of this action: name the organisation you answer for.")
    else:
        owner = await ActionOwner.get_or_none(action_id=action.id, organisation_id=organisation_id)
        if owner is None:
            raise NotFound("That organisation does not own a share of this action.", field="organisationId")
        if not await _answers_for(user, group, owner):
            raise Forbidden(
                "Only the organisation's members in the group, and its admins, answer for its share."
            )
    require_open(group, takes="answers or reports")
    return group, action, owner


async def _settle(
    group: WorkingGroup, action: Action, owner: ActionOwner, *, by: User, note: str | None, now: datetime
) -> None:
    """The owner's new state is written: the action's status follows, the act is recorded
    and the group's members hear of it."""
    owner.update_from_dict({"note": note, "updated_by_id": by.id, "updated_at": now})
    await owner.save(update_fields=["status", "note", "updated_by_id", "updated_at"])
    statuses = [o.status for o in await ActionOwner.filter(action_id=action.id)]
    action.status, action.updated_at = derived_status(statuses), now
    await action.save(update_fields=["status", "updated_at"])
    await activity.record_in_group(by.id, group, ActivityKind.ACTION_PROGRESS_REPORTED, now=now)
    await action_notices.owner_reported(group, action, owner, author=by, progress=progress(statuses), now=now)


async def respond(
    actor: Actor,
    *,
    action_id: int,
    organisation_id: int | None = None,
    accept: bool,
    note: str | None = None,
    now: datetime,
) -> Action:
    """An owner takes its share on, or declines it; it may change its mind until it reports."""
    user = actor.require_user()
    note = checked_note(note)
    async with in_transaction():
        group, action, owner = await _share(actor, action_id, organisation_id)
        answer = OwnerStatus.ACCEPTED if accept else OwnerStatus.DECLINED
        if owner.status not in ANSWERED:
            raise InvalidState("This share is under way: report its progress instead.")
        if owner.status == answer:
            raise InvalidState(f"This share is {answer.value.lower()} already.")
        owner.status = answer
        await _settle(group, action, owner, by=user, note=note, now=now)
    return action


async def report_progress(
    actor: Actor,
    *,
    action_id: int,
    organisation_id: int | None = None,
    status: OwnerStatus,
    note: str | None = None,
    now: datetime,
) -> Action:
    """An owner that took its share on says where it stands: in progress, blocked or done."""
    user = actor.require_user()
    if status not in REPORTED:
        raise Invalid("Choose in progress, blocked or done", field="status")
    note = checked_note(note)
    async with in_transaction():
        group, action, owner = await _share(actor, action_id, organisation_id)
        if owner.status not in TAKEN_ON:
            raise InvalidState("Accept this share before reporting its progress.")
        owner.status = status
        await _settle(group, action, owner, by=user, note=note, now=now)
    return action
