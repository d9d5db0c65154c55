"""What many tables share: their own id and creation time, and how rows hang off a person
or a problem."""

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from backend.models.accounts import User
    from backend.models.problems import Problem


class Record(Model):
    """A row with its own id and the moment it was made."""

    id = fields.IntField(primary_key=True)
    created_at = fields.DatetimeField()

    class Meta:
        abstract = True


def of_person(related_name: str) -> fields.ForeignKeyRelation["User"]:
    """The person a row belongs to: it goes with their account, and their rows are looked up
    by person."""
    return fields.ForeignKeyField(
        "models.User", related_name=related_name, on_delete=fields.CASCADE, db_index=True
    )


def on_problem(related_name: str, *, indexed: bool = False) -> fields.ForeignKeyRelation["Problem"]:
    """The problem a row is part of: it goes with the problem."""
    return fields.ForeignKeyField(
        "models.Problem", related_name=related_name, on_delete=fields.CASCADE, db_index=indexed
    )
