"""What many tables share: their own id and creation time, and how rows refer to the rows
they hang off (a person, an organisation, an area, a problem, a group)."""

from typing import TYPE_CHECKING, Any, Literal

from tortoise import fields
from tortoise.fields.relational import ForeignKeyFieldInstance
from tortoise.models import Model

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.organisations import Organisation
    from backend.models.problems import Problem
    from backend.models.working_groups import WorkingGroup

RelatedName = str | Literal[False]


class Record(Model):
    """A row with its own id and the moment it was made."""

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField()

    class Meta:
        abstract = True


def refers_to(
    model: str,
    related_name: RelatedName = False,
    *,
    on_delete: fields.OnDelete = fields.RESTRICT,
    indexed: bool = False,
    null: bool = False,
) -> fields.ForeignKeyRelation[Any]:
    """A row this one names: by default it cannot be deleted while this one names it. With
    `null`, this one may name none; SET_NULL then forgets a row that goes."""
    # The instance ForeignKeyField makes, whose overloads want `null` spelt out.
    return ForeignKeyFieldInstance(model, related_name, on_delete, null=null, db_index=indexed)


def of_person(related_name: str) -> fields.ForeignKeyRelation["User"]:
    """The person a row belongs to: it goes with their account, and their rows are looked up
    by person."""
    return refers_to("models.User", related_name, on_delete=fields.CASCADE, indexed=True)


def by_person(
    related_name: RelatedName = False, *, indexed: bool = False
) -> fields.ForeignKeyRelation["User"]:
    """The person who did what a row records: erasure empties their account, never deletes it."""
    return refers_to("models.User", related_name, indexed=indexed)


def by_person_or_none(
    related_name: RelatedName = False, *, indexed: bool = False
) -> fields.ForeignKeyNullableRelation["User"]:
    """Someone a row may name, forgotten when their account goes."""
    return refers_to("models.User", related_name, on_delete=fields.SET_NULL, indexed=indexed, null=True)


def for_organisation_or_none(
    related_name: RelatedName = False, *, indexed: bool = False
) -> fields.ForeignKeyNullableRelation["Organisation"]:
    """The organisation someone spoke or acted for; null when they did it as themself or as a
    coordinator. An organisation with such rows stays."""
    return refers_to("models.Organisation", related_name, indexed=indexed, null=True)


def part_of(
    model: str, related_name: RelatedName = False, *, indexed: bool = False
) -> fields.ForeignKeyRelation[Any]:
    """The row this one is part of (a membership of its organisation, a reading of its
    measure): this one goes with it."""
    return refers_to(model, related_name, on_delete=fields.CASCADE, indexed=indexed)


def on_problem(related_name: str, *, indexed: bool = False) -> fields.ForeignKeyRelation["Problem"]:
    """The problem a row is part of: it goes with the problem."""
    return part_of("models.Problem", related_name, indexed=indexed)


def in_group(related_name: str) -> fields.ForeignKeyRelation["WorkingGroup"]:
    """The working group a row is part of: it goes with the group."""
    return part_of("models.WorkingGroup", related_name)
