from datetime import datetime
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from backend.models.base import (
    Record,
    by_person,
    by_person_or_none,
    for_organisation_or_none,
    in_group,
    on_problem,
    part_of,
    refers_to,
)
from backend.models.enums import (
    ActionStatus,
    GroupRole,
    JoinPolicy,
    MembershipStatus,
    OwnerStatus,
    WorkingGroupStatus,
)

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.areas import Area
    from backend.models.organisations import Organisation
    from backend.models.problems import Problem


class WorkingGroup(Record):
    """Police, partner agencies and residents working together on one or more problems."""

    name = fields.CharField(max_length=120)
    purpose = fields.TextField()
    status = fields.CharEnumField(WorkingGroupStatus, max_length=16)
    join_policy = fields.CharEnumField(JoinPolicy, max_length=16)
    area: fields.ForeignKeyRelation["Area"] = refers_to("models.Area", "working_groups")
    area_id: int
    # The problem the group formed around: who may see it may see the group (a group around a
    # RESTRICTED problem is RESTRICTED too), besides the group's own members.
    problem: fields.ForeignKeyRelation["Problem"] = refers_to(
        "models.Problem", "founded_groups", indexed=True
    )
    problem_id: int
    created_by: fields.ForeignKeyRelation["User"] = by_person("formed_groups", indexed=True)
    created_by_id: int
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "working_groups"
        # Lists: an area's groups by status, newest first, keyset on (created_at, id).
        indexes = (("area", "status", "created_at", "id"),)


class GroupProblem(Model):
    """A problem the group works on: the one it formed around, and those leads added since."""

    id = fields.IntField(primary_key=True)
    group: fields.ForeignKeyRelation[WorkingGroup] = in_group("problem_links")
    group_id: int
    problem: fields.ForeignKeyRelation["Problem"] = on_problem("group_links", indexed=True)
    problem_id: int
    added_by: fields.ForeignKeyRelation["User"] = by_person()
    added_by_id: int
    added_at = fields.DatetimeField()

    class Meta:
        table = "working_group_problems"
        unique_together = (("group", "problem"),)


class GroupMembership(Record):
    """One person's place in a group, from invitation or request to leaving: one row per
    person per group, reused when they come back."""

    group: fields.ForeignKeyRelation[WorkingGroup] = in_group("memberships")
    group_id: int
    user: fields.ForeignKeyRelation["User"] = by_person("group_memberships", indexed=True)
    user_id: int
    # The organisation the member speaks for; null for a resident taking part as themself.
    organisation: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none(
        "group_memberships"
    )
    organisation_id: int | None
    role = fields.CharEnumField(GroupRole, max_length=16)
    status = fields.CharEnumField(MembershipStatus, max_length=16)
    # Who invited them (null for a request or for the group's founder).
    invited_by: fields.ForeignKeyNullableRelation["User"] = by_person_or_none()
    invited_by_id: int | None
    # What the person wrote with their request to join; leads read it when deciding.
    message = fields.TextField(null=True)
    # When the status last changed.
    updated_at = fields.DatetimeField()

    class Meta:
        table = "group_memberships"
        unique_together = (("group", "user"),)

    @classmethod
    def starting(
        cls,
        group_id: int,
        user_id: int,
        role: GroupRole,
        status: MembershipStatus,
        *,
        now: datetime,
        organisation_id: int | None = None,
    ) -> "GroupMembership":
        """A new membership, not yet saved, its status set now."""
        return cls(
            group_id=group_id,
            user_id=user_id,
            organisation_id=organisation_id,
            role=role,
            status=status,
            created_at=now,
            updated_at=now,
        )


class Action(Record):
    """A step of a group's response plan, co-owned by organisations and resident members."""

    group: fields.ForeignKeyRelation[WorkingGroup] = in_group("actions")
    group_id: int
    title = fields.CharField(max_length=200)
    description = fields.TextField()
    # Follows the owners' answers and reports (services/working_groups/actions.py).
    status = fields.CharEnumField(ActionStatus, max_length=16)
    due_on = fields.DateField(null=True)
    created_by: fields.ForeignKeyRelation["User"] = by_person("created_actions", indexed=True)
    created_by_id: int
    updated_at = fields.DatetimeField()

    class Meta:
        table = "actions"
        indexes = (("group", "created_at", "id"),)


class ActionOwner(Model):
    """One owner's share of an action: an organisation, or a resident member (exactly one of
    the two), with its own answer and progress."""

    id = fields.IntField(primary_key=True)
    action: fields.ForeignKeyRelation[Action] = part_of("models.Action", "owners")
    action_id: int
    organisation: fields.ForeignKeyNullableRelation["Organisation"] = for_organisation_or_none(
        "owned_actions"
    )
    organisation_id: int | None
    user: fields.ForeignKeyNullableRelation["User"] = refers_to(
        "models.User", "owned_actions", on_delete=fields.RESTRICT, indexed=True, null=True
    )
    user_id: int | None
    status = fields.CharEnumField(OwnerStatus, max_length=16)
    note = fields.TextField(null=True)
    # Who last answered or reported for this owner.
    updated_by: fields.ForeignKeyNullableRelation["User"] = by_person_or_none()
    updated_by_id: int | None
    updated_at = fields.DatetimeField()

    class Meta:
        table = "action_owners"
        unique_together = (("action", "organisation"), ("action", "user"))
